// The flows behind `zektra he ...`: key generation for one owner, encryption of a
// dataset, training on encrypted datasets (public material only), and decryption of
// the model into a normal model file. The CLI is a thin layer over these; tests and the
// benchmark call them directly.
#pragma once

#include <string>
#include <vector>

#include "zektra/he/encryptor.h"
#include "zektra/he/train/data.h"
#include "zektra/he/train/files.h"
#include "zektra/he/train/logreg.h"

namespace zektra::he::train {

struct OwnerKeys {
  HeContextPtr context;
  SecretKey secret_key;
  PublicKey public_key;
  RelinKey relin;
  GaloisKeys galois;
};
// Parameters for `iterations` (TrainingParameters), a fresh secret and every public key
// the training needs.
Result<OwnerKeys> GenerateOwnerKeys(int iterations);
// DIR/public/* (public material) and DIR/secret/secret_key.zkhe (0600, in a 0700 folder).
Status WriteKeyDirectory(const std::string& dir, const OwnerKeys& keys);
PublicMaterial PublicMaterialOf(const OwnerKeys& keys);

// Encrypts `rows` of `table` (standardised by `pre`) under the public key.
Result<EncryptedContainer> EncryptRows(const PublicMaterial& keys, const Preprocessing& pre,
                                       const ml::Table& table, const std::vector<uint64_t>& rows);

struct TrainReport {
  size_t rows = 0, features = 0, ciphertexts = 0;
  EncryptedTrainStats stats;
  double seconds = 0;
};
// Concatenates the datasets (same key set, same preprocessing) and trains; returns the
// encrypted model. Needs the evaluation keys; never a secret.
Result<EncryptedContainer> TrainOnEncrypted(const PublicMaterial& keys,
                                            const std::vector<EncryptedContainer>& datasets,
                                            const TrainConfig& config,
                                            TrainReport* report = nullptr);

// The weights (bias first) in a decrypted model plaintext.
Result<std::vector<double>> DecodeWeights(const HeContextPtr& context,
                                          const EncryptedContainer& model,
                                          const Plaintext& plaintext);
// Decrypted weights to the model file (preprocessing and training summary from the container).
Result<ml::Model> ModelFromWeights(const EncryptedContainer& model,
                                   const std::vector<double>& beta);
// Single owner: decryption with noise flooding (SmudgingLog2Sigma), then the model file.
Result<ml::Model> DecryptModel(const HeContextPtr& context, const SecretKey& sk,
                               const EncryptedContainer& model);

// One owner, end to end in memory (the benchmark and the acceptance tests): keys for
// config.iterations, encrypt the train rows, train, decrypt, and the test accuracy of the
// decrypted model next to that of the same algorithm in double precision.
struct EndToEndReport {
  int log_n = 0;
  size_t levels = 0, train_rows = 0, test_rows = 0, features = 0, ciphertexts = 0, rotations = 0;
  double keygen_seconds = 0, encrypt_seconds = 0, train_seconds = 0, decrypt_seconds = 0;
  double test_accuracy = 0, plain_test_accuracy = 0, max_weight_error = 0, max_abs_inner = 0;
};
Result<EndToEndReport> RunEndToEnd(const ml::Table& table, const std::vector<uint64_t>& train_rows,
                                   const std::vector<uint64_t>& test_rows,
                                   const TrainConfig& config);

nlohmann::json TrainConfigToJson(const TrainConfig& c);
Result<TrainConfig> TrainConfigFromJson(const nlohmann::json& j, const std::string& where);

}  // namespace zektra::he::train
