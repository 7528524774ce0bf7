// Multilinear polynomials given by their evaluations on the Boolean hypercube.
//
// Convention used across the proof system: a vector f of length 2^n is the multilinear
// polynomial with f(b_0, …, b_{n-1}) = f[Σ b_k·2^k]; variable 0 is the least significant
// bit of the index. A tensor X[t][i][j] stored row-major therefore has j in the low
// variables and t in the high ones. Points are vectors (r_0, …, r_{n-1}) in that order.
#pragma once

#include <span>
#include <vector>

#include "zektra/field/extension.h"

namespace zektra {

// eq(r, b) = Π_k (r_k·b_k + (1 - r_k)(1 - b_k)) for every b in {0,1}^n, length 2^n.
std::vector<Fp2> EqTable(std::span<const Fp2> point);

// eq(a, b) for two points of the same length.
Fp2 EqEval(std::span<const Fp2> a, std::span<const Fp2> b);

// f(point) for evaluations f over the hypercube (size must be 2^point.size()).
Fp2 EvaluateMultilinear(std::span<const Fp> evaluations, std::span<const Fp2> point);
Fp2 EvaluateMultilinear(std::span<const Fp2> evaluations, std::span<const Fp2> point);

// Fixes variable 0 to r: out[b] = f[2b] + r·(f[2b+1] - f[2b]); halves the length.
std::vector<Fp2> FoldLowVariable(std::span<const Fp> f, Fp2 r);
void FoldLowVariableInPlace(std::vector<Fp2>& f, Fp2 r);

}  // namespace zektra
