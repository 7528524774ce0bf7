#include "zektra/vault/vault.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>

#include "zektra/base/file_io.h"
#include "zektra/base/serialize.h"
#include "zektra/crypto/aead.h"
#include "zektra/crypto/random.h"
#include "zektra/crypto/sha256.h"

namespace zektra::vault {
namespace {

constexpr char kKeyMagic[4] = {'Z', 'K', 'V', 'K'};
constexpr char kManifestMagic[4] = {'Z', 'K', 'V', 'M'};
constexpr char kGrantMagic[4] = {'Z', 'K', 'V', 'G'};
constexpr const char* kManifestDomain = "zektra.vault.manifest.v1";
constexpr const char* kGrantDomain = "zektra.vault.grant.v1";
constexpr const char* kKeyFileDomain = "zektra.vault.key.v1";
constexpr size_t kDataKeyBytes = kAeadKeyBytes;
constexpr size_t kSealedKeysBytes = kDataKeyBytes + 32;  // data key ‖ commitment seed

std::string KeyPath(const std::string& dir) { return dir + "/vault.key"; }
std::string DatasetsDir(const std::string& dir) { return dir + "/datasets"; }
std::string ManifestPath(const std::string& dir, const std::string& name) {
  return DatasetsDir(dir) + "/" + name + ".manifest";
}
std::string DataPath(const std::string& dir, const std::string& name) {
  return DatasetsDir(dir) + "/" + name + ".zvd";
}

bool PathExists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

Status MakeDirectory(const std::string& path) {
  if (::mkdir(path.c_str(), 0700) == 0 || errno == EEXIST) return Status::Ok();
  return Status::IoError(path + ": cannot create directory: " + std::strerror(errno));
}

// After a rename, the directory entry itself must reach the disk for the write to be durable.
void SyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

template <size_t N>
void ReadArray(ByteReader& r, std::array<uint8_t, N>& out, const char* what) {
  ByteSpan s = r.Raw(N, what);
  if (r.ok()) std::copy(s.begin(), s.end(), out.begin());
}

bool HasMagic(ByteSpan file, const char (&magic)[4]) {
  return file.size() >= 4 && std::memcmp(file.data(), magic, 4) == 0;
}

// What a signature covers: a domain tag, then the signed bytes, so a signature made for one
// kind of file can never be replayed as another.
Bytes DomainMessage(const char* domain, ByteSpan signed_bytes) {
  ByteWriter w;
  w.String(domain);
  w.Raw(signed_bytes);
  return w.Take();
}

// ---- key file ----

struct KeyFile {
  VaultPublicKeys pub;
  std::array<uint8_t, kKdfSaltBytes> salt{};
  std::array<uint8_t, kAeadNonceBytes> nonce{};
  Bytes ciphertext;
  Bytes associated;  // every byte before the ciphertext
};

Result<KeyFile> ParseKeyFile(ByteSpan file, const std::string& source) {
  if (!HasMagic(file, kKeyMagic)) return Status::BadInput(source + ": not a Zektra vault key file (bad magic)");
  ByteReader r(file.subspan(4));
  KeyFile k;
  const uint32_t version = r.U32("version");
  if (r.ok() && version != kKeyFileVersion) {
    return Status::BadInput(source + ": unsupported key file version " + std::to_string(version) + " (this build reads 1)");
  }
  k.pub.kdf.opslimit = r.U64("argon2id opslimit");
  k.pub.kdf.memlimit_bytes = r.U64("argon2id memlimit");
  ReadArray(r, k.salt, "salt");
  ReadArray(r, k.pub.box_key, "x25519 public key");
  ReadArray(r, k.pub.sign_key, "ed25519 public key");
  ReadArray(r, k.nonce, "nonce");
  const size_t associated_end = 4 + r.offset();
  ByteSpan ct = r.Blob("encrypted secret keys");
  ZK_RETURN_IF_ERROR(r.Finish("vault key file").WithContext(source));
  if (ct.size() != kBoxSecretKeyBytes + kSignSeedBytes + kAeadTagBytes) {
    return Status::BadInput(source + ": encrypted secret keys have the wrong length");
  }
  ZK_RETURN_IF_ERROR(k.pub.kdf.Validate().WithContext(source));
  k.ciphertext.assign(ct.begin(), ct.end());
  k.associated = DomainMessage(kKeyFileDomain, file.subspan(0, associated_end));
  return k;
}

// ---- manifest body ----

Bytes ManifestBody(const Manifest& m) {
  ByteWriter w;
  w.String(m.name);
  w.U64(m.created_at_unix);
  w.String(m.label_name);
  w.U64(m.feature_names.size());
  for (const auto& f : m.feature_names) w.String(f);
  w.U64(m.rows);
  w.String(m.commitment.ToJson());
  w.U64(m.plaintext_bytes);
  w.U64(m.ciphertext_bytes);
  w.Raw(m.ciphertext_sha256);
  w.Raw(m.owner_sign_key);
  w.Raw(m.owner_box_key);
  w.Blob(m.sealed_keys);
  return w.Take();
}

Result<Manifest> ParseManifestBody(ByteSpan body, const std::string& source) {
  ByteReader r(body);
  Manifest m;
  m.name = r.String("name");
  m.created_at_unix = r.U64("created_at");
  m.label_name = r.String("label");
  const uint64_t features = r.Count("feature count", 8, uint64_t{1} << 20);
  for (uint64_t i = 0; i < features && r.ok(); ++i) m.feature_names.push_back(r.String("feature name"));
  m.rows = r.U64("rows");
  const std::string commitment_json = r.String("commitment");
  m.plaintext_bytes = r.U64("plaintext_bytes");
  m.ciphertext_bytes = r.U64("ciphertext_bytes");
  ReadArray(r, m.ciphertext_sha256, "ciphertext_sha256");
  ReadArray(r, m.owner_sign_key, "owner signing key");
  ReadArray(r, m.owner_box_key, "owner sealing key");
  ByteSpan sealed = r.Blob("sealed keys");
  ZK_RETURN_IF_ERROR(r.Finish("manifest body").WithContext(source));
  m.sealed_keys.assign(sealed.begin(), sealed.end());
  ZK_RETURN_IF_ERROR(ValidateDatasetName(m.name).WithContext(source));
  ZK_ASSIGN_OR_RETURN(m.commitment, pot::DatasetCommitment::FromJson(commitment_json, source + " (commitment)"));
  if (m.commitment.rows != m.rows || m.commitment.feature_names != m.feature_names ||
      m.commitment.label_name != m.label_name) {
    return Status::BadInput(source + ": the commitment's shape or column names disagree with the manifest's schema");
  }
  if (m.sealed_keys.size() != kSealedKeysBytes + kSealOverheadBytes) {
    return Status::BadInput(source + ": sealed keys have the wrong length");
  }
  return m;
}

Result<Bytes> ReadManifestFile(const std::string& dir, const std::string& name) {
  ZK_RETURN_IF_ERROR(ValidateDatasetName(name));
  const std::string path = ManifestPath(dir, name);
  if (!PathExists(path)) return Status::BadInput("no dataset '" + name + "' in vault " + dir);
  return ReadFileBytes(path);
}

// Checks the data file against the signed manifest, opens the sealed keys' payload and
// decrypts. `keys` is data key ‖ commitment seed.
Result<DecryptedDataset> DecryptWithKeys(Manifest manifest, ByteSpan data_file, const std::string& source,
                                         ByteSpan keys) {
  if (data_file.size() != manifest.ciphertext_bytes) {
    return Status::Rejected(source + ": " + std::to_string(data_file.size()) +
                            " bytes, but the signed manifest says " + std::to_string(manifest.ciphertext_bytes) +
                            " (truncated, extended or replaced)");
  }
  if (Sha256::Hash(data_file) != manifest.ciphertext_sha256) {
    return Status::Rejected(source + ": ciphertext SHA-256 differs from the signed manifest (altered or replaced)");
  }
  ZK_CHECK(keys.size() == kSealedKeysBytes, "sealed key payload size");
  ZK_ASSIGN_OR_RETURN(SecureBuffer csv, OpenDataStream(keys.subspan(0, kDataKeyBytes), data_file, source));
  if (csv.size() != manifest.plaintext_bytes) {
    return Status::Rejected(source + ": plaintext size differs from the signed manifest");
  }
  DecryptedDataset out{std::move(manifest), std::move(csv), {}};
  std::copy(keys.begin() + kDataKeyBytes, keys.end(), out.secret.seed.begin());
  return out;
}

}  // namespace

// ---- vault ----

Status CreateVault(const std::string& dir, ByteSpan passphrase, const Argon2idLimits& kdf) {
  if (passphrase.empty()) return Status::InvalidArgument("the passphrase must not be empty");
  ZK_RETURN_IF_ERROR(kdf.Validate());
  if (PathExists(KeyPath(dir))) return Status::InvalidArgument(dir + " already holds a vault (vault.key exists)");
  ZK_RETURN_IF_ERROR(MakeDirectory(dir));
  ZK_RETURN_IF_ERROR(MakeDirectory(DatasetsDir(dir)));

  BoxKeyPair box = BoxKeyPair::Generate();
  SignKeyPair sign = SignKeyPair::Generate();
  std::array<uint8_t, kKdfSaltBytes> salt{};
  std::array<uint8_t, kAeadNonceBytes> nonce{};
  RandomBytes(salt.data(), salt.size());
  RandomBytes(nonce.data(), nonce.size());

  ByteWriter w;
  w.Raw(AsBytes(std::string_view(kKeyMagic, 4)));
  w.U32(kKeyFileVersion);
  w.U64(kdf.opslimit);
  w.U64(kdf.memlimit_bytes);
  w.Raw(salt);
  w.Raw(box.public_key);
  w.Raw(sign.public_key);
  w.Raw(nonce);
  const Bytes associated = DomainMessage(kKeyFileDomain, w.bytes());

  SecureBuffer key(kAeadKeyBytes);
  ZK_RETURN_IF_ERROR(DeriveKeyArgon2id(passphrase, salt, kdf, key.span()));
  SecureBuffer secrets(kBoxSecretKeyBytes + kSignSeedBytes);
  SecureBuffer seed = sign.Seed();
  std::memcpy(secrets.data(), box.secret_key.data(), kBoxSecretKeyBytes);
  std::memcpy(secrets.data() + kBoxSecretKeyBytes, seed.data(), kSignSeedBytes);
  Bytes ct(secrets.size() + kAeadTagBytes);
  AeadSeal(key.view(), nonce, secrets.view(), associated, ct);
  w.Blob(ct);
  ZK_RETURN_IF_ERROR(WriteFileAtomic(KeyPath(dir), w.bytes(), 0600));
  SyncDirectory(dir);
  return Status::Ok();
}

Result<VaultPublicKeys> ReadVaultPublicKeys(const std::string& dir) {
  if (!PathExists(KeyPath(dir))) return Status::BadInput(dir + ": not a vault (no vault.key)");
  ZK_ASSIGN_OR_RETURN(Bytes file, ReadFileBytes(KeyPath(dir)));
  ZK_ASSIGN_OR_RETURN(KeyFile k, ParseKeyFile(file, KeyPath(dir)));
  return k.pub;
}

Result<Vault> Vault::Open(const std::string& dir, ByteSpan passphrase) {
  const std::string path = KeyPath(dir);
  if (!PathExists(path)) return Status::BadInput(dir + ": not a vault (no vault.key)");
  ZK_ASSIGN_OR_RETURN(Bytes file, ReadFileBytes(path));
  ZK_ASSIGN_OR_RETURN(KeyFile k, ParseKeyFile(file, path));
  SecureBuffer key(kAeadKeyBytes);
  ZK_RETURN_IF_ERROR(DeriveKeyArgon2id(passphrase, k.salt, k.pub.kdf, key.span()).WithContext(path));
  SecureBuffer secrets(kBoxSecretKeyBytes + kSignSeedBytes);
  if (!AeadOpen(key.view(), k.nonce, k.ciphertext, k.associated, secrets.span()).ok()) {
    return Status::Rejected(path + ": wrong passphrase (or the key file was altered)");
  }
  Vault v;
  v.dir_ = dir;
  v.kdf_ = k.pub.kdf;
  ZK_ASSIGN_OR_RETURN(v.box_, BoxKeyPair::FromSecretKey(secrets.view().subspan(0, kBoxSecretKeyBytes)));
  ZK_ASSIGN_OR_RETURN(v.sign_, SignKeyPair::FromSeed(secrets.view().subspan(kBoxSecretKeyBytes)));
  if (v.box_.public_key != k.pub.box_key || v.sign_.public_key != k.pub.sign_key) {
    return Status::BadInput(path + ": the secret keys do not match the public keys");
  }
  return v;
}

// ---- manifests ----

std::string Manifest::CreatedAtIso() const {
  std::time_t t = static_cast<std::time_t>(created_at_unix);
  std::tm tm {};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Bytes EncodeSignedManifest(const Manifest& manifest, const SignKeyPair& owner) {
  ZK_CHECK(manifest.owner_sign_key == owner.public_key, "manifest signed by a key other than its owner's");
  ByteWriter w;
  w.Raw(AsBytes(std::string_view(kManifestMagic, 4)));
  w.U32(kManifestVersion);
  w.Blob(ManifestBody(manifest));
  const Signature sig = SignMessage(owner, DomainMessage(kManifestDomain, w.bytes()));
  w.Raw(sig);
  return w.Take();
}

Result<Manifest> DecodeSignedManifest(ByteSpan file, const std::string& source, const SignPublicKey* expected_owner) {
  if (!HasMagic(file, kManifestMagic)) return Status::BadInput(source + ": not a Zektra vault manifest (bad magic)");
  ByteReader r(file.subspan(4));
  const uint32_t version = r.U32("version");
  if (r.ok() && version != kManifestVersion) {
    return Status::BadInput(source + ": unsupported manifest version " + std::to_string(version) + " (this build reads 1)");
  }
  ByteSpan body = r.Blob("manifest body");
  const size_t signed_end = 4 + r.offset();
  Signature sig{};
  ReadArray(r, sig, "signature");
  ZK_RETURN_IF_ERROR(r.Finish("manifest").WithContext(source));
  // The owner key is inside the body; read it before trusting anything else there.
  ByteReader key_reader(body);
  if (body.size() < kSignPublicKeyBytes + kBoxPublicKeyBytes + 8 + kSealedKeysBytes + kSealOverheadBytes) {
    return Status::BadInput(source + ": manifest body too short");
  }
  SignPublicKey owner{};
  const size_t owner_at = body.size() - (kSignPublicKeyBytes + kBoxPublicKeyBytes + 8 + kSealedKeysBytes + kSealOverheadBytes);
  std::copy_n(body.begin() + owner_at, kSignPublicKeyBytes, owner.begin());
  if (expected_owner != nullptr && owner != *expected_owner) {
    return Status::Rejected(source + ": manifest names owner key " + ToHex(owner) + ", not this vault's " +
                            ToHex(*expected_owner));
  }
  if (!VerifySignature(owner, DomainMessage(kManifestDomain, file.subspan(0, signed_end)), sig)) {
    return Status::Rejected(source + ": manifest signature does not verify (altered)");
  }
  ZK_ASSIGN_OR_RETURN(Manifest m, ParseManifestBody(body, source));
  if (m.owner_sign_key != owner) return Status::BadInput(source + ": malformed manifest (owner key misplaced)");
  return m;
}

// ---- datasets ----

Status ValidateDatasetName(const std::string& name) {
  auto ok_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-'; };
  if (name.empty() || name.size() > 64 || !std::isalnum(static_cast<unsigned char>(name[0])) ||
      !std::all_of(name.begin(), name.end(), ok_char)) {
    return Status::InvalidArgument("dataset name '" + name +
                                   "' must be 1-64 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit");
  }
  return Status::Ok();
}

std::string DefaultDatasetName(const std::string& csv_path) {
  std::string base = csv_path.substr(csv_path.find_last_of('/') == std::string::npos ? 0 : csv_path.find_last_of('/') + 1);
  if (base.size() > 4 && base.compare(base.size() - 4, 4, ".csv") == 0) base.resize(base.size() - 4);
  for (char& c : base) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) c = '_';
  }
  if (base.empty() || !std::isalnum(static_cast<unsigned char>(base[0]))) base.insert(base.begin(), 'd');
  if (base.size() > 64) base.resize(64);
  return base;
}

