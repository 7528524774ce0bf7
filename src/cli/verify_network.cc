#include "cli/verify_network.h"

#include <cstdio>

#include "cli/command.h"
#include "zektra/base/timer.h"
#include "zektra/crypto/sha256.h"
#include "zektra/pot/network_training_proof.h"

namespace zektra::cli {

int VerifyNetworkProofFile(const Bytes& bytes, const pot::DatasetCommitment* expected,
                           const ml::Model* model, bool json) {
  Timer timer;
  pot::NetworkVerifyOutcome v = pot::VerifyNetworkTraining(bytes, expected);
  const double seconds = timer.Seconds();
  Status status = v.status;
  if (status.ok() && model) {
    status = pot::CheckModelMatchesNetworkStatement(*model, *v.statement);
    if (status.ok() && !model->proof_hash.empty() &&
        model->proof_hash != ToHex(Sha256::Hash(bytes))) {
      status = Status::Rejected("model file: its proof_hash is not this proof's");
    }
  }
  if (json) {
    nlohmann::json j{{"accepted", status.ok()},
                     {"reason", status.ok() ? "" : status.message()},
                     {"verify_seconds", seconds},
                     {"proof_bytes", bytes.size()}};
    if (v.statement) j["statement"] = v.statement->ToJson();
    PrintJson(j);
  } else {
    if (v.statement) {
      const auto& st = *v.statement;
      std::printf("dataset     %s (%llu rows x %llu features, label '%s')\n",
                  st.dataset.IdHex().c_str(), static_cast<unsigned long long>(st.dataset.rows),
                  static_cast<unsigned long long>(st.dataset.features),
                  st.dataset.label_name.c_str());
      std::printf("model       %s, %llu classes, fixed point F=%d\n", st.spec.ToString().c_str(),
                  static_cast<unsigned long long>(st.classes), st.fraction_bits);
      std::printf(
          "training    %llu epochs, batch %llu, lr %g (%s), seed %llu, test split %g "
          "(label-independent)\n",
          static_cast<unsigned long long>(st.epochs), static_cast<unsigned long long>(st.batch),
          st.lr, st.schedule == ml::LrSchedule::kStep ? "step" : "constant",
          static_cast<unsigned long long>(st.seed), st.test_split);
      for (size_t l = 0; l < st.final_layers.size(); ++l) {
        std::printf("layer %zu     %zu -> %zu\n", l, st.final_layers[l].inputs,
                    st.final_layers[l].outputs);
      }
    }
    if (status.ok()) {
      std::printf("ACCEPT  (%.3f s, %zu-byte proof)\n", seconds, bytes.size());
    } else {
      std::printf("REJECT  %s\n", status.message().c_str());
    }
  }
  return status.ok() ? kExitOk : kExitRejected;
}

}  // namespace zektra::cli
