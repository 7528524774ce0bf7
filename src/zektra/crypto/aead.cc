#include "zektra/crypto/aead.h"

#include <sodium.h>

#include "zektra/crypto/secure_buffer.h"

namespace zektra {

struct SecretStreamState {
  crypto_secretstream_xchacha20poly1305_state s;
};

static_assert(kAeadKeyBytes == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
static_assert(kAeadNonceBytes == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
static_assert(kAeadTagBytes == crypto_aead_xchacha20poly1305_ietf_ABYTES);
static_assert(kAeadKeyBytes == crypto_secretstream_xchacha20poly1305_KEYBYTES);
static_assert(kStreamHeaderBytes == crypto_secretstream_xchacha20poly1305_HEADERBYTES);
static_assert(kStreamChunkOverhead == crypto_secretstream_xchacha20poly1305_ABYTES);

void AeadSeal(ByteSpan key, ByteSpan nonce, ByteSpan plaintext, ByteSpan ad, std::span<uint8_t> out) {
  ZK_CHECK(key.size() == kAeadKeyBytes && nonce.size() == kAeadNonceBytes, "AEAD key/nonce size");
  ZK_CHECK(out.size() == plaintext.size() + kAeadTagBytes, "AEAD output size");
  EnsureSodiumReady();
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data(), &written, plaintext.data(), plaintext.size(),
                                             ad.data(), ad.size(), nullptr, nonce.data(), key.data());
}

Status AeadOpen(ByteSpan key, ByteSpan nonce, ByteSpan ciphertext, ByteSpan ad, std::span<uint8_t> out) {
  ZK_CHECK(key.size() == kAeadKeyBytes && nonce.size() == kAeadNonceBytes, "AEAD key/nonce size");
  if (ciphertext.size() < kAeadTagBytes) return Status::BadInput("ciphertext shorter than its tag");
  ZK_CHECK(out.size() == ciphertext.size() - kAeadTagBytes, "AEAD output size");
  EnsureSodiumReady();
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(out.data(), &written, nullptr, ciphertext.data(),
                                                 ciphertext.size(), ad.data(), ad.size(), nonce.data(),
                                                 key.data()) != 0) {
    sodium_memzero(out.data(), out.size());
    return Status::Rejected("authentication failed");
  }
  return Status::Ok();
}

StreamSealer::StreamSealer(ByteSpan key, std::span<uint8_t, kStreamHeaderBytes> header_out)
    : state_(new SecretStreamState) {
  ZK_CHECK(key.size() == kAeadKeyBytes, "secretstream key size");
  EnsureSodiumReady();
  crypto_secretstream_xchacha20poly1305_init_push(&state_->s, header_out.data(), key.data());
}

StreamSealer::~StreamSealer() {
  sodium_memzero(state_, sizeof *state_);
  delete state_;
}

void StreamSealer::Push(ByteSpan plaintext, ByteSpan ad, bool final_chunk, uint8_t* out) {
  const unsigned char tag = final_chunk ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
                                        : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
  crypto_secretstream_xchacha20poly1305_push(&state_->s, out, nullptr, plaintext.data(), plaintext.size(),
                                             ad.data(), ad.size(), tag);
}

StreamOpener::StreamOpener() : state_(new SecretStreamState) {}

StreamOpener::~StreamOpener() {
  sodium_memzero(state_, sizeof *state_);
  delete state_;
}

Status StreamOpener::Init(ByteSpan key, ByteSpan header) {
  ZK_CHECK(key.size() == kAeadKeyBytes, "secretstream key size");
  if (header.size() != kStreamHeaderBytes) return Status::BadInput("secretstream header has the wrong size");
  EnsureSodiumReady();
  if (crypto_secretstream_xchacha20poly1305_init_pull(&state_->s, header.data(), key.data()) != 0) {
    return Status::BadInput("invalid secretstream header");
  }
  ready_ = true;
  return Status::Ok();
}

Status StreamOpener::Pull(ByteSpan ciphertext, ByteSpan ad, uint8_t* out, bool* final_chunk) {
  ZK_CHECK(ready_, "StreamOpener::Pull before Init");
  if (ciphertext.size() < kStreamChunkOverhead) return Status::BadInput("chunk shorter than its overhead");
  unsigned char tag = 0;
  if (crypto_secretstream_xchacha20poly1305_pull(&state_->s, out, nullptr, &tag, ciphertext.data(),
                                                 ciphertext.size(), ad.data(), ad.size()) != 0) {
    sodium_memzero(out, ciphertext.size() - kStreamChunkOverhead);
    return Status::Rejected("chunk failed authentication");
  }
  if (tag != crypto_secretstream_xchacha20poly1305_TAG_MESSAGE &&
      tag != crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
    sodium_memzero(out, ciphertext.size() - kStreamChunkOverhead);
    return Status::Rejected("chunk carries an unexpected tag");
  }
  *final_chunk = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
  return Status::Ok();
}

}  // namespace zektra
