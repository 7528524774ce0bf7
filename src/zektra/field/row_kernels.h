// Row kernels for the sumcheck prover's round messages (zk/sumcheck.cc): the values of a
// block of multilinear pairs at the round polynomial's nodes, products of such rows, and
// sums of products, over short rows held in cache.
//
// Layout: a row is a contiguous array of words. A base-field row holds one canonical Fp per
// word; an extension row is two base rows, c0 and c1 (structure of arrays, so that eight
// Fp2 lanes multiply with plain eight-lane Fp vector products). Row lengths `n` passed to
// the Mul / Accumulate kernels must be multiples of kRowLanes; NodeRows pads its rows with
// zeros up to that length, and zero lanes add nothing to any sum.
//
// Accumulators: a RowAccumulator holds three eight-lane vectors of canonical Fp values. The
// Accumulate kernels add into them; the totals are read with the Reduce functions below,
// which sum the lanes. Which vectors an Accumulate kernel uses fixes how to reduce it (see
// each kernel). Sums are exact mod p, so any split into rows and accumulators gives the same
// field element as a straight loop.
//
// Contract: every kernel dispatches on ActiveSimdLevel() (field/field_simd.h) and every level
// gives the same result; rows may not partially overlap, an output may not alias an input.
// Cost: one pass over the rows, single-threaded. Constant time in the values.
#pragma once

#include <cstddef>
#include <cstdint>

#include "zektra/field/extension.h"

namespace zektra {

inline constexpr size_t kRowLanes = 8;
inline constexpr size_t RoundUpToRowLanes(size_t n) {
  return (n + kRowLanes - 1) / kRowLanes * kRowLanes;
}

struct RowAccumulator {
  uint64_t lanes[3][kRowLanes] = {};
};

// The nodes X = 0, 2, 3, …, degree of `count` pairs (f[2i], f[2i+1]) of a multilinear's
// table: row j (at rows + j·stride) gets f(lo) at X = 0 and lo + X·(hi − lo) at the later
// nodes, lanes [count, RoundUpToRowLanes(count)) zero. degree ≥ 1, stride ≥ the padded count.
void NodeRows(const Fp* pairs, size_t count, size_t degree, uint64_t* rows, size_t stride);
// The same for an Fp2 table: node j's c0 row at rows + 2j·stride, its c1 row at
// rows + (2j + 1)·stride.
void NodeRows(const Fp2* pairs, size_t count, size_t degree, uint64_t* rows, size_t stride);

// out = a·b lane by lane: base × base, extension (a0, a1) × base b, extension × extension.
void MulRows(const uint64_t* a, const uint64_t* b, uint64_t* out, size_t n);
void MulRows(const uint64_t* a0, const uint64_t* a1, const uint64_t* b, uint64_t* out0,
             uint64_t* out1, size_t n);
void MulRows(const uint64_t* a0, const uint64_t* a1, const uint64_t* b0, const uint64_t* b1,
             uint64_t* out0, uint64_t* out1, size_t n);

// acc[0] += Σ a (base row); reduce with ReduceBase.
void AccumulateRow(const uint64_t* a, size_t n, RowAccumulator& acc);
// acc[0] += Σ a·b (base rows); reduce with ReduceBase.
void AccumulateRowProduct(const uint64_t* a, const uint64_t* b, size_t n, RowAccumulator& acc);
// acc[0], acc[1] += Σ (a0, a1) (an extension row); reduce with ReducePair.
void AccumulateRow(const uint64_t* a0, const uint64_t* a1, size_t n, RowAccumulator& acc);
// acc[0], acc[1] += Σ (a0, a1)·b (extension × base); reduce with ReducePair.
void AccumulateRowProduct(const uint64_t* a0, const uint64_t* a1, const uint64_t* b, size_t n,
                          RowAccumulator& acc);
// Σ (a0 + a1X)(b0 + b1X) by Karatsuba: acc[0] += a0b0, acc[1] += a1b1,
// acc[2] += (a0 + a1)(b0 + b1); reduce with ReduceKaratsuba.
void AccumulateRowProduct(const uint64_t* a0, const uint64_t* a1, const uint64_t* b0,
                          const uint64_t* b1, size_t n, RowAccumulator& acc);

Fp2 ReduceBase(const RowAccumulator& acc);       // (Σ acc[0], 0)
Fp2 ReducePair(const RowAccumulator& acc);       // (Σ acc[0], Σ acc[1])
Fp2 ReduceKaratsuba(const RowAccumulator& acc);  // (R + 7N, K − R − N)

}  // namespace zektra
