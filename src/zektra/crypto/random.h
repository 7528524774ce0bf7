// Cryptographic randomness from libsodium (getrandom on Linux), and wiping of secrets.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "zektra/field/extension.h"

namespace zektra {

void RandomBytes(void* out, size_t n);
uint64_t RandomU64();
// Uniform in F_p by rejection sampling (no modular bias).
Fp RandomFp();
Fp2 RandomFp2();
std::vector<Fp> RandomFpVector(size_t n);

// Overwrites memory in a way the compiler may not elide (sodium_memzero).
void SecureWipe(void* data, size_t n);

template <typename T>
void SecureWipe(std::vector<T>& v) {
  SecureWipe(v.data(), v.size() * sizeof(T));
  v.clear();
}

}  // namespace zektra
