#include "zektra/zk/soundness.h"

#include <algorithm>
#include <cmath>

#include "zektra/field/goldilocks.h"

namespace zektra {

double Log2ChallengeFieldSize() {
  // The double nearest p is 2^64 - 2^32, whose log2 is exact enough (error ~2^-64 relative).
  return 2.0 * std::log2(static_cast<double>(Fp::kModulus));
}

uint64_t DecodingRadius(uint64_t message_len, uint64_t codeword_len, ProximityRegime regime) {
  if (message_len >= codeword_len) return 0;
  // Minimum distance d = L - K + 1 (RS is MDS). e < d/2 ⇔ e ≤ (L-K)/2; e < d/3 ⇔ e ≤ (L-K)/3.
  const uint64_t slack = codeword_len - message_len;
  return regime == ProximityRegime::kReedSolomonUniqueDecoding ? slack / 2 : slack / 3;
}

double PerQueryPassProbability(uint64_t message_len, uint64_t codeword_len,
                               ProximityRegime regime) {
  if (message_len == 0 || message_len >= codeword_len) return 1.0;
  const double n = static_cast<double>(codeword_len);
  const double e = static_cast<double>(DecodingRadius(message_len, codeword_len, regime));
  const double far_case = 1.0 - (e + 1.0) / n;
  const double close_case = (static_cast<double>(message_len) - 1.0 + e) / n;
  return std::max(far_case, close_case);
}

namespace {

double GapError(uint64_t message_len, uint64_t codeword_len, ProximityRegime regime) {
  const double field = std::exp2(Log2ChallengeFieldSize());
  if (regime == ProximityRegime::kReedSolomonUniqueDecoding) {
    return static_cast<double>(codeword_len) / field;
  }
  return static_cast<double>(DecodingRadius(message_len, codeword_len, regime) + 1) / field;
}

// The most positions on which a cheating prover can pass a query (see PerQueryPassProbability).
uint64_t PassingPositions(uint64_t message_len, uint64_t codeword_len, ProximityRegime regime) {
  const uint64_t e = DecodingRadius(message_len, codeword_len, regime);
  return std::max(codeword_len - e - 1, message_len - 1 + e);
}

}  // namespace

double QueriesPassLog2(uint64_t message_len, uint64_t codeword_len, uint64_t queries,
                       ProximityRegime regime) {
  if (message_len == 0 || message_len >= codeword_len) return 0.0;
  const uint64_t passing = PassingPositions(message_len, codeword_len, regime);
  if (queries > passing) return -INFINITY;
  double log2_pass = 0;
  for (uint64_t i = 0; i < queries; ++i) {
    log2_pass +=
        std::log2(static_cast<double>(passing - i) / static_cast<double>(codeword_len - i));
  }
  return log2_pass;
}

PcsSoundness AnalyzePcsSoundness(uint64_t message_len, uint64_t codeword_len, uint64_t queries,
                                 uint64_t evaluation_rows, ProximityRegime regime) {
  PcsSoundness s;
  const double field = std::exp2(Log2ChallengeFieldSize());
  const double gap = GapError(message_len, codeword_len, regime);
  const double eval = static_cast<double>(evaluation_rows) / field;
  s.proximity_gap_log2 = std::log2(gap);
  s.queries_log2 = QueriesPassLog2(message_len, codeword_len, queries, regime);
  s.evaluation_log2 = evaluation_rows == 0 ? -INFINITY : std::log2(eval);
  s.total_log2 = std::min(0.0, std::log2(gap + std::exp2(s.queries_log2) + eval));
  return s;
}

uint64_t QueriesForTarget(uint64_t message_len, uint64_t codeword_len, double target_bits,
                          ProximityRegime regime) {
  if (message_len == 0 || message_len >= codeword_len) return 0;
  const double budget = std::exp2(-target_bits);
  const double fixed =
      GapError(message_len, codeword_len, regime) + 1.0 / std::exp2(Log2ChallengeFieldSize());
  if (fixed >= budget) return 0;
  // Add queries one at a time (each multiplies the pass probability by (A-i)/(L-i)) until the
  // group error with one evaluation row fits the budget; t never exceeds A+1 ≤ L.
  const uint64_t passing = PassingPositions(message_len, codeword_len, regime);
  double log2_pass = 0;
  for (uint64_t t = 1; t <= codeword_len; ++t) {
    const uint64_t i = t - 1;
    if (i >= passing) return t;  // every passing position already queried: error 0
    log2_pass +=
        std::log2(static_cast<double>(passing - i) / static_cast<double>(codeword_len - i));
    if (fixed + std::exp2(log2_pass) <= budget) return t;
  }
  return 0;
}

}  // namespace zektra
