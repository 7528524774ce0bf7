#include "zektra/zk/soundness.h"

#include <gtest/gtest.h>

#include <cmath>

namespace zektra {
namespace {

constexpr auto kUnique = ProximityRegime::kReedSolomonUniqueDecoding;
constexpr auto kThird = ProximityRegime::kLinearCodeThirdDistance;

TEST(Soundness, ChallengeFieldIsJustBelow128Bits) {
  const double bits = Log2ChallengeFieldSize();
  EXPECT_LT(bits, 128.0);
  // log2(p^2) = 128 + 2·log2(1 - 2^-32 + 2^-64) ≈ 128 - 6.7e-10.
  EXPECT_NEAR(bits, 128.0 - 2 * std::exp2(-32) / std::log(2.0), 1e-11);
}

// The values derived by hand in docs/PROOF_SYSTEM.md ("Soundness calculator").
TEST(Soundness, KnownValuesFromTheWriteUp) {
  // Rate 1/2, L = 2^16: d = 32769, unique-decoding radius 16384, a third 10922.
  EXPECT_EQ(DecodingRadius(1 << 15, 1 << 16, kUnique), 16384u);
  EXPECT_EQ(DecodingRadius(1 << 15, 1 << 16, kThird), 10922u);
  // A = max(L-e-1, K-1+e) = 49151 both ways in the unique regime.
  EXPECT_DOUBLE_EQ(PerQueryPassProbability(1 << 15, 1 << 16, kUnique), 49151.0 / 65536.0);
  EXPECT_DOUBLE_EQ(PerQueryPassProbability(1 << 15, 1 << 16, kThird),
                   (65536.0 - 10923.0) / 65536.0);
  // Query counts for 100 bits.
  EXPECT_EQ(QueriesForTarget(1 << 15, 1 << 16, 100, kUnique), 241u);
  EXPECT_EQ(QueriesForTarget(1 << 15, 1 << 16, 100, kThird), 379u);
  EXPECT_EQ(QueriesForTarget(1 << 14, 1 << 16, 100, kUnique), 148u);  // rate 1/4
  EXPECT_EQ(QueriesForTarget(1 << 14, 1 << 16, 100, kThird), 241u);
  EXPECT_EQ(QueriesForTarget(1 << 13, 1 << 14, 100, kUnique), 239u);  // without replacement helps
  EXPECT_EQ(QueriesForTarget(64, 128, 100, kUnique), 95u);
  // Tiny code: K = 1, L = 2 has one passing position; opening both columns leaves no error.
  EXPECT_EQ(QueriesForTarget(1, 2, 100, kUnique), 2u);
}

TEST(Soundness, ChosenQueryCountIsTheSmallestThatMeetsTheTarget) {
  for (uint64_t log_l : {8, 12, 16, 20}) {
    for (uint64_t inv_rate : {2, 4, 8}) {
      for (auto regime : {kUnique, kThird}) {
        for (double target : {80.0, 100.0}) {
          const uint64_t L = uint64_t{1} << log_l, K = L / inv_rate;
          const uint64_t t = QueriesForTarget(K, L, target, regime);
          ASSERT_GT(t, 0u);
          EXPECT_GE(AnalyzePcsSoundness(K, L, t, 1, regime).bits(), target);
          EXPECT_LT(AnalyzePcsSoundness(K, L, t - 1, 1, regime).bits(), target);
        }
      }
    }
  }
}

TEST(Soundness, Monotonicity) {
  const uint64_t L = 1 << 16;
  // More redundancy (lower rate) needs fewer queries; a higher target needs more; the more
  // conservative regime needs more.
  uint64_t previous = 0;
  for (uint64_t inv_rate : {16, 8, 4, 2}) {
    uint64_t t = QueriesForTarget(L / inv_rate, L, 100, kUnique);
    EXPECT_GT(t, previous);
    EXPECT_GT(QueriesForTarget(L / inv_rate, L, 100, kThird), t);
    previous = t;
  }
  previous = 0;
  for (double target : {40.0, 64.0, 80.0, 100.0, 110.0}) {
    uint64_t t = QueriesForTarget(L / 2, L, target, kUnique);
    EXPECT_GT(t, previous);
    previous = t;
  }
  // Error grows with fewer queries and with more evaluation rows.
  double last = 0;
  for (uint64_t t = 300; t >= 50; t -= 50) {
    double bits = AnalyzePcsSoundness(L / 2, L, t, 1, kUnique).bits();
    if (last > 0) {
      EXPECT_LT(bits, last);
    }
    last = bits;
  }
  EXPECT_GT(AnalyzePcsSoundness(L / 2, L, 1000, 1 << 20, kUnique).evaluation_log2,
            AnalyzePcsSoundness(L / 2, L, 1000, 1, kUnique).evaluation_log2);
}

TEST(Soundness, TermsMatchTheirFormulas) {
  const uint64_t K = 1 << 15, L = 1 << 16;
  PcsSoundness s = AnalyzePcsSoundness(K, L, 241, 3, kUnique);
  EXPECT_NEAR(s.proximity_gap_log2, 16 - Log2ChallengeFieldSize(), 1e-9);  // L/|F|
  EXPECT_NEAR(s.evaluation_log2, std::log2(3.0) - Log2ChallengeFieldSize(), 1e-9);
  // Without replacement is at most with replacement.
  EXPECT_LE(s.queries_log2, 241 * std::log2(PerQueryPassProbability(K, L, kUnique)));
  EXPECT_GT(s.queries_log2, 241 * std::log2(PerQueryPassProbability(K, L, kUnique)) - 1);
  EXPECT_NEAR(s.total_log2,
              std::log2(std::exp2(s.proximity_gap_log2) + std::exp2(s.queries_log2) +
                        std::exp2(s.evaluation_log2)),
              1e-9);
  EXPECT_GE(s.bits(), 100.0);
  // The d/3 regime's gap term is (e+1)/|F|.
  PcsSoundness third = AnalyzePcsSoundness(K, L, 379, 1, kThird);
  EXPECT_NEAR(third.proximity_gap_log2, std::log2(10923.0) - Log2ChallengeFieldSize(), 1e-9);
  // More queries than passing positions: the query term vanishes.
  EXPECT_EQ(QueriesPassLog2(4, 8, 7, kUnique), -INFINITY);
}

TEST(Soundness, UnreachableTargetsAreReported) {
  // The gap term L/|F| caps soundness near 128 - log2(L) bits.
  EXPECT_EQ(QueriesForTarget(1 << 11, 1 << 12, 120, kUnique), 0u);
  EXPECT_GT(QueriesForTarget(1 << 11, 1 << 12, 110, kUnique), 0u);
  // No redundancy, no test.
  EXPECT_EQ(QueriesForTarget(16, 16, 100, kUnique), 0u);
  EXPECT_EQ(PerQueryPassProbability(16, 16, kUnique), 1.0);
}

}  // namespace
}  // namespace zektra
