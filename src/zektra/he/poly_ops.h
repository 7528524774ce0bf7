// Limb-wise arithmetic on NTT-form RNS polynomials (internal to the HE layer).
//
// `basis[k]` is the context prime index of limb k. All inputs are in [0, q); outputs
// too. Loops are simple enough for the compiler to vectorise the add/sub paths; the
// multiply paths use 128-bit Barrett reduction.
#pragma once

#include <span>
#include <vector>

#include "zektra/he/context.h"

namespace zektra::he {

using Basis = std::vector<size_t>;

// q_0..q_level.
Basis LevelBasis(size_t level);
// q_0..q_level, p_0..p_{K-1}.
Basis ExtendedBasis(const HeContext& context, size_t level);
// Every prime of the context (key material).
Basis FullBasis(const HeContext& context);

void AddInPlace(const HeContext& c, const Basis& basis, RnsPoly& a, const RnsPoly& b);
void SubInPlace(const HeContext& c, const Basis& basis, RnsPoly& a, const RnsPoly& b);
void NegateInPlace(const HeContext& c, const Basis& basis, RnsPoly& a);
// a ⊙= b
void MulInPlace(const HeContext& c, const Basis& basis, RnsPoly& a, const RnsPoly& b);
// out = a ⊙ b
void Mul(const HeContext& c, const Basis& basis, const RnsPoly& a, const RnsPoly& b, RnsPoly& out);
// acc += a ⊙ b
void MulAccumulate(const HeContext& c, const Basis& basis, RnsPoly& acc, const RnsPoly& a,
                   const RnsPoly& b);
// a's limb k ⊙= scalar[k]
void MulScalarInPlace(const HeContext& c, const Basis& basis, RnsPoly& a,
                      std::span<const uint64_t> scalars);

// Small signed integer coefficients to an NTT-form polynomial over `basis`.
RnsPoly SmallToNtt(const HeContext& c, const Basis& basis, std::span<const int64_t> coefficients);
RnsPoly TernaryToNtt(const HeContext& c, const Basis& basis, std::span<const int8_t> coefficients);

// Applies X -> X^g to an NTT-form polynomial (a permutation of slots).
void ApplyGalois(const std::vector<uint32_t>& permutation, const RnsPoly& in, RnsPoly& out);

// Keeps the limbs with the listed limb indices of `poly` (in that order).
RnsPoly SelectLimbs(const RnsPoly& poly, std::span<const size_t> limb_indices);

}  // namespace zektra::he

namespace zektra::he {
// Any signed 64-bit coefficients (noise flooding) to an NTT-form polynomial over `basis`.
RnsPoly SignedToNtt(const HeContext& c, const Basis& basis, std::span<const int64_t> coefficients);
// round(value) modulo each prime of `basis` (value may exceed 2^63).
std::vector<uint64_t> RealToResidues(const HeContext& c, const Basis& basis, double value);
}  // namespace zektra::he
