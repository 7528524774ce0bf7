// `zektra vault export DIR NAME [--out F]`: the plaintext CSV, written only after every
// check passed (signature, ciphertext hash, every chunk's tag), atomically, mode 0600.
#include <cstdio>

#include "cli/command.h"
#include "cli/data_source.h"

namespace zektra::cli {
namespace {

struct ExportArgs {
  std::string dir, name, out, passphrase_file;
  bool json = false;
};

int Run(ExportArgs a) {
  if (a.out.empty()) a.out = a.name + ".csv";
  auto shown = vault::ShowDataset(a.dir, a.name);  // a missing dataset before the passphrase
  if (!shown.ok()) return ReportError(shown.status(), a.json);
  auto pass = ReadPassphrase(a.passphrase_file, "vault " + a.dir);
  if (!pass.ok()) return ReportError(pass.status(), a.json);
  auto v = vault::Vault::Open(a.dir, pass->view());
  if (!v.ok()) return ReportError(v.status(), a.json);
  auto m = vault::ExportDataset(*v, a.name, a.out);
  if (!m.ok()) return ReportError(m.status(), a.json);
  if (a.json) {
    PrintJson({{"name", m->name}, {"out", a.out}, {"bytes", m->plaintext_bytes}, {"commitment", m->commitment.IdHex()}});
  } else {
    std::printf("exported %s (%llu bytes) to %s\n", m->name.c_str(), static_cast<unsigned long long>(m->plaintext_bytes),
                a.out.c_str());
  }
  return kExitOk;
}

CommandRegistrar reg("vault export", "Decrypt a dataset to a CSV file (written only after every check passes)",
                     [](CLI::App& app) -> RunFn {
  auto a = std::make_shared<ExportArgs>();
  app.add_option("dir", a->dir, "Vault directory")->required();
  app.add_option("name", a->name, "Dataset name")->required();
  app.add_option("--out", a->out, "CSV file to write (default: NAME.csv; mode 0600)");
  app.add_option("--passphrase-file", a->passphrase_file, "Read the passphrase from the first line of this file");
  app.add_flag("--json", a->json, "Print one JSON object");
  return [a] { return Run(*a); };
});

}  // namespace
}  // namespace zektra::cli
