// `zektra train DATA --label COL --model MODEL ... --out MODEL.json`: fixed-point training
// (the arithmetic the proof of training proves), then test metrics. Logic lives in ml/pipeline.
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "cli/accuracy_prove.h"
#include "cli/command.h"
#include "cli/data_source.h"
#include "zektra/base/file_io.h"
#include "zektra/base/thread_pool.h"
#include "zektra/base/timer.h"
#include "zektra/crypto/sha256.h"
#include "zektra/ml/pipeline.h"
#include "zektra/pot/network_training_proof.h"
#include "zektra/pot/training_proof.h"

namespace zektra::cli {
namespace {

struct TrainArgs {
  std::string data, label, model = "logreg", out, schedule = "step";
  std::string prove, commitment, commitment_key;
  std::string test, test_commitment, test_commitment_key, accuracy_proof;
  uint64_t epochs = 0, batch = 32, seed = 0, lr_step = 0;
  double lr = 0, l2 = 0, decay = 0.5, test_split = 0.25;
  int fraction_bits = ml::kDefaultFractionBits;
  size_t threads = 0;
  bool compare_float = false, json = false;
};

std::string Metric(const char* name, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s %.4f", name, v);
  return buf;
}

// RUN.zkp → RUN.accuracy.zkp (the extension replaced; appended when there is none).
std::string DefaultAccuracyProofPath(const std::string& run_proof) {
  std::filesystem::path p(run_proof);
  p.replace_extension(".accuracy.zkp");
  return p.string();
}

int Run(const TrainArgs& a) {
  if (a.threads > 0) SetThreadCount(a.threads);
  if (a.test.empty() &&
      (!a.test_commitment.empty() || !a.test_commitment_key.empty() || !a.accuracy_proof.empty())) {
    return ReportError(
        Status::InvalidArgument(
            "--test-commitment, --test-commitment-key and --accuracy-proof need --test"),
        a.json);
  }
  if (!a.test.empty() && a.prove.empty())
    return ReportError(
        Status::InvalidArgument("--test proves test accuracy: it needs --prove RUN.zkp"), a.json);
  const std::string accuracy_path = a.test.empty()             ? ""
                                    : a.accuracy_proof.empty() ? DefaultAccuracyProofPath(a.prove)
                                                               : a.accuracy_proof;
  if (!accuracy_path.empty() && accuracy_path == a.prove)
    return ReportError(Status::InvalidArgument("--accuracy-proof must differ from --prove"),
                       a.json);
  auto spec = ml::ModelSpec::Parse(a.model);
  if (!spec.ok()) return ReportError(spec.status(), a.json);
  ml::TrainRequest request;
  request.spec = *spec;
  request.hyper.epochs = a.epochs;
  request.hyper.batch = a.batch;
  request.hyper.lr = a.lr;
  request.hyper.l2 = a.l2;
  request.hyper.seed = a.seed;
  request.hyper.test_split = a.test_split;
  request.hyper.lr_decay = a.decay;
  request.hyper.lr_step_epochs = a.lr_step;
  request.hyper.fraction_bits = a.fraction_bits;
  if (a.schedule == "constant") {
    request.hyper.schedule = ml::LrSchedule::kConstant;
  } else if (a.schedule == "step") {
    request.hyper.schedule = ml::LrSchedule::kStep;
  } else {
    return ReportError(Status::InvalidArgument("--lr-schedule must be 'constant' or 'step'"),
                       a.json);
  }
  request.compare_float = a.compare_float;
  ml::TrainingTrace trace;
  if (!a.prove.empty()) {
    // A proven run splits without looking at the labels and records its witness.
    request.label_independent_split = true;
    request.observer = &trace;
  }
  // Usage errors (bad options) before reading a possibly large file.
  {
    ml::Hyperparameters probe = request.hyper;
    Status s = probe.Resolve(request.spec, 1);
    if (!s.ok()) return ReportError(s, a.json);
  }
  ml::CsvOptions csv;
  csv.label = a.label;
  // A vault dataset brings its commitment seed, so a proof without --commitment refers to
  // the commitment already in the vault's manifest.
  const bool from_vault = a.data.rfind("vault://", 0) == 0;
  pot::DatasetSecret source_secret = pot::DatasetSecret::Fresh();
  auto table = LoadTableForCli(a.data, csv, &source_secret);
  if (!table.ok()) return ReportError(table.status(), a.json);

  Progress progress("train");
  request.on_epoch = [&](const ml::EpochReport& r) {
    char line[128];
    std::snprintf(line, sizeof line, "epoch %llu/%llu  loss %.5f  %.1fs",
                  static_cast<unsigned long long>(r.epoch + 1),
                  static_cast<unsigned long long>(r.epochs), r.mean_loss, r.seconds);
    progress.Update(line);
  };
  auto outcome = ml::TrainOnTable(*table, request);
  progress.Done();
  if (!outcome.ok()) return ReportError(outcome.status(), a.json);
  double prove_seconds = 0;
  size_t proof_bytes = 0;
  std::string commitment_id;
  if (!a.prove.empty()) {
    // Refuse a run the prover cannot take before the (long) commitment, not after it.
    const Status provable =
        pot::IsNetworkModel(outcome->model.spec)
            ? pot::CheckNetworkTrainingProvable(outcome->model, table->rows, table->cols())
            : pot::CheckTrainingProvable(outcome->model, table->rows, table->cols());
    if (!provable.ok()) {
      return ReportError(provable.WithContext("this run cannot be proven"), a.json);
    }
    Timer prove_timer;
    std::optional<pot::CommittedDataset> committed;
    if (!a.commitment.empty()) {
      auto c = pot::LoadDatasetCommitment(a.commitment);
      if (!c.ok()) return ReportError(c.status(), a.json);
      auto secret = pot::LoadDatasetSecret(
          a.commitment_key.empty() ? a.commitment + ".key" : a.commitment_key, *c);
      if (!secret.ok()) return ReportError(secret.status(), a.json);
      auto re = pot::CommitDataset(*table, *secret, c->fraction_bits, c->pcs.params.max_openings);
      if (!re.ok()) return ReportError(re.status(), a.json);
      if (!(re->commitment.Id() == c->Id())) {
        return ReportError(
            Status::BadInput(a.data + " is not the dataset committed in " + a.commitment), a.json);
      }
      committed = std::move(*re);
    } else {
      auto re = pot::CommitDataset(*table, source_secret, outcome->model.fraction_bits);
      if (!re.ok()) return ReportError(re.status(), a.json);
      committed = std::move(*re);
      const std::string cpath = a.prove + ".commit";
      // The vault keeps its own seed; only a fresh commitment needs a key file beside it.
      Status s = from_vault
                     ? Status::Ok()
                     : pot::SaveDatasetSecret(cpath + ".key", source_secret, committed->commitment);
      if (s.ok()) s = pot::SaveDatasetCommitment(cpath, committed->commitment);
      if (!s.ok()) return ReportError(s, a.json);
    }
    Progress proving("prove");
    proving.Update("proving");
    pot::TrainingWitness witness{&*table, &*committed, &outcome->model, &trace};
    auto proof = pot::IsNetworkModel(outcome->model.spec)  // softmax, mlp: network_training_proof.h
                     ? pot::ProveNetworkTraining({&*table, &*committed, &outcome->model, &trace})
                     : pot::ProveTraining(witness);
    proving.Done();
    if (!proof.ok()) return ReportError(proof.status(), a.json);
    Status w = WriteFileAtomic(a.prove, ByteSpan(*proof));
    if (!w.ok()) return ReportError(w, a.json);
    prove_seconds = prove_timer.Seconds();
    proof_bytes = proof->size();
    commitment_id = committed->commitment.IdHex();
    outcome->model.proof_hash = ToHex(Sha256::Hash(*proof));
    outcome->model.dataset_commitment = commitment_id;
  }
  // The proof of test accuracy of the model just trained, on the held-out file.
  std::optional<TestSetProofResult> accuracy;
  if (!accuracy_path.empty()) {
    Progress proving("prove accuracy");
    proving.Update("proving test accuracy");
    auto r = ProveAccuracyOnTestSet(
        outcome->model, {a.test, a.label, a.test_commitment, a.test_commitment_key, accuracy_path});
    proving.Done();
    if (!r.ok()) return ReportError(r.status(), a.json);
    accuracy = std::move(*r);
    // Informative (the `training` object is not checked): `zektra verify ACC.zkp --model`
    // checks the proof against the weights themselves.
    outcome->model.training["accuracy_proof"] = {
        {"proof", accuracy_path},
        {"proof_sha256", ToHex(Sha256::Hash(accuracy->proof))},
        {"test_set_commitment", accuracy->commitment_id},
        {"correct", accuracy->correct},
        {"total", accuracy->total}};
  }
  Status saved = ml::SaveModel(outcome->model, a.out);
  if (!saved.ok()) return ReportError(saved, a.json);

  nlohmann::json summary = outcome->Summary();
  summary["out"] = a.out;
  if (!a.prove.empty()) {
    summary["prove_seconds"] = prove_seconds;
    summary["proof_bytes"] = proof_bytes;
    summary["proof"] = a.prove;
    summary["proof_sha256"] = outcome->model.proof_hash;
    summary["dataset_commitment"] = commitment_id;
  }
  if (accuracy) {
    summary["accuracy_proof"] = accuracy_path;
    summary["accuracy_correct"] = accuracy->correct;
    summary["accuracy_total"] = accuracy->total;
    summary["accuracy_prove_seconds"] = accuracy->seconds;
    summary["accuracy_proof_bytes"] = accuracy->proof.size();
    summary["accuracy_proof_sha256"] = ToHex(Sha256::Hash(accuracy->proof));
    summary["test_set_commitment"] = accuracy->commitment_id;
    summary["test_commitment_file"] = accuracy->commitment_file;
  }
  if (a.json) {
    PrintJson(summary);
    return kExitOk;
  }
  const auto& m = *outcome;
  std::printf(
      "trained %s on %zu rows (%zu test) in %.2fs: %llu epochs, %llu steps, final loss %.5f\n",
      m.model.spec.ToString().c_str(), m.train_rows, m.test_rows, m.train_seconds,
      static_cast<unsigned long long>(m.model.hyper.epochs),
      static_cast<unsigned long long>(m.steps), m.final_loss);
  auto show = [&](const char* set, const ml::SetMetrics& s) {
    if (s.task == ml::Task::kRegression) {
      std::printf("  %s: %s  %s\n", set, Metric("r2", s.regression.r2).c_str(),
                  Metric("mse", s.regression.mse).c_str());
    } else {
      std::printf("  %s: %s  %s", set, Metric("accuracy", s.classification.accuracy).c_str(),
                  Metric("log_loss", s.classification.log_loss).c_str());
      if (s.classification.auc >= 0)
        std::printf("  %s", Metric("auc", s.classification.auc).c_str());
      std::printf("\n");
    }
  };
  show("train", m.train);
  if (m.test) show("test ", *m.test);
  if (m.float_test) std::printf("  float reference test: %.4f\n", m.float_test->headline());
  std::printf("model written to %s (weights sha256 %s)\n", a.out.c_str(),
              m.model.WeightsDigestHex().c_str());
  if (!a.prove.empty()) {
    std::printf("proof written to %s: %zu bytes in %.2fs (dataset commitment %s)\n",
                a.prove.c_str(), proof_bytes, prove_seconds, commitment_id.c_str());
  }
  if (accuracy) {
    std::printf(
        "accuracy proof written to %s: %llu/%llu correct on test set %s, %zu bytes in %.2fs\n",
        accuracy_path.c_str(), static_cast<unsigned long long>(accuracy->correct),
        static_cast<unsigned long long>(accuracy->total), accuracy->commitment_id.c_str(),
        accuracy->proof.size(), accuracy->seconds);
    std::printf("  test set commitment %s\n", accuracy->commitment_file.c_str());
  }
  return kExitOk;
}

CommandRegistrar reg(
    "train", "Train a model in fixed point (the arithmetic the proof of training proves)",
    [](CLI::App& app) -> RunFn {
      auto a = std::make_shared<TrainArgs>();
      app.add_option("data", a->data, "Training data (CSV with a header row)")->required();
      app.add_option("--label", a->label, "Label column name")->required();
      app.add_option("--model", a->model, "linreg, logreg, softmax or mlp:H1[,H2...]")
          ->capture_default_str();
      app.add_option("--out", a->out, "Model file to write (JSON)")->required();
      app.add_option("--epochs", a->epochs,
                     "Passes over the training rows (default: about 6000 steps, 10..200)");
      app.add_option("--batch", a->batch, "Minibatch size, a power of two")->capture_default_str();
      app.add_option("--lr", a->lr, "Learning rate (default 0.1; linreg 0.05)");
      app.add_option("--lr-schedule", a->schedule, "constant or step")->capture_default_str();
      app.add_option("--lr-step", a->lr_step,
                     "Step schedule: decay every this many epochs (default epochs/3)");
      app.add_option("--lr-decay", a->decay, "Step schedule: factor per step")
          ->capture_default_str();
      app.add_option("--l2", a->l2, "L2 penalty λ (gradient += λ·w)")->capture_default_str();
      app.add_option("--seed", a->seed, "Seed of the split, initial weights and batch order")
          ->capture_default_str();
      app.add_option("--test-split", a->test_split,
                     "Fraction held out for testing (0: train on every row)")
          ->capture_default_str();
      app.add_option("--fraction-bits", a->fraction_bits, "Fixed-point fractional bits F")
          ->capture_default_str();
      app.add_option("--threads", a->threads, "Worker threads (default: all cores)");
      app.add_flag("--compare-float", a->compare_float,
                   "Also train the double-precision reference and report its metrics");
      app.add_option(
          "--prove", a->prove,
          "Also write a zero-knowledge proof of this training run (linreg/logreg/softmax/mlp)");
      app.add_option("--commitment", a->commitment,
                     "Prove against this dataset commitment (DATA.commit; its key next to it)");
      app.add_option("--commitment-key", a->commitment_key,
                     "The commitment's secret key file (default: COMMITMENT.key)");
      app.add_option("--test", a->test,
                     "With --prove: also prove the trained model's accuracy on this held-out CSV "
                     "(or vault://) "
                     "with the same label column (pot/accuracy_proof.h)");
      app.add_option(
          "--test-commitment", a->test_commitment,
          "The committed test set (TEST.commit from `zektra dataset commit`); without it the test "
          "set "
          "is committed now, next to the accuracy proof as ACC.zkp.commit and ACC.zkp.commit.key");
      app.add_option("--test-commitment-key", a->test_commitment_key,
                     "Key of --test-commitment (default: TEST.commit.key)");
      app.add_option("--accuracy-proof", a->accuracy_proof,
                     "Where to write the accuracy proof (default: RUN.accuracy.zkp)");
      app.add_flag("--json", a->json,
                   "Print one JSON object (with --test also accuracy_proof, accuracy_correct, "
                   "accuracy_total, "
                   "accuracy_prove_seconds, accuracy_proof_bytes)");
      return [a] { return Run(*a); };
    });

}  // namespace
}  // namespace zektra::cli