Result<Manifest> AddDataset(const Vault& vault, const std::string& csv_path, const AddOptions& options) {
  const std::string name = options.name.empty() ? DefaultDatasetName(csv_path) : options.name;
  ZK_RETURN_IF_ERROR(ValidateDatasetName(name));
  if (options.label.empty()) return Status::InvalidArgument("a label column is required (--label)");
  if (options.chunk_bytes == 0 || options.chunk_bytes > kMaxChunkBytes) {
    return Status::InvalidArgument("chunk size out of range");
  }
  const std::string manifest_path = ManifestPath(vault.dir(), name);
  const std::string data_path = DataPath(vault.dir(), name);
  if (PathExists(manifest_path)) return Status::InvalidArgument("dataset '" + name + "' already exists in " + vault.dir());
  ZK_RETURN_IF_ERROR(MakeDirectory(DatasetsDir(vault.dir())));

  ZK_ASSIGN_OR_RETURN(Bytes text, ReadFileBytes(csv_path));
  // The CSV is plaintext on the caller's disk already; the copies we make are wiped.
  struct Wiper {
    Bytes& b;
    ~Wiper() { SecureWipe(b); }
  } wipe_text{text};
  ml::CsvOptions csv;
  csv.label = options.label;
  ZK_ASSIGN_OR_RETURN(ml::Table table, ml::ParseCsv(std::string_view(reinterpret_cast<const char*>(text.data()), text.size()),
                                                   csv_path, csv));
  pot::DatasetSecret secret = pot::DatasetSecret::Fresh();
  auto committed = pot::CommitDataset(table, secret, options.fraction_bits, options.max_openings);
  SecureWipe(table.features);
  SecureWipe(table.labels);
  if (!committed.ok()) return committed.status();

  Manifest m;
  m.name = name;
  m.created_at_unix = static_cast<uint64_t>(std::time(nullptr));
  m.label_name = committed->commitment.label_name;
  m.feature_names = committed->commitment.feature_names;
  m.rows = committed->commitment.rows;
  m.commitment = committed->commitment;
  SecureWipe(committed->matrix);
  m.plaintext_bytes = text.size();
  m.owner_sign_key = vault.signer().public_key;
  m.owner_box_key = vault.box().public_key;

  SecureBuffer keys(kSealedKeysBytes);
  RandomBytes(keys.data(), kDataKeyBytes);
  std::copy(secret.seed.begin(), secret.seed.end(), keys.data() + kDataKeyBytes);
  m.sealed_keys = SealToRecipient(vault.box().public_key, keys.view());

  Bytes ciphertext(DataFileBytes(text.size(), options.chunk_bytes));
  SealDataStream(keys.view().subspan(0, kDataKeyBytes), text, options.chunk_bytes, ciphertext);
  m.ciphertext_bytes = ciphertext.size();
  m.ciphertext_sha256 = Sha256::Hash(ciphertext);
  const Bytes manifest_file = EncodeSignedManifest(m, vault.signer());

  auto hook = [&](std::string_view stage) {
    return options.fault_hook ? options.fault_hook(stage) : Status::Ok();
  };
  ZK_RETURN_IF_ERROR(hook("encrypted"));
  // The data file first: until the manifest is renamed into place, no dataset refers to it.
  ZK_RETURN_IF_ERROR(WriteFileAtomic(data_path, ciphertext, 0600));
  Status s = hook("data_written");
  if (s.ok()) s = WriteFileAtomic(manifest_path, manifest_file, 0600);
  if (!s.ok()) {
    ::unlink(data_path.c_str());
    return s;
  }
  SyncDirectory(DatasetsDir(vault.dir()));
  return m;
}

