#include "zektra/crypto/sha256.h"

#include <openssl/evp.h>

#include "zektra/base/status.h"

namespace zektra {
namespace {

const EVP_MD* Sha256Md() {
  // Fetched once: EVP_MD_fetch is costly and the result is immutable and shareable.
  static const EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  ZK_CHECK(md != nullptr, "OpenSSL has no SHA256");
  return md;
}

}  // namespace

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  ZK_CHECK(ctx_ != nullptr, "EVP_MD_CTX_new failed");
  ZK_CHECK(EVP_DigestInit_ex2(ctx_, Sha256Md(), nullptr) == 1, "SHA256 init failed");
}

Sha256::~Sha256() { EVP_MD_CTX_free(ctx_); }

Sha256& Sha256::Update(const void* data, size_t n) {
  ZK_CHECK(EVP_DigestUpdate(ctx_, data, n) == 1, "SHA256 update failed");
  return *this;
}

Sha256& Sha256::Update(ByteSpan data) { return Update(data.data(), data.size()); }

Digest Sha256::Final() {
  Digest out;
  unsigned int len = 0;
  ZK_CHECK(EVP_DigestFinal_ex(ctx_, out.data(), &len) == 1 && len == 32, "SHA256 final failed");
  ZK_CHECK(EVP_DigestInit_ex2(ctx_, nullptr, nullptr) == 1, "SHA256 re-init failed");
  return out;
}

Digest Sha256::Hash(ByteSpan data) {
  Digest out;
  unsigned int len = 0;
  ZK_CHECK(EVP_Digest(data.data(), data.size(), out.data(), &len, Sha256Md(), nullptr) == 1,
           "SHA256 failed");
  return out;
}

Digest Sha256::HashPair(const Digest& left, const Digest& right) {
  uint8_t buf[64];
  std::copy(left.begin(), left.end(), buf);
  std::copy(right.begin(), right.end(), buf + 32);
  return Hash(ByteSpan(buf, 64));
}

}  // namespace zektra
