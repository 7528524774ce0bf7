// `zektra model commit MODEL.json --out MODEL.commit`: commits a trained classifier's weights
// (pot/model_commitment.h) so that later proofs of test accuracy can be about the private model
// (`zektra evaluate ... --prove ACC.zkp --private-model --model-commitment MODEL.commit`).
// Writes the public commitment and its secret key (MODEL.commit.key, 0600); prints the id.
#include <cstdio>

#include "cli/command.h"
#include "zektra/base/timer.h"
#include "zektra/pot/model_commitment.h"

namespace zektra::cli {
namespace {

struct ModelCommitArgs {
  std::string model, out, key;
  uint32_t max_proofs = pot::kDefaultModelMaxOpenings;
  bool json = false;
};

int Run(const ModelCommitArgs& a) {
  auto model = ml::LoadModel(a.model);
  if (!model.ok()) return ReportError(model.status(), a.json);
  Timer timer;
  pot::ModelSecret secret = pot::ModelSecret::Fresh();
  auto cm = pot::CommitModel(*model, secret, a.max_proofs);
  if (!cm.ok()) return ReportError(cm.status(), a.json);
  const std::string key = a.key.empty() ? a.out + ".key" : a.key;
  Status saved = pot::SaveModelSecret(key, secret, cm->commitment);
  if (saved.ok()) saved = pot::SaveModelCommitment(a.out, cm->commitment);
  if (!saved.ok()) return ReportError(saved, a.json);
  const double seconds = timer.Seconds();
  if (a.json) {
    PrintJson({{"model_commitment", cm->commitment.IdHex()},
               {"commitment_file", a.out},
               {"key_file", key},
               {"max_proofs", a.max_proofs},
               {"commit_seconds", seconds}});
  } else {
    std::printf("model commitment %s\n", cm->commitment.IdHex().c_str());
    std::printf(
        "  public  %s\n  secret  %s (proofs need it; whoever holds it can unmask what "
        "proofs reveal about the weights)\n",
        a.out.c_str(), key.c_str());
  }
  return kExitOk;
}

CommandRegistrar reg(
    "model commit", "Commit a model's weights for proofs about a private model",
    [](CLI::App& app) -> RunFn {
      auto a = std::make_shared<ModelCommitArgs>();
      app.add_option("model", a->model, "Model file (JSON) from `zektra train`")->required();
      app.add_option("--out", a->out, "Public commitment file to write (MODEL.commit)")->required();
      app.add_option("--key", a->key, "Secret key file (default: OUT.key, written 0600)");
      app.add_option("--max-proofs", a->max_proofs,
                     "Proofs the commitment's hiding is sized for (default 16)")
          ->check(CLI::Range(1, 4096));
      app.add_flag("--json", a->json, "Print one JSON object");
      return [a] { return Run(*a); };
    });

}  // namespace
}  // namespace zektra::cli
