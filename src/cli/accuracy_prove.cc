#include "cli/accuracy_prove.h"

#include <optional>

#include "cli/data_source.h"
#include "zektra/base/file_io.h"
#include "zektra/base/timer.h"
#include "zektra/pot/accuracy_proof.h"
#include "zektra/pot/dataset_commitment.h"

namespace zektra::cli {

Result<pot::CommittedModel> LoadOrCommitModel(const ml::Model& model,
                                              const std::string& commitment_path,
                                              const std::string& key_path,
                                              const std::string& out_path, std::string* written) {
  if (!commitment_path.empty()) {
    ZK_ASSIGN_OR_RETURN(pot::ModelCommitment c, pot::LoadModelCommitment(commitment_path));
    ZK_ASSIGN_OR_RETURN(
        pot::ModelSecret secret,
        pot::LoadModelSecret(key_path.empty() ? commitment_path + ".key" : key_path, c));
    Status same = pot::CheckModelMatchesCommitmentPublicPart(model, c);
    if (!same.ok()) return Status::BadInput(same.message() + " (" + commitment_path + ")");
    ZK_ASSIGN_OR_RETURN(pot::CommittedModel cm,
                        pot::CommitModel(model, secret, c.pcs.params.max_openings));
    if (!(cm.commitment.Id() == c.Id()))
      return Status::BadInput("the model's weights are not the ones committed in " +
                              commitment_path);
    if (written) *written = commitment_path;
    return cm;
  }
  pot::ModelSecret secret = pot::ModelSecret::Fresh();
  ZK_ASSIGN_OR_RETURN(pot::CommittedModel cm, pot::CommitModel(model, secret));
  ZK_RETURN_IF_ERROR(pot::SaveModelSecret(out_path + ".key", secret, cm.commitment));
  ZK_RETURN_IF_ERROR(pot::SaveModelCommitment(out_path, cm.commitment));
  if (written) *written = out_path;
  return cm;
}

Result<TestSetProofResult> ProveAccuracyOnTestSet(const ml::Model& model,
                                                  const TestSetProofRequest& req) {
  Timer timer;
  ml::CsvOptions csv;
  csv.label = req.label;
  pot::DatasetSecret secret = pot::DatasetSecret::Fresh();
  ZK_ASSIGN_OR_RETURN(ml::Table table, LoadTableForCli(req.data, csv, &secret));
  TestSetProofResult out;
  std::string key_path = req.commitment_key;
  out.commitment_file = req.commitment;
  uint32_t max_openings = pot::kDefaultDatasetMaxOpenings;
  std::optional<pot::DatasetCommitment> expected;
  if (!req.commitment.empty()) {
    if (key_path.empty()) key_path = req.commitment + ".key";
    ZK_ASSIGN_OR_RETURN(pot::DatasetCommitment c, pot::LoadDatasetCommitment(req.commitment));
    ZK_ASSIGN_OR_RETURN(secret, pot::LoadDatasetSecret(key_path, c));
    max_openings = c.pcs.params.max_openings;
    expected = c;
  }
  ZK_ASSIGN_OR_RETURN(pot::CommittedDataset committed,
                      pot::CommitDataset(table, secret, model.fraction_bits, max_openings));
  if (expected && !(expected->Id() == committed.commitment.Id()))
    return Status::BadInput(req.data + " is not the test set committed in " + req.commitment);
  if (!expected) {
    out.commitment_file = req.proof_path + ".commit";
    key_path = out.commitment_file + ".key";
    ZK_RETURN_IF_ERROR(pot::SaveDatasetSecret(key_path, secret, committed.commitment));
    ZK_RETURN_IF_ERROR(pot::SaveDatasetCommitment(out.commitment_file, committed.commitment));
  }
  out.commitment_id = committed.commitment.IdHex();
  if (req.model_commitment) {
    ZK_ASSIGN_OR_RETURN(out.proof, pot::ProveTestAccuracyPrivateModel(model, *req.model_commitment,
                                                                      table, committed));
  } else {
    ZK_ASSIGN_OR_RETURN(out.proof, pot::ProveTestAccuracy(model, table, committed));
  }
  ZK_RETURN_IF_ERROR(WriteFileAtomic(req.proof_path, ByteSpan(out.proof)));
  ZK_ASSIGN_OR_RETURN(pot::AccuracyStatement st, pot::ReadAccuracyStatement(out.proof));
  out.correct = st.correct;
  out.total = st.total;
  out.seconds = timer.Seconds();
  return out;
}

}  // namespace zektra::cli
