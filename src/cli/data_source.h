// Where the CLI gets datasets and passphrases.
//
// DATA arguments are a CSV path or vault://DIR/NAME; a vault dataset is decrypted in memory
// and never written to disk. Passphrases come, in this order, from --passphrase-file (commands
// that have it), the environment variable ZEKTRA_PASSPHRASE, a file named by
// ZEKTRA_PASSPHRASE_FILE, or a prompt without echo when standard input is a terminal; never
// from the command line (argv is visible to every user of the machine) and never logged.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "zektra/crypto/secure_buffer.h"
#include "zektra/ml/dataset.h"
#include "zektra/pot/dataset_commitment.h"
#include "zektra/vault/vault.h"

namespace zektra::cli {

// `passphrase_file` empty: not given. `confirm` asks twice at the prompt (vault init).
// InvalidArgument (usage) when no source is available.
Result<SecureBuffer> ReadPassphrase(const std::string& passphrase_file, const std::string& what, bool confirm = false);
vault::PassphraseFn PassphraseSource(const std::string& passphrase_file = "");

// A plain CSV path (ml::LoadCsv) or vault://DIR/NAME (vault::LoadDatasetFromVault). When
// secret_out is given and DATA is a vault URI it receives the vault's commitment seed, so the
// commitment computed from the table is the one in the vault's manifest; otherwise it is left as is.
Result<ml::Table> LoadTableForCli(const std::string& data, const ml::CsvOptions& options,
                                  pot::DatasetSecret* secret_out = nullptr);

}  // namespace zektra::cli

namespace zektra::cli {
// The public fields of a verified manifest, for `vault list/show/add` --json.
nlohmann::json ManifestJson(const vault::Manifest& manifest);
}  // namespace zektra::cli
