#include "zektra/crypto/secure_buffer.h"

#include <sodium.h>

#include <cstring>
#include <utility>

namespace zektra {

void EnsureSodiumReady() {
  static const bool ready = sodium_init() >= 0;
  ZK_CHECK(ready, "libsodium failed to initialise");
}

SecureBuffer::SecureBuffer(size_t size) {
  auto r = Allocate(size);
  ZK_CHECK(r.ok(), "out of memory for a secure buffer");
  *this = std::move(r).value();
}

Result<SecureBuffer> SecureBuffer::Allocate(size_t size) {
  SecureBuffer b;
  if (size == 0) return b;
  EnsureSodiumReady();
  void* p = sodium_malloc(size);
  if (p == nullptr) {
    return Status::IoError("cannot allocate " + std::to_string(size) + " bytes of protected memory");
  }
  b.data_ = static_cast<uint8_t*>(p);
  b.size_ = size;
  return b;
}

SecureBuffer SecureBuffer::CopyOf(ByteSpan bytes) {
  SecureBuffer b(bytes.size());
  if (!bytes.empty()) std::memcpy(b.data_, bytes.data(), bytes.size());
  return b;
}

SecureBuffer::~SecureBuffer() { Release(); }

SecureBuffer::SecureBuffer(SecureBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

SecureBuffer& SecureBuffer::operator=(SecureBuffer&& other) noexcept {
  if (this != &other) {
    Release();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

void SecureBuffer::Truncate(size_t n) {
  ZK_CHECK(n <= size_, "SecureBuffer::Truncate beyond the size");
  sodium_memzero(data_ + n, size_ - n);
  size_ = n;
}

void SecureBuffer::Release() {
  // sodium_free wipes the whole allocation before unmapping it.
  if (data_ != nullptr) sodium_free(data_);
  data_ = nullptr;
  size_ = 0;
}

bool ConstantTimeEqual(ByteSpan a, ByteSpan b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace zektra