Result<std::vector<ListedDataset>> ListDatasets(const std::string& dir) {
  ZK_ASSIGN_OR_RETURN(VaultPublicKeys pub, ReadVaultPublicKeys(dir));
  std::vector<ListedDataset> out;
  DIR* d = ::opendir(DatasetsDir(dir).c_str());
  if (d == nullptr) return out;  // a vault without datasets
  const std::string suffix = ".manifest";
  while (dirent* e = ::readdir(d)) {
    std::string file = e->d_name;
    if (file.size() <= suffix.size() || file.compare(file.size() - suffix.size(), suffix.size(), suffix) != 0) continue;
    ListedDataset item;
    item.name = file.substr(0, file.size() - suffix.size());
    if (!ValidateDatasetName(item.name).ok()) continue;  // temp files and strays
    auto bytes = ReadFileBytes(ManifestPath(dir, item.name));
    if (!bytes.ok()) {
      item.problem = bytes.status().message();
    } else {
      auto m = DecodeSignedManifest(*bytes, ManifestPath(dir, item.name), &pub.sign_key);
      if (m.ok() && m->name != item.name) {
        item.problem = "manifest names dataset '" + m->name + "' (renamed file)";
      } else if (m.ok()) {
        item.manifest = std::move(m).value();
      } else {
        item.problem = m.status().message();
      }
    }
    out.push_back(std::move(item));
  }
  ::closedir(d);
  std::sort(out.begin(), out.end(), [](const ListedDataset& a, const ListedDataset& b) { return a.name < b.name; });
  return out;
}

