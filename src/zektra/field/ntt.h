// Number-theoretic transforms over Goldilocks, sizes 2^0 … 2^26 (the field allows 2^32).
//
// Convention: Ntt maps coefficients a_0..a_{n-1} (natural order) to evaluations
// A(ω^0), …, A(ω^{n-1}) (natural order), ω = Fp::RootOfUnity(log n). InverseNtt undoes
// it. The coset forms evaluate at shift·ω^i, which Reed–Solomon encoding uses to keep
// the codeword domain disjoint from the message domain.
//
// How (ntt.cc): the four-step method. n = R·C is viewed as an R×C matrix; pass 1 runs the
// R-point transforms down the columns, eight columns at a time (one vector lane per
// column, so butterflies need no shuffles and twiddles are broadcast scalars read from a
// contiguous per-stage table), and applies the ω^(c·k) twiddles; pass 2 runs the C-point
// transforms along the rows, eight rows at a time, and writes results straight to their
// natural-order positions. Each block of eight lanes fits in L2, so main memory is swept
// only twice; the bit reversals happen inside the cached blocks. Coset shifts, the 1/n of
// the inverse and the inverse-coset unshift are folded into those passes. Sizes below 64
// use a plain radix-2 transform. Kernels run on AVX-512F, AVX2 or portable code
// (field/field_simd.h), with bit-identical results.
//
// Cost: (n/2)·log n butterflies plus 2n multiplications; one n-word scratch buffer per
// calling thread (kept between calls up to 2^22 words, allocated per call above that).
// Transforms of 2^15 points or more use the worker pool (base/thread_pool.h).
// Thread-safe: concurrent calls on different arrays are fine. Constant time in the
// values (no value-dependent branch or address).
#pragma once

#include <span>
#include <vector>

#include "zektra/field/goldilocks.h"

namespace zektra {

inline constexpr int kMaxNttLogSize = 26;

void Ntt(std::span<Fp> values);
void InverseNtt(std::span<Fp> values);
// Evaluations at shift·ω^i of the polynomial with the given coefficients.
void CosetNtt(std::span<Fp> values, Fp shift);
// Coefficients from evaluations at shift·ω^i.
void InverseCosetNtt(std::span<Fp> values, Fp shift);

// Reference O(n^2) transform, for tests.
std::vector<Fp> NaiveDft(std::span<const Fp> coefficients, Fp shift = Fp::One());

}  // namespace zektra
