// The Goldilocks prime field, p = 2^64 - 2^32 + 1: every proof in Zektra lives here.
//
// Why this prime: products of two elements fit in 128 bits and reduce with a few
// adds and shifts (2^64 ≡ 2^32 - 1 and 2^96 ≡ -1 mod p), and p - 1 = 2^32·(2^32 - 1)
// gives NTTs up to 2^32 points. Elements are plain values in canonical form
// [0, p); there is no field object, following STYLE.md (3).
//
// Constant time: add, sub, mul and the reductions use no secret-dependent branches
// (the compiler turns the carry selects below into cmov/adc). Inverse is a fixed
// exponentiation. Equality and conversion to signed integers are not secret-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace zektra {

struct Fp {
  static constexpr uint64_t kModulus = 0xFFFFFFFF00000001ULL;
  static constexpr uint64_t kEpsilon = 0xFFFFFFFFULL;  // 2^64 mod p
  static constexpr int kTwoAdicity = 32;
  static constexpr uint64_t kGenerator = 7;  // generates the multiplicative group

  uint64_t v = 0;  // canonical: v < kModulus

  constexpr Fp() = default;
  // Reduces any 64-bit value.
  static constexpr Fp From(uint64_t x) { return Fp(x >= kModulus ? x - kModulus : x, Raw{}); }
  // Two's-complement embedding used by fixed point: -x maps to p - x.
  static constexpr Fp FromSigned(int64_t x) {
    return x >= 0 ? From(static_cast<uint64_t>(x)) : Neg(From(static_cast<uint64_t>(-(x + 1)) + 1));
  }
  static constexpr Fp Zero() { return Fp(); }
  static constexpr Fp One() { return Fp(1, Raw{}); }

  // The centred representative in (-p/2, p/2], for fixed-point decoding.
  constexpr int64_t ToSigned() const {
    return v > kModulus / 2 ? -static_cast<int64_t>(kModulus - v) : static_cast<int64_t>(v);
  }

  static constexpr Fp Add(Fp a, Fp b) {
    uint64_t s = a.v + b.v;
    uint64_t carry = s < a.v;
    // s may exceed p or have wrapped; one conditional subtraction of p fixes both.
    uint64_t t = s + kEpsilon * carry;  // wrapped: add 2^64 - p
    return Fp(t >= kModulus ? t - kModulus : t, Raw{});
  }
  static constexpr Fp Sub(Fp a, Fp b) {
    uint64_t d = a.v - b.v;
    uint64_t borrow = a.v < b.v;
    return Fp(d - kEpsilon * borrow, Raw{});
  }
  static constexpr Fp Neg(Fp a) { return Fp(a.v == 0 ? 0 : kModulus - a.v, Raw{}); }

  // Reduces a 128-bit value modulo p.
  static constexpr Fp Reduce128(unsigned __int128 x) {
    uint64_t lo = static_cast<uint64_t>(x);
    uint64_t hi = static_cast<uint64_t>(x >> 64);
    uint64_t hi_hi = hi >> 32;
    uint64_t hi_lo = hi & kEpsilon;
    // x = lo + hi_lo·2^64 + hi_hi·2^96 ≡ lo + hi_lo·(2^32 - 1) - hi_hi
    uint64_t t0 = lo - hi_hi;
    t0 -= kEpsilon * (lo < hi_hi);
    uint64_t t1 = hi_lo * kEpsilon;
    uint64_t t2 = t0 + t1;
    t2 += kEpsilon * (t2 < t1);
    return Fp(t2 >= kModulus ? t2 - kModulus : t2, Raw{});
  }
  static constexpr Fp Mul(Fp a, Fp b) {
    return Reduce128(static_cast<unsigned __int128>(a.v) * b.v);
  }

  constexpr Fp operator+(Fp o) const { return Add(*this, o); }
  constexpr Fp operator-(Fp o) const { return Sub(*this, o); }
  constexpr Fp operator-() const { return Neg(*this); }
  constexpr Fp operator*(Fp o) const { return Mul(*this, o); }
  constexpr Fp& operator+=(Fp o) { return *this = Add(*this, o); }
  constexpr Fp& operator-=(Fp o) { return *this = Sub(*this, o); }
  constexpr Fp& operator*=(Fp o) { return *this = Mul(*this, o); }
  constexpr bool operator==(const Fp&) const = default;

  constexpr Fp Square() const { return Mul(*this, *this); }
  constexpr Fp Pow(uint64_t e) const {
    Fp base = *this, acc = One();
    while (e) {
      if (e & 1) acc *= base;
      base = base.Square();
      e >>= 1;
    }
    return acc;
  }
  // Inverse by Fermat (a^(p-2)); Inverse(0) = 0.
  constexpr Fp Inverse() const { return Pow(kModulus - 2); }

  // A primitive 2^log_n-th root of unity (log_n ≤ 32), from the generator.
  static constexpr Fp RootOfUnity(int log_n) {
    return Fp(kGenerator, Raw{}).Pow((kModulus - 1) >> log_n);
  }

  std::string ToString() const { return std::to_string(v); }

 private:
  struct Raw {};
  constexpr Fp(uint64_t x, Raw) : v(x) {}
};

// Inverts every element with one field inversion (Montgomery's trick).
// Zeros stay zero. O(3n) multiplications. Works for any field type with One, Zero,
// Inverse and *; BatchInverse(span<Fp>) and BatchInverse(span<Fp2>) use it.
template <typename F>
void BatchInverseGeneric(std::span<F> values) {
  const size_t n = values.size();
  if (n == 0) return;
  std::vector<F> prefix(n);
  F acc = F::One();
  for (size_t i = 0; i < n; ++i) {
    prefix[i] = acc;
    if (values[i] != F::Zero()) acc *= values[i];
  }
  F inv = acc.Inverse();
  for (size_t i = n; i-- > 0;) {
    if (values[i] == F::Zero()) continue;
    F vi = values[i];
    values[i] = inv * prefix[i];
    inv *= vi;
  }
}

void BatchInverse(std::span<Fp> values);

// Dot product Σ a[i]·b[i], accumulating in 128 bits to defer reductions.
Fp InnerProduct(std::span<const Fp> a, std::span<const Fp> b);

}  // namespace zektra
