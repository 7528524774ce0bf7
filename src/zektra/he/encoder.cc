#include "zektra/he/encoder.h"

#include <cmath>

#include "zektra/base/thread_pool.h"
#include "zektra/he/rns.h"

namespace zektra::he {

Encoder::Encoder(HeContextPtr context) : context_(std::move(context)) {
  const size_t m = 2 * context_->n();
  const size_t slots_count = context_->slots();
  roots_.resize(m + 1);
  for (size_t k = 0; k <= m; ++k) {
    // Angles reduced to the first octant's accuracy by computing with long double.
    long double angle = 2.0L * 3.14159265358979323846264338327950288L * k / m;
    roots_[k] = {static_cast<double>(std::cos(angle)), static_cast<double>(std::sin(angle))};
  }
  rotation_group_.resize(slots_count);
  uint64_t g = 1;
  for (size_t j = 0; j < slots_count; ++j) {
    rotation_group_[j] = g;
    g = g * 5 % m;
  }
  int log_slots = context_->log_n() - 1;
  bit_reverse_.resize(slots_count);
  for (size_t i = 0; i < slots_count; ++i) {
    bit_reverse_[i] = static_cast<uint32_t>(BitReverse(i, log_slots));
  }
}

// Evaluates at the slot points: given coefficients packed as w_i = m_i + i·m_{i+n},
// returns w in slot order.
void Encoder::SpecialFft(std::vector<std::complex<double>>& values) const {
  const size_t size = values.size();
  const size_t m = 2 * context_->n();
  for (size_t i = 0; i < size; ++i) {
    if (i < bit_reverse_[i]) std::swap(values[i], values[bit_reverse_[i]]);
  }
  for (size_t len = 2; len <= size; len <<= 1) {
    const size_t half = len >> 1, quarter_period = len << 2, stride = m / quarter_period;
    for (size_t i = 0; i < size; i += len) {
      for (size_t j = 0; j < half; ++j) {
        size_t index = (rotation_group_[j] % quarter_period) * stride;
        std::complex<double> u = values[i + j];
        std::complex<double> v = values[i + j + half] * roots_[index];
        values[i + j] = u + v;
        values[i + j + half] = u - v;
      }
    }
  }
}

void Encoder::SpecialInverseFft(std::vector<std::complex<double>>& values) const {
  const size_t size = values.size();
  const size_t m = 2 * context_->n();
  for (size_t len = size; len >= 2; len >>= 1) {
    const size_t half = len >> 1, quarter_period = len << 2, stride = m / quarter_period;
    for (size_t i = 0; i < size; i += len) {
      for (size_t j = 0; j < half; ++j) {
        size_t index = (quarter_period - rotation_group_[j] % quarter_period) * stride;
        std::complex<double> u = values[i + j] + values[i + j + half];
        std::complex<double> v = (values[i + j] - values[i + j + half]) * roots_[index];
        values[i + j] = u;
        values[i + j + half] = v;
      }
    }
  }
  for (size_t i = 0; i < size; ++i) {
    if (i < bit_reverse_[i]) std::swap(values[i], values[bit_reverse_[i]]);
  }
  const double inv = 1.0 / static_cast<double>(size);
  for (auto& v : values) v *= inv;
}

Status Encoder::CoefficientsToPoly(std::span<const double> coefficients, size_t level,
                                   RnsPoly* out) const {
  const size_t n = context_->n();
  if (coefficients.size() != n) return Status::Internal("coefficient count mismatch");
  const double limit = std::exp2(context_->LogModulus(level) - 1);
  double max_abs = 0;
  for (double c : coefficients) {
    if (!std::isfinite(c)) return Status::InvalidArgument("value is not finite");
    max_abs = std::max(max_abs, std::fabs(c));
  }
  if (max_abs >= limit) {
    return Status::OutOfRange("scaled value 2^" + std::to_string(std::log2(max_abs)) +
                              " does not fit the modulus at level " + std::to_string(level) +
                              " (2^" + std::to_string(context_->LogModulus(level)) +
                              "); lower the scale or the values");
  }
  *out = RnsPoly(n, level + 1);
  const bool small = max_abs < 9.2e18;  // below 2^63: one int64 per coefficient
  ParallelFor(0, level + 1, [&](size_t b, size_t e) {
    for (size_t i = b; i < e; ++i) {
      const Modulus& mod = context_->modulus(i);
      const uint64_t q = mod.value;
      uint64_t* limb = out->limb(i);
      if (small) {
        for (size_t j = 0; j < n; ++j) {
          int64_t v = static_cast<int64_t>(coefficients[j]);
          uint64_t magnitude = static_cast<uint64_t>(v < 0 ? -v : v) % q;
          limb[j] = v < 0 ? NegMod(magnitude, q) : magnitude;
        }
      } else {
        // c = mantissa · 2^exponent exactly; reduce both factors.
        for (size_t j = 0; j < n; ++j) {
          int exponent = 0;
          double fraction = std::frexp(coefficients[j], &exponent);
          int64_t mantissa = static_cast<int64_t>(std::ldexp(fraction, 53));
          exponent -= 53;
          uint64_t magnitude = static_cast<uint64_t>(mantissa < 0 ? -mantissa : mantissa) % q;
          if (exponent > 0)
            magnitude = MulMod(magnitude, PowMod(2, exponent, mod), mod);
          else if (exponent < 0)
            magnitude = 0;  // |c| < 2^63 never reaches here
          limb[j] = mantissa < 0 ? NegMod(magnitude, q) : magnitude;
        }
      }
      ForwardNtt(limb, context_->ntt(i));
    }
  });
  return Status::Ok();
}

std::vector<double> Encoder::PolyToCoefficients(const RnsPoly& poly, size_t level) const {
  const size_t n = context_->n();
  RnsPoly coeffs = poly;
  coeffs.Truncate(level + 1);
  std::vector<const uint64_t*> limbs(level + 1);
  for (size_t i = 0; i <= level; ++i) {
    InverseNtt(coeffs.limb(i), context_->ntt(i));
    limbs[i] = coeffs.limb(i);
  }
  std::vector<double> out(n);
  if (level == 0) {
    const uint64_t q = context_->modulus(0).value;
    for (size_t j = 0; j < n; ++j) {
      uint64_t v = limbs[0][j];
      out[j] = v > q / 2 ? -static_cast<double>(q - v) : static_cast<double>(v);
    }
    return out;
  }
  CrtComposer composer(*context_, level);
  ParallelFor(
      0, n,
      [&](size_t b, size_t e) {
        std::vector<const uint64_t*> shifted(level + 1);
        for (size_t i = 0; i <= level; ++i) shifted[i] = limbs[i] + b;
        composer.ComposeCentered(shifted.data(), e - b, out.data() + b);
      },
      256);
  return out;
}

Result<Plaintext> Encoder::Encode(std::span<const std::complex<double>> values, double scale,
                                  size_t level) const {
  const size_t slots_count = context_->slots();
  if (values.size() > slots_count) {
    return Status::InvalidArgument(std::to_string(values.size()) + " values exceed the " +
                                   std::to_string(slots_count) + " slots");
  }
  if (level > context_->max_level()) return Status::InvalidArgument("level above the chain");
  if (!(scale >= 1.0) || !std::isfinite(scale)) {
    return Status::InvalidArgument("scale must be finite and at least 1");
  }
  if (std::log2(scale) + 1 >= context_->LogModulus(level)) {
    return Status::OutOfRange("scale 2^" + std::to_string(std::log2(scale)) +
                              " leaves no room below the modulus at level " +
                              std::to_string(level));
  }
  std::vector<std::complex<double>> w(slots_count);
  for (size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i].real()) || !std::isfinite(values[i].imag())) {
      return Status::InvalidArgument("value " + std::to_string(i) + " is not finite");
    }
    w[i] = values[i];
  }
  SpecialInverseFft(w);
  std::vector<double> coefficients(context_->n());
  for (size_t i = 0; i < slots_count; ++i) {
    coefficients[i] = std::round(w[i].real() * scale);
    coefficients[i + slots_count] = std::round(w[i].imag() * scale);
  }
  Plaintext pt;
  ZK_RETURN_IF_ERROR(CoefficientsToPoly(coefficients, level, &pt.poly));
  pt.level = level;
  pt.scale = scale;
  pt.context_id = context_->id();
  return pt;
}

