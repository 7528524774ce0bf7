// Memory for secrets: keys, passphrases and decrypted plaintext.
//
// A SecureBuffer is allocated with libsodium's sodium_malloc: guard pages on both sides,
// mlock'd where the system allows (a failed mlock is not fatal: large plaintexts exceed
// RLIMIT_MEMLOCK), and wiped by sodium_free when the buffer dies. Move-only, so a secret
// is never silently duplicated. Cost: at least three pages per buffer, so use it for
// keys and whole plaintexts, not for many small values.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "zektra/base/bytes.h"

namespace zektra {

// sodium_init once per process; aborts if libsodium cannot start (no randomness source).
void EnsureSodiumReady();

class SecureBuffer {
 public:
  SecureBuffer() = default;
  // Aborts when memory is exhausted: use Allocate for sizes taken from untrusted input.
  explicit SecureBuffer(size_t size);
  static Result<SecureBuffer> Allocate(size_t size);
  static SecureBuffer CopyOf(ByteSpan bytes);
  ~SecureBuffer();
  SecureBuffer(SecureBuffer&& other) noexcept;
  SecureBuffer& operator=(SecureBuffer&& other) noexcept;
  SecureBuffer(const SecureBuffer&) = delete;
  SecureBuffer& operator=(const SecureBuffer&) = delete;

  uint8_t* data() { return data_; }
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::span<uint8_t> span() { return {data_, size_}; }
  ByteSpan view() const { return {data_, size_}; }
  std::string_view text() const { return {reinterpret_cast<const char*>(data_), size_}; }
  // Keeps the first n bytes (n ≤ size) and wipes the rest.
  void Truncate(size_t n);

 private:
  void Release();
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

// Constant-time comparison of equal-length byte strings (sodium_memcmp); false on length mismatch.
bool ConstantTimeEqual(ByteSpan a, ByteSpan b);

}  // namespace zektra
