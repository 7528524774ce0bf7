// CKKS keys and their generation.
//
// SecretKey: ternary s, held both as coefficients and in NTT form over every prime of
// Q and P. Wiped (sodium_memzero) when destroyed, copied or not.
// PublicKey: (b, a) with a uniform, expanded from a public seed, and b = -a·s + e.
// KeySwitchKey: for each digit j, (b_j, a_j) over Q·P with
//   b_j = -a_j·s + e_j + P·g_j·s'   (g_j ≡ 1 mod the primes of digit j, 0 mod the others),
// which lets the evaluator turn a ciphertext term under s' into one under s (hybrid key
// switching with dnum digits). Relinearisation keys use s' = s², Galois keys
// s' = s(X^g).
//
// Generation is split into the pieces a multiparty protocol needs: the common random
// polynomial comes from a seed (CommonRandomPoly), each party's share is
// -a·s_i + e_i (PublicKeyShare), and shares add up to a collective key.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <vector>

#include "zektra/he/context.h"
#include "zektra/he/sampling.h"

namespace zektra::he {

struct SecretKey {
  std::vector<int8_t> coefficients;  // in {-1, 0, 1}
  RnsPoly ntt;                       // over the full basis (Q then P)
  uint64_t context_id = 0;

  SecretKey() = default;
  SecretKey(const SecretKey&) = default;
  SecretKey(SecretKey&&) = default;
  SecretKey& operator=(const SecretKey& other);
  SecretKey& operator=(SecretKey&& other) noexcept;
  ~SecretKey();
  void Wipe();
};

struct PublicKey {
  Seed seed{};  // a = CommonRandomPoly(seed, "public key")
  RnsPoly b;    // over Q (full chain)
  RnsPoly a;    // expanded from the seed, not serialized
  uint64_t context_id = 0;
};

struct KeySwitchKey {
  Seed seed{};             // a_j = CommonRandomPoly(seed, "key switch", j)
  std::vector<RnsPoly> b;  // one per digit, over Q·P
  std::vector<RnsPoly> a;  // expanded from the seed, not serialized
};

struct RelinKey {
  KeySwitchKey key;
  uint64_t context_id = 0;
};

struct GaloisKeys {
  std::map<uint64_t, KeySwitchKey> keys;  // by Galois element
  uint64_t context_id = 0;
  bool Has(uint64_t galois_element) const { return keys.count(galois_element) != 0; }
};

class KeyGenerator {
 public:
  explicit KeyGenerator(HeContextPtr context);

  SecretKey GenerateSecretKey() const;
  // From an existing ternary vector (deserialisation, tests).
  Result<SecretKey> SecretKeyFromCoefficients(std::span<const int8_t> coefficients) const;

  PublicKey GeneratePublicKey(const SecretKey& sk) const;
  PublicKey GeneratePublicKey(const SecretKey& sk, const Seed& seed) const;
  // -a·s + e over Q for the common a of `seed` (one party's share of a collective key).
  RnsPoly PublicKeyShare(const SecretKey& sk, const Seed& seed) const;

  RelinKey GenerateRelinKey(const SecretKey& sk) const;
  // Keys for left rotations by each step (negative steps rotate right) and, if asked,
  // conjugation.
  GaloisKeys GenerateGaloisKeys(const SecretKey& sk, std::span<const int64_t> steps,
                                bool conjugation) const;
  // Keys for ±2^i, enough to rotate by any step (Rotate composes them).
  GaloisKeys GeneratePowerOfTwoGaloisKeys(const SecretKey& sk, bool conjugation) const;

  // The uniform polynomial shared by all parties, expanded from a public seed.
  RnsPoly CommonRandomPoly(const Seed& seed, std::string_view label, size_t index,
                           bool over_q_and_p) const;
  // Completes a key-switch key's `a` parts from its seed (after deserialisation).
  void ExpandKeySwitchKey(KeySwitchKey& key) const;
  void ExpandPublicKey(PublicKey& key) const;

 private:
  // Key switching from s' (NTT form over the full basis) to sk.
  KeySwitchKey MakeKeySwitchKey(const SecretKey& sk, const RnsPoly& s_prime) const;

  HeContextPtr context_;
};

}  // namespace zektra::he
