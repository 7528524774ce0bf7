// Fixed-point semantics: floor truncation (also for negatives), tables, softmax, SplitMix64.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "zektra/ml/fixed_point.h"
#include "zektra/ml/rng.h"

namespace zektra::ml {
namespace {

TEST(MlFixedPoint, FloorShiftIsFloorForNegatives) {
  EXPECT_EQ(FloorShift(-1, 16), -1);
  EXPECT_EQ(FloorShift(-65536, 16), -1);
  EXPECT_EQ(FloorShift(-65537, 16), -2);
  EXPECT_EQ(FloorShift(65535, 16), 0);
  for (int64_t a : {int64_t{-123456789}, int64_t{-1}, int64_t{0}, int64_t{7}, int64_t{1} << 40, -(int64_t{1} << 40) - 3}) {
    int64_t q = FloorShift(a, 16), r = ShiftRemainder(a, 16);
    EXPECT_EQ(q * 65536 + r, a);
    EXPECT_GE(r, 0);
    EXPECT_LT(r, 65536);
    EXPECT_EQ(static_cast<double>(q), std::floor(static_cast<double>(a) / 65536.0));
  }
}

TEST(MlFixedPoint, FloorDivAndMul) {
  EXPECT_EQ(FloorDiv(-7, 2), -4);
  EXPECT_EQ(FloorDiv(7, 2), 3);
  EXPECT_EQ(FloorDiv(-8, 2), -4);
  FixedPointFormat fp;
  // -1.5 · 0.5 = -0.75 exactly; -1 ulp · 0.5 = -0.5 ulp floors to -1 ulp.
  EXPECT_EQ(fp.Mul(fp.FromReal(-1.5), fp.FromReal(0.5)), fp.FromReal(-0.75));
  EXPECT_EQ(fp.Mul(-1, fp.FromReal(0.5)), -1);
  EXPECT_EQ(fp.Mul(1, fp.FromReal(0.5)), 0);
  EXPECT_EQ(fp.FromReal(-2.5 / 65536.0), -3);  // half away from zero
}

TEST(MlFixedPoint, FormatValidatesFractionBits) {
  EXPECT_FALSE(FixedPointFormat::Create(4).ok());
  EXPECT_FALSE(FixedPointFormat::Create(40).ok());
  auto fp = FixedPointFormat::Create(16);
  ASSERT_TRUE(fp.ok());
  EXPECT_EQ(fp->value_bits(), 24);
  EXPECT_EQ(fp->MaxFanIn(), size_t{1} << 14);
  EXPECT_TRUE(fp->InRange((int64_t{1} << 24) - 1));
  EXPECT_FALSE(fp->InRange(int64_t{1} << 24));
  EXPECT_FALSE(fp->InRange(-(int64_t{1} << 24)));
}

TEST(MlFixedPoint, SigmoidTableMonotoneAndAccurate) {
  for (int f : {12, 16, 20}) {
    auto fp = *FixedPointFormat::Create(f);
    const auto& t = fp.sigmoid_table();
    ASSERT_EQ(t.size(), 4096u);
    for (size_t i = 1; i < t.size(); ++i) EXPECT_LE(t[i - 1], t[i]);
    double worst = 0;
    for (double x = -12; x <= 12; x += 0.001) {
      double got = fp.ToReal(fp.Sigmoid(fp.FromReal(x)));
      worst = std::max(worst, std::fabs(got - 1 / (1 + std::exp(-x))));
      EXPECT_GE(got, 0.0);
      EXPECT_LE(got, 1.0);
    }
    EXPECT_LT(worst, 1.5e-3) << "F=" << f;
    // Index is a truncation, clamped at the domain's ends.
    EXPECT_EQ(fp.SigmoidIndex(fp.FromReal(100)), kSigmoidIndexMax);
    EXPECT_EQ(fp.SigmoidIndex(fp.FromReal(-100)), kSigmoidIndexMin);
    EXPECT_EQ(fp.SigmoidIndex(-1), -1);
    EXPECT_EQ(fp.SigmoidIndex(0), 0);
  }
}

TEST(MlFixedPoint, ExpTableAndSoftmax) {
  FixedPointFormat fp;
  EXPECT_EQ(fp.ExpAt(0), fp.one());
  const auto& e = fp.exp_table();
  for (size_t i = 1; i < e.size(); ++i) EXPECT_LE(e[i - 1], e[i]);
  EXPECT_EQ(fp.ExpIndex(fp.FromReal(-100)), kExpIndexMin);
  int64_t z[4] = {fp.FromReal(1.0), fp.FromReal(-0.5), fp.FromReal(2.0), fp.FromReal(0.25)};
  int64_t p[4], idx[4], val[4], rem[4], sum = 0;
  FixedSoftmax(fp, z, 4, p, idx, val, &sum, rem);
  double exact[4], total = 0;
  for (int j = 0; j < 4; ++j) total += exact[j] = std::exp(fp.ToReal(z[j]) - 2.0);
  int64_t psum = 0;
  for (int j = 0; j < 4; ++j) {
    EXPECT_NEAR(fp.ToReal(p[j]), exact[j] / total, 5e-3);
    EXPECT_EQ(val[j] * fp.one(), p[j] * sum + rem[j]);  // the division relation
    EXPECT_GE(rem[j], 0);
    EXPECT_LT(rem[j], sum);
    EXPECT_EQ(val[j], fp.ExpAt(idx[j]));
    psum += p[j];
  }
  EXPECT_LE(psum, fp.one());
  EXPECT_GE(psum, fp.one() - 4);
}

TEST(MlRng, SplitMix64KnownAnswerAndStreams) {
  SplitMix64 g(0);
  EXPECT_EQ(g.Next(), 0xE220A8397B1DCDAFULL);  // the reference SplitMix64 from state 0
  EXPECT_EQ(g.Next(), 0x6E789E6AA1B965F4ULL);
  auto a = SplitMix64::Stream(7, RandomPurpose::kSplit, 0).Next();
  auto b = SplitMix64::Stream(7, RandomPurpose::kBatchOrder, 0).Next();
  auto c = SplitMix64::Stream(7, RandomPurpose::kBatchOrder, 1).Next();
  EXPECT_NE(a, b);
  EXPECT_NE(b, c);
  EXPECT_EQ(a, SplitMix64::Stream(7, RandomPurpose::kSplit, 0).Next());
}

TEST(MlRng, EpochPermutationIsAPublicPermutation) {
  auto p = EpochPermutation(42, 3, 1000);
  EXPECT_EQ(p, EpochPermutation(42, 3, 1000));
  EXPECT_NE(p, EpochPermutation(42, 4, 1000));
  EXPECT_NE(p, EpochPermutation(43, 3, 1000));
  std::set<uint64_t> seen(p.begin(), p.end());
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_EQ(*seen.rbegin(), 999u);
}

}  // namespace
}  // namespace zektra::ml
