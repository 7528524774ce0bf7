// Private vaults: datasets kept encrypted on their owner's side (client-side encryption).
//
// A vault is a directory:
//   DIR/vault.key                 the owner's X25519 (sealing) and Ed25519 (signing) key pairs,
//                                 secret halves encrypted under Argon2id(passphrase)
//   DIR/datasets/NAME.manifest    signed manifest: name, schema, rows, dataset commitment,
//                                 ciphertext hash, created-at, and the data key sealed to the owner
//   DIR/datasets/NAME.zvd         the CSV encrypted in 1 MiB chunks (vault/stream.h)
// What leaves a vault: the public keys, manifests (the commitment binds the rows without
// revealing them; the manifest also shows the schema, row count and sizes), and grants — the
// data key and commitment seed sealed to one named recipient, with the manifest and ciphertext.
// Formats: docs/FORMATS_vault.md. Threat model and limits: docs/VAULT.md.
//
// Contract: every reader checks magic, version, lengths, signatures and AEAD tags before it
// returns plaintext, and returns plaintext only in memory (SecureBuffer); failures are Status
// values naming the file and the reason. Writes are atomic (temp + fsync + rename) and a dataset
// exists exactly when its manifest does, so an interrupted add leaves the vault as it was.
// One writer at a time per vault (no lock is taken).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zektra/crypto/keys.h"
#include "zektra/crypto/kdf.h"
#include "zektra/crypto/secure_buffer.h"
#include "zektra/crypto/sign.h"
#include "zektra/ml/dataset.h"
#include "zektra/pot/dataset_commitment.h"
#include "zektra/vault/stream.h"

namespace zektra::vault {

inline constexpr uint32_t kKeyFileVersion = 1;
inline constexpr uint32_t kManifestVersion = 1;
inline constexpr uint32_t kGrantVersion = 1;

// ---- the vault and its keys ----

struct VaultPublicKeys {
  BoxPublicKey box_key{};    // recipients give this to owners who grant them data
  SignPublicKey sign_key{};  // manifests and grants from this vault verify under it
  Argon2idLimits kdf;
};

// Creates DIR (if needed) and DIR/vault.key; refuses when DIR already holds a vault.
// An empty passphrase is refused.
Status CreateVault(const std::string& dir, ByteSpan passphrase, const Argon2idLimits& kdf);
// The public half of DIR/vault.key (no passphrase needed).
Result<VaultPublicKeys> ReadVaultPublicKeys(const std::string& dir);

// A vault whose secret keys are unlocked in protected memory.
class Vault {
 public:
  // Rejected (exit 1) for a wrong passphrase or an altered key file; BadInput for a file that
  // is not a vault key file at all.
  static Result<Vault> Open(const std::string& dir, ByteSpan passphrase);
  const std::string& dir() const { return dir_; }
  const BoxKeyPair& box() const { return box_; }
  const SignKeyPair& signer() const { return sign_; }
  VaultPublicKeys public_keys() const { return {box_.public_key, sign_.public_key, kdf_}; }

 private:
  std::string dir_;
  BoxKeyPair box_;
  SignKeyPair sign_;
  Argon2idLimits kdf_;
};

// ---- manifests ----

struct Manifest {
  std::string name;
  uint64_t created_at_unix = 0;
  std::string label_name;
  std::vector<std::string> feature_names;
  uint64_t rows = 0;
  pot::DatasetCommitment commitment;  // as `zektra dataset commit` writes it
  uint64_t plaintext_bytes = 0;       // of the CSV
  uint64_t ciphertext_bytes = 0;      // of the .zvd file
  Digest ciphertext_sha256{};
  SignPublicKey owner_sign_key{};
  BoxPublicKey owner_box_key{};
  Bytes sealed_keys;  // crypto_box_seal(data key ‖ commitment seed) to owner_box_key

