// `zektra bench ml`: seconds per epoch of fixed-point logistic regression at scale, and the
// fixed-point ÷ float-reference time ratio on the same workload in the same run.
// The synthetic data is generated in memory unless --csv asks for a file (then it is written,
// and loaded back through the streaming CSV reader, whose time and peak memory are reported).
#include <sys/resource.h>

#include <cstdio>

#include "cli/command.h"
#include "zektra/base/thread_pool.h"
#include "zektra/base/timer.h"
#include "zektra/ml/pipeline.h"

namespace zektra::cli {
namespace {

struct BenchArgs {
  uint64_t rows = 262144, features = 1024, batch = 1024, seed = 0;
  size_t threads = 2, repeat = 3;
  std::string csv;
  bool json = false;
};

double PeakRssGiB() {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / (1024.0 * 1024.0);  // ru_maxrss is KiB on Linux
}

int Run(const BenchArgs& a) {
  SetThreadCount(a.threads);
  ml::SynthSpec spec{a.rows, a.features, ml::Task::kBinary, 2, a.seed};
  Status valid = ml::ValidateSynthSpec(spec);
  if (!valid.ok()) return ReportError(valid, a.json);
  ml::FixedPointFormat fp;
  if (a.batch == 0 || (a.batch & (a.batch - 1)) != 0 || a.batch > fp.MaxFanIn()) {
    return ReportError(Status::InvalidArgument("--batch must be a power of two ≤ " + std::to_string(fp.MaxFanIn())), a.json);
  }
  nlohmann::json out;
  Progress progress("bench ml");
  progress.Update("generating " + std::to_string(a.rows) + " x " + std::to_string(a.features));
  Timer t;
  Result<ml::Table> table = Status::Internal("unset");
  if (!a.csv.empty()) {
    Status w = ml::WriteSyntheticCsv(spec, a.csv);
    if (!w.ok()) return ReportError(w, a.json);
    out["csv_write_seconds"] = t.Seconds();
    progress.Update("loading " + a.csv);
    t.Reset();
    ml::CsvOptions csv;
    csv.label = "y";
    table = ml::LoadCsv(a.csv, csv);
    if (!table.ok()) return ReportError(table.status(), a.json);
    out["csv_load_seconds"] = t.Seconds();
    out["csv_load_peak_rss_gib"] = PeakRssGiB();
  } else {
    table = ml::GenerateSynthetic(spec);
    if (!table.ok()) return ReportError(table.status(), a.json);
    out["generate_seconds"] = t.Seconds();
  }
  std::vector<uint64_t> all(table->rows);
  for (size_t i = 0; i < all.size(); ++i) all[i] = i;
  auto standardizer = ml::FitStandardizer(table->features.data(), table->cols(), table->cols(), all, fp);
  if (!standardizer.ok()) return ReportError(standardizer.status(), a.json);
  auto x = ml::StandardizeRows(*table, all, *standardizer, fp);
  if (!x.ok()) return ReportError(x.status(), a.json);
  ml::TrainingData data{table->rows, table->cols(), x->data(), {}};
  for (double y : table->labels) data.target.push_back(static_cast<int64_t>(y));
  std::vector<double> float_target(table->labels);
  *table = ml::Table{};  // the raw doubles are no longer needed

  ml::Hyperparameters hyper;
  hyper.epochs = 1;
  hyper.batch = a.batch;
  hyper.lr = 0.1;
  hyper.schedule = ml::LrSchedule::kConstant;
  hyper.seed = a.seed;
  ml::ModelSpec spec_model;  // logreg
  std::vector<ml::Layer> initial = ml::InitialLayers(spec_model, a.features, 1, a.seed, fp);

  // Alternate the two trainers `repeat` times and keep each one's best epoch: the machine is
  // shared, and the minimum is the least disturbed measurement of the same work.
  std::vector<float> xf(x->size());
  for (size_t i = 0; i < xf.size(); ++i) xf[i] = static_cast<float>(fp.ToReal((*x)[i]));
  ml::FloatTrainingData fdata{data.rows, data.cols, xf.data(), float_target};
  double fixed_seconds = 1e300, float_seconds = 1e300;
  Result<ml::FixedTrainResult> fixed = Status::Internal("unset");
  for (size_t r = 0; r < std::max<size_t>(1, a.repeat); ++r) {
    progress.Update("fixed-point epoch " + std::to_string(r + 1));
    t.Reset();
    fixed = ml::TrainFixed(fp, ml::OutputKind::kSigmoid, hyper, data, initial);
    fixed_seconds = std::min(fixed_seconds, t.Seconds());
    if (!fixed.ok()) return ReportError(fixed.status(), a.json);
    progress.Update("float reference epoch " + std::to_string(r + 1));
    t.Reset();
    auto flt = ml::TrainFloat(fp, ml::OutputKind::kSigmoid, hyper, fdata, ml::ToFloatLayers(initial, fp));
    float_seconds = std::min(float_seconds, t.Seconds());
    if (!flt.ok()) return ReportError(flt.status(), a.json);
  }
  progress.Done();

  // Training accuracy after the epoch, as a sanity figure (the data has a learnable signal).
  auto probs = ml::ForwardFixed(fp, ml::OutputKind::kSigmoid, fixed->layers, x->data(), data.rows);
  if (!probs.ok()) return ReportError(probs.status(), a.json);
  size_t correct = 0;
  for (size_t i = 0; i < data.rows; ++i) correct += ((*probs)[i] >= fp.one() / 2 ? 1 : 0) == data.target[i];

  const std::string key = "logreg_epoch_" + std::to_string(a.rows) + "x" + std::to_string(a.features) + "_seconds";
  out[key] = fixed_seconds;
  out["float_reference_epoch_seconds"] = float_seconds;
  out["fixed_over_float_time_ratio"] = fixed_seconds / float_seconds;
  out["fixed_train_accuracy_after_epoch"] = static_cast<double>(correct) / static_cast<double>(data.rows);
  out["rows"] = a.rows;
  out["features"] = a.features;
  out["batch"] = a.batch;
  out["threads"] = a.threads;
  out["steps"] = fixed->steps;
  out["repeat"] = a.repeat;
  out["peak_rss_gib"] = PeakRssGiB();
  if (a.json) {
    PrintJson(out);
  } else {
    for (auto& [k, v] : out.items()) std::printf("%-40s %s\n", k.c_str(), v.dump().c_str());
  }
  return kExitOk;
}

CommandRegistrar reg("bench ml", "Benchmark fixed-point training (one logreg epoch) against the float reference",
                     [](CLI::App& app) -> RunFn {
  auto a = std::make_shared<BenchArgs>();
  app.add_option("--rows", a->rows, "Synthetic rows")->capture_default_str();
  app.add_option("--features", a->features, "Synthetic features")->capture_default_str();
  app.add_option("--batch", a->batch, "Minibatch size (power of two)")->capture_default_str();
  app.add_option("--threads", a->threads, "Worker threads")->capture_default_str();
  app.add_option("--seed", a->seed, "Seed")->capture_default_str();
  app.add_option("--repeat", a->repeat, "Timed epochs per trainer (the best is reported)")->capture_default_str();
  app.add_option("--csv", a->csv, "Write the data to this CSV and load it back (measures the loader)");
  app.add_flag("--json", a->json, "Print one JSON object");
  return [a] { return Run(*a); };
});

}  // namespace
}  // namespace zektra::cli
