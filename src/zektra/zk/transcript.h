// The Fiat–Shamir transcript: turns an interactive protocol into a proof.
//
// Every message the prover sends is absorbed, with a label, before the verifier's next
// challenge is drawn; challenges are therefore a hash of everything said so far. The
// state is a SHA-256 chain:
//   absorb:  state ← H("zektra.absorb" || state || len(label) || label || kind || len(data) || data)
//   squeeze: out   ← H("zektra.squeeze" || state || len(label) || label || counter); state ← H(state || out)
// Lengths are u64 little-endian, so no two different absorb sequences hash alike.
//
// A transcript cannot be copied by accident (copying would let a prover replay a
// challenge); use Clone() when a fork is really meant. The constructor takes a protocol
// name for domain separation. Challenges are uniform: field elements are drawn by
// rejection sampling of 64-bit words.
//
// Prover and verifier must absorb exactly the same sequence; a mismatch in any label
// or byte gives different challenges, which makes the verifier reject.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "zektra/crypto/sha256.h"
#include "zektra/field/extension.h"

namespace zektra {

class Transcript {
 public:
  explicit Transcript(std::string_view protocol);
  Transcript(const Transcript&) = delete;
  Transcript& operator=(const Transcript&) = delete;
  Transcript(Transcript&&) = default;
  Transcript& operator=(Transcript&&) = default;

  Transcript Clone() const { return Transcript(state_, counter_); }

  void AbsorbBytes(std::string_view label, ByteSpan data);
  void AbsorbU64(std::string_view label, uint64_t value);
  void AbsorbDigest(std::string_view label, const Digest& digest);
  void AbsorbFp(std::string_view label, Fp value);
  void AbsorbFp2(std::string_view label, Fp2 value);
  void AbsorbFps(std::string_view label, std::span<const Fp> values);
  void AbsorbFp2s(std::string_view label, std::span<const Fp2> values);

  Fp ChallengeFp(std::string_view label);
  Fp2 ChallengeFp2(std::string_view label);
  std::vector<Fp2> ChallengeFp2s(std::string_view label, size_t n);
  // Uniform in [0, bound) without modulo bias (bound ≥ 1).
  uint64_t ChallengeIndex(std::string_view label, uint64_t bound);
  // n distinct indices in [0, bound), n ≤ bound, in the order drawn.
  std::vector<uint64_t> ChallengeDistinctIndices(std::string_view label, uint64_t bound, size_t n);

  const Digest& state() const { return state_; }

 private:
  Transcript(const Digest& state, uint64_t counter) : state_(state), counter_(counter) {}
  void Absorb(std::string_view label, uint8_t kind, ByteSpan data);
  uint64_t SqueezeU64(std::string_view label);

  Digest state_{};
  uint64_t counter_ = 0;
};

}  // namespace zektra
