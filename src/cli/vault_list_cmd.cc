// `zektra vault list DIR`: the datasets in a vault, each manifest's signature checked.
#include <cstdio>

#include "cli/command.h"
#include "cli/data_source.h"

namespace zektra::cli {
namespace {

struct ListArgs {
  std::string dir;
  bool json = false;
};

int Run(const ListArgs& a) {
  auto list = vault::ListDatasets(a.dir);
  if (!list.ok()) return ReportError(list.status(), a.json);
  bool all_valid = true;
  nlohmann::json items = nlohmann::json::array();
  for (const auto& d : *list) {
    if (d.manifest) {
      items.push_back(ManifestJson(*d.manifest));
    } else {
      all_valid = false;
      items.push_back({{"name", d.name}, {"signature_valid", false}, {"problem", d.problem}});
    }
  }
  if (a.json) {
    PrintJson({{"vault", a.dir}, {"datasets", items}, {"all_valid", all_valid}});
  } else {
    for (const auto& d : *list) {
      if (d.manifest) {
        std::printf("%-24s %8llu rows  %4zu features  label %-12s  %s  %s\n", d.name.c_str(),
                    static_cast<unsigned long long>(d.manifest->rows), d.manifest->feature_names.size(),
                    d.manifest->label_name.c_str(), d.manifest->CreatedAtIso().c_str(),
                    d.manifest->commitment.IdHex().substr(0, 16).c_str());
      } else {
        std::printf("%-24s INVALID: %s\n", d.name.c_str(), d.problem.c_str());
      }
    }
    if (list->empty()) std::printf("(no datasets)\n");
  }
  return all_valid ? kExitOk : kExitRejected;
}

CommandRegistrar reg("vault list", "List a vault's datasets (manifest signatures checked)", [](CLI::App& app) -> RunFn {
  auto a = std::make_shared<ListArgs>();
  app.add_option("dir", a->dir, "Vault directory")->required();
  app.add_flag("--json", a->json, "Print one JSON object");
  return [a] { return Run(*a); };
});

}  // namespace
}  // namespace zektra::cli
