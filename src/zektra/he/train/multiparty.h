// N-out-of-N multiparty CKKS (Mouchet, Troncoso-Pastoriza, Bossuat, Hubaux, PETS 2021):
// the collective secret is s = Σ_i s_i, held by nobody; keys are built from shares.
//
// Session: parameters, a public 32-byte common random seed and the number of parties.
// Every uniform polynomial is expanded from a seed derived from it (public key, each
// Galois key, the relinearisation protocol), so all parties and the combiner agree on
// them without exchanging them. The session id (SHA-256 of the session file) is stamped
// on every share, with the party's index, so shares of another session or of a
// non-member are refused.
//
// Round 1 (each party i, one message): a fresh secret s_i and an ephemeral u_i (both
// ternary, kept in the party's secret file);
//   public key share  p_i = −a·s_i + e_i,
//   Galois key share  for each element g and digit j: −a_gj·s_i + e + w_j·s_i(X^g),
//   relinearisation   h0_ij = −u_i·a_j + w_j·s_i + e,  h1_ij = s_i·a_j + e',
// where w_j = P·g_j is the hybrid key-switching gadget (docs/HE.md). Combining adds the
// shares: (Σp_i, a) is a public key for s, the Galois keys switch s(X^g) → s, and
// (h0, h1) = (Σh0_i, Σh1_i).
// Round 2 (relinearisation only): h0'_ij = s_i·h0_j + e, h1'_ij = (u_i − s_i)·h1_j + e'.
// Then b_j = Σ(h0'_ij + h1'_ij) = −s·h1_j + s²·w_j + noise and (b_j, h1_j) is a
// relinearisation key for s (its `a` part is h1, which is why its file stores `a`).
//
// Decryption of a ciphertext (c0, c1): each party publishes d_i = c1·s_i + E_i with E_i
// smudging noise of standard deviation 2^log2_sigma (hiding s_i and the ciphertext noise);
// anyone computes c0 + Σ d_i = m + noise. Missing any one share leaves a term c1·s_j,
// uniformly distributed: the result is unrelated to m.
//
// Secrets (s_i, u_i) are SecretKey objects (wiped on destruction); files 0600.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "zektra/crypto/sha256.h"
#include "zektra/he/keys.h"

namespace zektra::he::train {

struct Session {
  CkksParameters params;
  Seed common_seed{};
  uint32_t parties = 0;
  int iterations = 0;  // the training depth the parameters were chosen for

  Digest Id() const;  // SHA-256 of SerializeSession
};
Bytes SerializeSession(const Session& s);
Result<Session> ParseSession(ByteSpan bytes, const std::string& where);
// A session for `parties` owners and runs of up to `iterations` iterations.
Result<Session> NewSession(uint32_t parties, int iterations);

struct PartySecret {
  uint32_t index = 0;
  SecretKey s;  // the party's share of the collective secret
  SecretKey u;  // ephemeral secret of the relinearisation protocol
};
Bytes SerializePartySecret(const HeContext& context, const Digest& session_id,
                           const PartySecret& p);
Result<PartySecret> ParsePartySecret(const HeContextPtr& context, const Digest& session_id,
                                     ByteSpan bytes, const std::string& where);

struct KeyShare {  // round 1
  Digest session_id{};
  uint32_t index = 0;
  RnsPoly public_key;                               // over Q
  std::vector<RnsPoly> relin_h0, relin_h1;          // per digit, over Q·P
  std::map<uint64_t, std::vector<RnsPoly>> galois;  // element -> per digit, over Q·P
};
struct RelinShare {  // round 2
  Digest session_id{};
  uint32_t index = 0;
  std::vector<RnsPoly> h0, h1;
};
// The aggregate of round 1, what round 2 needs (public).
struct RelinRound1 {
  Digest session_id{};
  std::vector<RnsPoly> h0, h1;
};
struct DecryptionShare {
  Digest session_id{};
  uint32_t index = 0;
  Digest ciphertext_digest{};  // SHA-256 of the serialized ciphertext it decrypts
  size_t level = 0;
  RnsPoly d;
};

class Party {
 public:
  Party(HeContextPtr context, const Session& session);
  // A fresh secret and its round-1 share (rotation keys for `rotation_steps`).
  KeyShare GenerateKeyShare(uint32_t index, const std::vector<int64_t>& rotation_steps,
                            PartySecret* secret) const;
  Result<RelinShare> GenerateRelinShare(const PartySecret& secret, const RelinRound1& round1) const;
  Result<DecryptionShare> DecryptShare(const PartySecret& secret, const Ciphertext& ct,
                                       double log2_sigma) const;

 private:
  HeContextPtr context_;
  Session session_;
  Digest session_id_;
};

// Combiners: refuse a share of another session, from a non-member (index ≥ parties),
// twice from one party, or a missing party, naming it.
struct CollectiveKeys {
  PublicKey public_key;
  GaloisKeys galois;
  RelinRound1 round1;
};
Result<CollectiveKeys> CombineKeyShares(const HeContextPtr& context, const Session& session,
                                        const std::vector<KeyShare>& shares);
Result<RelinKey> CombineRelinShares(const HeContextPtr& context, const Session& session,
                                    const RelinRound1& round1,
                                    const std::vector<RelinShare>& shares);
// c0 + Σ d_i after the checks; the plaintext at the ciphertext's level and scale.
Result<Plaintext> CombineDecryption(const HeContextPtr& context, const Session& session,
                                    const Ciphertext& ct,
                                    const std::vector<DecryptionShare>& shares);
// c0 + Σ d_i over whatever shares are given, no membership checks: for tests showing
// that fewer than N shares reveal nothing.
Plaintext AddDecryptionShares(const HeContext& context, const Ciphertext& ct,
                              const std::vector<DecryptionShare>& shares);

// Smudging width for publishing a decryption of `ct`: 2^(log2 scale − 20), i.e. the
// decoded values keep about 20 − log2(√N) bits after the point (docs/HE_TRAINING.md).
double SmudgingLog2Sigma(const Ciphertext& ct);

Digest CiphertextDigest(const HeContext& context, const Ciphertext& ct);

// Files: magic "ZKMS" session, "ZKPS" party secret, "ZKS1" key share, "ZKR1" relin
// round-1 aggregate, "ZKS2" relin share, "ZKDS" decryption share.
Bytes SerializeKeyShare(const HeContext& c, const KeyShare& s);
Result<KeyShare> ParseKeyShare(const HeContext& c, ByteSpan bytes, const std::string& where);
Bytes SerializeRelinShare(const HeContext& c, const RelinShare& s);
Result<RelinShare> ParseRelinShare(const HeContext& c, ByteSpan bytes, const std::string& where);
Bytes SerializeRelinRound1(const HeContext& c, const RelinRound1& s);
Result<RelinRound1> ParseRelinRound1(const HeContext& c, ByteSpan bytes, const std::string& where);
Bytes SerializeDecryptionShare(const HeContext& c, const DecryptionShare& s);
Result<DecryptionShare> ParseDecryptionShare(const HeContext& c, ByteSpan bytes,
                                             const std::string& where);
// The magic of a file (to tell share kinds apart), 0 when shorter than 4 bytes.
uint32_t FileMagic(ByteSpan bytes);
uint32_t KeyShareMagic();
uint32_t RelinShareMagic();

}  // namespace zektra::he::train
