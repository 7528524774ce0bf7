#include "zektra/he/serialization.h"

#include <cmath>
#include <cstring>

#include "zektra/base/serialize.h"
#include "zektra/crypto/random.h"

namespace zektra::he {
namespace {

constexpr uint32_t kMagic = 0x45484b5a;  // "ZKHE" little-endian

void WriteHeader(ByteWriter& w, const HeContext& context, HeObjectKind kind) {
  w.U32(kMagic);
  w.U32(kHeFormatVersion);
  w.U8(static_cast<uint8_t>(kind));
  w.Raw(ByteSpan(context.fingerprint().data(), context.fingerprint().size()));
}

Status ReadHeader(ByteReader& r, const HeContext& context, HeObjectKind kind, const char* what) {
  uint32_t magic = r.U32("magic");
  uint32_t version = r.U32("version");
  uint8_t got_kind = r.U8("kind");
  ByteSpan fingerprint = r.Raw(32, "context fingerprint");
  if (!r.ok()) return Status::BadInput(std::string(what) + ": " + r.status().message());
  if (magic != kMagic)
    return Status::BadInput(std::string(what) + ": not a Zektra HE object (bad magic)");
  if (version != kHeFormatVersion) {
    return Status::BadInput(std::string(what) + ": unsupported format version " +
                            std::to_string(version));
  }
  if (got_kind != static_cast<uint8_t>(kind)) {
    return Status::BadInput(std::string(what) + ": object kind " + std::to_string(got_kind) +
                            ", expected " + std::to_string(static_cast<int>(kind)));
  }
  if (std::memcmp(fingerprint.data(), context.fingerprint().data(), 32) != 0) {
    return Status::BadInput(std::string(what) +
                            ": made under different parameters (context fingerprint mismatch)");
  }
  return Status::Ok();
}

void WritePoly(ByteWriter& w, const RnsPoly& poly) {
  w.U32(static_cast<uint32_t>(poly.limbs));
  for (uint64_t v : poly.data) w.U64(v);
}

// Reads a polynomial with exactly `basis.size()` limbs, every residue below its prime.
Status ReadPoly(ByteReader& r, const HeContext& context, const std::vector<size_t>& basis,
                RnsPoly* out, const std::string& what) {
  uint32_t limbs = r.U32("limb count");
  if (!r.ok()) return Status::BadInput(what + ": " + r.status().message());
  if (limbs != basis.size()) {
    return Status::BadInput(what + ": " + std::to_string(limbs) + " limbs, expected " +
                            std::to_string(basis.size()));
  }
  const size_t n = context.n();
  if (r.remaining() / 8 < static_cast<size_t>(limbs) * n) {
    return Status::BadInput(what + ": truncated (needs " + std::to_string(limbs * n * 8) +
                            " bytes of coefficients)");
  }
  *out = RnsPoly(n, limbs);
  for (size_t k = 0; k < limbs; ++k) {
    const uint64_t q = context.modulus(basis[k]).value;
    uint64_t* limb = out->limb(k);
    for (size_t j = 0; j < n; ++j) {
      limb[j] = r.U64("coefficient");
      if (limb[j] >= q) {
        return Status::BadInput(what + ": limb " + std::to_string(k) + " coefficient " +
                                std::to_string(j) + " is not reduced modulo its prime");
      }
    }
  }
  if (!r.ok()) return Status::BadInput(what + ": " + r.status().message());
  return Status::Ok();
}

std::vector<size_t> Prefix(size_t count) {
  std::vector<size_t> b(count);
  for (size_t i = 0; i < count; ++i) b[i] = i;
  return b;
}

void WriteDouble(ByteWriter& w, double v) {
  uint64_t bits;
  std::memcpy(&bits, &v, 8);
  w.U64(bits);
}

double ReadDouble(ByteReader& r, const char* what) {
  uint64_t bits = r.U64(what);
  double v;
  std::memcpy(&v, &bits, 8);
  return v;
}

Status Finish(ByteReader& r, const char* what) {
  Status s = r.Finish(what);
  if (!s.ok()) return Status::BadInput(std::string(what) + ": " + s.message());
  return Status::Ok();
}

// Shared by ciphertexts and plaintexts: level and scale.
Status ReadLevelScale(ByteReader& r, const HeContext& context, size_t* level, double* scale,
                      const char* what) {
  uint32_t l = r.U32("level");
  double s = ReadDouble(r, "scale");
  if (!r.ok()) return Status::BadInput(std::string(what) + ": " + r.status().message());
  if (l > context.max_level()) {
    return Status::BadInput(std::string(what) + ": level " + std::to_string(l) +
                            " above the chain's " + std::to_string(context.max_level()));
  }
  if (!(s >= 1.0) || !std::isfinite(s) || std::log2(s) >= context.LogModulus(l)) {
    return Status::BadInput(std::string(what) + ": scale is not finite or not below the modulus");
  }
  *level = l;
  *scale = s;
  return Status::Ok();
}

void WriteKeySwitchKey(ByteWriter& w, const KeySwitchKey& key) {
  w.Raw(ByteSpan(key.seed.data(), key.seed.size()));
  w.U32(static_cast<uint32_t>(key.b.size()));
  for (const auto& b : key.b) WritePoly(w, b);
}

Status ReadKeySwitchKey(ByteReader& r, const HeContextPtr& context, KeySwitchKey* key,
                        const std::string& what) {
  ByteSpan seed = r.Raw(32, "seed");
  uint32_t digits = r.U32("digit count");
  if (!r.ok()) return Status::BadInput(what + ": " + r.status().message());
  if (digits != context->dnum()) {
    return Status::BadInput(what + ": " + std::to_string(digits) +
                            " digits, expected dnum = " + std::to_string(context->dnum()));
  }
  std::memcpy(key->seed.data(), seed.data(), 32);
  key->b.resize(digits);
  for (uint32_t j = 0; j < digits; ++j) {
    ZK_RETURN_IF_ERROR(ReadPoly(r, *context, Prefix(context->num_moduli()), &key->b[j],
                                what + " digit " + std::to_string(j)));
  }
  KeyGenerator(context).ExpandKeySwitchKey(*key);
  return Status::Ok();
}

}  // namespace

Bytes SerializeCiphertext(const HeContext& context, const Ciphertext& ct) {
  ByteWriter w;
  WriteHeader(w, context, HeObjectKind::kCiphertext);
  w.U32(static_cast<uint32_t>(ct.level));
  WriteDouble(w, ct.scale);
  w.U32(static_cast<uint32_t>(ct.parts.size()));
  for (const auto& part : ct.parts) WritePoly(w, part);
  return w.Take();
}

Result<Ciphertext> ParseCiphertext(const HeContext& context, ByteSpan bytes) {
  ByteReader r(bytes);
  ZK_RETURN_IF_ERROR(ReadHeader(r, context, HeObjectKind::kCiphertext, "ciphertext"));
  Ciphertext ct;
  ZK_RETURN_IF_ERROR(ReadLevelScale(r, context, &ct.level, &ct.scale, "ciphertext"));
  uint32_t parts = r.U32("part count");
  if (!r.ok()) return Status::BadInput("ciphertext: " + r.status().message());
  if (parts < 2 || parts > 3) {
    return Status::BadInput("ciphertext: " + std::to_string(parts) + " parts, expected 2 or 3");
  }
  ct.parts.resize(parts);
  for (uint32_t k = 0; k < parts; ++k) {
    ZK_RETURN_IF_ERROR(ReadPoly(r, context, Prefix(ct.level + 1), &ct.parts[k],
                                "ciphertext part " + std::to_string(k)));
  }
  ZK_RETURN_IF_ERROR(Finish(r, "ciphertext"));
  ct.context_id = context.id();
  return ct;
}

Bytes SerializePlaintext(const HeContext& context, const Plaintext& pt) {
  ByteWriter w;
  WriteHeader(w, context, HeObjectKind::kPlaintext);
  w.U32(static_cast<uint32_t>(pt.level));
  WriteDouble(w, pt.scale);
  WritePoly(w, pt.poly);
  return w.Take();
}

Result<Plaintext> ParsePlaintext(const HeContext& context, ByteSpan bytes) {
  ByteReader r(bytes);
  ZK_RETURN_IF_ERROR(ReadHeader(r, context, HeObjectKind::kPlaintext, "plaintext"));
  Plaintext pt;
  ZK_RETURN_IF_ERROR(ReadLevelScale(r, context, &pt.level, &pt.scale, "plaintext"));
  ZK_RETURN_IF_ERROR(ReadPoly(r, context, Prefix(pt.level + 1), &pt.poly, "plaintext"));
  ZK_RETURN_IF_ERROR(Finish(r, "plaintext"));
  pt.context_id = context.id();
  return pt;
}

Bytes SerializePublicKey(const HeContext& context, const PublicKey& key) {
  ByteWriter w;
  WriteHeader(w, context, HeObjectKind::kPublicKey);
  w.Raw(ByteSpan(key.seed.data(), key.seed.size()));
  WritePoly(w, key.b);
  return w.Take();
}

Result<PublicKey> ParsePublicKey(const HeContextPtr& context, ByteSpan bytes) {
  ByteReader r(bytes);
  ZK_RETURN_IF_ERROR(ReadHeader(r, *context, HeObjectKind::kPublicKey, "public key"));
  PublicKey key;
  ByteSpan seed = r.Raw(32, "seed");
  if (!r.ok()) return Status::BadInput("public key: " + r.status().message());
  std::memcpy(key.seed.data(), seed.data(), 32);
  ZK_RETURN_IF_ERROR(ReadPoly(r, *context, Prefix(context->num_q()), &key.b, "public key"));
  ZK_RETURN_IF_ERROR(Finish(r, "public key"));
  key.context_id = context->id();
  KeyGenerator(context).ExpandPublicKey(key);
  return key;
}

Bytes SerializeRelinKey(const HeContext& context, const RelinKey& key) {
  ByteWriter w;
  WriteHeader(w, context, HeObjectKind::kRelinKey);
  WriteKeySwitchKey(w, key.key);
  return w.Take();
}

Result<RelinKey> ParseRelinKey(const HeContextPtr& context, ByteSpan bytes) {
  ByteReader r(bytes);
  ZK_RETURN_IF_ERROR(ReadHeader(r, *context, HeObjectKind::kRelinKey, "relinearisation key"));
  RelinKey key;
  ZK_RETURN_IF_ERROR(ReadKeySwitchKey(r, context, &key.key, "relinearisation key"));
  ZK_RETURN_IF_ERROR(Finish(r, "relinearisation key"));
  key.context_id = context->id();
  return key;
}

Bytes SerializeGaloisKeys(const HeContext& context, const GaloisKeys& keys) {
  ByteWriter w;
  WriteHeader(w, context, HeObjectKind::kGaloisKeys);
  w.U32(static_cast<uint32_t>(keys.keys.size()));
  for (const auto& [element, key] : keys.keys) {
    w.U64(element);
    WriteKeySwitchKey(w, key);
  }
  return w.Take();
}

Result<GaloisKeys> ParseGaloisKeys(const HeContextPtr& context, ByteSpan bytes) {
  ByteReader r(bytes);
  ZK_RETURN_IF_ERROR(ReadHeader(r, *context, HeObjectKind::kGaloisKeys, "Galois keys"));
  uint32_t count = r.U32("key count");
  if (!r.ok()) return Status::BadInput("Galois keys: " + r.status().message());
  if (count > context->n()) return Status::BadInput("Galois keys: implausible key count");
  GaloisKeys keys;
  for (uint32_t i = 0; i < count; ++i) {
    uint64_t element = r.U64("Galois element");
    if (!r.ok()) return Status::BadInput("Galois keys: " + r.status().message());
    if (element % 2 == 0 || element >= 2 * context->n() || element == 1) {
      return Status::BadInput("Galois keys: invalid Galois element " + std::to_string(element));
    }
    if (keys.Has(element)) return Status::BadInput("Galois keys: repeated element");
    KeySwitchKey key;
    ZK_RETURN_IF_ERROR(ReadKeySwitchKey(r, context, &key, "Galois key " + std::to_string(element)));
    keys.keys.emplace(element, std::move(key));
  }
  ZK_RETURN_IF_ERROR(Finish(r, "Galois keys"));
  keys.context_id = context->id();
  return keys;
}

Bytes SerializeSecretKey(const HeContext& context, const SecretKey& key) {
  ByteWriter w;
  WriteHeader(w, context, HeObjectKind::kSecretKey);
  w.U32(static_cast<uint32_t>(key.coefficients.size()));
  for (int8_t c : key.coefficients) w.U8(static_cast<uint8_t>(c + 1));
  return w.Take();
}

Result<SecretKey> ParseSecretKey(const HeContextPtr& context, ByteSpan bytes) {
  ByteReader r(bytes);
  ZK_RETURN_IF_ERROR(ReadHeader(r, *context, HeObjectKind::kSecretKey, "secret key"));
  uint32_t count = r.U32("coefficient count");
  if (!r.ok()) return Status::BadInput("secret key: " + r.status().message());
  if (count != context->n()) return Status::BadInput("secret key: wrong coefficient count");
  ByteSpan raw = r.Raw(count, "coefficients");
  ZK_RETURN_IF_ERROR(Finish(r, "secret key"));
  std::vector<int8_t> coefficients(count);
  for (uint32_t i = 0; i < count; ++i) {
    if (raw[i] > 2) {
      SecureWipe(coefficients);
      return Status::BadInput("secret key: coefficient " + std::to_string(i) + " is not ternary");
    }
    coefficients[i] = static_cast<int8_t>(static_cast<int>(raw[i]) - 1);
  }
  auto key = KeyGenerator(context).SecretKeyFromCoefficients(coefficients);
  SecureWipe(coefficients);
  return key;
}

}  // namespace zektra::he
