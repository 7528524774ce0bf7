// `zektra bench pot`: the whole proof-of-training flow on seeded synthetic data (or a CSV):
// commit, plain fixed-point training, traced training + proof, verification; one JSON object.
#include <sys/resource.h>

#include <cstdio>

#include "cli/command.h"
#include "zektra/base/thread_pool.h"
#include "zektra/base/timer.h"
#include "zektra/ml/pipeline.h"
#include "zektra/ml/rng.h"
#include "zektra/pot/accuracy_proof.h"
#include "zektra/pot/network_training_proof.h"
#include "zektra/pot/training_proof.h"

namespace zektra::cli {
namespace {

struct BenchPotArgs {
  std::string model = "logreg", csv, label;
  uint64_t rows = 569, features = 30, epochs = 10, batch = 32, seed = 1, classes = 10;
  size_t threads = 0;
  double test_split = 0.25;
  bool json = false;
  // --inference: an MNIST-shaped mlp (784-hidden-10) with synthetic weights and inputs.
  bool inference = false;
  uint64_t hidden = 56;
  bool batch_given = false;
};

uint64_t PeakRssBytes() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<uint64_t>(ru.ru_maxrss) * 1024;  // KiB on Linux
}

// A synthetic MNIST-shaped classifier: He-initialised weights (ml::InitialLayers, seeded),
// pixels in [0, 1] standardised with mean ½ and standard deviation ¼, ten classes.
ml::Model SyntheticMnistModel(uint64_t hidden, uint64_t seed) {
  ml::FixedPointFormat fp;
  ml::Model m;
  m.spec.kind = ml::ModelKind::kMlp;
  m.spec.hidden = {hidden};
  m.task = ml::Task::kMulticlass;
  m.output = ml::OutputKind::kSoftmax;
  m.fraction_bits = fp.fraction_bits();
  for (int i = 0; i < 784; ++i) m.feature_names.push_back("px" + std::to_string(i));
  m.label_name = "digit";
  for (int c = 0; c < 10; ++c) m.classes.push_back(c);
  m.standardizer.fraction_bits = fp.fraction_bits();
  m.standardizer.mean.assign(784, int64_t{1} << 15);
  m.standardizer.stddev.assign(784, int64_t{1} << 14);
  m.standardizer.multiplier.assign(784, int64_t{1} << 34);
  m.layers = ml::InitialLayers(m.spec, 784, 10, seed, fp);
  return m;
}

ml::Table SyntheticPixels(const ml::Model& m, uint64_t rows, uint64_t seed) {
  ml::Table t;
  t.source = "synthetic";
  t.feature_names = m.feature_names;
  t.rows = rows;
  ml::SplitMix64 rng = ml::SplitMix64::Stream(seed, ml::RandomPurpose::kSynthetic, 784);
  for (uint64_t i = 0; i < rows * 784; ++i)
    t.features.push_back(static_cast<double>(rng.Below(256)) / 256.0);
  for (uint64_t i = 0; i < rows; ++i) t.line_of_row.push_back(i + 2);
  return t;
}

int RunInference(const BenchPotArgs& a) {
  const uint64_t batch = a.batch_given ? a.batch : 64;
  if (a.hidden == 0 || a.hidden > 4096 || batch == 0 || batch > 4096)
    return ReportError(Status::InvalidArgument("--hidden and --batch must be 1..4096"), a.json);
  ml::Model model = SyntheticMnistModel(a.hidden, a.seed);
  nlohmann::json out{{"inference", true},
                     {"model", model.spec.ToString()},
                     {"features", 784},
                     {"classes", 10},
                     {"threads", ThreadCount()}};
  for (uint64_t rows : {uint64_t{1}, batch}) {
    ml::Table inputs = SyntheticPixels(model, rows, a.seed);
    Timer timer;
    auto proof = pot::ProveInference(model, inputs);
    if (!proof.ok()) return ReportError(proof.status(), a.json);
    const double prove_seconds = timer.Seconds();
    timer.Reset();
    pot::AccuracyVerifyOutcome v = pot::VerifyAccuracy(*proof);
    const double verify_seconds = timer.Seconds();
    if (!v.status.ok())
      return ReportError(Status::Internal("honest proof rejected: " + v.status.message()), a.json);
    out[rows == 1 && batch != 1 ? "one_input" : "batch"] = {{"inputs", rows},
                                                            {"prove_seconds", prove_seconds},
                                                            {"verify_seconds", verify_seconds},
                                                            {"proof_bytes", proof->size()}};
    if (rows == batch && batch == 1) out["one_input"] = out["batch"];
  }
  out["peak_rss_bytes"] = PeakRssBytes();
  out["accepted"] = true;
  if (a.json) {
    PrintJson(out);
  } else {
    std::printf("%s\n", out.dump(2).c_str());
  }
  return kExitOk;
}

int Run(const BenchPotArgs& a) {
  if (a.threads > 0) SetThreadCount(a.threads);
  if (a.inference) return RunInference(a);
  auto spec = ml::ModelSpec::Parse(a.model);
  if (!spec.ok()) return ReportError(spec.status(), a.json);
  const bool network = pot::IsNetworkModel(*spec);  // softmax, mlp: network_training_proof.h
  if (spec->kind != ml::ModelKind::kLinReg && spec->kind != ml::ModelKind::kLogReg && !network) {
    return ReportError(Status::InvalidArgument("bench pot proves linreg, logreg, softmax or mlp"),
                       a.json);
  }
  Result<ml::Table> table = Status::Internal("unset");
  if (!a.csv.empty()) {
    ml::CsvOptions o;
    o.label = a.label;
    table = ml::LoadCsv(a.csv, o);
  } else {
    ml::SynthSpec s{a.rows, a.features,
                    network                                ? ml::Task::kMulticlass
                    : spec->kind == ml::ModelKind::kLinReg ? ml::Task::kRegression
                                                           : ml::Task::kBinary,
                    network ? static_cast<int>(a.classes) : 2, a.seed};
    Status v = ml::ValidateSynthSpec(s);
    if (!v.ok()) return ReportError(v, a.json);
    table = ml::GenerateSynthetic(s);
  }
  if (!table.ok()) return ReportError(table.status(), a.json);

  ml::TrainRequest request;
  request.spec = *spec;
  request.hyper.epochs = a.epochs;
  request.hyper.batch = a.batch;
  request.hyper.seed = a.seed;
  request.hyper.test_split = a.test_split;
  request.label_independent_split = true;
  // Plain training (no trace): the baseline the proof is compared with.
  auto plain = ml::TrainOnTable(*table, request);
  if (!plain.ok()) return ReportError(plain.status(), a.json);
  const double train_seconds = plain->train_seconds;
  // Refuse a run the prover cannot take before the (long) commitment, not after it.
  const Status provable =
      network ? pot::CheckNetworkTrainingProvable(plain->model, table->rows, table->cols())
              : pot::CheckTrainingProvable(plain->model, table->rows, table->cols());
  if (!provable.ok()) {
    char context[96];
    std::snprintf(context, sizeof context, "this run cannot be proven (plain training took %.3f s)",
                  train_seconds);
    return ReportError(provable.WithContext(context), a.json);
  }

  Timer timer;
  auto committed = pot::CommitDataset(*table, pot::DatasetSecret::Fresh());
  if (!committed.ok()) return ReportError(committed.status(), a.json);
  const double commit_seconds = timer.Seconds();

  ml::TrainingTrace trace;
  request.observer = &trace;
  timer.Reset();
  auto traced = ml::TrainOnTable(*table, request);
  if (!traced.ok()) return ReportError(traced.status(), a.json);
  const double traced_seconds = timer.Seconds();
  timer.Reset();
  pot::TrainingWitness witness{&*table, &*committed, &traced->model, &trace};
  auto proof = network ? pot::ProveNetworkTraining({&*table, &*committed, &traced->model, &trace})
                       : pot::ProveTraining(witness);
  if (!proof.ok()) return ReportError(proof.status(), a.json);
  const double prove_seconds = timer.Seconds();

  timer.Reset();
  const Status verified = network
                              ? pot::VerifyNetworkTraining(*proof, &committed->commitment).status
                              : pot::VerifyTraining(*proof, &committed->commitment).status;
  const double verify_seconds = timer.Seconds();
  if (!verified.ok())
    return ReportError(Status::Internal("honest proof rejected: " + verified.message()), a.json);

  nlohmann::json out{{"model", a.model},
                     {"rows", table->rows},
                     {"features", table->cols()},
                     {"classes", traced->model.classes.size()},
                     {"train_rows", plain->train_rows},
                     {"epochs", plain->model.hyper.epochs},
                     {"batch", a.batch},
                     {"steps", plain->steps},
                     {"threads", ThreadCount()},
                     {"commit_seconds", commit_seconds},
                     {"train_seconds", train_seconds},
                     {"traced_train_seconds", traced_seconds},
                     {"prove_seconds", prove_seconds},
                     {"verify_seconds", verify_seconds},
                     {"proof_bytes", proof->size()},
                     {"peak_rss_bytes", PeakRssBytes()},
                     {"prove_over_train_ratio", prove_seconds / std::max(train_seconds, 1e-9)},
                     {"accepted", true}};
  if (a.json) {
    PrintJson(out);
  } else {
    std::printf("%s\n", out.dump(2).c_str());
  }
  return kExitOk;
}

CommandRegistrar reg(
    "bench pot", "Benchmark the proof of training end to end (commit, train, prove, verify)",
    [](CLI::App& app) -> RunFn {
      auto a = std::make_shared<BenchPotArgs>();
      app.add_option("--model", a->model, "linreg, logreg, softmax or mlp:H1[,H2...]")
          ->capture_default_str();
      app.add_option("--classes", a->classes, "Synthetic classes (softmax, mlp)")
          ->capture_default_str();
      app.add_option("--rows", a->rows, "Synthetic rows")->capture_default_str();
      app.add_option("--features", a->features, "Synthetic features")->capture_default_str();
      app.add_option("--epochs", a->epochs, "Epochs")->capture_default_str();
      auto* batch = app.add_option("--batch", a->batch,
                                   "Minibatch size (power of two); with --inference the number of "
                                   "inputs of the batched proof (default 64)")
                        ->capture_default_str();
      app.add_option("--seed", a->seed, "Seed of the data, split and batch order")
          ->capture_default_str();
      app.add_option("--test-split", a->test_split, "Held-out fraction")->capture_default_str();
      app.add_option("--csv", a->csv, "Use this CSV instead of synthetic data (with --label)");
      app.add_option("--label", a->label, "Label column of --csv");
      app.add_option("--threads", a->threads, "Worker threads (default: all cores)");
      app.add_flag("--inference", a->inference,
                   "Benchmark the inference proof instead: a 784-HIDDEN-10 mlp with synthetic "
                   "weights and inputs, one input and a batch (prove_seconds, verify_seconds, "
                   "proof_bytes for each)");
      app.add_option("--hidden", a->hidden, "With --inference: hidden width")
          ->capture_default_str();
      app.add_flag("--json", a->json, "Print one JSON object");
      return [a, batch] {
        BenchPotArgs args = *a;
        args.batch_given = batch->count() > 0;
        return Run(args);
      };
    });

}  // namespace
}  // namespace zektra::cli
