// `zektra vault init DIR`: a new vault with the owner's X25519 and Ed25519 key pairs, the
// secret halves encrypted under Argon2id(passphrase).
#include <cstdio>

#include "cli/command.h"
#include "cli/data_source.h"

namespace zektra::cli {
namespace {

struct InitArgs {
  std::string dir, passphrase_file, kdf = "interactive";
  bool json = false;
};

int Run(const InitArgs& a) {
  auto kdf = Argon2idLimits::Named(a.kdf);
  if (!kdf.ok()) return ReportError(kdf.status(), a.json);
  auto pass = ReadPassphrase(a.passphrase_file, "new vault " + a.dir, /*confirm=*/true);
  if (!pass.ok()) return ReportError(pass.status(), a.json);
  Status s = vault::CreateVault(a.dir, pass->view(), *kdf);
  if (!s.ok()) return ReportError(s, a.json);
  auto pub = vault::ReadVaultPublicKeys(a.dir);
  if (!pub.ok()) return ReportError(pub.status(), a.json);
  if (a.json) {
    PrintJson({{"vault", a.dir},
               {"recipient_key", ToHex(pub->box_key)},
               {"signing_key", ToHex(pub->sign_key)},
               {"kdf", a.kdf},
               {"argon2id_opslimit", pub->kdf.opslimit},
               {"argon2id_memlimit_bytes", pub->kdf.memlimit_bytes}});
  } else {
    std::printf("vault created    %s\n", a.dir.c_str());
    std::printf("recipient key    %s  (give this to owners who grant you data)\n", ToHex(pub->box_key).c_str());
    std::printf("signing key      %s  (manifests and grants from this vault verify under it)\n",
                ToHex(pub->sign_key).c_str());
  }
  return kExitOk;
}

CommandRegistrar reg("vault init", "Create a vault: key pairs protected by a passphrase (Argon2id)",
                     [](CLI::App& app) -> RunFn {
  auto a = std::make_shared<InitArgs>();
  app.add_option("dir", a->dir, "Vault directory to create")->required();
  app.add_option("--passphrase-file", a->passphrase_file,
                 "Read the passphrase from the first line of this file (else ZEKTRA_PASSPHRASE, else a prompt)");
  app.add_option("--kdf", a->kdf, "Argon2id strength: interactive (64 MiB), moderate (256 MiB), sensitive (1 GiB)")
      ->capture_default_str();
  app.add_flag("--json", a->json, "Print one JSON object");
  return [a] { return Run(*a); };
});

}  // namespace
}  // namespace zektra::cli
