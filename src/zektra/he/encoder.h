// CKKS encoder: complex (or real) slot vectors <-> plaintext polynomials.
//
// The N/2 slots are the values of the polynomial at the primitive 2N-th roots
// ζ^(5^j) (j = 0..N/2-1), ζ = exp(iπ/N); this ordering makes X -> X^(5^k) a cyclic
// rotation of the slots by k and X -> X^(2N-1) a complex conjugation. Encoding is the
// inverse canonical embedding by a "special" FFT (O(N log N) complex operations),
// scaling by `scale` and rounding to integers; the integers are reduced modulo each
// prime of the level and put in NTT form. Decoding is the reverse, with an exact CRT
// reconstruction, so a plaintext at any scale below its modulus decodes correctly.
//
// Errors (never garbage): more values than slots, non-finite values, or a scaled value
// that does not fit below Q_level / 2.
#pragma once

#include <complex>
#include <span>
#include <vector>

#include "zektra/he/context.h"

namespace zektra::he {

class Encoder {
 public:
  explicit Encoder(HeContextPtr context);

  size_t slots() const { return context_->slots(); }

  // Values beyond values.size() are zero. Level defaults to the top of the chain.
  Result<Plaintext> Encode(std::span<const std::complex<double>> values, double scale,
                           size_t level) const;
  Result<Plaintext> Encode(std::span<const double> values, double scale, size_t level) const;
  Result<Plaintext> Encode(std::span<const double> values) const {
    return Encode(values, context_->default_scale(), context_->max_level());
  }

  Result<std::vector<std::complex<double>>> Decode(const Plaintext& plaintext) const;
  Result<std::vector<double>> DecodeReal(const Plaintext& plaintext) const;

  // Rounded integer coefficients (|c| < Q_level / 2) to an NTT-form polynomial.
  Status CoefficientsToPoly(std::span<const double> coefficients, size_t level, RnsPoly* out) const;
  // An NTT-form polynomial to its centered integer coefficients (as doubles).
  std::vector<double> PolyToCoefficients(const RnsPoly& poly, size_t level) const;

 private:
  void SpecialInverseFft(std::vector<std::complex<double>>& values) const;
  void SpecialFft(std::vector<std::complex<double>>& values) const;

  HeContextPtr context_;
  std::vector<std::complex<double>> roots_;  // exp(2πik / 2N), k = 0..2N
  std::vector<uint64_t> rotation_group_;     // 5^j mod 2N
  std::vector<uint32_t> bit_reverse_;        // over N/2 slots
};

}  // namespace zektra::he
