#include "zektra/he/train/files.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "zektra/base/file_io.h"
#include "zektra/base/serialize.h"
#include "zektra/crypto/random.h"
#include "zektra/he/serialization.h"
#include "zektra/he/train/wire.h"

namespace zektra::he::train {

using nlohmann::json;

namespace {
constexpr uint32_t kRelinMagic = wire::Magic("ZKRK");
constexpr uint32_t kContainerMagic = wire::Magic("ZKET");

std::string Join(const std::string& dir, const char* name) {
  return dir + "/" + name;
}

Result<Bytes> ReadNamed(const std::string& path, const char* what) {
  auto bytes = ReadFileBytes(path);
  if (!bytes.ok())
    return Status::IoError(std::string(what) + ": cannot read " + path + ": " +
                           bytes.status().message());
  return bytes;
}
}  // namespace

Status MakeDirectory(const std::string& path, unsigned mode) {
  if (::mkdir(path.c_str(), mode) == 0) return Status::Ok();
  if (errno == EEXIST) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return Status::Ok();
  }
  return Status::IoError("cannot create directory " + path + ": " + std::strerror(errno));
}

Bytes SerializeRelinKeyFull(const HeContext& context, const RelinKey& key) {
  ByteWriter w;
  wire::WriteHeader(w, kRelinMagic, context);
  w.U32(static_cast<uint32_t>(key.key.b.size()));
  for (size_t j = 0; j < key.key.b.size(); ++j) {
    wire::WritePoly(w, key.key.b[j]);
    wire::WritePoly(w, key.key.a[j]);
  }
  return w.Take();
}

Result<RelinKey> ParseRelinKeyFull(const HeContextPtr& context, ByteSpan bytes) {
  ByteReader r(bytes);
  const std::string what = "relinearisation key";
  ZK_RETURN_IF_ERROR(wire::ReadHeader(r, kRelinMagic, *context, what));
  const uint32_t dnum = r.U32("dnum");
  if (!r.ok()) return Status::BadInput(what + ": truncated");
  if (dnum != context->dnum()) {
    return Status::BadInput(what + ": " + std::to_string(dnum) + " digits, the parameters have " +
                            std::to_string(context->dnum()));
  }
  RelinKey key;
  key.context_id = context->id();
  key.key.b.resize(dnum);
  key.key.a.resize(dnum);
  for (size_t j = 0; j < dnum; ++j) {
    ZK_RETURN_IF_ERROR(wire::ReadPoly(r, *context, context->num_moduli(), &key.key.b[j], what));
    ZK_RETURN_IF_ERROR(wire::ReadPoly(r, *context, context->num_moduli(), &key.key.a[j], what));
  }
  if (r.remaining() != 0) return Status::BadInput(what + ": trailing bytes");
  return key;
}

Status WritePublicMaterial(const std::string& dir, const HeContext& context, const PublicKey& pk,
                           const RelinKey& relin, const GaloisKeys& galois) {
  ZK_RETURN_IF_ERROR(MakeDirectory(dir, 0755));
  ZK_RETURN_IF_ERROR(
      WriteFileAtomic(Join(dir, "params.zkep"), SerializeParameters(context.params())));
  ZK_RETURN_IF_ERROR(
      WriteFileAtomic(Join(dir, "public_key.zkhe"), SerializePublicKey(context, pk)));
  ZK_RETURN_IF_ERROR(
      WriteFileAtomic(Join(dir, "relin_key.zkrk"), SerializeRelinKeyFull(context, relin)));
  ZK_RETURN_IF_ERROR(
      WriteFileAtomic(Join(dir, "galois_keys.zkhe"), SerializeGaloisKeys(context, galois)));
  return Status::Ok();
}

Result<HeContextPtr> LoadContext(const std::string& params_path) {
  ZK_ASSIGN_OR_RETURN(Bytes bytes, ReadNamed(params_path, "parameters"));
  auto params = ParseParameters(bytes);
  if (!params.ok()) return params.status().WithContext(params_path);
  return HeContext::Create(*params);
}

Result<PublicMaterial> LoadPublicMaterial(const std::string& dir, bool evaluation_keys) {
  PublicMaterial m;
  ZK_ASSIGN_OR_RETURN(m.context, LoadContext(Join(dir, "params.zkep")));
  const std::string pk_path = Join(dir, "public_key.zkhe");
  ZK_ASSIGN_OR_RETURN(Bytes pk_bytes, ReadNamed(pk_path, "public key"));
  auto pk = ParsePublicKey(m.context, pk_bytes);
  if (!pk.ok()) return pk.status().WithContext(pk_path);
  m.public_key = std::move(*pk);
  m.key_set_id = Sha256::Hash(pk_bytes);
  if (evaluation_keys) {
    const std::string rk_path = Join(dir, "relin_key.zkrk");
    ZK_ASSIGN_OR_RETURN(Bytes rk_bytes, ReadNamed(rk_path, "relinearisation key"));
    auto rk = ParseRelinKeyFull(m.context, rk_bytes);
    if (!rk.ok()) return rk.status().WithContext(rk_path);
    m.relin = std::move(*rk);
    const std::string gk_path = Join(dir, "galois_keys.zkhe");
    ZK_ASSIGN_OR_RETURN(Bytes gk_bytes, ReadNamed(gk_path, "rotation keys"));
    auto gk = ParseGaloisKeys(m.context, gk_bytes);
    if (!gk.ok()) return gk.status().WithContext(gk_path);
    m.galois = std::move(*gk);
    m.has_evaluation_keys = true;
  }
  return m;
}

