// Fixed-point arithmetic of the trainer: the exact integer relations the proof of training checks.
//
// A real value x is held as the integer round(x·2^F) in int64 (F = fraction_bits, default 16).
// Every operation is one of these relations, so a prover can show it over the Goldilocks field
// (p = 2^64 − 2^32 + 1) with range checks and table lookups (docs/ML.md gives the full list):
//
//   truncation   a = q·2^s + r, 0 ≤ r < 2^s         q = FloorShift(a, s)  (floor, also for a < 0)
//   division     a = q·d + r,  0 ≤ r < d            q = FloorDiv(a, d)    (softmax normalisation)
//   ReLU         h = z if z > 0 else 0              (sign of z)
//   lookup       i = clamp(floor(z / 2^(F−8)), lo, hi), y = T[i]   (sigmoid and exp tables)
//
// Bounds. Every value that enters a product (data, weights, activations, errors) satisfies
// |v| < 2^V with V = F + 8 (real magnitude below 256); a dot product over n ≤ MaxFanIn(F) terms
// then stays below 2^(2V + log2 n) ≤ 2^62 < p/2, so no product or sum wraps the field and every
// value has one signed embedding. The trainer checks V on every such tensor after it is produced
// and returns OutOfRange naming the step and tensor rather than letting a value escape.
//
// Thread safety: everything here is immutable after construction. Cost: O(1) per operation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "zektra/base/status.h"

namespace zektra::ml {

inline constexpr int kDefaultFractionBits = 16;
inline constexpr int kMinFractionBits = 10;
inline constexpr int kMaxFractionBits = 20;
// The lookup tables step by 2^-8 in real terms whatever F is: index = floor(z / 2^(F-8)).
inline constexpr int kTableStepBits = 8;
// Sigmoid table: real domain [-8, 8), 4096 entries, indices -2048..2047.
inline constexpr int64_t kSigmoidIndexMin = -2048;
inline constexpr int64_t kSigmoidIndexMax = 2047;
// Exp table (softmax): real domain [-16, 0], indices -4096..0.
inline constexpr int64_t kExpIndexMin = -4096;
inline constexpr int64_t kExpIndexMax = 0;

// Floor division by 2^s, as an arithmetic shift (C++20 defines >> on negatives as floor).
inline int64_t FloorShift(int64_t a, int s) { return a >> s; }
// The remainder r of a = FloorShift(a, s)·2^s + r, 0 ≤ r < 2^s.
inline int64_t ShiftRemainder(int64_t a, int s) { return a & ((int64_t{1} << s) - 1); }
// Floor division by d > 0 (C++ '/' truncates toward zero; this rounds toward −∞).
inline int64_t FloorDiv(int64_t a, int64_t d) {
  int64_t q = a / d;
  if ((a % d != 0) && (a < 0)) --q;
  return q;
}

// The arithmetic parameters of one training run, validated once.
class FixedPointFormat {
 public:
  // F must lie in [kMinFractionBits, kMaxFractionBits].
  static Result<FixedPointFormat> Create(int fraction_bits);
  FixedPointFormat() : FixedPointFormat(kDefaultFractionBits) {}

  int fraction_bits() const { return f_; }
  // V: |v| < 2^V for every multiplied value.
  int value_bits() const { return f_ + 8; }
  int64_t value_limit() const { return int64_t{1} << value_bits(); }  // exclusive
  int64_t one() const { return int64_t{1} << f_; }
  // Largest dot-product length (fan-in, batch size) that keeps |Σ a·b| < 2^62.
  size_t MaxFanIn() const { return size_t{1} << (62 - 2 * value_bits()); }
  bool InRange(int64_t v) const { return v > -value_limit() && v < value_limit(); }

  // round(x·2^F), half away from zero; x must be finite and |x·2^F| < 2^62 (checked by callers).
  int64_t FromReal(double x) const;
  double ToReal(int64_t v) const { return static_cast<double>(v) / static_cast<double>(one()); }

  // The product a·b truncated: floor(a·b / 2^F). Callers keep |a|,|b| < 2^V.
  int64_t Mul(int64_t a, int64_t b) const { return FloorShift(a * b, f_); }

  // Sigmoid by table: index = clamp(floor(z / 2^(F-8)), -2048, 2047), value T[index] =
  // round(2^F·σ((index + 1/2)/256)) — the table entry is σ at the middle of its cell.
  int64_t SigmoidIndex(int64_t z) const;
  int64_t SigmoidAt(int64_t index) const { return sigmoid_[index - kSigmoidIndexMin]; }
  int64_t Sigmoid(int64_t z) const { return SigmoidAt(SigmoidIndex(z)); }
  // exp for d ≤ 0 (softmax after subtracting the row maximum): index = max(floor(d/2^(F-8)),
  // -4096), value E[index] = round(2^F·exp(index/256)); E[0] = 2^F exactly.
  int64_t ExpIndex(int64_t d) const;
  int64_t ExpAt(int64_t index) const { return exp_[index - kExpIndexMin]; }
  const std::vector<int64_t>& sigmoid_table() const { return sigmoid_; }
  const std::vector<int64_t>& exp_table() const { return exp_; }

 private:
  explicit FixedPointFormat(int fraction_bits);
  int f_;
  std::vector<int64_t> sigmoid_;  // indexed by index - kSigmoidIndexMin
  std::vector<int64_t> exp_;      // indexed by index - kExpIndexMin
};

// Exact softmax of one row of fixed-point logits z[0..k): m = max z, e_j = E[ExpIndex(z_j − m)],
// S = Σ e_j, p_j = floor(e_j·2^F / S). Writes p; optional outputs feed the training trace.
void FixedSoftmax(const FixedPointFormat& fp, const int64_t* z, size_t k, int64_t* p,
                  int64_t* exp_index = nullptr, int64_t* exp_value = nullptr,
                  int64_t* sum_out = nullptr, int64_t* remainder = nullptr);

}  // namespace zektra::ml
