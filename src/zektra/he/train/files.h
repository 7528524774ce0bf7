// Files of encrypted training: key directories, encrypted datasets and models.
//
// Key directory (he keygen / he combine-keys):
//   DIR/public/params.zkep        parameters (core format, validated on load)
//   DIR/public/public_key.zkhe    public key (core format)
//   DIR/public/relin_key.zkrk     relinearisation key, own format below (its `a` parts
//                                 are not seed-expanded when the key is collective)
//   DIR/public/galois_keys.zkhe   rotation keys (core format)
//   DIR/secret/secret_key.zkhe    single owner's secret key, mode 0600
// The key-set id is the SHA-256 of public_key.zkhe: every encrypted dataset and model
// names the key set it was made under, so material from another key set is refused by
// name rather than producing garbage.
//
// Relinearisation key file: u32 magic "ZKRK", u32 version 1, 32-byte parameters
// fingerprint, u32 dnum, then per digit two polynomials b_j, a_j over Q·P
// (u32 limbs, limbs × N u64 residues, each below its prime).
//
// Encrypted container (dataset or model): u32 magic "ZKET", u32 version 1, u8 kind
// (1 dataset, 2 model), 32-byte parameters fingerprint, 32-byte key-set id, u64-length
// JSON metadata (preprocessing, row and feature counts, training settings), u32 count,
// then count u64-length ciphertexts (core format). Every length is checked against what
// remains; trailing bytes are refused. Files are written atomically (temp + rename);
// secret files with mode 0600, their serialized bytes wiped after writing.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "zektra/crypto/sha256.h"
#include "zektra/he/keys.h"

namespace zektra::he::train {

inline constexpr uint32_t kTrainFormatVersion = 1;

struct PublicMaterial {
  HeContextPtr context;
  PublicKey public_key;
  RelinKey relin;
  GaloisKeys galois;
  Digest key_set_id{};
  bool has_evaluation_keys = false;
};

Bytes SerializeRelinKeyFull(const HeContext& context, const RelinKey& key);
Result<RelinKey> ParseRelinKeyFull(const HeContextPtr& context, ByteSpan bytes);

// Writes DIR/params.zkep, public_key.zkhe, relin_key.zkrk, galois_keys.zkhe.
Status WritePublicMaterial(const std::string& dir, const HeContext& context, const PublicKey& pk,
                           const RelinKey& relin, const GaloisKeys& galois);
// Loads a public directory; with evaluation keys false only the parameters and the public
// key are read (encryption does not need the large evaluation keys).
Result<PublicMaterial> LoadPublicMaterial(const std::string& dir, bool evaluation_keys);
Result<HeContextPtr> LoadContext(const std::string& params_path);

Status WriteSecretKeyFile(const std::string& path, const HeContext& context, const SecretKey& key);
Result<SecretKey> LoadSecretKeyFile(const std::string& path, const HeContextPtr& context);

enum class ContainerKind : uint8_t { kDataset = 1, kModel = 2 };
const char* ContainerKindName(ContainerKind kind);

struct EncryptedContainer {
  ContainerKind kind = ContainerKind::kDataset;
  Digest key_set_id{};
  nlohmann::json meta;
  std::vector<Ciphertext> ciphertexts;
};

Bytes SerializeContainer(const HeContext& context, const EncryptedContainer& c);
// Refuses another kind, other parameters, another key set (when expected_key_set is given),
// truncation, bad ciphertexts; the message names the file and the field.
Result<EncryptedContainer> ParseContainer(const HeContext& context, ByteSpan bytes,
                                          ContainerKind kind, const Digest* expected_key_set,
                                          const std::string& where);
Result<EncryptedContainer> LoadContainer(const std::string& path, const HeContext& context,
                                         ContainerKind kind, const Digest* expected_key_set);

// Ensures a directory exists (created with `mode` when missing).
Status MakeDirectory(const std::string& path, unsigned mode);

}  // namespace zektra::he::train
