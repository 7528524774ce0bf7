// X25519 key pairs and sealed boxes (libsodium crypto_box_seal): encrypting a short secret
// (a data key) to a recipient's public key so that only the holder of the matching secret
// key can read it. A sealed box is anonymous (ephemeral sender key) and adds 48 bytes; it
// does not say who sealed it, so callers that need the sender's identity sign around it.
#pragma once

#include <array>
#include <cstdint>

#include "zektra/base/bytes.h"
#include "zektra/crypto/secure_buffer.h"

namespace zektra {

inline constexpr size_t kBoxPublicKeyBytes = 32;
inline constexpr size_t kBoxSecretKeyBytes = 32;
inline constexpr size_t kSealOverheadBytes = 48;
using BoxPublicKey = std::array<uint8_t, kBoxPublicKeyBytes>;

struct BoxKeyPair {
  BoxPublicKey public_key{};
  SecureBuffer secret_key;  // 32 bytes

  static BoxKeyPair Generate();
  // Rebuilds the pair from a stored secret key (the public key is derived from it).
  static Result<BoxKeyPair> FromSecretKey(ByteSpan secret_key);
};

// sealed = crypto_box_seal(message, recipient): message.size() + 48 bytes.
Bytes SealToRecipient(const BoxPublicKey& recipient, ByteSpan message);
// Rejected when the box was not sealed to this key pair or was altered.
Result<SecureBuffer> OpenSealed(const BoxKeyPair& recipient, ByteSpan sealed);

}  // namespace zektra
