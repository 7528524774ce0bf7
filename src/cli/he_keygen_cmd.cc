// `zektra he keygen --out DIR [--iters K]`: one data owner's CKKS keys for encrypted
// training. DIR/secret/ holds the secret key (0600); DIR/public/ everything a compute
// node needs (parameters, public, relinearisation and rotation keys) and nothing else.
#include <cstdio>

#include "cli/command.h"
#include "zektra/base/timer.h"
#include "zektra/he/train/workflow.h"

namespace zektra::cli {
namespace {

struct Args {
  std::string out;
  int iterations = he::train::DefaultTrainConfig().iterations;
  bool json = false;
};

int Run(const Args& a) {
  Timer timer;
  auto keys = he::train::GenerateOwnerKeys(a.iterations);
  if (!keys.ok()) return ReportError(keys.status(), a.json);
  Status s = he::train::WriteKeyDirectory(a.out, *keys);
  if (!s.ok()) return ReportError(s, a.json);
  const auto& ctx = *keys->context;
  nlohmann::json j{{"public_dir", a.out + "/public"},
                   {"secret_key", a.out + "/secret/secret_key.zkhe"},
                   {"log_n", ctx.log_n()},
                   {"levels", ctx.max_level()},
                   {"log_pq", he::TotalModulusBits(ctx.params())},
                   {"max_iterations", he::train::MaxIterationsFor(ctx)},
                   {"rotation_keys", keys->galois.keys.size()},
                   {"keygen_seconds", timer.Seconds()}};
  if (a.json) {
    PrintJson(j);
  } else {
    std::printf("keys for up to %d iterations (N = 2^%d, %zu levels, log2 PQ = %d, 128-bit)\n",
                he::train::MaxIterationsFor(ctx), ctx.log_n(), ctx.max_level(),
                he::TotalModulusBits(ctx.params()));
    std::printf(
        "  public (give to the compute node): %s/public\n  secret (keep): "
        "%s/secret/secret_key.zkhe\n",
        a.out.c_str(), a.out.c_str());
  }
  return kExitOk;
}

CommandRegistrar reg("he keygen",
                     "Generate CKKS keys for encrypted training (secret and public parts)",
                     [](CLI::App& app) -> RunFn {
                       auto a = std::make_shared<Args>();
                       app.add_option("--out", a->out, "Key directory to create")->required();
                       app.add_option("--iters", a->iterations,
                                      "Most training iterations the keys must allow")
                           ->check(CLI::Range(1, 9));
                       app.add_flag("--json", a->json, "Print one JSON object");
                       return [a] { return Run(*a); };
                     });

}  // namespace
}  // namespace zektra::cli
