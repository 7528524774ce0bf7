// `zektra evaluate MODEL.json DATA.csv --label COL`: metrics of a model on labelled data
// (accuracy, AUC, log-loss, confusion matrix; or R² and MSE), by fixed-point inference.
// With `--prove ACC.zkp` it also writes a zero-knowledge proof of the test accuracy
// (pot/accuracy_proof.h) against a committed test set, or with `--public-inputs` a proof of
// inference whose statement lists the inputs and predicted classes.
#include <cstdio>
#include <optional>

#include "cli/accuracy_prove.h"
#include "cli/command.h"
#include "cli/data_source.h"
#include "zektra/base/file_io.h"
#include "zektra/base/timer.h"
#include "zektra/ml/pipeline.h"
#include "zektra/pot/accuracy_proof.h"

namespace zektra::cli {
namespace {

struct EvaluateArgs {
  std::string model, data, label;
  std::string prove, commitment, commitment_key;
  bool public_inputs = false;
  bool private_model = false;
  std::string model_commitment, model_key, model_commitment_out;
  bool json = false;
};

// The proof part of `evaluate --prove`: fills `j` with the proof's figures.
Status Prove(const EvaluateArgs& a, const ml::Model& model, nlohmann::json& j) {
  Bytes proof;
  double seconds = 0;
  std::optional<pot::CommittedModel> cm;
  if (a.private_model) {
    Timer timer;
    std::string file;
    ZK_ASSIGN_OR_RETURN(pot::CommittedModel c,
                        LoadOrCommitModel(model, a.model_commitment, a.model_key,
                                          a.model_commitment_out.empty() ? a.prove + ".model.commit"
                                                                         : a.model_commitment_out,
                                          &file));
    cm = std::move(c);
    j["model_commitment"] = cm->commitment.IdHex();
    j["model_commitment_file"] = file;
    j["model_commit_seconds"] = timer.Seconds();
  }
  if (a.public_inputs) {
    Timer timer;
    ml::CsvOptions csv;
    csv.features = model.feature_names;
    csv.ignore_column = a.label;
    ZK_ASSIGN_OR_RETURN(ml::Table inputs, LoadTableForCli(a.data, csv));
    if (cm) {
      ZK_ASSIGN_OR_RETURN(proof, pot::ProveInferencePrivateModel(model, *cm, inputs));
    } else {
      ZK_ASSIGN_OR_RETURN(proof, pot::ProveInference(model, inputs));
    }
    ZK_RETURN_IF_ERROR(WriteFileAtomic(a.prove, ByteSpan(proof)));
    seconds = timer.Seconds();
  } else {
    ZK_ASSIGN_OR_RETURN(
        TestSetProofResult r,
        ProveAccuracyOnTestSet(model, {a.data, a.label, a.commitment, a.commitment_key, a.prove,
                                       cm ? &*cm : nullptr}));
    j["test_set_commitment"] = r.commitment_id;
    j["commitment_file"] = r.commitment_file;
    proof = std::move(r.proof);
    seconds = r.seconds;
  }
  ZK_ASSIGN_OR_RETURN(pot::AccuracyStatement st, pot::ReadAccuracyStatement(proof));
  j["proof"] = a.prove;
  j["prove_seconds"] = seconds;
  j["proof_bytes"] = proof.size();
  j["total"] = st.total;
  if (st.test_set) {
    j["correct"] = st.correct;
  } else {
    j["predictions"] = st.predictions;
  }
  return Status::Ok();
}

int Run(const EvaluateArgs& a) {
  if (a.prove.empty() && (a.public_inputs || !a.commitment.empty() || !a.commitment_key.empty())) {
    return ReportError(Status::InvalidArgument("--public-inputs and --commitment need --prove"),
                       a.json);
  }
  if (!a.private_model &&
      (!a.model_commitment.empty() || !a.model_key.empty() || !a.model_commitment_out.empty())) {
    return ReportError(Status::InvalidArgument("--model-commitment, --model-key and "
                                               "--model-commitment-out need --private-model"),
                       a.json);
  }
  if (a.private_model && a.prove.empty())
    return ReportError(Status::InvalidArgument("--private-model needs --prove"), a.json);
  if (a.public_inputs && !a.commitment.empty())
    return ReportError(
        Status::InvalidArgument("--public-inputs proves on public inputs; drop --commitment"),
        a.json);
  auto model = ml::LoadModel(a.model);
  if (!model.ok()) return ReportError(model.status(), a.json);
  ml::CsvOptions csv;
  csv.label = a.label;
  csv.features = model->feature_names;
  auto table = ml::LoadCsv(a.data, csv);
  if (!table.ok()) return ReportError(table.status(), a.json);
  auto set = ml::PrepareForModel(*model, *table);
  if (!set.ok()) return ReportError(set.status(), a.json);
  auto metrics = ml::Measure(*model, *set);
  if (!metrics.ok()) return ReportError(metrics.status(), a.json);
  nlohmann::json j = ml::MetricsJson(*metrics, "");
  j["rows"] = set->rows;
  j["model"] = model->spec.ToString();
  if (!a.prove.empty()) {
    Status proved = Prove(a, *model, j);
    if (!proved.ok()) return ReportError(proved, a.json);
  }
  if (a.json) {
    PrintJson(j);
    return kExitOk;
  }
  std::printf("%s on %zu rows of %s\n", model->spec.ToString().c_str(), set->rows, a.data.c_str());
  if (metrics->task == ml::Task::kRegression) {
    std::printf("  r2  %.4f\n  mse %.4f\n", metrics->regression.r2, metrics->regression.mse);
    return kExitOk;
  }
  const auto& c = metrics->classification;
  std::printf("  accuracy %.4f\n  log_loss %.4f\n", c.accuracy, c.log_loss);
  if (j.contains("proof")) {
    if (j.contains("correct")) {
      std::printf("  proof    %s: %llu/%llu correct on test set %s (%.2f s, %llu bytes)\n",
                  a.prove.c_str(), j["correct"].get<unsigned long long>(),
                  j["total"].get<unsigned long long>(),
                  j["test_set_commitment"].get<std::string>().c_str(),
                  j["prove_seconds"].get<double>(), j["proof_bytes"].get<unsigned long long>());
      std::printf("           commitment %s\n", j["commitment_file"].get<std::string>().c_str());
    } else {
      std::printf("  proof    %s: inference on %llu public inputs (%.2f s, %llu bytes)\n",
                  a.prove.c_str(), j["total"].get<unsigned long long>(),
                  j["prove_seconds"].get<double>(), j["proof_bytes"].get<unsigned long long>());
    }
  }
  if (j.contains("model_commitment")) {
    std::printf("  private  model %s (weights hidden; commitment %s)\n",
                j["model_commitment"].get<std::string>().c_str(),
                j["model_commitment_file"].get<std::string>().c_str());
  }
  if (c.auc >= 0) std::printf("  auc      %.4f\n", c.auc);
  std::printf("  confusion matrix (rows: true class, columns: predicted)\n");
  for (size_t t = 0; t < c.confusion.size(); ++t) {
    std::printf("  %8g |", model->classes[t]);
    for (uint64_t v : c.confusion[t]) std::printf(" %6llu", static_cast<unsigned long long>(v));
    std::printf("\n");
  }
  return kExitOk;
}

CommandRegistrar reg(
    "evaluate", "Measure a trained model on labelled data", [](CLI::App& app) -> RunFn {
      auto a = std::make_shared<EvaluateArgs>();
      app.add_option("model", a->model, "Model file (JSON) from `zektra train`")->required();
      app.add_option("data", a->data, "CSV with the model's feature columns and the label")
          ->required();
      app.add_option("--label", a->label, "Label column name")->required();
      app.add_option(
          "--prove", a->prove,
          "Also write a zero-knowledge proof that the model classifies exactly k of the n rows "
          "correctly (verify with `zektra verify ACC.zkp`)");
      app.add_option(
          "--commitment", a->commitment,
          "With --prove: the committed test set (TEST.commit from `zektra dataset commit DATA "
          "--label COL`); DATA must be that set. Without it the set is committed now with a fresh "
          "key, written next to the proof as ACC.zkp.commit (public) and ACC.zkp.commit.key "
          "(secret)");
      app.add_option("--commitment-key", a->commitment_key,
                     "Key of --commitment (default: TEST.commit.key)");
      app.add_flag(
          "--public-inputs", a->public_inputs,
          "With --prove: prove inference on DATA's rows as public inputs; the proof lists the "
          "inputs and predicted classes (no labels, no commitment)");
      app.add_flag("--private-model", a->private_model,
                   "With --prove: keep the weights private; the proof names the model's commitment "
                   "(MODEL.commit) instead of its weights");
      app.add_option("--model-commitment", a->model_commitment,
                     "With --private-model: prove against this existing MODEL.commit (its key "
                     "MODEL.commit.key, or --model-key). Without it the model is committed now");
      app.add_option("--model-key", a->model_key, "Key of --model-commitment");
      app.add_option("--model-commitment-out", a->model_commitment_out,
                     "With --private-model and no --model-commitment: where to write the new "
                     "commitment (default ACC.zkp.model.commit; its key gets a .key suffix)");
      app.add_flag("--json", a->json,
                   "Print one JSON object (with --prove also proof, prove_seconds, proof_bytes, "
                   "correct, total; with --private-model model_commitment)");
      return [a] { return Run(*a); };
    });

}  // namespace
}  // namespace zektra::cli