Result<Manifest> ShowDataset(const std::string& dir, const std::string& name) {
  ZK_ASSIGN_OR_RETURN(VaultPublicKeys pub, ReadVaultPublicKeys(dir));
  ZK_ASSIGN_OR_RETURN(Bytes file, ReadManifestFile(dir, name));
  ZK_ASSIGN_OR_RETURN(Manifest m, DecodeSignedManifest(file, ManifestPath(dir, name), &pub.sign_key));
  if (m.name != name) {
    return Status::Rejected(ManifestPath(dir, name) + ": the signed manifest is for dataset '" + m.name + "'");
  }
  return m;
}

namespace {

// The verified manifest (and its file bytes), the data file, and the unsealed keys.
struct OwnedDataset {
  Manifest manifest;
  Bytes manifest_file;
  Bytes data_file;
  SecureBuffer keys;
};

Result<OwnedDataset> LoadOwned(const Vault& vault, const std::string& name) {
  OwnedDataset o;
  ZK_ASSIGN_OR_RETURN(o.manifest_file, ReadManifestFile(vault.dir(), name));
  const std::string manifest_path = ManifestPath(vault.dir(), name);
  ZK_ASSIGN_OR_RETURN(o.manifest, DecodeSignedManifest(o.manifest_file, manifest_path, &vault.signer().public_key));
  if (o.manifest.name != name) {
    return Status::Rejected(manifest_path + ": the signed manifest is for dataset '" + o.manifest.name + "'");
  }
  if (o.manifest.owner_box_key != vault.box().public_key) {
    return Status::Rejected(manifest_path + ": data key sealed to another vault's key");
  }
  ZK_ASSIGN_OR_RETURN(o.data_file, ReadFileBytes(DataPath(vault.dir(), name)));
  auto keys = OpenSealed(vault.box(), o.manifest.sealed_keys);
  if (!keys.ok()) return keys.status().WithContext(manifest_path);
  if (keys->size() != kSealedKeysBytes) return Status::BadInput(manifest_path + ": sealed keys have the wrong length");
  o.keys = std::move(keys).value();
  return o;
}

}  // namespace

