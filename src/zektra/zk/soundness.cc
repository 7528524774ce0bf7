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

double PerQueryPassProbability(uint64_t message_len, uint64_t codeword_len, ProximityRegime regime) {
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

}  // namespace

PcsSoundness AnalyzePcsSoundness(uint64_t message_len, uint64_t codeword_len, uint64_t queries,
                                 uint64_t evaluation_rows, ProximityRegime regime) {
  PcsSoundness s;
  const double gap = GapError(message_len, codeword_len, regime);
  const double pass = PerQueryPassProbability(message_len, codeword_len, regime);
  const double query = std::pow(pass, static_cast<double>(queries));
  const double eval = static_cast<double>(evaluation_rows) / std::exp2(Log2ChallengeFieldSize());
  s.proximity_gap_log2 = std::log2(gap);
  s.queries_log2 = query > 0 ? std::log2(query) : static_cast<double>(queries) * std::log2(pass);
  s.evaluation_log2 = evaluation_rows == 0 ? -INFINITY : std::log2(eval);
  s.total_log2 = std::min(0.0, std::log2(gap + query + eval));
  return s;
}

uint64_t QueriesForTarget(uint64_t message_len, uint64_t codeword_len, double target_bits,
                          ProximityRegime regime) {
  const double pass = PerQueryPassProbability(message_len, codeword_len, regime);
  if (pass >= 1.0) return 0;
  const double budget = std::exp2(-target_bits);
  const double fixed = GapError(message_len, codeword_len, regime) +
                       1.0 / std::exp2(Log2ChallengeFieldSize());
  if (fixed >= budget) return 0;
  // pass^t ≤ budget - fixed  ⇔  t ≥ log2(budget - fixed) / log2(pass).
  double t = std::ceil(std::log2(budget - fixed) / std::log2(pass));
  uint64_t queries = static_cast<uint64_t>(std::max(1.0, t));
  // Guard against rounding at the boundary: step until the analysed total meets the target.
  while (queries <= codeword_len &&
         AnalyzePcsSoundness(message_len, codeword_len, queries, 1, regime).bits() < target_bits) {
    ++queries;
  }
  return queries <= codeword_len ? queries : 0;
}

}  // namespace zektra
