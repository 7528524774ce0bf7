// Encryption and decryption.
//
// Encryptor (public key): ct = (v·b + e0 + m, v·a + e1) with v ternary and e0, e1
// Gaussian, fresh per call. Encryptor (secret key): ct = (-a·s + e + m, a) with a uniform.
// Both keep the plaintext's level and scale.
//
// Decryptor: m' = c0 + c1·s (+ c2·s²) = m + noise. Publishing m' (or the values decoded
// from it) reveals the noise, and with it linear equations in the secret key: the
// Li–Micciancio attack (EUROCRYPT 2021) recovers s from a few such outputs. When a
// decryption result leaves the key owner, use DecryptWithFlooding, which adds fresh
// Gaussian noise of standard deviation 2^log2_sigma, statistically hiding the
// ciphertext noise when 2^log2_sigma exceeds it by the statistical security margin
// (docs/HE.md: choose log2_sigma ≥ log2(noise bound) + 30; it costs that many bits of
// precision). Decryptor keeps a copy of the secret key, wiped on destruction.
#pragma once

#include <optional>

#include "zektra/he/keys.h"

namespace zektra::he {

class Encryptor {
 public:
  Encryptor(HeContextPtr context, const PublicKey& public_key);
  Encryptor(HeContextPtr context, const SecretKey& secret_key);

  Result<Ciphertext> Encrypt(const Plaintext& plaintext) const;

 private:
  HeContextPtr context_;
  std::optional<PublicKey> public_key_;
  std::optional<SecretKey> secret_key_;
};

class Decryptor {
 public:
  Decryptor(HeContextPtr context, const SecretKey& secret_key);

  Result<Plaintext> Decrypt(const Ciphertext& ciphertext) const;
  Result<Plaintext> DecryptWithFlooding(const Ciphertext& ciphertext, double log2_sigma) const;

  // log2 of the largest coefficient of m' − round(Δ·expected): the measured noise, for
  // tests and for choosing the flooding width.
  Result<double> MeasureNoiseBits(const Ciphertext& ciphertext, const Plaintext& expected) const;

 private:
  HeContextPtr context_;
  SecretKey secret_key_;
};

}  // namespace zektra::he
