// The row kernels (field/row_kernels.h) against plain Fp / Fp2 loops at every SIMD level,
// with the reductions' edge values mixed into random rows.
#include "zektra/field/row_kernels.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "zektra/crypto/random.h"
#include "zektra/field/field_simd.h"

namespace zektra {
namespace {

const uint64_t kEdges[] = {0,
                           1,
                           Fp::kModulus - 1,
                           Fp::kModulus - 2,
                           0xFFFFFFFFu,
                           1ull << 32,
                           (1ull << 63),
                           0xFFFFFFFF00000000ULL,
                           0xFFFFFFFEu,
                           2,
                           Fp::kModulus - (1ull << 32)};

Fp Word() {
  const uint64_t pick = RandomU64();
  return (pick & 1) ? Fp::From(kEdges[(pick >> 1) % std::size(kEdges)]) : RandomFp();
}

std::vector<uint64_t> Row(size_t n) {
  std::vector<uint64_t> r(n);
  for (auto& w : r) w = Word().v;
  return r;
}

Fp At(const std::vector<uint64_t>& row, size_t i) {
  return Fp::From(row[i]);
}

class RowKernels : public ::testing::TestWithParam<SimdLevel> {
 protected:
  void SetUp() override {
    if (GetParam() > BestSupportedSimdLevel()) GTEST_SKIP() << "CPU lacks this level";
    scoped_ = std::make_unique<ScopedSimdLevel>(GetParam());
  }
  std::unique_ptr<ScopedSimdLevel> scoped_;
};

TEST_P(RowKernels, NodeRowsMatchLinearExtension) {
  for (size_t count : {1, 3, 7, 8, 9, 16, 21, 64}) {
    for (size_t degree = 1; degree <= 4; ++degree) {
      const size_t lanes = RoundUpToRowLanes(count), stride = lanes + 8;
      std::vector<Fp> base(2 * count);
      std::vector<Fp2> ext(2 * count);
      for (auto& x : base) x = Word();
      for (auto& x : ext) x = Fp2(Word(), Word());
      std::vector<uint64_t> base_rows(degree * stride, 0xAAAA),
          ext_rows(2 * degree * stride, 0xAAAA);
      NodeRows(base.data(), count, degree, base_rows.data(), stride);
      NodeRows(ext.data(), count, degree, ext_rows.data(), stride);
      for (size_t node = 0; node < degree; ++node) {
        const uint64_t x = node == 0 ? 0 : node + 1;
        for (size_t i = 0; i < lanes; ++i) {
          Fp want_base = Fp::Zero();
          Fp2 want_ext = Fp2::Zero();
          if (i < count) {
            want_base = base[2 * i] + Fp::From(x) * (base[2 * i + 1] - base[2 * i]);
            want_ext = ext[2 * i] + Fp2::From(x) * (ext[2 * i + 1] - ext[2 * i]);
          }
          ASSERT_EQ(base_rows[node * stride + i], want_base.v) << count << " " << node << " " << i;
          ASSERT_EQ(ext_rows[2 * node * stride + i], want_ext.c0.v) << count << " " << i;
          ASSERT_EQ(ext_rows[(2 * node + 1) * stride + i], want_ext.c1.v) << count << " " << i;
        }
      }
    }
  }
}

TEST_P(RowKernels, ProductsAndSumsMatchFieldArithmetic) {
  for (size_t n : {8, 16, 64}) {
    const auto a0 = Row(n), a1 = Row(n), b0 = Row(n), b1 = Row(n);
    std::vector<uint64_t> o0(n), o1(n);
    MulRows(a0.data(), b0.data(), o0.data(), n);
    for (size_t i = 0; i < n; ++i) ASSERT_EQ(o0[i], (At(a0, i) * At(b0, i)).v);
    MulRows(a0.data(), a1.data(), b0.data(), o0.data(), o1.data(), n);
    for (size_t i = 0; i < n; ++i) {
      const Fp2 want = Fp2(At(a0, i), At(a1, i)) * At(b0, i);
      ASSERT_EQ(o0[i], want.c0.v);
      ASSERT_EQ(o1[i], want.c1.v);
    }
    MulRows(a0.data(), a1.data(), b0.data(), b1.data(), o0.data(), o1.data(), n);
    for (size_t i = 0; i < n; ++i) {
      const Fp2 want = Fp2(At(a0, i), At(a1, i)) * Fp2(At(b0, i), At(b1, i));
      ASSERT_EQ(o0[i], want.c0.v);
      ASSERT_EQ(o1[i], want.c1.v);
    }

    // Two passes into each accumulator: sums carry over between calls.
    Fp sum_a = Fp::Zero(), sum_ab = Fp::Zero();
    Fp2 sum_pair = Fp2::Zero(), sum_mixed = Fp2::Zero(), sum_ext = Fp2::Zero();
    for (size_t i = 0; i < n; ++i) {
      const Fp2 a(At(a0, i), At(a1, i)), b(At(b0, i), At(b1, i));
      sum_a += At(a0, i);
      sum_ab += At(a0, i) * At(b0, i);
      sum_pair += a;
      sum_mixed += a * At(b0, i);
      sum_ext += a * b;
    }
    RowAccumulator base, product, pair, mixed, ext;
    for (int pass = 0; pass < 2; ++pass) {
      AccumulateRow(a0.data(), n, base);
      AccumulateRowProduct(a0.data(), b0.data(), n, product);
      AccumulateRow(a0.data(), a1.data(), n, pair);
      AccumulateRowProduct(a0.data(), a1.data(), b0.data(), n, mixed);
      AccumulateRowProduct(a0.data(), a1.data(), b0.data(), b1.data(), n, ext);
    }
    const Fp2 two = Fp2::From(2);
    EXPECT_EQ(ReduceBase(base), two * Fp2(sum_a));
    EXPECT_EQ(ReduceBase(product), two * Fp2(sum_ab));
    EXPECT_EQ(ReducePair(pair), two * sum_pair);
    EXPECT_EQ(ReducePair(mixed), two * sum_mixed);
    EXPECT_EQ(ReduceKaratsuba(ext), two * sum_ext);
  }
}

// Every pair of edge values through the extension product (all reduction corner cases).
TEST_P(RowKernels, EdgeValueProducts) {
  std::vector<uint64_t> a0, a1, b0, b1;
  for (uint64_t x : kEdges)
    for (uint64_t y : kEdges) {
      a0.push_back(x), a1.push_back(y), b0.push_back(y), b1.push_back(x);
    }
  while (a0.size() % kRowLanes) a0.push_back(0), a1.push_back(0), b0.push_back(0), b1.push_back(0);
  const size_t n = a0.size();
  std::vector<uint64_t> o0(n), o1(n);
  MulRows(a0.data(), a1.data(), b0.data(), b1.data(), o0.data(), o1.data(), n);
  RowAccumulator acc;
  AccumulateRowProduct(a0.data(), a1.data(), b0.data(), b1.data(), n, acc);
  Fp2 sum = Fp2::Zero();
  for (size_t i = 0; i < n; ++i) {
    const Fp2 want = Fp2(At(a0, i), At(a1, i)) * Fp2(At(b0, i), At(b1, i));
    sum += want;
    ASSERT_EQ(o0[i], want.c0.v) << i;
    ASSERT_EQ(o1[i], want.c1.v) << i;
  }
  EXPECT_EQ(ReduceKaratsuba(acc), sum);
}

INSTANTIATE_TEST_SUITE_P(AllLevels, RowKernels,
                         ::testing::Values(SimdLevel::kScalar, SimdLevel::kAvx2,
                                           SimdLevel::kAvx512),
                         [](const auto& info) { return std::string(SimdLevelName(info.param)); });

}  // namespace
}  // namespace zektra
