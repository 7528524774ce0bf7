#include "zektra/crypto/random.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstring>
#include <vector>

namespace zektra {
namespace {

// Fraction of one bits; a uniform source gives 1/2 within a few 1/sqrt(8n).
double OneBitFraction(const std::vector<uint8_t>& bytes) {
  size_t ones = 0;
  for (uint8_t b : bytes) ones += std::popcount(b);
  return static_cast<double>(ones) / (8.0 * bytes.size());
}

// Both paths of RandomBytes (direct OS reads for small requests, a fresh-key ChaCha20
// expansion above 1 KiB): outputs are balanced, differ between calls, and fill every byte.
TEST(RandomBytes, SmallAndLargeRequestsLookUniformAndNeverRepeat) {
  for (size_t n : {size_t{1000}, size_t{1024}, size_t{1025}, size_t{1} << 20}) {
    std::vector<uint8_t> a(n, 0), b(n, 0);
    RandomBytes(a.data(), n);
    RandomBytes(b.data(), n);
    EXPECT_NE(0, std::memcmp(a.data(), b.data(), n)) << n;
    EXPECT_NEAR(OneBitFraction(a), 0.5, 0.03) << n;
    // The last 64 bytes are written too (no short fill at the end of the expansion).
    size_t zeros = 0;
    for (size_t i = n - 64; i < n; ++i) zeros += a[i] == 0;
    EXPECT_LT(zeros, 8u) << n;
  }
}

TEST(RandomBytes, FieldVectorsAreCanonicalAndDistinct) {
  std::vector<Fp> a = RandomFpVector(1 << 16), b = RandomFpVector(1 << 16);
  size_t equal = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_LT(a[i].v, Fp::kModulus);
    equal += a[i] == b[i];
  }
  EXPECT_EQ(equal, 0u);
}

}  // namespace
}  // namespace zektra