Result<DecryptedDataset> DecryptDataset(const Vault& vault, const std::string& name) {
  ZK_ASSIGN_OR_RETURN(OwnedDataset o, LoadOwned(vault, name));
  return DecryptWithKeys(std::move(o.manifest), o.data_file, DataPath(vault.dir(), name), o.keys.view());
}

Result<Manifest> ExportDataset(const Vault& vault, const std::string& name, const std::string& out_path) {
  ZK_ASSIGN_OR_RETURN(DecryptedDataset d, DecryptDataset(vault, name));
  ZK_RETURN_IF_ERROR(WriteFileAtomic(out_path, d.csv.view(), 0600));
  return std::move(d.manifest);
}

// ---- grants ----

Result<Bytes> CreateGrant(const Vault& vault, const std::string& name, const BoxPublicKey& recipient) {
  ZK_ASSIGN_OR_RETURN(OwnedDataset o, LoadOwned(vault, name));
  // Never hand out a data file that would not open: check it against the manifest first.
  ZK_ASSIGN_OR_RETURN(DecryptedDataset check,
                      DecryptWithKeys(o.manifest, o.data_file, DataPath(vault.dir(), name), o.keys.view()));
  SecureBuffer payload(kSealedKeysBytes + 32);
  std::memcpy(payload.data(), o.keys.data(), kSealedKeysBytes);
  const Digest manifest_hash = Sha256::Hash(o.manifest_file);
  std::memcpy(payload.data() + kSealedKeysBytes, manifest_hash.data(), manifest_hash.size());

  ByteWriter body;
  body.Blob(o.manifest_file);
  body.Raw(recipient);
  body.Blob(SealToRecipient(recipient, payload.view()));
  body.U64(static_cast<uint64_t>(std::time(nullptr)));

  ByteWriter w;
  w.Raw(AsBytes(std::string_view(kGrantMagic, 4)));
  w.U32(kGrantVersion);
  w.Blob(body.bytes());
  const Signature sig = SignMessage(vault.signer(), DomainMessage(kGrantDomain, w.bytes()));
  w.Raw(sig);
  w.Blob(o.data_file);
  return w.Take();
}

