#include "zektra/ml/fixed_point.h"

#include <algorithm>
#include <cmath>

namespace zektra::ml {

Result<FixedPointFormat> FixedPointFormat::Create(int fraction_bits) {
  if (fraction_bits < kMinFractionBits || fraction_bits > kMaxFractionBits) {
    return Status::InvalidArgument("fraction bits must be in [" + std::to_string(kMinFractionBits) +
                                   ", " + std::to_string(kMaxFractionBits) + "], got " +
                                   std::to_string(fraction_bits));
  }
  return FixedPointFormat(fraction_bits);
}

FixedPointFormat::FixedPointFormat(int fraction_bits) : f_(fraction_bits) {
  ZK_CHECK(f_ >= kMinFractionBits && f_ <= kMaxFractionBits, "fraction bits out of range");
  const double scale = static_cast<double>(one());
  for (int64_t i = kSigmoidIndexMin; i <= kSigmoidIndexMax; ++i) {
    double x = (static_cast<double>(i) + 0.5) / 256.0;
    sigmoid_.push_back(std::llround(scale / (1.0 + std::exp(-x))));
  }
  for (int64_t i = kExpIndexMin; i <= kExpIndexMax; ++i) {
    exp_.push_back(std::llround(scale * std::exp(static_cast<double>(i) / 256.0)));
  }
}

int64_t FixedPointFormat::FromReal(double x) const {
  return std::llround(x * static_cast<double>(one()));
}

int64_t FixedPointFormat::SigmoidIndex(int64_t z) const {
  return std::clamp(FloorShift(z, f_ - kTableStepBits), kSigmoidIndexMin, kSigmoidIndexMax);
}

int64_t FixedPointFormat::ExpIndex(int64_t d) const {
  return std::clamp(FloorShift(d, f_ - kTableStepBits), kExpIndexMin, kExpIndexMax);
}

void FixedSoftmax(const FixedPointFormat& fp, const int64_t* z, size_t k, int64_t* p,
                  int64_t* exp_index, int64_t* exp_value, int64_t* sum_out, int64_t* remainder) {
  int64_t m = z[0];
  for (size_t j = 1; j < k; ++j) m = std::max(m, z[j]);
  int64_t sum = 0;
  for (size_t j = 0; j < k; ++j) {
    int64_t index = fp.ExpIndex(z[j] - m);
    int64_t e = fp.ExpAt(index);
    if (exp_index) exp_index[j] = index;
    if (exp_value) exp_value[j] = e;
    sum += e;
  }
  // sum ≥ 2^F (the maximum contributes E[0] = 2^F) and ≤ k·2^F, so the division is exact-checkable.
  for (size_t j = 0; j < k; ++j) {
    int64_t numerator = fp.ExpAt(fp.ExpIndex(z[j] - m)) << fp.fraction_bits();
    p[j] = numerator / sum;  // both non-negative: truncation is floor
    if (remainder) remainder[j] = numerator - p[j] * sum;
  }
  if (sum_out) *sum_out = sum;
}

}  // namespace zektra::ml
