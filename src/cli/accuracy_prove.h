// The proof of test accuracy as the CLI runs it, shared by `zektra evaluate --prove` and
// `zektra train --prove RUN.zkp --test TEST.csv`: read the test set exactly as
// `zektra dataset commit DATA --label COL` reads it, reuse its commitment (and key) or commit
// it now, prove (pot/accuracy_proof.h) and write the proof file.
#pragma once

#include <string>

#include "zektra/base/bytes.h"
#include "zektra/base/status.h"
#include "zektra/ml/model.h"

namespace zektra::cli {

struct TestSetProofRequest {
  std::string data;   // CSV path or vault://DIR/NAME
  std::string label;  // label column
  // An existing TEST.commit (its key at commitment_key, default TEST.commit.key); empty:
  // commit now with a fresh key, written next to the proof as PROOF.commit (public) and
  // PROOF.commit.key (secret, 0600).
  std::string commitment, commitment_key;
  std::string proof_path;  // where the proof is written
};

struct TestSetProofResult {
  Bytes proof;
  std::string commitment_id, commitment_file;
  uint64_t correct = 0, total = 0;
  double seconds = 0;  // commit + prove + write
};

// BadInput when DATA is not the set committed in `commitment`; the prover's reasons otherwise.
Result<TestSetProofResult> ProveAccuracyOnTestSet(const ml::Model& model,
                                                  const TestSetProofRequest& request);

}  // namespace zektra::cli