namespace {

struct ParsedGrant {
  ByteSpan signed_part, body, data_file;
  Signature sig{};
};

Result<ParsedGrant> ParseGrant(ByteSpan grant, const std::string& source) {
  if (!HasMagic(grant, kGrantMagic)) return Status::BadInput(source + ": not a Zektra vault grant (bad magic)");
  ByteReader r(grant.subspan(4));
  ParsedGrant g;
  const uint32_t version = r.U32("version");
  if (r.ok() && version != kGrantVersion) {
    return Status::BadInput(source + ": unsupported grant version " + std::to_string(version) + " (this build reads 1)");
  }
  g.body = r.Blob("grant body");
  g.signed_part = grant.subspan(0, 4 + r.offset());
  ReadArray(r, g.sig, "grant signature");
  g.data_file = r.Blob("encrypted data");
  ZK_RETURN_IF_ERROR(r.Finish("grant").WithContext(source));
  return g;
}

}  // namespace

Result<SignPublicKey> GrantOwner(ByteSpan grant, const std::string& source) {
  ZK_ASSIGN_OR_RETURN(ParsedGrant g, ParseGrant(grant, source));
  ByteReader r(g.body);
  ByteSpan manifest_file = r.Blob("manifest");
  ZK_RETURN_IF_ERROR(r.status().WithContext(source));
  ZK_ASSIGN_OR_RETURN(Manifest m, DecodeSignedManifest(manifest_file, source + " (manifest)", nullptr));
  return m.owner_sign_key;
}

