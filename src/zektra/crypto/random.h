// Cryptographic randomness from libsodium (getrandom on Linux), and wiping of secrets.
#pragma once

#include <cstddef>
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "zektra/field/extension.h"

namespace zektra {

// Requests above 1 KiB are a ChaCha20 keystream under a fresh 256-bit OS key (one system
// call instead of one per 256 bytes).
void RandomBytes(void* out, size_t n);
uint64_t RandomU64();
// Uniform in F_p by rejection sampling (no modular bias).
Fp RandomFp();
Fp2 RandomFp2();
std::vector<Fp> RandomFpVector(size_t n);

// Reproducible pseudo-randomness: n bytes of ChaCha20 keystream (libsodium's
// randombytes_buf_deterministic) under the key SHA-256("zektra.drbg" || seed || stream).
// Used where a secret seed must regenerate the same blinding later (a dataset commitment
// reopened by every training run); the seed is then a secret key and must be kept as one.
void DeterministicBytes(const std::array<uint8_t, 32>& seed, uint64_t stream, void* out, size_t n);
// Uniform field elements from the same generator (rejection sampling, no bias).
void DeterministicFps(const std::array<uint8_t, 32>& seed, uint64_t stream, std::span<Fp> out);

// Overwrites memory in a way the compiler may not elide (sodium_memzero).
void SecureWipe(void* data, size_t n);

template <typename T>
void SecureWipe(std::vector<T>& v) {
  SecureWipe(v.data(), v.size() * sizeof(T));
  v.clear();
}

// Wipes a secret vector when the scope ends, on every path out (early error returns included).
// Declare it right after the vector and before anything that borrows the vector (a
// PcsCommitBorrowing prover data), so the borrower is gone before the wipe.
template <typename T>
class WipeOnScopeExit {
 public:
  explicit WipeOnScopeExit(std::vector<T>& v) : v_(v) {}
  ~WipeOnScopeExit() { SecureWipe(v_); }
  WipeOnScopeExit(const WipeOnScopeExit&) = delete;
  WipeOnScopeExit& operator=(const WipeOnScopeExit&) = delete;

 private:
  std::vector<T>& v_;
};

}  // namespace zektra
