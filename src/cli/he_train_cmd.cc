// `zektra he train DATA.zkct [MORE.zkct ...] --keys PUBLIC_DIR --model logreg --out MODEL.zkct`:
// the compute node's command. It reads only public material (parameters, public,
// relinearisation and rotation keys) and ciphertexts, concatenates the encrypted datasets
// and trains logistic regression on them without decrypting anything.
#include <cstdio>

#include "cli/command.h"
#include "zektra/base/file_io.h"
#include "zektra/base/thread_pool.h"
#include "zektra/he/train/workflow.h"

namespace zektra::cli {
namespace {

struct Args {
  std::vector<std::string> data;
  std::string keys, model = "logreg", out;
  he::train::TrainConfig config = he::train::DefaultTrainConfig();
  size_t threads = 0;
  bool json = false;
};

int Run(const Args& a) {
  using namespace he::train;
  if (a.model != "logreg") {
    return ReportError(Status::InvalidArgument("encrypted training supports --model logreg only"),
                       a.json);
  }
  if (a.threads > 0) SetThreadCount(a.threads);
  auto keys = LoadPublicMaterial(a.keys, /*evaluation_keys=*/true);
  if (!keys.ok()) return ReportError(keys.status(), a.json);
  std::vector<EncryptedContainer> datasets;
  for (const std::string& path : a.data) {
    auto d = LoadContainer(path, *keys->context, ContainerKind::kDataset, &keys->key_set_id);
    if (!d.ok()) return ReportError(d.status(), a.json);
    datasets.push_back(std::move(*d));
  }
  TrainReport report;
  auto model = TrainOnEncrypted(*keys, datasets, a.config, &report);
  if (!model.ok()) return ReportError(model.status(), a.json);
  Status s = WriteFileAtomic(a.out, SerializeContainer(*keys->context, *model));
  if (!s.ok()) return ReportError(s, a.json);
  nlohmann::json j{{"rows", report.rows},
                   {"features", report.features - 1},
                   {"datasets", datasets.size()},
                   {"ciphertexts", report.ciphertexts},
                   {"iterations", a.config.iterations},
                   {"rotations", report.stats.rotations},
                   {"multiplications", report.stats.multiplications},
                   {"final_level", report.stats.final_level},
                   {"train_seconds", report.seconds},
                   {"out", a.out}};
  if (a.json) {
    PrintJson(j);
  } else {
    std::printf(
        "trained logreg on %zu encrypted rows (%zu datasets), %d iterations in %.2f s: %s\n",
        report.rows, datasets.size(), a.config.iterations, report.seconds, a.out.c_str());
  }
  return kExitOk;
}

CommandRegistrar reg(
    "he train", "Train on encrypted datasets with public keys only (compute node)",
    [](CLI::App& app) -> RunFn {
      auto a = std::make_shared<Args>();
      app.add_option("data", a->data, "Encrypted datasets (he encrypt), concatenated")->required();
      app.add_option("--keys", a->keys, "Public key directory")->required();
      app.add_option("--model", a->model, "Model (logreg)");
      app.add_option("--iters", a->config.iterations, "Nesterov iterations")
          ->check(CLI::Range(1, 64));
      app.add_option("--lr", a->config.learning_rate, "Learning rate")
          ->check(CLI::Range(1e-6, 100.0));
      app.add_option("--sigmoid-range", a->config.sigmoid_range,
                     "The sigmoid is approximated on [-R, R]")
          ->check(CLI::Range(1.0, 64.0));
      app.add_option("--threads", a->threads, "Worker threads (default: all cores)");
      app.add_option("--out", a->out, "Encrypted model to write")->required();
      app.add_flag("--json", a->json, "Print one JSON object");
      return [a] { return Run(*a); };
    });

}  // namespace
}  // namespace zektra::cli
