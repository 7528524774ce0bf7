// `zektra verify` for proofs of training of softmax / mlp networks (pot/network_training_proof.h):
// verify_cmd.cc dispatches here when the container holds a network statement.
#pragma once

#include <optional>

#include "zektra/base/bytes.h"
#include "zektra/ml/model.h"
#include "zektra/pot/dataset_commitment.h"

namespace zektra::cli {

// Verifies, prints (or emits JSON) exactly like the linear verifier; returns the exit code.
int VerifyNetworkProofFile(const Bytes& bytes, const pot::DatasetCommitment* expected,
                           const ml::Model* model, bool json);

}  // namespace zektra::cli
