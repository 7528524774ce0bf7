// Vectorised element-wise modular kernels for NTT-form polynomials (one limb at a time).
//
// For primes below 2^50 on CPUs with AVX-512 IFMA, a·b mod q is computed eight lanes at
// a time: the 104-bit product from two 52-bit multiply-adds, the quotient estimated in
// double precision (exact to ±1 because a·b/q < 2^51 and the rounding error is below
// 2^-2), and the remainder corrected by two branch-free steps. Other primes, other CPUs,
// and SetPortableKernelsOnly(true) take the scalar Barrett path; both give identical
// results (tested).
#pragma once

#include <cstddef>
#include <cstdint>

#include "zektra/he/modarith.h"

namespace zektra::he {

// out[i] = a[i]·b[i] mod q
void MulModLimb(const uint64_t* a, const uint64_t* b, uint64_t* out, size_t n, const Modulus& m);
// acc[i] = acc[i] + a[i]·b[i] mod q
void MulAddModLimb(uint64_t* acc, const uint64_t* a, const uint64_t* b, size_t n, const Modulus& m);
// The ciphertext tensor product on one limb: d0 = a0·b0, d1 = a0·b1 + a1·b0, d2 = a1·b1.
void TensorLimb(const uint64_t* a0, const uint64_t* a1, const uint64_t* b0, const uint64_t* b1,
                uint64_t* d0, uint64_t* d1, uint64_t* d2, size_t n, const Modulus& m);

}  // namespace zektra::he
