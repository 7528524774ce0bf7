// The Ligero PCS (zk/pcs.h) as a PolynomialCommitmentScheme for the masked sumcheck.
//
// A thin adapter: parameters come from ChoosePcsParams for the committed length (hiding by
// default, one opening, as the masked sumcheck opens its mask exactly once), commitments are
// absorbed as their serialized bytes, claims are passed through. In hiding mode the opening
// reveals only the claimed values g_k(r_k), which is what the masked sumcheck's
// zero-knowledge argument needs (zk/sumcheck_zk.h). PcsVerify refuses claims whose point
// dimension does not match the commitment, so a mask committed with the wrong number of
// variables is rejected, and refuses parameters below its security floor.
#pragma once

#include <bit>

#include "zektra/zk/pcs.h"
#include "zektra/zk/sumcheck_zk.h"

namespace zektra {

struct LigeroCommitmentScheme {
  using Commitment = PcsCommitment;
  using ProverData = PcsProverData;
  using OpeningProof = PcsOpeningProof;

  bool hiding = true;
  double target_bits = 100;

  ProverData Commit(std::span<const Fp> evaluations) const {
    const int log_size = std::countr_zero(evaluations.size());
    return PcsCommit(evaluations, ChoosePcsParams(log_size, hiding, target_bits, 1));
  }
  Commitment CommitmentOf(const ProverData& data) const { return data.commitment(); }
  void AbsorbCommitment(const Commitment& commitment, Transcript& transcript) const {
    transcript.AbsorbBytes("zksumcheck.pcs_commitment", commitment.Serialize());
  }
  OpeningProof Open(std::span<const ProverData* const> polys,
                    std::span<const CommittedEvaluationClaim> claims, Transcript& transcript) const {
    std::vector<PcsClaim> pcs_claims = ToPcsClaims(claims);
    return PcsOpen(polys, pcs_claims, transcript);
  }
  Status Verify(std::span<const Commitment> commitments,
                std::span<const CommittedEvaluationClaim> claims, const OpeningProof& proof,
                Transcript& transcript) const {
    std::vector<PcsClaim> pcs_claims = ToPcsClaims(claims);
    return PcsVerify(commitments, pcs_claims, proof, transcript, target_bits);
  }
  void WriteCommitment(const Commitment& commitment, ByteWriter& out) const { commitment.Write(out); }
  Result<Commitment> ReadCommitment(ByteReader& in) const { return PcsCommitment::Read(in); }
  void WriteProof(const OpeningProof& proof, ByteWriter& out) const { proof.Write(out); }
  Result<OpeningProof> ReadProof(ByteReader& in) const { return ParsePcsOpeningProof(in); }

  static std::vector<PcsClaim> ToPcsClaims(std::span<const CommittedEvaluationClaim> claims) {
    std::vector<PcsClaim> out;
    out.reserve(claims.size());
    for (const auto& c : claims) out.push_back({c.poly_index, c.point, c.value});
    return out;
  }
};
static_assert(PolynomialCommitmentScheme<LigeroCommitmentScheme>);

}  // namespace zektra
