#include "zektra/crypto/kdf.h"

#include <sodium.h>

#include "zektra/crypto/secure_buffer.h"

namespace zektra {

Argon2idLimits Argon2idLimits::Interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}
Argon2idLimits Argon2idLimits::Moderate() {
  return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}
Argon2idLimits Argon2idLimits::Sensitive() {
  return {crypto_pwhash_OPSLIMIT_SENSITIVE, crypto_pwhash_MEMLIMIT_SENSITIVE};
}
Argon2idLimits Argon2idLimits::Minimum() {
  return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

Result<Argon2idLimits> Argon2idLimits::Named(const std::string& name) {
  if (name == "interactive") return Interactive();
  if (name == "moderate") return Moderate();
  if (name == "sensitive") return Sensitive();
  return Status::InvalidArgument("unknown key-derivation strength '" + name +
                                 "' (interactive, moderate or sensitive)");
}

Status Argon2idLimits::Validate() const {
  if (opslimit < crypto_pwhash_OPSLIMIT_MIN || opslimit > 64) {
    return Status::BadInput("Argon2id opslimit " + std::to_string(opslimit) + " out of range [" +
                            std::to_string(crypto_pwhash_OPSLIMIT_MIN) + ", 64]");
  }
  if (memlimit_bytes < crypto_pwhash_MEMLIMIT_MIN || memlimit_bytes > (uint64_t{4} << 30)) {
    return Status::BadInput("Argon2id memlimit " + std::to_string(memlimit_bytes) +
                            " bytes out of range [" + std::to_string(crypto_pwhash_MEMLIMIT_MIN) +
                            ", 4 GiB]");
  }
  return Status::Ok();
}

Status DeriveKeyArgon2id(ByteSpan passphrase, ByteSpan salt, const Argon2idLimits& limits,
                         std::span<uint8_t> key_out) {
  ZK_CHECK(salt.size() == kKdfSaltBytes, "Argon2id salt must be 16 bytes");
  ZK_CHECK(key_out.size() >= 16 && key_out.size() <= 64, "Argon2id key length out of range");
  ZK_RETURN_IF_ERROR(limits.Validate());
  EnsureSodiumReady();
  if (crypto_pwhash(key_out.data(), key_out.size(), reinterpret_cast<const char*>(passphrase.data()),
                    passphrase.size(), salt.data(), limits.opslimit,
                    static_cast<size_t>(limits.memlimit_bytes), crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::IoError("Argon2id failed (not enough memory for " +
                           std::to_string(limits.memlimit_bytes >> 20) + " MiB?)");
  }
  return Status::Ok();
}

}  // namespace zektra
