#include "zektra/pot/blinding.h"

namespace zektra::pot {

void WitnessMaskedSumcheckProof::Write(ByteWriter& w) const {
  WriteFp2(w, mask_sum);
  w.U64(round_messages.size());
  for (const auto& m : round_messages) WriteFp2Vector(w, m);
  WriteFp2Vector(w, final_values);
  WriteFp2Vector(w, mask_values);
}

Result<WitnessMaskedSumcheckProof> WitnessMaskedSumcheckProof::Read(ByteReader& r) {
  WitnessMaskedSumcheckProof p;
  p.mask_sum = ReadFp2(r, "sumcheck mask sum");
  const uint64_t rounds = r.Count("sumcheck rounds", 8, 64);
  for (uint64_t i = 0; i < rounds && r.ok(); ++i)
    p.round_messages.push_back(ReadFp2Vector(r, "sumcheck round", 8));
  p.final_values = ReadFp2Vector(r, "sumcheck final values", 64);
  p.mask_values = ReadFp2Vector(r, "sumcheck mask values", 64);
  if (!r.ok()) return r.status();
  return p;
}

WitnessMaskedSumcheckProof ProveWitnessMaskedSumcheck(const SumcheckMask& mask,
                                                      const SumOfProducts& shape,
                                                      std::span<const MultilinearRef> inputs,
                                                      Fp2 sum, Transcript& transcript,
                                                      SumcheckClaim* claim) {
  const size_t n = shape.num_variables, d = shape.Degree();
  WitnessMaskedSumcheckProof proof;
  proof.mask_sum = mask.Sum();
  internal::AbsorbMaskedHeader(shape, sum, transcript);
  transcript.AbsorbFp2("zksumcheck.mask_sum", proof.mask_sum);
  const Fp2 rho = transcript.ChallengeFp2("zksumcheck.rho");
  SumcheckProver prover(shape, inputs);
  std::vector<Fp2> point;
  Fp2 bound = Fp2::Zero();  // Σ_{k<i} g_k(r_k)
  for (size_t i = 0; i < n; ++i) {
    std::vector<Fp2> message = prover.RoundMessage();
    const std::vector<Fp2> masked = mask.RoundMessage(i, bound);
    for (size_t j = 0; j < d; ++j) message[j] += rho * masked[j];
    transcript.AbsorbFp2s("sumcheck.round", message);
    const Fp2 r = transcript.ChallengeFp2("sumcheck.challenge");
    prover.Bind(r);
    const Fp2 g = mask.Evaluate(i, r);
    bound += g;
    proof.mask_values.push_back(g);
    proof.round_messages.push_back(std::move(message));
    point.push_back(r);
  }
  proof.final_values = prover.FinalValues();
  transcript.AbsorbFp2s("zksumcheck.final", proof.final_values);
  transcript.AbsorbFp2s("zksumcheck.mask_values", proof.mask_values);
  if (claim) *claim = {std::move(point), proof.final_values};
  return proof;
}

Result<SumcheckClaim> VerifyWitnessMaskedSumcheck(const SumOfProducts& shape, Fp2 sum,
                                                  const WitnessMaskedSumcheckProof& proof,
                                                  Transcript& transcript) {
  ZK_RETURN_IF_ERROR(shape.Validate());
  const size_t n = shape.num_variables, d = shape.Degree();
  internal::AbsorbMaskedHeader(shape, sum, transcript);
  transcript.AbsorbFp2("zksumcheck.mask_sum", proof.mask_sum);
  const Fp2 rho = transcript.ChallengeFp2("zksumcheck.rho");
  ZK_ASSIGN_OR_RETURN(RoundsOutcome rounds, VerifySumcheckRounds(n, d, sum + rho * proof.mask_sum,
                                                                 proof.round_messages, transcript));
  if (proof.final_values.size() != shape.num_multilinears || proof.mask_values.size() != n)
    return Status::Rejected("masked sumcheck: wrong number of final or mask values");
  transcript.AbsorbFp2s("zksumcheck.final", proof.final_values);
  transcript.AbsorbFp2s("zksumcheck.mask_values", proof.mask_values);
  Fp2 mask_at_point = Fp2::Zero();
  for (Fp2 v : proof.mask_values) mask_at_point += v;
  if (shape.Combine(proof.final_values) + rho * mask_at_point != rounds.final_claim)
    return Status::Rejected("masked sumcheck final check failed");
  return SumcheckClaim{std::move(rounds.point), proof.final_values};
}

std::vector<std::vector<Fp2>> MaskClaimPoints(size_t num_variables, size_t degree,
                                              std::span<const Fp2> point) {
  std::vector<std::vector<Fp2>> out;
  for (size_t k = 0; k < num_variables && k < point.size(); ++k)
    out.push_back(MaskOpeningPoint(num_variables, degree, k, point[k]));
  return out;
}

}  // namespace zektra::pot
