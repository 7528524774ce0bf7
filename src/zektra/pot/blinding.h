// Pieces shared by the zero-knowledge proofs of training (pot/network_training_proof.h; the
// linear proof, pot/training_proof.cc, has its own copies of the same two ideas and can move
// onto these).
//
// RandomFields: uniform field elements for a blinding half, drawn from libsodium in blocks
// (one call per element is slow) and wiped when done.
//
// Witness-masked sumcheck: the masked sumcheck of zk/sumcheck_zk.h (Libra-style: the prover
// proves Σ f + ρ·Σ g for a random mask polynomial g of the same shape) with g committed as a
// column of the caller's witness polynomial instead of in a commitment of its own. The caller
// commits the witness (and with it every mask) before the sumcheck's challenges exist, and
// batches the mask claims g_k(r_k) (at MaskOpeningPoint) with its other column claims into its
// one opening; so a proof with many sumchecks pays for no extra commitment or opening. The
// transcript is the one of zk/sumcheck_zk.h without the mask commitment (it is inside the
// witness commitment absorbed earlier). Zero knowledge and soundness as in zk/sumcheck_zk.h.
//
// Cost: the sumcheck's, plus O(n·d) for the mask's messages.
#pragma once

#include <span>
#include <vector>

#include "zektra/base/serialize.h"
#include "zektra/crypto/random.h"
#include "zektra/zk/sumcheck_zk.h"

namespace zektra::pot {

class RandomFields {
 public:
  RandomFields() = default;
  RandomFields(const RandomFields&) = delete;
  RandomFields& operator=(const RandomFields&) = delete;
  ~RandomFields() { SecureWipe(buf_); }
  Fp Next() {
    if (pos_ == buf_.size()) {
      SecureWipe(buf_);
      buf_ = RandomFpVector(size_t{1} << 14);
      pos_ = 0;
    }
    return buf_[pos_++];
  }

 private:
  std::vector<Fp> buf_;
  size_t pos_ = 0;
};

struct WitnessMaskedSumcheckProof {
  Fp2 mask_sum;                                  // G = Σ g
  std::vector<std::vector<Fp2>> round_messages;  // of f + ρ·g, at 0, 2, …, d
  std::vector<Fp2> final_values;                 // f_i(r), for the caller
  std::vector<Fp2> mask_values;                  // g_k(r_k), claims on the mask column

  void Write(ByteWriter& w) const;
  static Result<WitnessMaskedSumcheckProof> Read(ByteReader& r);
};

// Proves Σ_b shape(f(b)) = sum with `mask` (of the shape's variables and degree).
WitnessMaskedSumcheckProof ProveWitnessMaskedSumcheck(const SumcheckMask& mask,
                                                      const SumOfProducts& shape,
                                                      std::span<const MultilinearRef> inputs,
                                                      Fp2 sum, Transcript& transcript,
                                                      SumcheckClaim* claim);
// On success the point and f_i(point); the caller must still prove the mask claims
// (MaskClaimPoints with proof.mask_values) on the committed mask column.
Result<SumcheckClaim> VerifyWitnessMaskedSumcheck(const SumOfProducts& shape, Fp2 sum,
                                                  const WitnessMaskedSumcheckProof& proof,
                                                  Transcript& transcript);
// The points of the mask column at which its values are mask_values[k].
std::vector<std::vector<Fp2>> MaskClaimPoints(size_t num_variables, size_t degree,
                                              std::span<const Fp2> point);

}  // namespace zektra::pot
