// SHA-256 through OpenSSL (which uses SHA-NI / AVX2 where the CPU has them).
//
// Sha256 is an incremental hasher holding one reusable OpenSSL context, so hot loops
// (Merkle trees hash millions of 64-byte nodes) pay the context set-up once.
// Not thread-safe: use one Sha256 per thread.
#pragma once

#include <array>
#include <cstdint>

#include "zektra/base/bytes.h"

struct evp_md_ctx_st;

namespace zektra {

using Digest = std::array<uint8_t, 32>;

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  Sha256& Update(ByteSpan data);
  Sha256& Update(const void* data, size_t n);
  Digest Final();  // also resets, so the object can hash the next message

  static Digest Hash(ByteSpan data);
  // Hash of the concatenation left || right (Merkle inner nodes).
  static Digest HashPair(const Digest& left, const Digest& right);

 private:
  evp_md_ctx_st* ctx_;
};

}  // namespace zektra
