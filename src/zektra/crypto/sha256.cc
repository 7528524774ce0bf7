// OpenSSL 3 marks the SHA256_Init/Update/Final family deprecated in favour of EVP; for
// millions of tiny messages the EVP layer costs more than the hashing itself, and the
// low-level functions remain supported and use the same SHA-NI / AVX2 code.
#define OPENSSL_SUPPRESS_DEPRECATED 1

#include "zektra/crypto/sha256.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <algorithm>

#include "zektra/base/status.h"

namespace zektra {

Sha256::Sha256() : ctx_(new SHA256_CTX) {
  ZK_CHECK(SHA256_Init(ctx_) == 1, "SHA256 init failed");
}

Sha256::~Sha256() {
  OPENSSL_cleanse(ctx_, sizeof(SHA256_CTX));
  delete ctx_;
}

Sha256& Sha256::Update(const void* data, size_t n) {
  ZK_CHECK(SHA256_Update(ctx_, data, n) == 1, "SHA256 update failed");
  return *this;
}

Sha256& Sha256::Update(ByteSpan data) { return Update(data.data(), data.size()); }

Digest Sha256::Final() {
  Digest out;
  ZK_CHECK(SHA256_Final(out.data(), ctx_) == 1, "SHA256 final failed");
  ZK_CHECK(SHA256_Init(ctx_) == 1, "SHA256 re-init failed");
  return out;
}

Digest Sha256::Hash(ByteSpan data) {
  Digest out;
  ZK_CHECK(SHA256(data.data(), data.size(), out.data()) != nullptr, "SHA256 failed");
  return out;
}

Digest Sha256::HashPair(const Digest& left, const Digest& right) {
  uint8_t buf[64];
  std::copy(left.begin(), left.end(), buf);
  std::copy(right.begin(), right.end(), buf + 32);
  return Hash(ByteSpan(buf, 64));
}

Sha256Lanes::Sha256Lanes(size_t lanes) : states_(new SHA256_CTX[lanes]), count_(lanes) {
  for (size_t i = 0; i < lanes; ++i) ZK_CHECK(SHA256_Init(&states_[i]) == 1, "SHA256 init failed");
}

Sha256Lanes::~Sha256Lanes() {
  OPENSSL_cleanse(states_, count_ * sizeof(SHA256_CTX));
  delete[] states_;
}

void Sha256Lanes::Update(size_t lane, const void* data, size_t n) {
  ZK_CHECK(lane < count_, "SHA-256 lane out of range");
  ZK_CHECK(SHA256_Update(&states_[lane], data, n) == 1, "SHA256 update failed");
}

Digest Sha256Lanes::Final(size_t lane) {
  ZK_CHECK(lane < count_, "SHA-256 lane out of range");
  Digest out;
  ZK_CHECK(SHA256_Final(out.data(), &states_[lane]) == 1, "SHA256 final failed");
  ZK_CHECK(SHA256_Init(&states_[lane]) == 1, "SHA256 re-init failed");
  return out;
}

}  // namespace zektra