Status WriteSecretKeyFile(const std::string& path, const HeContext& context, const SecretKey& key) {
  Bytes bytes = SerializeSecretKey(context, key);
  Status s = WriteFileAtomic(path, bytes, 0600);
  SecureWipe(bytes.data(), bytes.size());
  return s;
}

Result<SecretKey> LoadSecretKeyFile(const std::string& path, const HeContextPtr& context) {
  ZK_ASSIGN_OR_RETURN(Bytes bytes, ReadNamed(path, "secret key"));
  auto sk = ParseSecretKey(context, bytes);
  SecureWipe(bytes.data(), bytes.size());
  if (!sk.ok()) return sk.status().WithContext(path);
  return sk;
}

const char* ContainerKindName(ContainerKind kind) {
  return kind == ContainerKind::kDataset ? "encrypted dataset" : "encrypted model";
}

Bytes SerializeContainer(const HeContext& context, const EncryptedContainer& c) {
  ByteWriter w;
  wire::WriteHeader(w, kContainerMagic, context);
  w.U8(static_cast<uint8_t>(c.kind));
  wire::WriteDigest(w, c.key_set_id);
  w.String(c.meta.dump());
  w.U32(static_cast<uint32_t>(c.ciphertexts.size()));
  for (const Ciphertext& ct : c.ciphertexts) w.Blob(SerializeCiphertext(context, ct));
  return w.Take();
}

Result<EncryptedContainer> ParseContainer(const HeContext& context, ByteSpan bytes,
                                          ContainerKind kind, const Digest* expected_key_set,
                                          const std::string& where) {
  ByteReader r(bytes);
  const std::string what = where + " (" + ContainerKindName(kind) + ")";
  ZK_RETURN_IF_ERROR(wire::ReadHeader(r, kContainerMagic, context, what));
  EncryptedContainer c;
  const uint8_t got_kind = r.U8("kind");
  if (!r.ok()) return Status::BadInput(what + ": truncated");
  if (got_kind != static_cast<uint8_t>(kind)) {
    return Status::BadInput(what + ": holds a " +
                            (got_kind == 1   ? std::string("dataset")
                             : got_kind == 2 ? "model"
                                             : "unknown object") +
                            ", not a " + (kind == ContainerKind::kDataset ? "dataset" : "model"));
  }
  c.kind = kind;
  c.key_set_id = wire::ReadDigest(r, "key set id");
  if (!r.ok()) return Status::BadInput(what + ": truncated");
  if (expected_key_set != nullptr && c.key_set_id != *expected_key_set) {
    return Status::BadInput(what + ": encrypted under another key set (key-set id " +
                            ToHex(c.key_set_id).substr(0, 16) + "…, the keys given are " +
                            ToHex(*expected_key_set).substr(0, 16) + "…)");
  }
  const std::string meta_text = r.String("metadata");
  if (!r.ok()) return Status::BadInput(what + ": truncated metadata");
  try {
    c.meta = json::parse(meta_text);
  } catch (const std::exception& e) {
    return Status::BadInput(what + ": metadata is not JSON: " + e.what());
  }
  const uint32_t count = r.U32("ciphertext count");
  if (!r.ok()) return Status::BadInput(what + ": truncated");
  if (count == 0 || count > 1u << 20)
    return Status::BadInput(what + ": bad ciphertext count " + std::to_string(count));
  for (uint32_t i = 0; i < count; ++i) {
    ByteSpan blob = r.Blob("ciphertext");
    if (!r.ok()) {
      return Status::BadInput(what + ": truncated in ciphertext " + std::to_string(i) + " of " +
                              std::to_string(count));
    }
    auto ct = ParseCiphertext(context, blob);
    if (!ct.ok()) return ct.status().WithContext(what + ": ciphertext " + std::to_string(i));
    c.ciphertexts.push_back(std::move(*ct));
  }
  if (r.remaining() != 0)
    return Status::BadInput(what + ": trailing bytes after the last ciphertext");
  return c;
}

Result<EncryptedContainer> LoadContainer(const std::string& path, const HeContext& context,
                                         ContainerKind kind, const Digest* expected_key_set) {
  ZK_ASSIGN_OR_RETURN(Bytes bytes, ReadNamed(path, ContainerKindName(kind)));
  return ParseContainer(context, bytes, kind, expected_key_set, path);
}

}  // namespace zektra::he::train
