// The proof of test accuracy as the CLI runs it, shared by `zektra evaluate --prove` and
// `zektra train --prove RUN.zkp --test TEST.csv`: read the test set exactly as
// `zektra dataset commit DATA --label COL` reads it, reuse its commitment (and key) or commit
// it now, prove (pot/accuracy_proof.h) and write the proof file.
#pragma once

#include <string>

#include "zektra/base/bytes.h"
#include "zektra/base/status.h"
#include "zektra/ml/model.h"
#include "zektra/pot/model_commitment.h"

namespace zektra::cli {

struct TestSetProofRequest {
  std::string data;   // CSV path or vault://DIR/NAME
  std::string label;  // label column
  // An existing TEST.commit (its key at commitment_key, default TEST.commit.key); empty:
  // commit now with a fresh key, written next to the proof as PROOF.commit (public) and
  // PROOF.commit.key (secret, 0600).
  std::string commitment, commitment_key;
  std::string proof_path;  // where the proof is written
  // Private model: prove against this commitment (the statement holds it, not the weights).
  const pot::CommittedModel* model_commitment = nullptr;
};

struct TestSetProofResult {
  Bytes proof;
  std::string commitment_id, commitment_file;
  uint64_t correct = 0, total = 0;
  double seconds = 0;  // commit + prove + write
};

// The private model's commitment for `evaluate --private-model`: with `commitment_path`, that
// MODEL.commit re-built from its key (`key_path`, default MODEL.commit.key), BadInput when the
// model is not the committed one; without, a fresh commitment written to `out_path` and its key
// to out_path + ".key" (0600). `*written` receives the commitment file's path.
Result<pot::CommittedModel> LoadOrCommitModel(const ml::Model& model,
                                              const std::string& commitment_path,
                                              const std::string& key_path,
                                              const std::string& out_path, std::string* written);

// BadInput when DATA is not the set committed in `commitment`; the prover's reasons otherwise.
Result<TestSetProofResult> ProveAccuracyOnTestSet(const ml::Model& model,
                                                  const TestSetProofRequest& request);

}  // namespace zektra::cli
