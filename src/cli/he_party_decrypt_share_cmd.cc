// `zektra he party-decrypt-share MODEL.zkct --session S --secret DIR --out FILE`: owner's
// share of the decryption of an encrypted model, c1·s_i plus smudging noise. Reveals
// nothing about s_i or the model on its own.
#include <cstdio>

#include "cli/he_party_common.h"

namespace zektra::cli {
namespace {

struct Args {
  std::string model, session, secret, out;
  bool json = false;
};

int Run(const Args& a) {
  using namespace he::train;
  auto s = he_party::LoadSession(a.session);
  if (!s.ok()) return ReportError(s.status(), a.json);
  auto secret = he_party::LoadPartySecret(*s, a.secret);
  if (!secret.ok()) return ReportError(secret.status(), a.json);
  auto container = LoadContainer(a.model, *s->context, ContainerKind::kModel, nullptr);
  if (!container.ok()) return ReportError(container.status(), a.json);
  if (container->ciphertexts.size() != 1)
    return ReportError(Status::BadInput(a.model + ": expected one ciphertext"), a.json);
  const he::Ciphertext& ct = container->ciphertexts[0];
  Party party(s->context, s->session);
  auto share = party.DecryptShare(*secret, ct, SmudgingLog2Sigma(ct));
  if (!share.ok()) return ReportError(share.status(), a.json);
  Status st = WriteFileAtomic(a.out, SerializeDecryptionShare(*s->context, *share));
  if (!st.ok()) return ReportError(st, a.json);
  if (a.json) {
    PrintJson({{"index", secret->index},
               {"share", a.out},
               {"log2_smudging_sigma", SmudgingLog2Sigma(ct)}});
  } else {
    std::printf("party %u: decryption share %s\n", secret->index, a.out.c_str());
  }
  return kExitOk;
}

CommandRegistrar reg("he party-decrypt-share",
                     "Owner's share of the decryption of an encrypted model",
                     [](CLI::App& app) -> RunFn {
                       auto a = std::make_shared<Args>();
                       app.add_option("model", a->model, "Encrypted model (he train)")->required();
                       app.add_option("--session", a->session, "Session file")->required();
                       app.add_option("--secret", a->secret, "Party directory")->required();
                       app.add_option("--out", a->out, "Share file to write")->required();
                       app.add_flag("--json", a->json, "Print one JSON object");
                       return [a] { return Run(*a); };
                     });

}  // namespace
}  // namespace zektra::cli