  std::string CreatedAtIso() const;  // UTC, ISO 8601
};

// The signed manifest file: magic, version, body, Ed25519 signature.
Bytes EncodeSignedManifest(const Manifest& manifest, const SignKeyPair& owner);
// Checks magic, version, lengths and the signature (under the owner key written in the
// manifest, and, when `expected_owner` is given, that it is that key), and that the embedded
// commitment agrees with the schema. `source` names the file in messages.
Result<Manifest> DecodeSignedManifest(ByteSpan file, const std::string& source,
                                      const SignPublicKey* expected_owner);

// ---- datasets ----

// 1..64 characters from [A-Za-z0-9._-], starting with a letter or digit.
Status ValidateDatasetName(const std::string& name);
// The default name for a CSV path: its file name without ".csv", other characters → '_'.
std::string DefaultDatasetName(const std::string& csv_path);

struct AddOptions {
  std::string name;   // empty: DefaultDatasetName(csv_path)
  std::string label;  // required
  int fraction_bits = 16;
  uint32_t max_openings = pot::kDefaultDatasetMaxOpenings;
  uint32_t chunk_bytes = kDefaultChunkBytes;
  // Fault injection for tests: called at "encrypted" (nothing written yet) and "data_written"
  // (the data file is in place, the manifest is not). A non-OK status aborts the add, which
  // then removes what it wrote; a hook that never returns simulates a crash.
  std::function<Status(std::string_view stage)> fault_hook;
};

// Validates the CSV (ml::ParseCsv with the label), commits to it (pot::CommitDataset with a
// fresh seed), encrypts it under a fresh data key and writes the data file, then the signed
// manifest (the commit point). Refuses a name already in the vault.
Result<Manifest> AddDataset(const Vault& vault, const std::string& csv_path, const AddOptions& options);

struct ListedDataset {
  std::string name;
  std::optional<Manifest> manifest;  // set when the manifest verifies
  std::string problem;               // why not, otherwise
};
// Every NAME.manifest in the vault, sorted by name, each checked against the vault's signing key.
Result<std::vector<ListedDataset>> ListDatasets(const std::string& dir);
// One manifest, signature checked against the vault's signing key.
Result<Manifest> ShowDataset(const std::string& dir, const std::string& name);

struct DecryptedDataset {
  Manifest manifest;
  SecureBuffer csv;            // the CSV text exactly as added
  pot::DatasetSecret secret;   // the commitment's seed: CommitDataset(csv, secret) == manifest.commitment
};
// Manifest signature, ciphertext size and SHA-256, sealed keys, then every chunk: all checked
// before the plaintext is returned. Nothing is written to disk.
Result<DecryptedDataset> DecryptDataset(const Vault& vault, const std::string& name);
// DecryptDataset, then one atomic write of the CSV (mode 0600): no partial plaintext on failure.
Result<Manifest> ExportDataset(const Vault& vault, const std::string& name, const std::string& out_path);

// ---- grants ----

// A self-contained grant: the signed manifest, the data key and commitment seed sealed to
// `recipient`, the owner's signature over both, and the encrypted data file.
Result<Bytes> CreateGrant(const Vault& vault, const std::string& name, const BoxPublicKey& recipient);
// Checks the grant (magic, version, both signatures, recipient, sealed keys bound to the
// manifest, ciphertext hash) and decrypts into memory with the recipient's vault.
Result<DecryptedDataset> OpenGrant(ByteSpan grant, const std::string& source, const Vault& recipient);
// The owner's signing key that a grant claims (for display before opening; unverified).
Result<SignPublicKey> GrantOwner(ByteSpan grant, const std::string& source);

// Parses a recipient given as 64 hex characters, or as the path of a vault directory.
Result<BoxPublicKey> ParseRecipient(const std::string& text);

// ---- vault:// data sources ----

struct VaultUri {
  std::string dir;
  std::string name;
};
bool IsVaultUri(std::string_view data);
// vault://DIR/NAME: DIR is everything up to the last '/', so vault:///abs/dir/NAME works.
Result<VaultUri> ParseVaultUri(std::string_view data);

// Supplies the passphrase of the vault in `dir` (prompt, file, environment: the caller's choice).
using PassphraseFn = std::function<Result<SecureBuffer>(const std::string& dir)>;

// Decrypts vault://DIR/NAME in memory and parses it as CSV (no plaintext touches the disk).
// When secret_out is given it receives the commitment seed of the dataset, so that
// CommitDataset(table, *secret_out) reproduces the manifest's commitment; that needs the
// label the dataset was added with (InvalidArgument otherwise).
Result<ml::Table> LoadDatasetFromVault(std::string_view uri, const ml::CsvOptions& options,
                                       const PassphraseFn& passphrase,
                                       pot::DatasetSecret* secret_out = nullptr);

}  // namespace zektra::vault
