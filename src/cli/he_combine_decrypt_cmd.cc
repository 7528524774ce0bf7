// `zektra he combine-decrypt MODEL.zkct --session S SHARE... --out MODEL.json`: anyone
// combines every owner's decryption share into the model file. Refuses a missing share,
// a non-member's, one of another session or of another ciphertext.
#include <cstdio>

#include "cli/he_party_common.h"
#include "zektra/he/train/workflow.h"

namespace zektra::cli {
namespace {

struct Args {
  std::string model, session, out;
  std::vector<std::string> shares;
  bool json = false;
};

int Run(const Args& a) {
  using namespace he::train;
  auto s = he_party::LoadSession(a.session);
  if (!s.ok()) return ReportError(s.status(), a.json);
  auto container = LoadContainer(a.model, *s->context, ContainerKind::kModel, nullptr);
  if (!container.ok()) return ReportError(container.status(), a.json);
  if (container->ciphertexts.size() != 1)
    return ReportError(Status::BadInput(a.model + ": expected one ciphertext"), a.json);
  std::vector<DecryptionShare> shares;
  for (const std::string& path : a.shares) {
    auto bytes = ReadFileBytes(path);
    if (!bytes.ok()) return ReportError(bytes.status(), a.json);
    auto share = ParseDecryptionShare(*s->context, *bytes, path);
    if (!share.ok()) return ReportError(share.status(), a.json);
    shares.push_back(std::move(*share));
  }
  auto pt = CombineDecryption(s->context, s->session, container->ciphertexts[0], shares);
  if (!pt.ok()) return ReportError(pt.status(), a.json);
  auto beta = DecodeWeights(s->context, *container, *pt);
  if (!beta.ok()) return ReportError(beta.status(), a.json);
  auto model = ModelFromWeights(*container, *beta);
  if (!model.ok()) return ReportError(model.status(), a.json);
  Status st = ml::SaveModel(*model, a.out);
  if (!st.ok()) return ReportError(st, a.json);
  if (a.json) {
    PrintJson({{"out", a.out},
               {"parties", shares.size()},
               {"weights_sha256", model->WeightsDigestHex()}});
  } else {
    std::printf("decrypted model from %zu shares: %s\n", shares.size(), a.out.c_str());
  }
  return kExitOk;
}

CommandRegistrar reg(
    "he combine-decrypt", "Combine every owner's decryption share into the model file",
    [](CLI::App& app) -> RunFn {
      auto a = std::make_shared<Args>();
      app.add_option("model", a->model, "Encrypted model (he train)")->required();
      app.add_option("shares", a->shares, "Decryption shares, one per owner")->required();
      app.add_option("--session", a->session, "Session file")->required();
      app.add_option("--out", a->out, "Model file (JSON) to write")->required();
      app.add_flag("--json", a->json, "Print one JSON object");
      return [a] { return Run(*a); };
    });

}  // namespace
}  // namespace zektra::cli