Result<Plaintext> Encoder::Encode(std::span<const double> values, double scale,
                                  size_t level) const {
  std::vector<std::complex<double>> complex_values(values.begin(), values.end());
  return Encode(std::span<const std::complex<double>>(complex_values), scale, level);
}

Result<std::vector<std::complex<double>>> Encoder::Decode(const Plaintext& plaintext) const {
  ZK_RETURN_IF_ERROR(context_->CheckPlaintext(plaintext, "plaintext"));
  std::vector<double> coefficients = PolyToCoefficients(plaintext.poly, plaintext.level);
  const size_t slots_count = context_->slots();
  std::vector<std::complex<double>> w(slots_count);
  const double inv_scale = 1.0 / plaintext.scale;
  for (size_t i = 0; i < slots_count; ++i) {
    w[i] = {coefficients[i] * inv_scale, coefficients[i + slots_count] * inv_scale};
  }
  SpecialFft(w);
  return w;
}

Result<std::vector<double>> Encoder::DecodeReal(const Plaintext& plaintext) const {
  ZK_ASSIGN_OR_RETURN(auto values, Decode(plaintext));
  std::vector<double> out(values.size());
  for (size_t i = 0; i < values.size(); ++i) out[i] = values[i].real();
  return out;
}

}  // namespace zektra::he
