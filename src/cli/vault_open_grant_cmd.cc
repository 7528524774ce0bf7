// `zektra vault open-grant GRANT --vault MYDIR --out F`: the recipient's side of a grant.
// Every check (signatures, recipient, sealed keys, ciphertext hash, chunk tags, and the
// dataset commitment recomputed from the data) passes before F is written, atomically.
#include <cstdio>

#include "cli/command.h"
#include "cli/data_source.h"
#include "zektra/base/file_io.h"

namespace zektra::cli {
namespace {

struct OpenArgs {
  std::string grant, vault_dir, out, owner, passphrase_file;
  bool json = false;
};

int Run(const OpenArgs& a) {
  auto pub = vault::ReadVaultPublicKeys(a.vault_dir);
  if (!pub.ok()) return ReportError(pub.status(), a.json);
  auto bytes = ReadFileBytes(a.grant);
  if (!bytes.ok()) return ReportError(bytes.status(), a.json);
  if (!a.owner.empty()) {
    auto claimed = vault::GrantOwner(*bytes, a.grant);
    if (!claimed.ok()) return ReportError(claimed.status(), a.json);
    if (ToHex(*claimed) != a.owner) {
      return ReportError(Status::Rejected(a.grant + ": signed by owner " + ToHex(*claimed) + ", not " + a.owner), a.json);
    }
  }
  auto pass = ReadPassphrase(a.passphrase_file, "vault " + a.vault_dir);
  if (!pass.ok()) return ReportError(pass.status(), a.json);
  auto v = vault::Vault::Open(a.vault_dir, pass->view());
  if (!v.ok()) return ReportError(v.status(), a.json);
  auto d = vault::OpenGrant(*bytes, a.grant, *v);
  if (!d.ok()) return ReportError(d.status(), a.json);
  // The data must be what the owner's public commitment binds.
  ml::CsvOptions csv;
  csv.label = d->manifest.label_name;
  auto table = ml::ParseCsv(d->csv.text(), a.grant, csv);
  if (!table.ok()) return ReportError(table.status(), a.json);
  auto committed = pot::CommitDataset(*table, d->secret, d->manifest.commitment.fraction_bits,
                                      d->manifest.commitment.pcs.params.max_openings);
  if (!committed.ok()) return ReportError(committed.status(), a.json);
  if (committed->commitment.Id() != d->manifest.commitment.Id()) {
    return ReportError(Status::Rejected(a.grant + ": the data does not match the manifest's commitment"), a.json);
  }
  Status s = WriteFileAtomic(a.out, d->csv.view(), 0600);
  if (!s.ok()) return ReportError(s, a.json);
  const auto& m = d->manifest;
  if (a.json) {
    PrintJson({{"name", m.name},
               {"out", a.out},
               {"bytes", m.plaintext_bytes},
               {"rows", m.rows},
               {"commitment", m.commitment.IdHex()},
               {"commitment_verified", true},
               {"owner_sign_key", ToHex(m.owner_sign_key)}});
  } else {
    std::printf("opened grant for %s from owner %s\n", m.name.c_str(), ToHex(m.owner_sign_key).c_str());
    std::printf("commitment %s verified against the data\n", m.commitment.IdHex().c_str());
    std::printf("written %s (%llu bytes)\n", a.out.c_str(), static_cast<unsigned long long>(m.plaintext_bytes));
  }
  return kExitOk;
}

CommandRegistrar reg("vault open-grant", "Open a grant addressed to your vault and write the dataset",
                     [](CLI::App& app) -> RunFn {
  auto a = std::make_shared<OpenArgs>();
  app.add_option("grant", a->grant, "Grant file")->required();
  app.add_option("--vault", a->vault_dir, "Your vault directory (the grant's recipient)")->required();
  app.add_option("--out", a->out, "CSV file to write (mode 0600)")->required();
  app.add_option("--owner", a->owner, "Require this owner signing key (hex), as the owner told you out of band");
  app.add_option("--passphrase-file", a->passphrase_file, "Read the passphrase from the first line of this file");
  app.add_flag("--json", a->json, "Print one JSON object");
  return [a] { return Run(*a); };
});

}  // namespace
}  // namespace zektra::cli
