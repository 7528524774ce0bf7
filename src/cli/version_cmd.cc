// `zektra version`: the build's version and the CPU features its kernels use.
#include "cli/command.h"

namespace zektra::cli {
namespace {

CommandRegistrar reg("version", "Print the version and build details", [](CLI::App& app) -> RunFn {
  auto json = std::make_shared<bool>(false);
  app.add_flag("--json", *json, "Print one JSON object");
  return [json] {
    if (*json) {
      PrintJson({{"version", ZEKTRA_VERSION}});
    } else {
      std::printf("zektra %s\n", ZEKTRA_VERSION);
    }
    return kExitOk;
  };
});

}  // namespace
}  // namespace zektra::cli
