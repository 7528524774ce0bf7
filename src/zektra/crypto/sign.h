// Ed25519 signatures (libsodium crypto_sign_detached). Deterministic signatures of 64 bytes;
// keys are stored as their 32-byte seed. Verification is constant-time in the key and
// returns false for any malformed input.
#pragma once

#include <array>
#include <cstdint>

#include "zektra/base/bytes.h"
#include "zektra/crypto/secure_buffer.h"

namespace zektra {

inline constexpr size_t kSignPublicKeyBytes = 32;
inline constexpr size_t kSignSeedBytes = 32;
inline constexpr size_t kSignatureBytes = 64;
using SignPublicKey = std::array<uint8_t, kSignPublicKeyBytes>;
using Signature = std::array<uint8_t, kSignatureBytes>;

struct SignKeyPair {
  SignPublicKey public_key{};
  SecureBuffer secret_key;  // libsodium's 64-byte form (seed || public key)

  static SignKeyPair Generate();
  static Result<SignKeyPair> FromSeed(ByteSpan seed);
  SecureBuffer Seed() const;
};

Signature SignMessage(const SignKeyPair& signer, ByteSpan message);
bool VerifySignature(const SignPublicKey& signer, ByteSpan message, const Signature& signature);

}  // namespace zektra
