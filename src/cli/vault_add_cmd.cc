// `zektra vault add DIR DATA.csv --label COL [--name NAME]`: validate, commit, encrypt, sign.
#include <cstdio>

#include "cli/command.h"
#include "cli/data_source.h"
#include "zektra/base/timer.h"

namespace zektra::cli {
namespace {

struct AddArgs {
  std::string dir, data, label, name, passphrase_file;
  bool json = false;
};

int Run(const AddArgs& a) {
  auto pub = vault::ReadVaultPublicKeys(a.dir);  // a missing vault before the passphrase
  if (!pub.ok()) return ReportError(pub.status(), a.json);
  auto pass = ReadPassphrase(a.passphrase_file, "vault " + a.dir);
  if (!pass.ok()) return ReportError(pass.status(), a.json);
  auto v = vault::Vault::Open(a.dir, pass->view());
  if (!v.ok()) return ReportError(v.status(), a.json);
  Timer timer;
  Progress progress("vault add");
  progress.Update("validating, committing and encrypting " + a.data);
  vault::AddOptions options;
  options.name = a.name;
  options.label = a.label;
  auto m = vault::AddDataset(*v, a.data, options);
  progress.Done();
  if (!m.ok()) return ReportError(m.status(), a.json);
  if (a.json) {
    nlohmann::json j = ManifestJson(*m);
    j["add_seconds"] = timer.Seconds();
    PrintJson(j);
  } else {
    std::printf("added       %s to %s\n", m->name.c_str(), a.dir.c_str());
    std::printf("commitment  %s\n", m->commitment.IdHex().c_str());
    std::printf("shape       %llu rows x %zu features, label '%s'\n", static_cast<unsigned long long>(m->rows),
                m->feature_names.size(), m->label_name.c_str());
    std::printf("encrypted   %llu bytes (sha256 %s)\n", static_cast<unsigned long long>(m->ciphertext_bytes),
                ToHex(m->ciphertext_sha256).c_str());
  }
  return kExitOk;
}

CommandRegistrar reg("vault add", "Add a CSV dataset to a vault: validated, committed, encrypted, signed",
                     [](CLI::App& app) -> RunFn {
  auto a = std::make_shared<AddArgs>();
  app.add_option("dir", a->dir, "Vault directory")->required();
  app.add_option("data", a->data, "CSV file with a header row")->required();
  app.add_option("--label", a->label, "Name of the label column")->required();
  app.add_option("--name", a->name, "Dataset name in the vault (default: the CSV's file name without .csv)");
  app.add_option("--passphrase-file", a->passphrase_file, "Read the passphrase from the first line of this file");
  app.add_flag("--json", a->json, "Print one JSON object");
  app.footer("The commitment printed is the one `zektra dataset commit vault://DIR/NAME --label COL` reproduces.");
  return [a] { return Run(*a); };
});

}  // namespace
}  // namespace zektra::cli
