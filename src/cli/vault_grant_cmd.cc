// `zektra vault grant DIR NAME --to RECIPIENT [--out GRANT]`: the dataset's key sealed to one
// recipient's X25519 key, signed by the owner, with the manifest and the encrypted data.
#include <cstdio>

#include "cli/command.h"
#include "cli/data_source.h"
#include "zektra/base/file_io.h"

namespace zektra::cli {
namespace {

struct GrantArgs {
  std::string dir, name, to, out, passphrase_file;
  bool json = false;
};

int Run(GrantArgs a) {
  if (a.out.empty()) a.out = a.name + ".grant";
  auto recipient = vault::ParseRecipient(a.to);
  if (!recipient.ok()) return ReportError(recipient.status(), a.json);
  auto shown = vault::ShowDataset(a.dir, a.name);
  if (!shown.ok()) return ReportError(shown.status(), a.json);
  auto pass = ReadPassphrase(a.passphrase_file, "vault " + a.dir);
  if (!pass.ok()) return ReportError(pass.status(), a.json);
  auto v = vault::Vault::Open(a.dir, pass->view());
  if (!v.ok()) return ReportError(v.status(), a.json);
  auto grant = vault::CreateGrant(*v, a.name, *recipient);
  if (!grant.ok()) return ReportError(grant.status(), a.json);
  Status s = WriteFileAtomic(a.out, *grant, 0600);
  if (!s.ok()) return ReportError(s, a.json);
  if (a.json) {
    PrintJson({{"name", a.name},
               {"recipient_key", ToHex(*recipient)},
               {"out", a.out},
               {"grant_bytes", grant->size()},
               {"commitment", shown->commitment.IdHex()}});
  } else {
    std::printf("granted %s to %s: %s (%zu bytes)\n", a.name.c_str(), ToHex(*recipient).c_str(), a.out.c_str(),
                grant->size());
  }
  return kExitOk;
}

CommandRegistrar reg("vault grant", "Grant one recipient access to a dataset (key sealed to their vault)",
                     [](CLI::App& app) -> RunFn {
  auto a = std::make_shared<GrantArgs>();
  app.add_option("dir", a->dir, "Vault directory")->required();
  app.add_option("name", a->name, "Dataset name")->required();
  app.add_option("--to", a->to, "Recipient: their X25519 key in hex (`vault init` prints it) or their vault directory")
      ->required();
  app.add_option("--out", a->out, "Grant file to write (default: NAME.grant)");
  app.add_option("--passphrase-file", a->passphrase_file, "Read the passphrase from the first line of this file");
  app.add_flag("--json", a->json, "Print one JSON object");
  return [a] { return Run(*a); };
});

}  // namespace
}  // namespace zektra::cli
