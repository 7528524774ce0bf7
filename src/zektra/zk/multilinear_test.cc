#include "zektra/zk/multilinear.h"

#include <gtest/gtest.h>

#include "zektra/crypto/random.h"

namespace zektra {
namespace {

TEST(Multilinear, AgreesWithTableOnHypercubeAndEqSums) {
  const size_t n = 5;
  auto f = RandomFpVector(1 << n);
  for (size_t b = 0; b < f.size(); ++b) {
    std::vector<Fp2> point(n);
    for (size_t k = 0; k < n; ++k) point[k] = Fp2::From((b >> k) & 1);
    EXPECT_EQ(EvaluateMultilinear(f, point), Fp2(f[b]));
  }
  std::vector<Fp2> r(n);
  for (auto& x : r) x = RandomFp2();
  auto eq = EqTable(r);
  Fp2 via_eq = Fp2::Zero(), sum = Fp2::Zero();
  for (size_t b = 0; b < f.size(); ++b) {
    via_eq += eq[b] * f[b];
    sum += eq[b];
  }
  EXPECT_EQ(via_eq, EvaluateMultilinear(f, r));
  EXPECT_EQ(sum, Fp2::One());  // Σ_b eq(r, b) = 1
  std::vector<Fp2> b3(n);
  for (size_t k = 0; k < n; ++k) b3[k] = Fp2::From((3 >> k) & 1);
  EXPECT_EQ(EqEval(r, b3), eq[3]);
}

TEST(Multilinear, IsLinearInEachVariable) {
  auto f = RandomFpVector(8);
  Fp2 a = RandomFp2(), c = RandomFp2();
  auto at = [&](Fp2 x0) { return EvaluateMultilinear(f, std::vector<Fp2>{x0, a, c}); };
  Fp2 x = RandomFp2();
  EXPECT_EQ(at(x), at(Fp2::Zero()) + x * (at(Fp2::One()) - at(Fp2::Zero())));
}

}  // namespace
}  // namespace zektra