Result<DecryptedDataset> OpenGrant(ByteSpan grant, const std::string& source, const Vault& recipient) {
  ZK_ASSIGN_OR_RETURN(ParsedGrant g, ParseGrant(grant, source));
  ByteReader r(g.body);
  ByteSpan manifest_file = r.Blob("manifest");
  BoxPublicKey to{};
  ReadArray(r, to, "recipient key");
  ByteSpan sealed = r.Blob("sealed keys");
  r.U64("created_at");
  ZK_RETURN_IF_ERROR(r.Finish("grant body").WithContext(source));
  ZK_ASSIGN_OR_RETURN(Manifest m, DecodeSignedManifest(manifest_file, source + " (manifest)", nullptr));
  if (!VerifySignature(m.owner_sign_key, DomainMessage(kGrantDomain, g.signed_part), g.sig)) {
    return Status::Rejected(source + ": grant signature does not verify under the owner's key (altered)");
  }
  if (to != recipient.box().public_key) {
    return Status::Rejected(source + ": this grant is for recipient " + ToHex(to) + ", not for vault " +
                            recipient.dir() + " (" + ToHex(recipient.box().public_key) + ")");
  }
  ZK_ASSIGN_OR_RETURN(SecureBuffer payload, OpenSealed(recipient.box(), sealed));
  if (payload.size() != kSealedKeysBytes + 32) return Status::BadInput(source + ": sealed keys have the wrong length");
  const Digest manifest_hash = Sha256::Hash(manifest_file);
  if (!ConstantTimeEqual(payload.view().subspan(kSealedKeysBytes), manifest_hash)) {
    return Status::Rejected(source + ": the sealed keys belong to another manifest");
  }
  return DecryptWithKeys(std::move(m), g.data_file, source + " (encrypted data)",
                         payload.view().subspan(0, kSealedKeysBytes));
}

