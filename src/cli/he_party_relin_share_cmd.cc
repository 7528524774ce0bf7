// `zektra he party-relin-share --session S --secret DIR --round1 PUBLIC_DIR --out FILE`:
// owner's round-2 share of the collective relinearisation key, computed from the combined
// round 1 (PUBLIC_DIR/relin_round1.zkr1) and its own secrets.
#include <cstdio>

#include "cli/he_party_common.h"

namespace zektra::cli {
namespace {

struct Args {
  std::string session, secret, round1, out;
  bool json = false;
};

int Run(const Args& a) {
  using namespace he::train;
  auto s = he_party::LoadSession(a.session);
  if (!s.ok()) return ReportError(s.status(), a.json);
  auto secret = he_party::LoadPartySecret(*s, a.secret);
  if (!secret.ok()) return ReportError(secret.status(), a.json);
  const std::string r1_path = a.round1 + "/relin_round1.zkr1";
  auto r1_bytes = ReadFileBytes(r1_path);
  if (!r1_bytes.ok()) return ReportError(r1_bytes.status(), a.json);
  auto r1 = ParseRelinRound1(*s->context, *r1_bytes, r1_path);
  if (!r1.ok()) return ReportError(r1.status(), a.json);
  Party party(s->context, s->session);
  auto share = party.GenerateRelinShare(*secret, *r1);
  if (!share.ok()) return ReportError(share.status(), a.json);
  Status st = WriteFileAtomic(a.out, SerializeRelinShare(*s->context, *share));
  if (!st.ok()) return ReportError(st, a.json);
  if (a.json) {
    PrintJson({{"index", secret->index}, {"share", a.out}});
  } else {
    std::printf("party %u: relinearisation share %s (send it)\n", secret->index, a.out.c_str());
  }
  return kExitOk;
}

CommandRegistrar reg(
    "he party-relin-share", "Owner's round-2 share of the relinearisation key",
    [](CLI::App& app) -> RunFn {
      auto a = std::make_shared<Args>();
      app.add_option("--session", a->session, "Session file")->required();
      app.add_option("--secret", a->secret, "Party directory (he party-keyshare)")->required();
      app.add_option("--round1", a->round1, "Public directory holding relin_round1.zkr1")
          ->required();
      app.add_option("--out", a->out, "Share file to write")->required();
      app.add_flag("--json", a->json, "Print one JSON object");
      return [a] { return Run(*a); };
    });

}  // namespace
}  // namespace zektra::cli
