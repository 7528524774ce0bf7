#include "zektra/crypto/sign.h"

#include <sodium.h>

namespace zektra {

static_assert(kSignPublicKeyBytes == crypto_sign_PUBLICKEYBYTES);
static_assert(kSignSeedBytes == crypto_sign_SEEDBYTES);
static_assert(kSignatureBytes == crypto_sign_BYTES);

SignKeyPair SignKeyPair::Generate() {
  EnsureSodiumReady();
  SignKeyPair kp;
  kp.secret_key = SecureBuffer(crypto_sign_SECRETKEYBYTES);
  crypto_sign_keypair(kp.public_key.data(), kp.secret_key.data());
  return kp;
}

Result<SignKeyPair> SignKeyPair::FromSeed(ByteSpan seed) {
  if (seed.size() != kSignSeedBytes) return Status::BadInput("Ed25519 seed must be 32 bytes");
  EnsureSodiumReady();
  SignKeyPair kp;
  kp.secret_key = SecureBuffer(crypto_sign_SECRETKEYBYTES);
  crypto_sign_seed_keypair(kp.public_key.data(), kp.secret_key.data(), seed.data());
  return kp;
}

SecureBuffer SignKeyPair::Seed() const {
  SecureBuffer seed(kSignSeedBytes);
  crypto_sign_ed25519_sk_to_seed(seed.data(), secret_key.data());
  return seed;
}

Signature SignMessage(const SignKeyPair& signer, ByteSpan message) {
  ZK_CHECK(signer.secret_key.size() == crypto_sign_SECRETKEYBYTES, "Ed25519 signer without a secret key");
  Signature sig{};
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), signer.secret_key.data());
  return sig;
}

bool VerifySignature(const SignPublicKey& signer, ByteSpan message, const Signature& signature) {
  EnsureSodiumReady();
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(), signer.data()) == 0;
}

}  // namespace zektra