Result<BoxPublicKey> ParseRecipient(const std::string& text) {
  if (text.size() == 2 * kBoxPublicKeyBytes) {
    auto bytes = FromHex(text);
    if (bytes.ok()) {
      BoxPublicKey k{};
      std::copy(bytes->begin(), bytes->end(), k.begin());
      return k;
    }
  }
  if (PathExists(KeyPath(text))) {
    ZK_ASSIGN_OR_RETURN(VaultPublicKeys pub, ReadVaultPublicKeys(text));
    return pub.box_key;
  }
  return Status::InvalidArgument("recipient '" + text +
                                 "' is neither a 64-hex-character X25519 public key nor a vault directory");
}

// ---- vault:// ----

bool IsVaultUri(std::string_view data) { return data.substr(0, 8) == "vault://"; }

Result<VaultUri> ParseVaultUri(std::string_view data) {
  if (!IsVaultUri(data)) return Status::InvalidArgument("not a vault:// URI: " + std::string(data));
  std::string_view rest = data.substr(8);
  const size_t slash = rest.find_last_of('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == rest.size()) {
    return Status::InvalidArgument("vault URI must be vault://DIR/NAME: " + std::string(data));
  }
  VaultUri u{std::string(rest.substr(0, slash)), std::string(rest.substr(slash + 1))};
  ZK_RETURN_IF_ERROR(ValidateDatasetName(u.name));
  return u;
}

Result<ml::Table> LoadDatasetFromVault(std::string_view uri, const ml::CsvOptions& options,
                                       const PassphraseFn& passphrase, pot::DatasetSecret* secret_out) {
  ZK_ASSIGN_OR_RETURN(VaultUri u, ParseVaultUri(uri));
  // Fail on a missing dataset before asking for a passphrase.
  ZK_ASSIGN_OR_RETURN(Manifest shown, ShowDataset(u.dir, u.name));
  if (secret_out != nullptr && options.label != shown.label_name) {
    return Status::InvalidArgument(std::string(uri) + " was committed with label '" + shown.label_name +
                                   "', not '" + options.label + "'");
  }
  ZK_ASSIGN_OR_RETURN(SecureBuffer pass, passphrase(u.dir));
  ZK_ASSIGN_OR_RETURN(Vault v, Vault::Open(u.dir, pass.view()));
  ZK_ASSIGN_OR_RETURN(DecryptedDataset d, DecryptDataset(v, u.name));
  ZK_ASSIGN_OR_RETURN(ml::Table table, ml::ParseCsv(d.csv.text(), std::string(uri), options));
  if (secret_out != nullptr) secret_out->seed = d.secret.seed;
  return table;
}

}  // namespace zektra::vault
