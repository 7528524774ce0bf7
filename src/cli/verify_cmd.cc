// `zektra verify RUN.zkp [--model MODEL.json] [--commitment DATA.commit]`: checks a proof of
// training and prints its statement; exit 0 ACCEPT, 1 REJECT, 3 unreadable input.
#include <cstdio>

#include "cli/command.h"
#include "cli/verify_network.h"
#include "zektra/base/file_io.h"
#include "zektra/base/timer.h"
#include "zektra/pot/accuracy_proof.h"
#include "zektra/pot/network_training_proof.h"
#include "zektra/pot/training_proof.h"
#include "zektra/zk/proof_format.h"

namespace zektra::cli {
namespace {

struct VerifyArgs {
  std::string proof, model, commitment, model_commitment;
  bool json = false;
};

void PrintStatement(const pot::TrainingStatement& st) {
  ml::FixedPointFormat fp;
  std::printf("dataset     %s (%llu rows x %llu features, label '%s')\n",
              st.dataset.IdHex().c_str(), static_cast<unsigned long long>(st.dataset.rows),
              static_cast<unsigned long long>(st.dataset.features), st.dataset.label_name.c_str());
  std::printf("model       %s, fixed point F=%d\n",
              st.kind == ml::ModelKind::kLinReg ? "linreg" : "logreg", st.fraction_bits);
  std::printf(
      "training    %llu epochs, batch %llu, lr %g (%s), seed %llu, test split %g "
      "(label-independent)\n",
      static_cast<unsigned long long>(st.epochs), static_cast<unsigned long long>(st.batch), st.lr,
      st.schedule == ml::LrSchedule::kStep ? "step" : "constant",
      static_cast<unsigned long long>(st.seed), st.test_split);
  std::printf("weights    ");
  for (size_t j = 0; j < st.final_weights.size(); ++j) {
    if (j == 8) {
      std::printf(" ... (%zu in all)", st.final_weights.size());
      break;
    }
    std::printf(" %.4f", fp.ToReal(st.final_weights[j]));
  }
  std::printf("\nbias        %.4f\n", fp.ToReal(st.final_bias));
}

// A proof of test accuracy (or of inference): prints the statement and "k/n correct on test
// set <commitment>" (or the predictions), then ACCEPT / REJECT.
int RunAccuracy(const VerifyArgs& a, const Bytes& bytes) {
  std::optional<pot::DatasetCommitment> expected;
  if (!a.commitment.empty()) {
    auto c = pot::LoadDatasetCommitment(a.commitment);
    if (!c.ok()) return ReportError(c.status(), a.json);
    expected = *c;
  }
  std::optional<pot::ModelCommitment> expected_model;
  if (!a.model_commitment.empty()) {
    auto c = pot::LoadModelCommitment(a.model_commitment);
    if (!c.ok()) return ReportError(c.status(), a.json);
    expected_model = *c;
  }
  std::optional<ml::Model> model;
  if (!a.model.empty()) {
    auto m = ml::LoadModel(a.model);
    if (!m.ok()) return ReportError(m.status(), a.json);
    model = std::move(*m);
  }
  Timer timer;
  pot::AccuracyVerifyOutcome v = pot::VerifyAccuracy(bytes, expected ? &*expected : nullptr,
                                                     expected_model ? &*expected_model : nullptr);
  const double seconds = timer.Seconds();
  Status status = v.status;
  if (status.ok() && model) status = pot::CheckModelMatchesAccuracyStatement(*model, *v.statement);
  if (a.json) {
    nlohmann::json j{{"accepted", status.ok()},
                     {"reason", status.ok() ? "" : status.message()},
                     {"verify_seconds", seconds},
                     {"proof_bytes", bytes.size()}};
    if (v.statement) {
      j["statement"] = v.statement->ToJson();
      j["total"] = v.statement->total;
      j["model_commitment"] = v.statement->model_commitment
                                  ? nlohmann::json(v.statement->model_commitment->IdHex())
                                  : nlohmann::json();
      if (v.statement->test_set) {
        j["correct"] = v.statement->correct;
        j["accuracy"] = v.statement->accuracy();
      } else {
        j["predictions"] = v.statement->predictions;
      }
    }
    PrintJson(j);
  } else {
    if (v.statement) {
      const auto& st = *v.statement;
      if (st.model_commitment) {
        std::printf("model %s (private: %s, %s output, %zu features)\n",
                    st.model_commitment->IdHex().c_str(), st.model_spec.c_str(),
                    ml::OutputKindName(st.output), st.feature_names.size());
      } else {
        std::printf("model       %s (%s output), %zu features, weights sha256 %s\n",
                    st.model_spec.c_str(), ml::OutputKindName(st.output), st.feature_names.size(),
                    st.WeightsDigestHex().c_str());
      }
      if (st.test_set) {
        std::printf("%llu/%llu correct on test set %s (accuracy %.4f)\n",
                    static_cast<unsigned long long>(st.correct),
                    static_cast<unsigned long long>(st.total), st.test_set->IdHex().c_str(),
                    st.accuracy());
      } else {
        std::printf("inference on %llu public inputs; predicted classes:",
                    static_cast<unsigned long long>(st.total));
        for (size_t i = 0; i < st.predictions.size() && i < 32; ++i) {
          const uint32_t c = st.predictions[i];
          std::printf(" %g", c < st.classes.size() ? st.classes[c] : -1.0);
        }
        std::printf(st.predictions.size() > 32 ? " ...\n" : "\n");
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

int Run(const VerifyArgs& a) {
  auto bytes = ReadFileBytes(a.proof);
  if (!bytes.ok()) return ReportError(bytes.status(), a.json);
  if (auto c = ProofContainer::Parse(*bytes); c.ok() && c->kind() == ProofKind::kTestAccuracy)
    return RunAccuracy(a, *bytes);
  if (!a.model_commitment.empty())
    return ReportError(Status::InvalidArgument("--model-commitment applies to proofs of test "
                                               "accuracy or inference only"),
                       a.json);
  std::optional<pot::DatasetCommitment> expected;
  if (!a.commitment.empty()) {
    auto c = pot::LoadDatasetCommitment(a.commitment);
    if (!c.ok()) return ReportError(c.status(), a.json);
    expected = *c;
  }
  std::optional<ml::Model> model;
  if (!a.model.empty()) {
    auto m = ml::LoadModel(a.model);
    if (!m.ok()) return ReportError(m.status(), a.json);
    model = std::move(*m);
  }
  if (pot::IsNetworkTrainingProof(*bytes))  // softmax / mlp: pot/network_training_proof.h
    return VerifyNetworkProofFile(*bytes, expected ? &*expected : nullptr,
                                  model ? &*model : nullptr, a.json);
  Timer timer;
  pot::VerifyOutcome v = pot::VerifyTraining(*bytes, expected ? &*expected : nullptr);
  const double seconds = timer.Seconds();
  Status status = v.status;
  if (status.ok() && model) {
    status = pot::CheckModelMatchesStatement(*model, *v.statement);
    if (status.ok() && !model->proof_hash.empty() &&
        model->proof_hash != ToHex(Sha256::Hash(*bytes))) {
      status = Status::Rejected("model file: its proof_hash is not this proof's");
    }
  }
  // Unreadable files exit 3 (above); anything read but not accepted — corrupted, malformed or
  // false — is a rejection (1).
  if (a.json) {
    nlohmann::json j{{"accepted", status.ok()},
                     {"reason", status.ok() ? "" : status.message()},
                     {"verify_seconds", seconds},
                     {"proof_bytes", bytes->size()}};
    if (v.statement) j["statement"] = v.statement->ToJson();
    PrintJson(j);
  } else {
    if (v.statement) PrintStatement(*v.statement);
    if (status.ok()) {
      std::printf("ACCEPT  (%.3f s, %zu-byte proof)\n", seconds, bytes->size());
    } else {
      std::printf("REJECT  %s\n", status.message().c_str());
    }
  }
  return status.ok() ? kExitOk : kExitRejected;
}

CommandRegistrar reg(
    "verify", "Verify a proof of training, test accuracy or inference and show what it proves",
    [](CLI::App& app) -> RunFn {
      auto a = std::make_shared<VerifyArgs>();
      app.add_option("proof", a->proof, "Proof file (RUN.zkp)")->required();
      app.add_option("--model", a->model,
                     "Also check that this model file holds the proven weights");
      app.add_option("--commitment", a->commitment,
                     "Also check that the proof is about this dataset (DATA.commit)");
      app.add_option("--model-commitment", a->model_commitment,
                     "Accuracy proofs: also check that the proof is about the private model "
                     "committed in MODEL.commit");
      app.add_flag("--json", a->json,
                   "Print one JSON object: accepted, reason, verify_seconds, statement (and for "
                   "accuracy proofs correct, total)");
      return [a] { return Run(*a); };
    });

}  // namespace
}  // namespace zektra::cli
