#include "zektra/pot/proof_envelope.h"

namespace zektra::pot {

Bytes EncodeWitnessProof(ProofKind kind, const WitnessProofTags& tags,
                         const WitnessProofSections& proof) {
  ProofContainer c(kind);
  c.Set(tags.statement, proof.statement_bytes);
  c.Set(tags.witness_commitment, proof.witness_commitment.Serialize());
  c.Set(tags.helper_commitment, proof.helper_commitment.Serialize());
  {
    ByteWriter w;
    WriteFp2Vector(w, proof.evaluations);
    c.Set(tags.evaluations, w.Take());
  }
  {
    ByteWriter w;
    w.U64(proof.sumchecks.size());
    for (const auto& sc : proof.sumchecks) sc.Write(w);
    proof.batch.Write(PotScheme{}, w);
    c.Set(tags.sumchecks, w.Take());
  }
  c.Set(tags.opening, proof.opening.Serialize());
  return c.Encode();
}

Result<WitnessProofSections> DecodeWitnessProof(ByteSpan bytes, ProofKind kind,
                                                const WitnessProofTags& tags,
                                                uint64_t max_sumchecks, const std::string& what) {
  ZK_ASSIGN_OR_RETURN(ProofContainer c, ProofContainer::Parse(bytes));
  if (c.kind() != kind) {
    return Status::BadInput("not a " + what + " (kind " + std::string(ProofKindName(c.kind())) +
                            ")");
  }
  WitnessProofSections p;
  ZK_ASSIGN_OR_RETURN(ByteSpan st, c.Require(tags.statement, "statement"));
  p.statement_bytes.assign(st.begin(), st.end());
  ZK_ASSIGN_OR_RETURN(ByteSpan wc, c.Require(tags.witness_commitment, "witness commitment"));
  ZK_ASSIGN_OR_RETURN(p.witness_commitment, PcsCommitment::Parse(wc));
  ZK_ASSIGN_OR_RETURN(ByteSpan hc, c.Require(tags.helper_commitment, "helper commitment"));
  ZK_ASSIGN_OR_RETURN(p.helper_commitment, PcsCommitment::Parse(hc));
  {
    ZK_ASSIGN_OR_RETURN(ByteSpan b, c.Require(tags.evaluations, "evaluations"));
    ByteReader r(b);
    p.evaluations = ReadFp2Vector(r, "evaluations", 4096);
    ZK_RETURN_IF_ERROR(r.Finish("evaluations section"));
  }
  {
    ZK_ASSIGN_OR_RETURN(ByteSpan b, c.Require(tags.sumchecks, "sumchecks"));
    ByteReader r(b);
    const uint64_t n = r.Count("sumchecks", 16, max_sumchecks);
    for (uint64_t i = 0; i < n && r.ok(); ++i) {
      ZK_ASSIGN_OR_RETURN(WitnessMaskedSumcheckProof sc, WitnessMaskedSumcheckProof::Read(r));
      p.sumchecks.push_back(std::move(sc));
    }
    if (!r.ok()) return r.status();
    ZK_ASSIGN_OR_RETURN(p.batch, PotMaskedProof::Read(PotScheme{}, r));
    ZK_RETURN_IF_ERROR(r.Finish("sumchecks section"));
  }
  {
    ZK_ASSIGN_OR_RETURN(ByteSpan b, c.Require(tags.opening, "opening"));
    ZK_ASSIGN_OR_RETURN(p.opening, ParsePcsOpeningProof(b));
  }
  return p;
}

}  // namespace zektra::pot
