// `zektra bench he-train [--json] [--quick]`: encrypted logistic-regression training end to
// end (keys, encryption, training, decryption, test accuracy) on (a) breast_cancer (75/25,
// seed 0), (b) synthetic 1,579 × 18 with 7 iterations, (c) synthetic 780 × 9, one epoch
// (one full gradient iteration after the closed-form first step). Wall-clock seconds.
#include <cstdio>

#include "cli/command.h"
#include "zektra/base/thread_pool.h"
#include "zektra/he/train/workflow.h"

namespace zektra::cli {
namespace {

struct Args {
  std::string data_dir = "examples/data";
  bool json = false, quick = false;
  size_t threads = 0;
};

nlohmann::json CaseJson(const std::string& name, const he::train::EndToEndReport& r,
                        int iterations) {
  return {{"case", name},
          {"train_rows", r.train_rows},
          {"test_rows", r.test_rows},
          {"features", r.features},
          {"iterations", iterations},
          {"log_n", r.log_n},
          {"levels", r.levels},
          {"ciphertexts", r.ciphertexts},
          {"rotations", r.rotations},
          {"keygen_seconds", r.keygen_seconds},
          {"encrypt_seconds", r.encrypt_seconds},
          {"train_seconds", r.train_seconds},
          {"decrypt_seconds", r.decrypt_seconds},
          {"test_accuracy", r.test_accuracy},
          {"plain_test_accuracy", r.plain_test_accuracy},
          {"max_weight_error", r.max_weight_error}};
}

Result<nlohmann::json> Synthetic(const std::string& name, uint64_t train, uint64_t features,
                                 int iterations) {
  ml::SynthSpec spec;
  spec.rows = train + train / 3;
  spec.features = features;
  spec.seed = 7;
  ZK_ASSIGN_OR_RETURN(ml::Table table, ml::GenerateSynthetic(spec));
  std::vector<uint64_t> train_rows, test_rows;
  for (uint64_t i = 0; i < spec.rows; ++i) (i < train ? train_rows : test_rows).push_back(i);
  he::train::TrainConfig config = he::train::DefaultTrainConfig();
  config.iterations = iterations;
  ZK_ASSIGN_OR_RETURN(auto r, he::train::RunEndToEnd(table, train_rows, test_rows, config));
  return CaseJson(name, r, iterations);
}

int Run(const Args& a) {
  if (a.threads > 0) SetThreadCount(a.threads);
  nlohmann::json cases = nlohmann::json::array();
  {
    ml::CsvOptions csv;
    csv.label = "benign";
    auto table = ml::LoadCsv(a.data_dir + "/breast_cancer.csv", csv);
    if (!table.ok()) return ReportError(table.status(), a.json);
    auto split = he::train::SplitForTraining(*table, 0.25, 0);
    if (!split.ok()) return ReportError(split.status(), a.json);
    const he::train::TrainConfig config = he::train::DefaultTrainConfig();
    auto r = he::train::RunEndToEnd(*table, split->train, split->test, config);
    if (!r.ok()) return ReportError(r.status(), a.json);
    cases.push_back(CaseJson("breast_cancer", *r, config.iterations));
    if (!a.json) std::fprintf(stderr, "%s\n", cases.back().dump().c_str());
  }
  if (!a.quick) {
    auto b = Synthetic("synthetic_1579x18", 1579, 18, 7);
    if (!b.ok()) return ReportError(b.status(), a.json);
    cases.push_back(*b);
    if (!a.json) std::fprintf(stderr, "%s\n", cases.back().dump().c_str());
  }
  auto c = Synthetic("synthetic_780x9_one_epoch", 780, 9, 2);
  if (!c.ok()) return ReportError(c.status(), a.json);
  cases.push_back(*c);
  nlohmann::json j{{"cases", cases}, {"threads", ThreadCount()}, {"timing", "wall_clock"}};
  if (a.json) {
    PrintJson(j);
  } else {
    for (const auto& cj : cases) {
      std::printf(
          "%-28s train %7.2f s  encrypt %6.2f s  decrypt %5.2f s  accuracy %.4f (plain %.4f)\n",
          cj["case"].get<std::string>().c_str(), cj["train_seconds"].get<double>(),
          cj["encrypt_seconds"].get<double>(), cj["decrypt_seconds"].get<double>(),
          cj["test_accuracy"].get<double>(), cj["plain_test_accuracy"].get<double>());
    }
  }
  return kExitOk;
}

CommandRegistrar reg("bench he-train", "Time encrypted logistic-regression training end to end",
                     [](CLI::App& app) -> RunFn {
                       auto a = std::make_shared<Args>();
                       app.add_flag("--json", a->json, "Print one JSON object");
                       app.add_flag("--quick", a->quick, "Skip the 1,579 x 18 case");
                       app.add_option("--data-dir", a->data_dir,
                                      "Folder holding breast_cancer.csv");
                       app.add_option("--threads", a->threads,
                                      "Worker threads (default: all cores)");
                       return [a] { return Run(*a); };
                     });

}  // namespace
}  // namespace zektra::cli
