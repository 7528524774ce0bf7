// SHA-256 through OpenSSL (which uses SHA-NI / AVX2 where the CPU has them).
//
// Sha256 is an incremental hasher over OpenSSL's low-level SHA256_CTX: no EVP dispatch, no
// heap context per message, so hot loops (Merkle trees hash millions of 64-byte nodes)
// pay only the compression function. Not thread-safe: use one Sha256 per thread.
//
// Sha256Lanes holds many independent hash states side by side, for data that arrives
// interleaved: a polynomial commitment streams its codeword matrix a block of rows at a
// time and appends each block's slice of every column to that column's lane, so no column
// has to be stored whole to be hashed. ~112 bytes per lane. Different lanes may be updated
// from different threads at once; one lane must not.
#pragma once

#include <array>
#include <cstdint>

#include "zektra/base/bytes.h"

struct SHA256state_st;

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
  SHA256state_st* ctx_;
};

class Sha256Lanes {
 public:
  explicit Sha256Lanes(size_t lanes);
  ~Sha256Lanes();
  Sha256Lanes(const Sha256Lanes&) = delete;
  Sha256Lanes& operator=(const Sha256Lanes&) = delete;

  size_t size() const { return count_; }
  void Update(size_t lane, const void* data, size_t n);
  // The digest of everything appended to the lane; the lane starts over afterwards.
  Digest Final(size_t lane);

 private:
  SHA256state_st* states_;
  size_t count_;
};

}  // namespace zektra
