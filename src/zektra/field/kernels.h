// Batch field kernels over contiguous arrays: the inner loops of the polynomial
// commitment (row combinations), sumcheck (folding, inner products) and witness code.
//
// Contract: every kernel gives exactly the result of its `reference::` twin (plain Fp /
// Fp2 loops, kept here as the specification and for tests); only speed differs. Each
// call dispatches on ActiveSimdLevel() (field/field_simd.h): AVX-512F, AVX2 or portable
// code. Lengths must match (ZK_CHECK aborts otherwise: a length mismatch is a caller
// bug, never input data). An output may be the very same array as an input (exact alias)
// where stated; partial overlaps are not allowed.
//
// Cost: one pass over the arrays; single-threaded (callers split work with ParallelFor,
// as the kernels are usually called per row or per chunk). Constant time in the values:
// no branch or address depends on an element.
#pragma once

#include <span>

#include "zektra/field/extension.h"
#include "zektra/field/goldilocks.h"

namespace zektra {

// out[i] = a[i] + b[i], a[i] − b[i], a[i]·b[i]. out may be a or b.
void AddVectors(std::span<const Fp> a, std::span<const Fp> b, std::span<Fp> out);
void SubVectors(std::span<const Fp> a, std::span<const Fp> b, std::span<Fp> out);
void MulVectors(std::span<const Fp> a, std::span<const Fp> b, std::span<Fp> out);

// y[i] += c·x[i].
void Axpy(Fp c, std::span<const Fp> x, std::span<Fp> y);
// y[i] += c·x[i] with an extension coefficient over a base-field vector (a random linear
// combination of base-field rows with challenge weights).
void Axpy(Fp2 c, std::span<const Fp> x, std::span<Fp2> y);
// y[i] += c·x[i] over extension vectors (sums of scaled eq tables, claim batching).
void Axpy(Fp2 c, std::span<const Fp2> x, std::span<Fp2> y);

// Σ a[i]·b[i].
Fp DotProduct(std::span<const Fp> a, std::span<const Fp> b);
Fp2 DotProduct(std::span<const Fp> a, std::span<const Fp2> b);

// Fixes the lowest variable of a multilinear table to r (zk/multilinear.h convention):
// out[k] = f[2k] + r·(f[2k+1] − f[2k]) for k < f.size()/2. f.size() must be even and
// out.size() == f.size()/2. out may be the first half of f (in-place folding).
void FoldPairs(std::span<const Fp2> f, Fp2 r, std::span<Fp2> out);
// The same fold of a base-field table (a sumcheck's first round, before any challenge has
// entered the values). out must not overlap f.
void FoldPairs(std::span<const Fp> f, Fp2 r, std::span<Fp2> out);

// Fixes the second-lowest variable to r: out[2i + j] = f[4i + j] + r·(f[4i + 2 + j] − f[4i + j])
// for j ∈ {0, 1} (two tables stored interleaved, as a logUp layer stores the even and odd
// children, folded together). f.size() must be a multiple of 4, out.size() == f.size()/2,
// and out must not overlap f.
void FoldSecondVariable(std::span<const Fp2> f, Fp2 r, std::span<Fp2> out);

// The specification: straightforward loops over Fp / Fp2 operators.
namespace reference {
void AddVectors(std::span<const Fp> a, std::span<const Fp> b, std::span<Fp> out);
void SubVectors(std::span<const Fp> a, std::span<const Fp> b, std::span<Fp> out);
void MulVectors(std::span<const Fp> a, std::span<const Fp> b, std::span<Fp> out);
void Axpy(Fp c, std::span<const Fp> x, std::span<Fp> y);
void Axpy(Fp2 c, std::span<const Fp> x, std::span<Fp2> y);
void Axpy(Fp2 c, std::span<const Fp2> x, std::span<Fp2> y);
Fp DotProduct(std::span<const Fp> a, std::span<const Fp> b);
Fp2 DotProduct(std::span<const Fp> a, std::span<const Fp2> b);
void FoldPairs(std::span<const Fp2> f, Fp2 r, std::span<Fp2> out);
void FoldPairs(std::span<const Fp> f, Fp2 r, std::span<Fp2> out);
void FoldSecondVariable(std::span<const Fp2> f, Fp2 r, std::span<Fp2> out);
}  // namespace reference

}  // namespace zektra
