// Sums of products of field elements with one modular reduction at the end.
//
// Why: in the sumcheck and logUp provers most multiplications feed a running sum
// (Σ_i a_i·b_i). Reducing each 128-bit product mod p costs more than the multiplication
// itself; adding the raw products into a 192-bit accumulator (128 bits plus a count of
// carries out of them) and reducing once gives the same field element faster.
//
// Contract: any number of additions up to 2^64 carries (never reached: that is more than
// 2^64 products); Reduce() is the exact sum mod p, so callers may swap a reduced sum for
// a LazySum without changing any result. Constant time: no branch depends on the values.
#pragma once

#include <cstdint>

#include "zektra/field/extension.h"
#include "zektra/field/goldilocks.h"

namespace zektra {

struct LazySum {
  unsigned __int128 low = 0;
  uint64_t carries = 0;  // multiples of 2^128

  void AddProduct(uint64_t a, uint64_t b) { Add(static_cast<unsigned __int128>(a) * b); }
  void Add(unsigned __int128 x) {
    low += x;
    carries += low < x;
  }
  Fp Reduce() const {
    static constexpr Fp kTwoTo128 = Fp::Mul(Fp::From(Fp::kEpsilon), Fp::From(Fp::kEpsilon));
    return Fp::Reduce128(low) + Fp::From(carries) * kTwoTo128;
  }
};

// Σ of Fp2 values and products with X² = 7: c0 = real + 7·non_residue, c1 = imaginary.
struct LazySumFp2 {
  LazySum real, imaginary, non_residue;

  void Add(Fp x) { real.Add(x.v); }
  void Add(Fp2 x) {
    real.Add(x.c0.v);
    imaginary.Add(x.c1.v);
  }
  void AddProduct(Fp2 a, Fp b) {
    real.AddProduct(a.c0.v, b.v);
    imaginary.AddProduct(a.c1.v, b.v);
  }
  void AddProduct(Fp2 a, Fp2 b) {  // (a0 + a1X)(b0 + b1X) = a0b0 + 7a1b1 + (a0b1 + a1b0)X
    real.AddProduct(a.c0.v, b.c0.v);
    non_residue.AddProduct(a.c1.v, b.c1.v);
    imaginary.AddProduct(a.c0.v, b.c1.v);
    imaginary.AddProduct(a.c1.v, b.c0.v);
  }
  Fp2 Reduce() const {
    return Fp2(real.Reduce() + Fp2::MulByNonResidue(non_residue.Reduce()), imaginary.Reduce());
  }
};

}  // namespace zektra
