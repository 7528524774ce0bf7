#include "zektra/field/ntt.h"

#include <gtest/gtest.h>

#include "zektra/crypto/random.h"

namespace zektra {
namespace {

TEST(Ntt, MatchesNaiveDft) {
  for (int log_n = 0; log_n <= 9; ++log_n) {
    auto coeffs = RandomFpVector(size_t{1} << log_n);
    auto evals = coeffs;
    Ntt(evals);
    EXPECT_EQ(evals, NaiveDft(coeffs)) << log_n;
    InverseNtt(evals);
    EXPECT_EQ(evals, coeffs) << log_n;
  }
}

TEST(Ntt, CosetMatchesNaive) {
  auto coeffs = RandomFpVector(64);
  Fp shift = Fp::From(Fp::kGenerator);
  auto evals = coeffs;
  CosetNtt(evals, shift);
  EXPECT_EQ(evals, NaiveDft(coeffs, shift));
  InverseCosetNtt(evals, shift);
  EXPECT_EQ(evals, coeffs);
}

TEST(Ntt, LargeRoundTripAfterSmallerSizes) {
  // The twiddle cache grows; smaller sizes must keep working after a larger one.
  auto big = RandomFpVector(1 << 17);
  auto copy = big;
  Ntt(copy);
  InverseNtt(copy);
  EXPECT_EQ(copy, big);
  auto small = RandomFpVector(16);
  auto s2 = small;
  Ntt(s2);
  EXPECT_EQ(s2, NaiveDft(small));
}

TEST(Ntt, ConvolutionTheorem) {
  // Pointwise product of transforms is the transform of the cyclic convolution.
  const size_t n = 32;
  auto a = RandomFpVector(n), b = RandomFpVector(n);
  std::vector<Fp> conv(n);
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < n; ++j) conv[(i + j) % n] += a[i] * b[j];
  Ntt(a);
  Ntt(b);
  Ntt(conv);
  for (size_t i = 0; i < n; ++i) EXPECT_EQ(a[i] * b[i], conv[i]);
}

}  // namespace
}  // namespace zektra
