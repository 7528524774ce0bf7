#include "zektra/zk/sumcheck_zk.h"

#include "zektra/zk/univariate.h"

namespace zektra {
namespace {

size_t CoefficientLog(size_t degree) { return static_cast<size_t>(std::bit_width(degree)); }  // ⌈log2(d+1)⌉
size_t RoundsLog(size_t n) { return static_cast<size_t>(std::countr_zero(std::bit_ceil(n))); }

// In place: E[b] = Σ_{j ⊆ b} c[j], so that MLE(E) has monomial coefficients c.
void SubsetSumTransform(std::span<Fp> values) {
  for (size_t bit = 1; bit < values.size(); bit <<= 1) {
    for (size_t b = 0; b < values.size(); ++b) {
      if (b & bit) values[b] += values[b ^ bit];
    }
  }
}

Fp2 PowerOfTwo(size_t e) { return Fp2(Fp::From(uint64_t{1} << e)); }

}  // namespace

size_t MaskTableLog(size_t num_variables, size_t degree) {
  return CoefficientLog(degree) + RoundsLog(num_variables) + 1;
}

std::vector<Fp2> MaskOpeningPoint(size_t num_variables, size_t degree, size_t k, Fp2 r_k) {
  std::vector<Fp2> point;
  Fp2 power = r_k;
  for (size_t l = 0; l < CoefficientLog(degree); ++l) {
    point.push_back(power);  // r^(2^l)
    power = power.Square();
  }
  for (size_t l = 0; l < RoundsLog(num_variables); ++l) point.push_back(Fp2::From((k >> l) & 1));
  point.push_back(Fp2(Fp::Zero(), Fp::One()));  // X: mixes the a and a+b halves into a + X·b
  return point;
}

SumcheckMask SumcheckMask::Random(size_t num_variables, size_t degree) {
  ZK_CHECK(num_variables >= 1 && num_variables <= 40, "mask needs 1..40 variables");
  ZK_CHECK(degree >= 1 && degree <= 7, "mask degree 1..7");
  SumcheckMask mask;
  mask.num_variables_ = num_variables;
  mask.degree_ = degree;
  const size_t coeff_slots = size_t{1} << CoefficientLog(degree);
  const size_t rows = std::bit_ceil(num_variables);
  mask.table_.assign(2 * rows * coeff_slots, Fp::Zero());
  mask.coefficients_.assign(num_variables, std::vector<Fp2>(degree + 1));
  for (size_t k = 0; k < num_variables; ++k) {
    Fp* low = &mask.table_[k * coeff_slots];
    Fp* high = &mask.table_[(rows + k) * coeff_slots];
    for (size_t j = 0; j <= degree; ++j) {
      const Fp a = RandomFp(), b = RandomFp();
      mask.coefficients_[k][j] = Fp2(a, b);
      low[j] = a;
      high[j] = a + b;
    }
    SubsetSumTransform(std::span<Fp>(low, coeff_slots));
    SubsetSumTransform(std::span<Fp>(high, coeff_slots));
  }
  return mask;
}

SumcheckMask::~SumcheckMask() {
  SecureWipe(table_);
  for (auto& c : coefficients_) SecureWipe(c);
}

Fp2 SumcheckMask::Sum() const {
  // Σ_b Σ_k g_k(b_k) = 2^(n−1) Σ_k (g_k(0) + g_k(1)).
  Fp2 acc = Fp2::Zero();
  for (const auto& c : coefficients_) {
    acc += c[0];
    for (Fp2 cj : c) acc += cj;
  }
  return acc * PowerOfTwo(num_variables_ - 1);
}

Fp2 SumcheckMask::Evaluate(size_t k, Fp2 x) const {
  ZK_CHECK(k < num_variables_, "mask variable index");
  return EvaluateCoefficients(coefficients_[k], x);
}

std::vector<Fp2> SumcheckMask::RoundMessage(size_t round, Fp2 bound_sum) const {
  ZK_CHECK(round < num_variables_, "mask round index");
  const size_t n = num_variables_;
  // Variables after this one each sum over {0,1}: every later g_k contributes
  // (g_k(0) + g_k(1)) times 2^(n−round−2) (the other free variables).
  Fp2 later = Fp2::Zero();
  for (size_t k = round + 1; k < n; ++k) {
    later += coefficients_[k][0];
    for (Fp2 cj : coefficients_[k]) later += cj;
  }
  if (round + 1 < n) later *= PowerOfTwo(n - round - 2);
  const Fp2 scale = PowerOfTwo(n - round - 1);
  std::vector<Fp2> message;
  for (size_t node = 0; node <= degree_; ++node) {
    if (node == 1) continue;  // implied by the running claim
    message.push_back(scale * (bound_sum + Evaluate(round, Fp2::From(node))) + later);
  }
  return message;
}

namespace internal {

void AbsorbMaskedHeader(const SumOfProducts& shape, Fp2 claimed_sum, Transcript& transcript) {
  transcript.AbsorbBytes("zksumcheck.protocol", AsBytes("zektra.masked_sumcheck.v1"));
  shape.AbsorbInto(transcript);
  transcript.AbsorbFp2("zksumcheck.claim", claimed_sum);
}

std::vector<CommittedEvaluationClaim> MaskClaims(size_t num_variables, size_t degree,
                                                 std::span<const Fp2> point,
                                                 std::span<const Fp2> mask_values) {
  std::vector<CommittedEvaluationClaim> claims;
  for (size_t k = 0; k < num_variables; ++k) {
    claims.push_back({0, MaskOpeningPoint(num_variables, degree, k, point[k]), mask_values[k]});
  }
  return claims;
}

}  // namespace internal
}  // namespace zektra
