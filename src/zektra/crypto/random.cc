#include "zektra/crypto/random.h"

#include <sodium.h>

#include "zektra/base/status.h"

namespace zektra {
namespace {

void EnsureSodium() {
  static const bool ready = sodium_init() >= 0;
  ZK_CHECK(ready, "libsodium failed to initialise");
}

}  // namespace

void RandomBytes(void* out, size_t n) {
  EnsureSodium();
  randombytes_buf(out, n);
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

void SecureWipe(void* data, size_t n) {
  EnsureSodium();
  sodium_memzero(data, n);
}

}  // namespace zektra
