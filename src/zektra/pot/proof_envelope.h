// The sections that every zero-knowledge proof of training ships (linear and network; the proof
// of test accuracy masks each sumcheck with a commitment of its own and keeps its own
// envelope, pot/accuracy_proof.cc): the statement's bytes, the hiding commitments to the
// packed witness and to the lookups' helper columns, the revealed evaluations, the relation
// sumchecks (each masked by a witness column, pot/blinding.h), the batching sumcheck (masked by
// its own commitment) and the one PCS opening. Each proof keeps its own section tags and
// container kind (so a container is recognised by them) and its own bound on the number of
// sumchecks; the encoding of every section is shared here.
//
// Decoding untrusted bytes never aborts: every length is bounded, and a missing or malformed
// section is BadInput naming it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "zektra/base/status.h"
#include "zektra/pot/blinding.h"
#include "zektra/pot/dataset_commitment.h"
#include "zektra/pot/packed_witness.h"
#include "zektra/zk/pcs.h"
#include "zektra/zk/proof_format.h"

namespace zektra::pot {

struct WitnessProofSections {
  Bytes statement_bytes;
  PcsCommitment witness_commitment, helper_commitment;
  std::vector<Fp2> evaluations;
  std::vector<WitnessMaskedSumcheckProof> sumchecks;
  PotMaskedProof batch;
  PcsOpeningProof opening;
};

// The container section tags of one proof kind.
struct WitnessProofTags {
  uint32_t statement, witness_commitment, helper_commitment, evaluations, sumchecks, opening;
};

Bytes EncodeWitnessProof(ProofKind kind, const WitnessProofTags& tags,
                         const WitnessProofSections& proof);

// `what` names the proof in errors ("proof of training"); at most `max_sumchecks` relation
// sumchecks and 4096 evaluations are accepted.
Result<WitnessProofSections> DecodeWitnessProof(ByteSpan bytes, ProofKind kind,
                                                const WitnessProofTags& tags,
                                                uint64_t max_sumchecks, const std::string& what);

// The verify entry point's common part: decode, parse the statement (kept in the outcome even
// when the proof is then rejected, for `zektra verify` to print), check that the proof is about
// `expected_dataset` when one is given, then run the proof's own `check(sections, statement)`.
// Outcome has `status` and `std::optional<Statement> statement`; Statement has `Parse(bytes)`
// and a `dataset` commitment.
template <typename Outcome, typename Statement, typename Check>
Outcome VerifyWitnessProof(Result<WitnessProofSections> decoded,
                           const DatasetCommitment* expected_dataset, Check check) {
  Outcome out;
  if (!decoded.ok()) {
    out.status = decoded.status();
    return out;
  }
  auto st = Statement::Parse(decoded->statement_bytes);
  if (!st.ok()) {
    out.status = st.status();
    return out;
  }
  out.statement = *st;
  if (expected_dataset && !(expected_dataset->Id() == st->dataset.Id())) {
    out.status = Status::Rejected("the proof is about dataset " + st->dataset.IdHex() + ", not " +
                                  expected_dataset->IdHex());
    return out;
  }
  out.status = check(*decoded, *st);
  return out;
}

}  // namespace zektra::pot
