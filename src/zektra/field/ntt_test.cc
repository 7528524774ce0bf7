#include "zektra/field/ntt.h"

#include <gtest/gtest.h>

#include <vector>

#include "zektra/base/thread_pool.h"
#include "zektra/crypto/random.h"
#include "zektra/field/field_simd.h"

namespace zektra {
namespace {

// Every test runs once per instruction set this CPU supports, so the portable path is
// checked on AVX-512 machines too.
class NttAtLevel : public ::testing::TestWithParam<SimdLevel> {
 protected:
  void SetUp() override {
    if (GetParam() > BestSupportedSimdLevel()) GTEST_SKIP() << "CPU lacks this level";
    scoped_ = std::make_unique<ScopedSimdLevel>(GetParam());
    ASSERT_EQ(ActiveSimdLevel(), GetParam());
  }
  void TearDown() override { scoped_.reset(); }
  std::unique_ptr<ScopedSimdLevel> scoped_;
};

// Horner evaluation of the polynomial at x: an independent O(n) check of one output.
Fp EvaluateAt(const std::vector<Fp>& coeffs, Fp x) {
  Fp acc = Fp::Zero();
  for (size_t i = coeffs.size(); i-- > 0;) acc = acc * x + coeffs[i];
  return acc;
}

TEST_P(NttAtLevel, MatchesNaiveDftAtEverySizeUpTo2To10) {
  for (int log_n = 0; log_n <= 10; ++log_n) {
    auto coeffs = RandomFpVector(size_t{1} << log_n);
    auto evals = coeffs;
    Ntt(evals);
    ASSERT_EQ(evals, NaiveDft(coeffs)) << "log_n " << log_n;
    InverseNtt(evals);
    ASSERT_EQ(evals, coeffs) << "log_n " << log_n;
  }
}

TEST_P(NttAtLevel, LargeSizesMatchHornerAtSampledPoints) {
  for (int log_n : {13, 16, 17}) {
    const size_t n = size_t{1} << log_n;
    auto coeffs = RandomFpVector(n);
    auto evals = coeffs;
    Ntt(evals);
    Fp w = Fp::RootOfUnity(log_n);
    for (size_t k : {size_t{0}, size_t{1}, size_t{7}, n / 2 + 3, n - 1, RandomU64() % n}) {
      ASSERT_EQ(evals[k], EvaluateAt(coeffs, w.Pow(k))) << "log_n " << log_n << " k " << k;
    }
    InverseNtt(evals);
    ASSERT_EQ(evals, coeffs) << "log_n " << log_n;
  }
}

TEST_P(NttAtLevel, RoundTrip2To18) {
  auto big = RandomFpVector(size_t{1} << 18);
  auto copy = big;
  Ntt(copy);
  InverseNtt(copy);
  EXPECT_EQ(copy, big);
}

TEST_P(NttAtLevel, CosetMatchesNaive) {
  for (int log_n : {0, 3, 5, 6, 7, 10}) {
    auto coeffs = RandomFpVector(size_t{1} << log_n);
    Fp shift = Fp::From(Fp::kGenerator);
    auto evals = coeffs;
    CosetNtt(evals, shift);
    ASSERT_EQ(evals, NaiveDft(coeffs, shift)) << "log_n " << log_n;
    InverseCosetNtt(evals, shift);
    ASSERT_EQ(evals, coeffs) << "log_n " << log_n;
  }
}

TEST_P(NttAtLevel, LargeCosetMatchesHorner) {
  const int log_n = 15;
  const size_t n = size_t{1} << log_n;
  auto coeffs = RandomFpVector(n);
  Fp shift = RandomFp();
  auto evals = coeffs;
  CosetNtt(evals, shift);
  Fp w = Fp::RootOfUnity(log_n);
  for (size_t k : {size_t{0}, size_t{5}, n - 1, RandomU64() % n})
    ASSERT_EQ(evals[k], EvaluateAt(coeffs, shift * w.Pow(k))) << k;
  InverseCosetNtt(evals, shift);
  EXPECT_EQ(evals, coeffs);
}

TEST_P(NttAtLevel, EdgeValues) {
  // All p−1 (every product hits the top of the range), a delta, and the constant one.
  for (int log_n : {4, 6, 9, 12}) {
    const size_t n = size_t{1} << log_n;
    std::vector<Fp> top(n, Fp::From(Fp::kModulus - 1));
    auto evals = top;
    Ntt(evals);
    if (log_n <= 9) {
      ASSERT_EQ(evals, NaiveDft(top));
    }
    // Σ (p−1)·ω^{jk} is −n at k = 0 and 0 elsewhere.
    EXPECT_EQ(evals[0], -Fp::From(n));
    for (size_t k = 1; k < n; ++k) ASSERT_EQ(evals[k], Fp::Zero()) << k;
    InverseNtt(evals);
    ASSERT_EQ(evals, top);

    std::vector<Fp> delta(n);
    delta[1] = Fp::One();  // X: evaluations are the roots of unity themselves
    Ntt(delta);
    Fp w = Fp::RootOfUnity(log_n), acc = Fp::One();
    for (size_t k = 0; k < n; ++k, acc *= w) ASSERT_EQ(delta[k], acc) << k;
  }
}

TEST_P(NttAtLevel, ConvolutionTheorem) {
  for (size_t n : {size_t{32}, size_t{256}}) {
    auto a = RandomFpVector(n), b = RandomFpVector(n);
    std::vector<Fp> conv(n);
    for (size_t i = 0; i < n; ++i)
      for (size_t j = 0; j < n; ++j) conv[(i + j) % n] += a[i] * b[j];
    Ntt(a);
    Ntt(b);
    Ntt(conv);
    for (size_t i = 0; i < n; ++i) ASSERT_EQ(a[i] * b[i], conv[i]) << n << " " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(AllLevels, NttAtLevel,
                         ::testing::Values(SimdLevel::kScalar, SimdLevel::kAvx2,
                                           SimdLevel::kAvx512),
                         [](const auto& info) { return std::string(SimdLevelName(info.param)); });

TEST(Ntt, LevelsAgreeBitForBit) {
  // Large transforms are only spot-checked above; across levels they must agree exactly.
  auto coeffs = RandomFpVector(size_t{1} << 16);
  Fp shift = RandomFp();
  std::vector<Fp> reference;
  for (SimdLevel level : {SimdLevel::kScalar, SimdLevel::kAvx2, SimdLevel::kAvx512}) {
    if (level > BestSupportedSimdLevel()) continue;
    ScopedSimdLevel scoped(level);
    auto evals = coeffs;
    CosetNtt(evals, shift);
    if (reference.empty()) {
      reference = evals;
    } else {
      ASSERT_EQ(evals, reference) << SimdLevelName(level);
    }
  }
}

TEST(Ntt, ThreadCountDoesNotChangeResult) {
  auto coeffs = RandomFpVector(size_t{1} << 17);
  const size_t saved = ThreadCount();
  SetThreadCount(1);
  auto one = coeffs;
  Ntt(one);
  SetThreadCount(3);
  auto three = coeffs;
  Ntt(three);
  SetThreadCount(saved);
  EXPECT_EQ(one, three);
}

TEST(Ntt, LargeRoundTripAfterSmallerSizes) {
  // Per-thread buffers grow; smaller sizes must keep working after a larger one.
  auto big = RandomFpVector(1 << 17);
  auto copy = big;
  Ntt(copy);
  InverseNtt(copy);
  EXPECT_EQ(copy, big);
  for (size_t n : {size_t{16}, size_t{64}, size_t{128}}) {
    auto small = RandomFpVector(n);
    auto s2 = small;
    Ntt(s2);
    EXPECT_EQ(s2, NaiveDft(small)) << n;
  }
}

TEST(NttDeathTest, RejectsNonPowerOfTwo) {
  std::vector<Fp> v(12);
  EXPECT_DEATH(Ntt(v), "power of two");
}

}  // namespace
}  // namespace zektra
