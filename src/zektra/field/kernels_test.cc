#include "zektra/field/kernels.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "zektra/crypto/random.h"
#include "zektra/field/field_simd.h"

namespace zektra {
namespace {

// Values where the reductions have their corner cases: 0, 1, p−1 (largest products), the
// 2^32 boundaries used by 2^64 ≡ 2^32 − 1, the top bit, and p − 2^32.
const uint64_t kEdgeWords[] = {0,
                               1,
                               2,
                               Fp::kModulus - 1,
                               Fp::kModulus - 2,
                               (uint64_t{1} << 32) - 1,
                               uint64_t{1} << 32,
                               (uint64_t{1} << 32) + 1,
                               uint64_t{1} << 63,
                               (uint64_t{1} << 63) - 1,
                               Fp::kModulus - (uint64_t{1} << 32),
                               0xFFFFFFFF00000000ULL,
                               0x00000000FFFFFFFEULL,
                               0xFFFFFFFE00000003ULL};

// Half edge values, half random, shuffled by the random draw.
std::vector<Fp> MixedVector(size_t n) {
  std::vector<Fp> out(n);
  for (auto& x : out) {
    uint64_t pick = RandomU64();
    x = (pick & 1) ? Fp::From(kEdgeWords[(pick >> 1) % std::size(kEdgeWords)]) : RandomFp();
  }
  return out;
}

std::vector<Fp2> MixedVector2(size_t n) {
  auto c0 = MixedVector(n), c1 = MixedVector(n);
  std::vector<Fp2> out(n);
  for (size_t i = 0; i < n; ++i) out[i] = Fp2(c0[i], c1[i]);
  return out;
}

const size_t kLengths[] = {0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 1027};

class KernelsAtLevel : public ::testing::TestWithParam<SimdLevel> {
 protected:
  void SetUp() override {
    if (GetParam() > BestSupportedSimdLevel()) GTEST_SKIP() << "CPU lacks this level";
    scoped_ = std::make_unique<ScopedSimdLevel>(GetParam());
  }
  void TearDown() override { scoped_.reset(); }
  std::unique_ptr<ScopedSimdLevel> scoped_;
};

TEST_P(KernelsAtLevel, ElementwiseMatchReference) {
  for (size_t n : kLengths) {
    auto a = MixedVector(n), b = MixedVector(n);
    std::vector<Fp> got(n), want(n);
    AddVectors(a, b, got);
    reference::AddVectors(a, b, want);
    ASSERT_EQ(got, want) << "add " << n;
    SubVectors(a, b, got);
    reference::SubVectors(a, b, want);
    ASSERT_EQ(got, want) << "sub " << n;
    MulVectors(a, b, got);
    reference::MulVectors(a, b, want);
    ASSERT_EQ(got, want) << "mul " << n;
  }
}

TEST_P(KernelsAtLevel, EveryPairOfEdgeValues) {
  // All |edge|² combinations, so each pair lands in a vector lane, not just the tail.
  std::vector<Fp> a, b;
  for (uint64_t x : kEdgeWords)
    for (uint64_t y : kEdgeWords) {
      a.push_back(Fp::From(x));
      b.push_back(Fp::From(y));
    }
  const size_t n = a.size();
  std::vector<Fp> got(n);
  AddVectors(a, b, got);
  for (size_t i = 0; i < n; ++i) ASSERT_EQ(got[i], a[i] + b[i]) << a[i].v << " + " << b[i].v;
  SubVectors(a, b, got);
  for (size_t i = 0; i < n; ++i) ASSERT_EQ(got[i], a[i] - b[i]) << a[i].v << " - " << b[i].v;
  MulVectors(a, b, got);
  for (size_t i = 0; i < n; ++i) {
    // Independent of Fp::Mul: 128-bit product reduced with the % operator.
    unsigned __int128 prod = static_cast<unsigned __int128>(a[i].v) * b[i].v;
    ASSERT_EQ(got[i].v, static_cast<uint64_t>(prod % Fp::kModulus)) << a[i].v << " * " << b[i].v;
  }
}

TEST_P(KernelsAtLevel, OutputMayAliasInput) {
  auto a = MixedVector(45), b = MixedVector(45);
  std::vector<Fp> want(45);
  reference::MulVectors(a, b, want);
  MulVectors(a, b, a);
  EXPECT_EQ(a, want);
  reference::AddVectors(a, b, want);
  AddVectors(a, b, b);
  EXPECT_EQ(b, want);
}

TEST_P(KernelsAtLevel, AxpyMatchesReference) {
  for (size_t n : kLengths) {
    auto x = MixedVector(n);
    for (Fp c : {RandomFp(), Fp::Zero(), Fp::One(), Fp::From(Fp::kModulus - 1)}) {
      auto y = MixedVector(n), want = y;
      Axpy(c, x, y);
      reference::Axpy(c, x, want);
      ASSERT_EQ(y, want) << n << " c " << c.v;
    }
    for (Fp2 c : {RandomFp2(), Fp2(Fp::From(Fp::kModulus - 1), Fp::From(Fp::kModulus - 1)),
                  Fp2(Fp::Zero(), Fp::One())}) {
      auto y = MixedVector2(n), want = y;
      Axpy(c, x, y);
      reference::Axpy(c, x, want);
      ASSERT_EQ(y, want) << n << " c " << c.c0.v << "," << c.c1.v;
      auto x2 = MixedVector2(n), y2 = MixedVector2(n), want2 = y2;
      Axpy(c, std::span<const Fp2>(x2), y2);
      reference::Axpy(c, std::span<const Fp2>(x2), want2);
      ASSERT_EQ(y2, want2) << n << " extension x, c " << c.c0.v << "," << c.c1.v;
    }
  }
}

TEST_P(KernelsAtLevel, DotProductsMatchReference) {
  for (size_t n : kLengths) {
    auto a = MixedVector(n), b = MixedVector(n);
    auto b2 = MixedVector2(n);
    ASSERT_EQ(DotProduct(a, b), reference::DotProduct(a, b)) << n;
    ASSERT_EQ(DotProduct(a, b2), reference::DotProduct(a, b2)) << n;
  }
  // Long sums of the largest products: the accumulators must not lose carries.
  std::vector<Fp> top(1000, Fp::From(Fp::kModulus - 1));
  EXPECT_EQ(DotProduct(top, top), Fp::From(1000));  // (−1)·(−1) summed 1000 times
  std::vector<Fp2> top2(1000, Fp2(Fp::From(Fp::kModulus - 1), Fp::From(Fp::kModulus - 1)));
  EXPECT_EQ(DotProduct(top, top2), Fp2(Fp::From(1000), Fp::From(1000)));
}

TEST_P(KernelsAtLevel, FoldSecondVariableMatchesReference) {
  for (size_t n : kLengths) {
    const size_t len = n & ~size_t{3};
    auto f = MixedVector2(len);
    for (Fp2 r : {RandomFp2(), Fp2::Zero(), Fp2::One(),
                  Fp2(Fp::From(Fp::kModulus - 1), Fp::From(Fp::kModulus - 1))}) {
      std::vector<Fp2> got(len / 2), want(len / 2);
      FoldSecondVariable(f, r, got);
      reference::FoldSecondVariable(f, r, want);
      ASSERT_EQ(got, want) << len;
    }
  }
}

TEST_P(KernelsAtLevel, FoldPairsMatchesReference) {
  for (size_t n : kLengths) {
    if (n % 2) continue;
    auto f = MixedVector2(n);
    for (Fp2 r : {RandomFp2(), Fp2::Zero(), Fp2::One(),
                  Fp2(Fp::From(Fp::kModulus - 1), Fp::From(Fp::kModulus - 1))}) {
      std::vector<Fp2> got(n / 2), want(n / 2);
      FoldPairs(f, r, got);
      reference::FoldPairs(f, r, want);
      ASSERT_EQ(got, want) << n << " r " << r.c0.v << "," << r.c1.v;
    }
  }
  // r = 0 keeps the even entries, r = 1 the odd ones.
  auto f = MixedVector2(40);
  std::vector<Fp2> out(20);
  FoldPairs(f, Fp2::One(), out);
  for (size_t k = 0; k < 20; ++k) ASSERT_EQ(out[k], f[2 * k + 1]);
}

TEST_P(KernelsAtLevel, FoldBaseTableMatchesReference) {
  for (size_t n : kLengths) {
    if (n % 2) continue;
    auto f = MixedVector(n);
    for (Fp2 r : {RandomFp2(), Fp2::Zero(), Fp2(Fp::Zero(), Fp::One()),
                  Fp2(Fp::From(Fp::kModulus - 1), Fp::From(Fp::kModulus - 1))}) {
      std::vector<Fp2> got(n / 2), want(n / 2);
      FoldPairs(f, r, got);
      reference::FoldPairs(f, r, want);
      ASSERT_EQ(got, want) << n << " r " << r.c0.v << "," << r.c1.v;
    }
  }
  // Folding a base table equals folding its embedding in Fp2.
  auto f = MixedVector(50);
  std::vector<Fp2> embedded(f.begin(), f.end()), a(25), b(25);
  Fp2 r = RandomFp2();
  FoldPairs(f, r, a);
  FoldPairs(embedded, r, b);
  EXPECT_EQ(a, b);
}

TEST_P(KernelsAtLevel, FoldPairsInPlace) {
  // Repeated halving in one buffer, as sumcheck does, down to a single value.
  for (size_t n : {size_t{2}, size_t{64}, size_t{1024}, size_t{70}}) {
    auto f = MixedVector2(n);
    auto want = f;
    std::vector<Fp2> challenges;
    size_t len = n;
    while (len % 2 == 0 && len >= 2) {
      Fp2 r = RandomFp2();
      FoldPairs(std::span<const Fp2>(f.data(), len), r, std::span<Fp2>(f.data(), len / 2));
      std::vector<Fp2> next(len / 2);
      reference::FoldPairs(std::span<const Fp2>(want.data(), len), r, next);
      std::copy(next.begin(), next.end(), want.begin());
      len /= 2;
      ASSERT_TRUE(std::equal(f.begin(), f.begin() + len, want.begin())) << n << " len " << len;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllLevels, KernelsAtLevel,
                         ::testing::Values(SimdLevel::kScalar, SimdLevel::kAvx2,
                                           SimdLevel::kAvx512),
                         [](const auto& info) { return std::string(SimdLevelName(info.param)); });

TEST(Kernels, ReferenceAgreesWithDefinitions) {
  // The reference loops themselves, against hand-computed values.
  std::vector<Fp> a = {Fp::From(2), Fp::From(Fp::kModulus - 1)}, b = {Fp::From(3), Fp::From(2)};
  EXPECT_EQ(reference::DotProduct(a, b), Fp::From(4));  // 6 − 2
  std::vector<Fp2> f = {Fp2(Fp::From(1), Fp::From(2)), Fp2(Fp::From(5), Fp::From(10))};
  std::vector<Fp2> out(1);
  // 1 + 2X + X·(4 + 8X) = 1 + 2X + 4X + 8·7 = 57 + 6X.
  reference::FoldPairs(f, Fp2(Fp::Zero(), Fp::One()), out);
  EXPECT_EQ(out[0], Fp2(Fp::From(57), Fp::From(6)));
}

TEST(KernelsDeathTest, LengthMismatchAborts) {
  std::vector<Fp> a(4), b(5), out(4);
  EXPECT_DEATH(AddVectors(a, b, out), "different lengths");
  std::vector<Fp2> f(6), half(2);
  EXPECT_DEATH(FoldPairs(f, Fp2::One(), half), "half the input");
}

TEST(FieldSimd, LevelControl) {
  const SimdLevel best = BestSupportedSimdLevel();
  {
    ScopedSimdLevel scalar(SimdLevel::kScalar);
    EXPECT_EQ(ActiveSimdLevel(), SimdLevel::kScalar);
  }
  // A level above what the CPU has is clamped, never enabled.
  EXPECT_EQ(SetSimdLevel(SimdLevel::kAvx512), best);
  EXPECT_EQ(SimdLevelName(SimdLevel::kAvx2), "avx2");
}

}  // namespace
}  // namespace zektra
