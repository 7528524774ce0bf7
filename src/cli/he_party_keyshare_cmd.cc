// `zektra he party-keyshare --session S --index I --out DIR`: owner I draws its secret share
// (DIR/secret/party.zkps, 0600) and writes its round-1 share of the collective public,
// rotation and relinearisation keys (DIR/keyshare.zks1), to be sent to the combiner.
#include <cstdio>

#include "cli/he_party_common.h"
#include "zektra/he/train/logreg.h"

namespace zektra::cli {
namespace {

struct Args {
  std::string session, out;
  uint32_t index = 0;
  bool json = false;
};

int Run(const Args& a) {
  using namespace he::train;
  auto s = he_party::LoadSession(a.session);
  if (!s.ok()) return ReportError(s.status(), a.json);
  if (a.index >= s->session.parties) {
    return ReportError(Status::InvalidArgument("--index " + std::to_string(a.index) +
                                               " is not a member (parties 0.." +
                                               std::to_string(s->session.parties - 1) + ")"),
                       a.json);
  }
  Party party(s->context, s->session);
  PartySecret secret;
  KeyShare share =
      party.GenerateKeyShare(a.index, RequiredRotationSteps(s->context->slots()), &secret);
  Status st = MakeDirectory(a.out, 0755);
  if (st.ok()) st = MakeDirectory(a.out + "/secret", 0700);
  if (st.ok()) {
    Bytes bytes = SerializePartySecret(*s->context, s->session.Id(), secret);
    st = WriteFileAtomic(a.out + "/secret/party.zkps", bytes, 0600);
    SecureWipe(bytes);
  }
  if (st.ok())
    st = WriteFileAtomic(a.out + "/keyshare.zks1", SerializeKeyShare(*s->context, share));
  if (!st.ok()) return ReportError(st, a.json);
  if (a.json) {
    PrintJson({{"index", a.index},
               {"share", a.out + "/keyshare.zks1"},
               {"secret", a.out + "/secret/party.zkps"}});
  } else {
    std::printf(
        "party %u: share %s/keyshare.zks1 (send it), secret %s/secret/party.zkps (keep it)\n",
        a.index, a.out.c_str(), a.out.c_str());
  }
  return kExitOk;
}

CommandRegistrar reg(
    "he party-keyshare", "Owner's secret share and round-1 key share of a session",
    [](CLI::App& app) -> RunFn {
      auto a = std::make_shared<Args>();
      app.add_option("--session", a->session, "Session file (he party-init)")->required();
      app.add_option("--index", a->index, "This owner's index, 0..parties-1")->required();
      app.add_option("--out", a->out, "Party directory to create")->required();
      app.add_flag("--json", a->json, "Print one JSON object");
      return [a] { return Run(*a); };
    });

}  // namespace
}  // namespace zektra::cli
