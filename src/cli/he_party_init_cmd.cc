// `zektra he party-init --parties N [--iters K] --out SESSION.zkms`: a multiparty session —
// CKKS parameters, a fresh common random seed and the number of owners. Public; every
// owner gets the same file.
#include <cstdio>

#include "cli/he_party_common.h"
#include "zektra/base/bytes.h"
#include "zektra/he/train/logreg.h"

namespace zektra::cli {
namespace {

struct Args {
  uint32_t parties = 0;
  int iterations = he::train::DefaultTrainConfig().iterations;
  std::string out;
  bool json = false;
};

int Run(const Args& a) {
  auto session = he::train::NewSession(a.parties, a.iterations);
  if (!session.ok()) return ReportError(session.status(), a.json);
  Status s = WriteFileAtomic(a.out, he::train::SerializeSession(*session));
  if (!s.ok()) return ReportError(s, a.json);
  nlohmann::json j{{"out", a.out},
                   {"parties", a.parties},
                   {"log_n", session->params.log_n},
                   {"levels", session->params.max_level()},
                   {"session_id", ToHex(session->Id())}};
  if (a.json) {
    PrintJson(j);
  } else {
    std::printf("session for %u parties (N = 2^%d, %zu levels): %s\n", a.parties,
                session->params.log_n, session->params.max_level(), a.out.c_str());
  }
  return kExitOk;
}

CommandRegistrar reg("he party-init",
                     "Start a multiparty key session (parameters, common seed, parties)",
                     [](CLI::App& app) -> RunFn {
                       auto a = std::make_shared<Args>();
                       app.add_option("--parties", a->parties,
                                      "Number of data owners (all needed to decrypt)")
                           ->required()
                           ->check(CLI::Range(2, 64));
                       app.add_option("--iters", a->iterations,
                                      "Most training iterations the keys must allow")
                           ->check(CLI::Range(1, 9));
                       app.add_option("--out", a->out, "Session file to write")->required();
                       app.add_flag("--json", a->json, "Print one JSON object");
                       return [a] { return Run(*a); };
                     });

}  // namespace
}  // namespace zektra::cli
