// `zektra vault show DIR NAME`: one dataset's signed manifest (no passphrase needed).
#include <cstdio>

#include "cli/command.h"
#include "cli/data_source.h"

namespace zektra::cli {
namespace {

struct ShowArgs {
  std::string dir, name, commitment_out;
  bool json = false;
};

int Run(const ShowArgs& a) {
  auto m = vault::ShowDataset(a.dir, a.name);
  if (!m.ok()) return ReportError(m.status(), a.json);
  if (!a.commitment_out.empty()) {
    Status s = pot::SaveDatasetCommitment(a.commitment_out, m->commitment);
    if (!s.ok()) return ReportError(s, a.json);
  }
  if (a.json) {
    nlohmann::json j = ManifestJson(*m);
    if (!a.commitment_out.empty()) j["commitment_out"] = a.commitment_out;
    PrintJson(j);
    return kExitOk;
  }
  std::printf("name          %s\n", m->name.c_str());
  std::printf("commitment    %s\n", m->commitment.IdHex().c_str());
  std::printf("shape         %llu rows x %zu features, label '%s'\n", static_cast<unsigned long long>(m->rows),
              m->feature_names.size(), m->label_name.c_str());
  std::string names;
  for (const auto& f : m->feature_names) names += (names.empty() ? "" : ",") + f;
  std::printf("features      %s\n", names.c_str());
  std::printf("created       %s\n", m->CreatedAtIso().c_str());
  std::printf("ciphertext    %llu bytes, sha256 %s\n", static_cast<unsigned long long>(m->ciphertext_bytes),
              ToHex(m->ciphertext_sha256).c_str());
  std::printf("owner         %s (signature valid)\n", ToHex(m->owner_sign_key).c_str());
  return kExitOk;
}

CommandRegistrar reg("vault show", "Show a dataset's manifest (signature checked)", [](CLI::App& app) -> RunFn {
  auto a = std::make_shared<ShowArgs>();
  app.add_option("dir", a->dir, "Vault directory")->required();
  app.add_option("name", a->name, "Dataset name")->required();
  app.add_option("--commitment-out", a->commitment_out, "Also write the public .commit file of the dataset");
  app.add_flag("--json", a->json, "Print one JSON object");
  return [a] { return Run(*a); };
});

}  // namespace
}  // namespace zektra::cli
