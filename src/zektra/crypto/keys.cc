#include "zektra/crypto/keys.h"

#include <sodium.h>

namespace zektra {

static_assert(kBoxPublicKeyBytes == crypto_box_PUBLICKEYBYTES);
static_assert(kBoxSecretKeyBytes == crypto_box_SECRETKEYBYTES);
static_assert(kSealOverheadBytes == crypto_box_SEALBYTES);

BoxKeyPair BoxKeyPair::Generate() {
  EnsureSodiumReady();
  BoxKeyPair kp;
  kp.secret_key = SecureBuffer(kBoxSecretKeyBytes);
  crypto_box_keypair(kp.public_key.data(), kp.secret_key.data());
  return kp;
}

Result<BoxKeyPair> BoxKeyPair::FromSecretKey(ByteSpan secret_key) {
  if (secret_key.size() != kBoxSecretKeyBytes) return Status::BadInput("X25519 secret key must be 32 bytes");
  EnsureSodiumReady();
  BoxKeyPair kp;
  kp.secret_key = SecureBuffer::CopyOf(secret_key);
  if (crypto_scalarmult_base(kp.public_key.data(), kp.secret_key.data()) != 0) {
    return Status::BadInput("X25519 secret key is degenerate");
  }
  return kp;
}

Bytes SealToRecipient(const BoxPublicKey& recipient, ByteSpan message) {
  EnsureSodiumReady();
  Bytes out(message.size() + kSealOverheadBytes);
  ZK_CHECK(crypto_box_seal(out.data(), message.data(), message.size(), recipient.data()) == 0,
           "crypto_box_seal failed (invalid recipient key)");
  return out;
}

Result<SecureBuffer> OpenSealed(const BoxKeyPair& recipient, ByteSpan sealed) {
  if (sealed.size() < kSealOverheadBytes) return Status::BadInput("sealed box shorter than its overhead");
  EnsureSodiumReady();
  ZK_ASSIGN_OR_RETURN(SecureBuffer out, SecureBuffer::Allocate(sealed.size() - kSealOverheadBytes));
  if (crypto_box_seal_open(out.data(), sealed.data(), sealed.size(), recipient.public_key.data(),
                           recipient.secret_key.data()) != 0) {
    return Status::Rejected("sealed box does not open with this key (sealed to another recipient, or altered)");
  }
  return out;
}

}  // namespace zektra
