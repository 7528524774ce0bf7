// Wire formats for CKKS objects (docs/HE.md, "Serialization").
//
// Every object starts with a header: magic "ZKHE", format version, object kind, and the
// 32-byte fingerprint of the context's parameters (SHA-256 of SerializeParameters).
// Loading checks every field against the context: the fingerprint (an object made
// under other parameters is refused with that reason), the level, scale, limb counts,
// that every residue is below its prime, that secret coefficients are ternary, and that
// no bytes trail. Failures return StatusCode::kBadInput naming the field; nothing aborts.
// Uniform `a` polynomials of keys are stored as their 32-byte seed.
#pragma once

#include "zektra/base/bytes.h"
#include "zektra/he/keys.h"

namespace zektra::he {

inline constexpr uint32_t kHeFormatVersion = 1;

enum class HeObjectKind : uint8_t {
  kSecretKey = 1,
  kPublicKey = 2,
  kRelinKey = 3,
  kGaloisKeys = 4,
  kCiphertext = 5,
  kPlaintext = 6,
};

Bytes SerializeCiphertext(const HeContext& context, const Ciphertext& ct);
Result<Ciphertext> ParseCiphertext(const HeContext& context, ByteSpan bytes);

Bytes SerializePlaintext(const HeContext& context, const Plaintext& pt);
Result<Plaintext> ParsePlaintext(const HeContext& context, ByteSpan bytes);

Bytes SerializePublicKey(const HeContext& context, const PublicKey& key);
Result<PublicKey> ParsePublicKey(const HeContextPtr& context, ByteSpan bytes);

Bytes SerializeRelinKey(const HeContext& context, const RelinKey& key);
Result<RelinKey> ParseRelinKey(const HeContextPtr& context, ByteSpan bytes);

Bytes SerializeGaloisKeys(const HeContext& context, const GaloisKeys& keys);
Result<GaloisKeys> ParseGaloisKeys(const HeContextPtr& context, ByteSpan bytes);

// The secret key file holds the ternary coefficients only (N bytes). Treat it as a
// secret: the returned buffer should be wiped by the caller after writing.
Bytes SerializeSecretKey(const HeContext& context, const SecretKey& key);
Result<SecretKey> ParseSecretKey(const HeContextPtr& context, ByteSpan bytes);

}  // namespace zektra::he
