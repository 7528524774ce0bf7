// The public, seeded randomness of training: split, initial weights, batch order, synthetic data.
//
// Everything random in a training run is a documented function of the user's seed, so the
// statement of a proof of training need only carry the seed. The generator is SplitMix64
// (Steele, Lea, Flood 2014): state += 0x9E3779B97F4A7C15; output = Mix(state), with
//   Mix(x): x ^= x >> 30; x *= 0xBF58476D1CE4E5B9; x ^= x >> 27; x *= 0x94D049BB133111EB; x ^= x >> 31.
// Independent streams: Stream(seed, purpose, index) starts from state
//   Mix(Mix(seed) ^ Mix(purpose ^ (index · 0x9E3779B97F4A7C15))).
// Uniform integers below n use the 128-bit multiply (next() · n) >> 64 (bias ≤ n/2^64, irrelevant
// here: it is public and reproducible). Not cryptographic; never use it for secrets.
#pragma once

#include <cstdint>
#include <vector>

namespace zektra::ml {

// Stream purposes (domain separation between the uses of one seed).
enum class RandomPurpose : uint64_t {
  kSplit = 1,       // train/test split
  kInit = 2,        // initial weights (MLP)
  kBatchOrder = 3,  // per-epoch permutation; index = epoch
  kSynthetic = 4,   // `zektra dataset synth`
};

uint64_t SplitMixMix(uint64_t x);

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t state) : state_(state) {}
  static SplitMix64 Stream(uint64_t seed, RandomPurpose purpose, uint64_t index = 0);

  uint64_t Next() {
    state_ += 0x9E3779B97F4A7C15ULL;
    return SplitMixMix(state_);
  }
  // Uniform in [0, n), n ≥ 1: (Next() · n) >> 64.
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64);
  }
  // Uniform double in [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Standard normal by Box–Muller (one value per two uniforms).
  double Gaussian();

 private:
  uint64_t state_;
};

// Fisher–Yates shuffle of v in place: for i = n−1 down to 1, swap v[i] with v[Below(i+1)].
void Shuffle(std::vector<uint64_t>& v, SplitMix64& rng);

// The batch order of one epoch over n training rows: Shuffle of 0..n−1 with
// Stream(seed, kBatchOrder, epoch). Step s of the epoch takes rows perm[(s·B + i) mod n],
// i = 0..B−1, for s = 0..ceil(n/B)−1 (the last batch wraps to the epoch's first rows, so every
// step has the same shape).
std::vector<uint64_t> EpochPermutation(uint64_t seed, uint64_t epoch, uint64_t n);

}  // namespace zektra::ml
