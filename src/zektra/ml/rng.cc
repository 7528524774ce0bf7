#include "zektra/ml/rng.h"

#include <cmath>
#include <numeric>
#include <utility>

namespace zektra::ml {

uint64_t SplitMixMix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ULL;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBULL;
  x ^= x >> 31;
  return x;
}

SplitMix64 SplitMix64::Stream(uint64_t seed, RandomPurpose purpose, uint64_t index) {
  uint64_t p = static_cast<uint64_t>(purpose) ^ (index * 0x9E3779B97F4A7C15ULL);
  return SplitMix64(SplitMixMix(SplitMixMix(seed) ^ SplitMixMix(p)));
}

double SplitMix64::Gaussian() {
  double u1 = 1.0 - Uniform();  // (0, 1]: log is finite
  double u2 = Uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

void Shuffle(std::vector<uint64_t>& v, SplitMix64& rng) {
  for (size_t i = v.size(); i > 1; --i) {
    size_t j = rng.Below(i);
    std::swap(v[i - 1], v[j]);
  }
}

std::vector<uint64_t> EpochPermutation(uint64_t seed, uint64_t epoch, uint64_t n) {
  std::vector<uint64_t> perm(n);
  std::iota(perm.begin(), perm.end(), uint64_t{0});
  SplitMix64 rng = SplitMix64::Stream(seed, RandomPurpose::kBatchOrder, epoch);
  Shuffle(perm, rng);
  return perm;
}

}  // namespace zektra::ml
