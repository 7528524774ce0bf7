// Small univariate helpers for sumcheck round messages and masking polynomials.
//
// A sumcheck round polynomial of degree d travels as its values at the integer nodes
// 0, 1, …, d; the verifier evaluates it at a challenge by Lagrange interpolation over
// those nodes (O(d^2) work, d ≤ 8 here). Masking polynomials are kept as coefficients.
// Nothing here is secret-dependent in its control flow.
#pragma once

#include <span>
#include <vector>

#include "zektra/field/extension.h"

namespace zektra {

// p(x) where p is the unique polynomial of degree ≤ values.size()-1 with p(i) = values[i]
// for i = 0, 1, …. values must not be empty.
Fp2 InterpolateAtIntegerNodes(std::span<const Fp2> values, Fp2 x);

// Σ_j coefficients[j]·x^j by Horner's rule (empty → 0).
Fp2 EvaluateCoefficients(std::span<const Fp2> coefficients, Fp2 x);
Fp EvaluateCoefficients(std::span<const Fp> coefficients, Fp x);
Fp2 EvaluateCoefficients(std::span<const Fp> coefficients, Fp2 x);

}  // namespace zektra
