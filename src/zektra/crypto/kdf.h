// Passphrase → key stretching with Argon2id (libsodium crypto_pwhash, ALG_ARGON2ID13).
//
// The limits are stored next to the salt in every file protected this way, so a vault made
// with stronger settings stays readable. Cost: `opslimit` passes over `memlimit_bytes` of
// memory (Interactive: 2 × 64 MiB, about 0.1–0.3 s on one core). Leaks nothing beyond the
// limits and the salt, which are public.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "zektra/base/bytes.h"

namespace zektra {

inline constexpr size_t kKdfSaltBytes = 16;

struct Argon2idLimits {
  uint64_t opslimit = 0;
  uint64_t memlimit_bytes = 0;

  static Argon2idLimits Interactive();  // libsodium's INTERACTIVE: 2 passes, 64 MiB
  static Argon2idLimits Moderate();     // 3 passes, 256 MiB
  static Argon2idLimits Sensitive();    // 4 passes, 1 GiB
  static Argon2idLimits Minimum();      // libsodium's minimum (tests only: weak)
  // Parses "interactive", "moderate", "sensitive".
  static Result<Argon2idLimits> Named(const std::string& name);
  // Within libsodium's bounds and at most 4 GiB / 64 passes, so a file cannot make
  // us allocate without limit.
  Status Validate() const;
};

// Derives key_out.size() bytes (16..64) from the passphrase and a kKdfSaltBytes salt.
Status DeriveKeyArgon2id(ByteSpan passphrase, ByteSpan salt, const Argon2idLimits& limits,
                         std::span<uint8_t> key_out);

}  // namespace zektra
