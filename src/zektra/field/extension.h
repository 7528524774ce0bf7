// The quadratic extension F_{p^2} = F_p[X]/(X^2 - 7), where verifier challenges live.
//
// Why an extension: a challenge drawn from F_p alone gives ~64 bits per Schwartz–Zippel
// step, too little for a 100-bit target once degrees and union bounds are paid; F_{p^2}
// gives ~128. 7 is a quadratic non-residue mod p (checked in the tests by Euler's
// criterion), so X^2 - 7 is irreducible.
#pragma once

#include <span>
#include <string>

#include "zektra/field/goldilocks.h"

namespace zektra {

struct Fp2 {
  static constexpr uint64_t kNonResidue = 7;
  Fp c0, c1;  // c0 + c1·X

  constexpr Fp2() = default;
  constexpr Fp2(Fp a, Fp b) : c0(a), c1(b) {}
  constexpr explicit Fp2(Fp a) : c0(a), c1() {}  // embedding of the base field
  static constexpr Fp2 Zero() { return Fp2(); }
  static constexpr Fp2 One() { return Fp2(Fp::One()); }
  static constexpr Fp2 From(uint64_t x) { return Fp2(Fp::From(x)); }

  constexpr bool IsBase() const { return c1 == Fp::Zero(); }

  constexpr Fp2 operator+(Fp2 o) const { return {c0 + o.c0, c1 + o.c1}; }
  constexpr Fp2 operator-(Fp2 o) const { return {c0 - o.c0, c1 - o.c1}; }
  constexpr Fp2 operator-() const { return {-c0, -c1}; }
  constexpr Fp2 operator*(Fp2 o) const {
    // Karatsuba: 3 base multiplications + one by the constant 7.
    Fp a = c0 * o.c0, b = c1 * o.c1;
    Fp cross = (c0 + c1) * (o.c0 + o.c1) - a - b;
    return {a + MulByNonResidue(b), cross};
  }
  constexpr Fp2 operator*(Fp s) const { return {c0 * s, c1 * s}; }
  constexpr Fp2& operator+=(Fp2 o) { return *this = *this + o; }
  constexpr Fp2& operator-=(Fp2 o) { return *this = *this - o; }
  constexpr Fp2& operator*=(Fp2 o) { return *this = *this * o; }
  constexpr Fp2& operator*=(Fp s) { return *this = *this * s; }
  constexpr bool operator==(const Fp2&) const = default;

  constexpr Fp2 Square() const { return *this * *this; }
  // The Frobenius map (a + bX)^p = a - bX, since X^p = 7^((p-1)/2)·X = -X.
  constexpr Fp2 Conjugate() const { return {c0, -c1}; }
  constexpr Fp Norm() const { return c0 * c0 - MulByNonResidue(c1 * c1); }
  // 1/(a + bX) = (a - bX)/(a^2 - 7b^2); Inverse(0) = 0.
  constexpr Fp2 Inverse() const {
    Fp inv = Norm().Inverse();
    return {c0 * inv, -(c1 * inv)};
  }
  constexpr Fp2 Pow(uint64_t e) const {
    Fp2 base = *this, acc = One();
    while (e) {
      if (e & 1) acc *= base;
      base = base.Square();
      e >>= 1;
    }
    return acc;
  }

  std::string ToString() const { return "(" + c0.ToString() + " + " + c1.ToString() + "·X)"; }

  static constexpr Fp MulByNonResidue(Fp x) {
    Fp x2 = x + x, x4 = x2 + x2;
    return x4 + x2 + x;  // 7x without a multiplication
  }
};

constexpr Fp2 operator*(Fp s, Fp2 a) { return a * s; }
constexpr Fp2 operator+(Fp2 a, Fp b) { return {a.c0 + b, a.c1}; }
constexpr Fp2 operator-(Fp2 a, Fp b) { return {a.c0 - b, a.c1}; }

void BatchInverse(std::span<Fp2> values);

}  // namespace zektra
