// `zektra he decrypt MODEL.zkct --secret DIR --out MODEL.json`: a single owner decrypts the
// encrypted model (with noise flooding, since the weights are published) into a normal model
// file, which `zektra evaluate` and `zektra predict` read.
#include <cstdio>

#include "cli/command.h"
#include "zektra/base/file_io.h"
#include "zektra/base/timer.h"
#include "zektra/he/train/workflow.h"

namespace zektra::cli {
namespace {

struct Args {
  std::string model, secret, out;
  bool json = false;
};

int Run(const Args& a) {
  using namespace he::train;
  auto keys = LoadPublicMaterial(a.secret + "/public", false);
  if (!keys.ok()) return ReportError(keys.status(), a.json);
  auto sk = LoadSecretKeyFile(a.secret + "/secret/secret_key.zkhe", keys->context);
  if (!sk.ok()) return ReportError(sk.status(), a.json);
  auto container = LoadContainer(a.model, *keys->context, ContainerKind::kModel, &keys->key_set_id);
  if (!container.ok()) return ReportError(container.status(), a.json);
  Timer timer;
  auto model = DecryptModel(keys->context, *sk, *container);
  if (!model.ok()) return ReportError(model.status(), a.json);
  const double seconds = timer.Seconds();
  Status s = ml::SaveModel(*model, a.out);
  if (!s.ok()) return ReportError(s, a.json);
  if (a.json) {
    PrintJson({{"out", a.out},
               {"decrypt_seconds", seconds},
               {"weights_sha256", model->WeightsDigestHex()}});
  } else {
    std::printf("decrypted model (%zu features) to %s\n", model->feature_names.size(),
                a.out.c_str());
  }
  return kExitOk;
}

CommandRegistrar reg(
    "he decrypt", "Decrypt an encrypted model into a model file (single owner)",
    [](CLI::App& app) -> RunFn {
      auto a = std::make_shared<Args>();
      app.add_option("model", a->model, "Encrypted model (he train)")->required();
      app.add_option("--secret", a->secret, "Key directory of he keygen")->required();
      app.add_option("--out", a->out, "Model file (JSON) to write")->required();
      app.add_flag("--json", a->json, "Print one JSON object");
      return [a] { return Run(*a); };
    });

}  // namespace
}  // namespace zektra::cli
