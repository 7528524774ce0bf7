#include "zektra/he/sampling.h"

#include <sodium.h>

#include <cmath>
#include <cstring>

#include "zektra/base/status.h"
#include "zektra/crypto/random.h"

namespace zektra::he {
namespace {

// CDT[k] = 2^63 · P(X ≤ k − 19) for k = 0..37, P the discrete Gaussian on [-19, 19].
struct GaussianTable {
  uint64_t cdt[2 * kErrorBound];
  GaussianTable() {
    long double weights[2 * kErrorBound + 1];
    long double total = 0;
    for (int x = -kErrorBound; x <= kErrorBound; ++x) {
      weights[x + kErrorBound] =
          std::exp(-static_cast<long double>(x) * x / (2.0L * kErrorSigma * kErrorSigma));
      total += weights[x + kErrorBound];
    }
    long double cumulative = 0;
    for (int k = 0; k < 2 * kErrorBound; ++k) {
      cumulative += weights[k] / total;
      cdt[k] = static_cast<uint64_t>(cumulative * 9223372036854775808.0L);  // · 2^63
    }
  }
};

const GaussianTable& Table() {
  static const GaussianTable table;
  return table;
}

}  // namespace

Seed RandomSeed() {
  Seed seed;
  RandomBytes(seed.data(), seed.size());
  return seed;
}

std::vector<int8_t> SampleTernary(size_t n) {
  std::vector<uint64_t> raw(n);
  RandomBytes(raw.data(), n * sizeof(uint64_t));
  std::vector<int8_t> out(n);
  for (size_t i = 0; i < n; ++i) {
    // floor(3·u / 2^64) is uniform on {0,1,2} up to a 2^-62 bias; no branch.
    uint64_t digit = static_cast<uint64_t>((static_cast<u128>(raw[i]) * 3) >> 64);
    out[i] = static_cast<int8_t>(static_cast<int>(digit) - 1);
  }
  SecureWipe(raw);
  return out;
}

std::vector<int64_t> SampleGaussian(size_t n) {
  const GaussianTable& table = Table();
  std::vector<uint64_t> raw(n);
  RandomBytes(raw.data(), n * sizeof(uint64_t));
  std::vector<int64_t> out(n);
  for (size_t i = 0; i < n; ++i) {
    uint64_t u = raw[i] >> 1;  // 63 bits
    int64_t count = 0;
    for (int k = 0; k < 2 * kErrorBound; ++k) count += static_cast<int64_t>(u >= table.cdt[k]);
    out[i] = count - kErrorBound;
  }
  SecureWipe(raw);
  return out;
}

std::vector<double> SampleWideGaussian(size_t n, double log2_sigma) {
  const double sigma = std::ldexp(1.0, static_cast<int>(std::floor(log2_sigma))) *
                       std::exp2(log2_sigma - std::floor(log2_sigma));
  std::vector<uint64_t> raw(n + 1);
  RandomBytes(raw.data(), raw.size() * sizeof(uint64_t));
  std::vector<double> out(n);
  for (size_t i = 0; i < n; i += 2) {
    // Box–Muller on two 53-bit uniforms in (0, 1].
    double u1 = (static_cast<double>(raw[i] >> 11) + 1.0) * 0x1.0p-53;
    double u2 = static_cast<double>(raw[i + 1] >> 11) * 0x1.0p-53;
    double radius = sigma * std::sqrt(-2.0 * std::log(u1));
    out[i] = std::round(radius * std::cos(2 * M_PI * u2));
    if (i + 1 < n) out[i + 1] = std::round(radius * std::sin(2 * M_PI * u2));
  }
  SecureWipe(raw);
  return out;
}

RnsPoly ExpandUniform(const Seed& seed, std::string_view label, size_t n,
                      const std::vector<const Modulus*>& moduli) {
  static const bool ready = sodium_init() >= 0;
  ZK_CHECK(ready, "libsodium failed to initialise");
  RnsPoly poly(n, moduli.size());
  std::vector<uint64_t> buffer;
  for (size_t limb = 0; limb < moduli.size(); ++limb) {
    const uint64_t q = moduli[limb]->value;
    const uint64_t mask = (uint64_t{1} << moduli[limb]->bits) - 1;
    uint64_t* out = poly.limb(limb);
    size_t filled = 0;
    for (uint32_t block = 0; filled < n; ++block) {
      // Sub-seed = BLAKE2b(seed ‖ label ‖ limb ‖ block): independent streams per limb.
      uint8_t sub_seed[randombytes_SEEDBYTES];
      crypto_generichash_state state;
      crypto_generichash_init(&state, nullptr, 0, sizeof sub_seed);
      crypto_generichash_update(&state, seed.data(), seed.size());
      crypto_generichash_update(&state, reinterpret_cast<const uint8_t*>(label.data()),
                                label.size());
      uint64_t index[2] = {limb, block};
      crypto_generichash_update(&state, reinterpret_cast<const uint8_t*>(index), sizeof index);
      crypto_generichash_final(&state, sub_seed, sizeof sub_seed);
      buffer.resize(n - filled + 16);
      randombytes_buf_deterministic(buffer.data(), buffer.size() * sizeof(uint64_t), sub_seed);
      // Rejection sampling: public values, so the data-dependent branch is harmless.
      for (uint64_t word : buffer) {
        uint64_t candidate = word & mask;
        if (candidate < q && filled < n) out[filled++] = candidate;
      }
    }
  }
  return poly;
}

}  // namespace zektra::he
