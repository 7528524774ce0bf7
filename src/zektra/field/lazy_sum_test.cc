#include "zektra/field/lazy_sum.h"

#include <gtest/gtest.h>

#include "zektra/crypto/random.h"

namespace zektra {
namespace {

TEST(LazySum, MatchesReducedSumsIncludingCarriesPast128Bits) {
  // (p − 1)² ≈ 2^128: a few hundred of them carry out of the 128-bit accumulator many times.
  const Fp top = -Fp::One();
  LazySum lazy;
  Fp reduced = Fp::Zero();
  for (int i = 0; i < 1000; ++i) {
    lazy.AddProduct(top.v, top.v);
    reduced += top * top;
  }
  EXPECT_GT(lazy.carries, 0u);
  EXPECT_EQ(lazy.Reduce(), reduced);
  for (int i = 0; i < 1000; ++i) {
    const Fp a = RandomFp(), b = RandomFp();
    lazy.AddProduct(a.v, b.v);
    reduced += a * b;
  }
  EXPECT_EQ(lazy.Reduce(), reduced);
}

TEST(LazySum, Fp2ProductsAndValuesMatchFieldArithmetic) {
  LazySumFp2 lazy;
  Fp2 reduced = Fp2::Zero();
  const Fp2 top(-Fp::One(), -Fp::One());
  for (int i = 0; i < 500; ++i) {
    lazy.AddProduct(top, top);
    reduced += top * top;
    const Fp2 a = RandomFp2(), b = RandomFp2();
    const Fp c = RandomFp();
    lazy.AddProduct(a, b);
    lazy.AddProduct(a, c);
    lazy.Add(b);
    lazy.Add(c);
    reduced += a * b + a * c + b + Fp2(c);
  }
  EXPECT_EQ(lazy.Reduce(), reduced);
  EXPECT_EQ(LazySumFp2{}.Reduce(), Fp2::Zero());
}

}  // namespace
}  // namespace zektra
