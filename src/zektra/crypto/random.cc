#include "zektra/crypto/random.h"

#include <sodium.h>

#include "zektra/base/status.h"
#include "zektra/crypto/sha256.h"

namespace zektra {
namespace {

void EnsureSodium() {
  static const bool ready = sodium_init() >= 0;
  ZK_CHECK(ready, "libsodium failed to initialise");
}

}  // namespace

void RandomBytes(void* out, size_t n) {
  if (n == 0) return;  // callers may pass an empty vector's null data()
  EnsureSodium();
  // libsodium reads the OS generator in 256-byte getrandom calls, so a blinding column of
  // 2^20 words costs 32k system calls. Large requests instead draw a fresh 256-bit key from
  // the OS and expand it with libsodium's ChaCha20 generator (the construction the OS
  // generator itself uses): the output is as unpredictable as the key, which is wiped.
  constexpr size_t kExpandAbove = 1024;
  if (n <= kExpandAbove) {
    randombytes_buf(out, n);
    return;
  }
  static_assert(randombytes_SEEDBYTES == 32);
  uint8_t key[randombytes_SEEDBYTES];
  randombytes_buf(key, sizeof key);
  randombytes_buf_deterministic(out, n, key);
  sodium_memzero(key, sizeof key);
}

uint64_t RandomU64() {
  uint64_t v;
  RandomBytes(&v, sizeof v);
  return v;
}

Fp RandomFp() {
  for (;;) {
    uint64_t v = RandomU64();
    if (v < Fp::kModulus) return Fp::From(v);
  }
}

Fp2 RandomFp2() { return Fp2(RandomFp(), RandomFp()); }

std::vector<Fp> RandomFpVector(size_t n) {
  std::vector<uint64_t> raw(n);
  RandomBytes(raw.data(), n * sizeof(uint64_t));
  std::vector<Fp> out(n);
  for (size_t i = 0; i < n; ++i) out[i] = raw[i] < Fp::kModulus ? Fp::From(raw[i]) : RandomFp();
  return out;
}

void DeterministicBytes(const std::array<uint8_t, 32>& seed, uint64_t stream, void* out, size_t n) {
  if (n == 0) return;
  EnsureSodium();
  static_assert(randombytes_SEEDBYTES == 32);
  Sha256 h;
  h.Update(AsBytes("zektra.drbg"));
  h.Update(seed.data(), seed.size());
  uint8_t s[8];
  for (int i = 0; i < 8; ++i) s[i] = static_cast<uint8_t>(stream >> (8 * i));
  h.Update(s, 8);
  Digest key = h.Final();
  randombytes_buf_deterministic(out, n, key.data());
  sodium_memzero(key.data(), key.size());
}

void DeterministicFps(const std::array<uint8_t, 32>& seed, uint64_t stream, std::span<Fp> out) {
  static_assert(sizeof(Fp) == sizeof(uint64_t));
  DeterministicBytes(seed, stream, out.data(), out.size() * sizeof(Fp));
  uint64_t retry = 0;
  for (Fp& x : out) {
    // A word ≥ p (probability 2^-32) is redrawn from its own sub-stream, so the output
    // stays uniform and reproducible.
    while (x.v >= Fp::kModulus) {
      uint64_t v;
      DeterministicBytes(seed, stream ^ (0x8000000000000000ULL | ++retry), &v, sizeof v);
      x.v = v;
    }
  }
}

void SecureWipe(void* data, size_t n) {
  if (n == 0) return;
  EnsureSodium();
  sodium_memzero(data, n);
}

}  // namespace zektra
