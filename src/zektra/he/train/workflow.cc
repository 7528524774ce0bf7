#include "zektra/he/train/workflow.h"

#include <cmath>

#include "zektra/base/timer.h"
#include "zektra/he/encoder.h"
#include "zektra/he/serialization.h"
#include "zektra/he/train/multiparty.h"
#include "zektra/ml/pipeline.h"

namespace zektra::he::train {

using nlohmann::json;

Result<OwnerKeys> GenerateOwnerKeys(int iterations) {
  ZK_ASSIGN_OR_RETURN(CkksParameters params, TrainingParameters(iterations));
  OwnerKeys k;
  ZK_ASSIGN_OR_RETURN(k.context, HeContext::Create(params));
  KeyGenerator keygen(k.context);
  k.secret_key = keygen.GenerateSecretKey();
  k.public_key = keygen.GeneratePublicKey(k.secret_key);
  k.relin = keygen.GenerateRelinKey(k.secret_key);
  const std::vector<int64_t> steps = RequiredRotationSteps(k.context->slots());
  k.galois = keygen.GenerateGaloisKeys(k.secret_key, steps, false);
  return k;
}

Status WriteKeyDirectory(const std::string& dir, const OwnerKeys& keys) {
  ZK_RETURN_IF_ERROR(MakeDirectory(dir, 0755));
  ZK_RETURN_IF_ERROR(MakeDirectory(dir + "/secret", 0700));
  ZK_RETURN_IF_ERROR(
      WriteSecretKeyFile(dir + "/secret/secret_key.zkhe", *keys.context, keys.secret_key));
  return WritePublicMaterial(dir + "/public", *keys.context, keys.public_key, keys.relin,
                             keys.galois);
}

PublicMaterial PublicMaterialOf(const OwnerKeys& keys) {
  PublicMaterial m;
  m.context = keys.context;
  m.public_key = keys.public_key;
  m.relin = keys.relin;
  m.galois = keys.galois;
  m.key_set_id = Sha256::Hash(SerializePublicKey(*keys.context, keys.public_key));
  m.has_evaluation_keys = true;
  return m;
}

Result<EncryptedContainer> EncryptRows(const PublicMaterial& keys, const Preprocessing& pre,
                                       const ml::Table& table, const std::vector<uint64_t>& rows) {
  if (rows.empty()) return Status::BadInput(table.source + ": no rows to encrypt");
  ZK_ASSIGN_OR_RETURN(std::vector<double> z, PrepareSignedRows(pre, table, rows));
  const HeContextPtr& ctx = keys.context;
  ZK_ASSIGN_OR_RETURN(PackingLayout layout, PackingLayout::For(pre.features() + 1, ctx->slots()));
  std::vector<std::vector<double>> packed = PackRows(layout, z, rows.size());
  Encoder encoder(ctx);
  Encryptor encryptor(ctx, keys.public_key);
  EncryptedContainer out;
  out.kind = ContainerKind::kDataset;
  out.key_set_id = keys.key_set_id;
  out.meta = json{{"preprocessing", PreprocessingToJson(pre)},
                  {"rows", rows.size()},
                  {"features", pre.features() + 1}};
  out.ciphertexts.resize(packed.size());
  for (size_t i = 0; i < packed.size(); ++i) {
    ZK_ASSIGN_OR_RETURN(Plaintext pt,
                        encoder.Encode(packed[i], ctx->default_scale(), ctx->max_level()));
    ZK_ASSIGN_OR_RETURN(out.ciphertexts[i], encryptor.Encrypt(pt));
  }
  return out;
}

namespace {
Result<size_t> MetaCount(const json& meta, const char* key, const std::string& where) {
  if (!meta.contains(key) || !meta[key].is_number_integer() || meta[key].get<int64_t>() < 0) {
    return Status::BadInput(where + ": metadata lacks '" + key + "'");
  }
  return meta[key].get<size_t>();
}
}  // namespace

json TrainConfigToJson(const TrainConfig& c) {
  return json{{"iterations", c.iterations},
              {"learning_rate", c.learning_rate},
              {"sigmoid_range", c.sigmoid_range}};
}

Result<TrainConfig> TrainConfigFromJson(const json& j, const std::string& where) {
  TrainConfig c;
  try {
    c.iterations = j.at("iterations").get<int>();
    c.learning_rate = j.at("learning_rate").get<double>();
    c.sigmoid_range = j.at("sigmoid_range").get<double>();
  } catch (const std::exception& e) {
    return Status::BadInput(where + ": training settings: " + e.what());
  }
  ZK_RETURN_IF_ERROR(c.Validate());
  return c;
}

Result<EncryptedContainer> TrainOnEncrypted(const PublicMaterial& keys,
                                            const std::vector<EncryptedContainer>& datasets,
                                            const TrainConfig& config, TrainReport* report) {
  if (!keys.has_evaluation_keys)
    return Status::InvalidArgument("training needs the relinearisation and rotation keys");
  if (datasets.empty()) return Status::InvalidArgument("no encrypted dataset given");
  const HeContextPtr& ctx = keys.context;
  if (config.iterations > MaxIterationsFor(*ctx)) {
    return Status::InvalidArgument(
        std::to_string(config.iterations) + " iterations need " +
        std::to_string(LevelsFor(config.iterations)) + " levels; these keys allow at most " +
        std::to_string(MaxIterationsFor(*ctx)) + " iterations (he keygen --iters)");
  }
  size_t rows = 0, features = 0;
  json pre_json;
  std::vector<Ciphertext> data;
  PackingLayout layout;
  for (size_t i = 0; i < datasets.size(); ++i) {
    const EncryptedContainer& d = datasets[i];
    const std::string where = "dataset " + std::to_string(i + 1);
    if (d.kind != ContainerKind::kDataset)
      return Status::BadInput(where + ": not an encrypted dataset");
    if (d.key_set_id != keys.key_set_id)
      return Status::BadInput(where + ": encrypted under another key set");
    ZK_ASSIGN_OR_RETURN(size_t r, MetaCount(d.meta, "rows", where));
    ZK_ASSIGN_OR_RETURN(size_t f, MetaCount(d.meta, "features", where));
    if (!d.meta.contains("preprocessing"))
      return Status::BadInput(where + ": metadata lacks the preprocessing");
    if (i == 0) {
      features = f;
      pre_json = d.meta["preprocessing"];
      ZK_RETURN_IF_ERROR(PreprocessingFromJson(pre_json, where).status());
      ZK_ASSIGN_OR_RETURN(layout, PackingLayout::For(features, ctx->slots()));
    } else if (f != features || d.meta["preprocessing"] != pre_json) {
      return Status::BadInput(
          where +
          ": its features or preprocessing differ from dataset 1's; owners must agree on "
          "one preprocessing before encrypting");
    }
    if (r == 0 || d.ciphertexts.size() != layout.CiphertextsFor(r)) {
      return Status::BadInput(where + ": " + std::to_string(r) + " rows should take " +
                              std::to_string(layout.CiphertextsFor(r)) +
                              " ciphertexts, the file holds " +
                              std::to_string(d.ciphertexts.size()));
    }
    rows += r;
    data.insert(data.end(), d.ciphertexts.begin(), d.ciphertexts.end());
  }
  Timer timer;
  EncryptedTrainStats stats;
  // Rows are zero-padded to whole ciphertexts per dataset; padding rows are zero vectors
  // and contribute nothing, so the concatenation needs no re-packing.
  std::vector<Ciphertext> all = std::move(data);
  EvaluationKeys ek{&keys.relin, &keys.galois};
  ZK_ASSIGN_OR_RETURN(Ciphertext beta, TrainEncrypted(ctx, all, rows, layout, config, ek, &stats));
  EncryptedContainer model;
  model.kind = ContainerKind::kModel;
  model.key_set_id = keys.key_set_id;
  model.meta = json{{"preprocessing", pre_json},    {"rows", rows},
                    {"features", features},         {"config", TrainConfigToJson(config)},
                    {"rotations", stats.rotations}, {"multiplications", stats.multiplications}};
  model.ciphertexts.push_back(std::move(beta));
  if (report) {
    report->rows = rows;
    report->features = features;
    report->ciphertexts = all.size();
    report->stats = stats;
    report->seconds = timer.Seconds();
  }
  return model;
}

Result<std::vector<double>> DecodeWeights(const HeContextPtr& context,
                                          const EncryptedContainer& model,
                                          const Plaintext& plaintext) {
  ZK_ASSIGN_OR_RETURN(size_t features, MetaCount(model.meta, "features", "model"));
  Encoder encoder(context);
  ZK_ASSIGN_OR_RETURN(std::vector<double> slots, encoder.DecodeReal(plaintext));
  if (features > slots.size()) return Status::BadInput("model: more features than slots");
  return std::vector<double>(slots.begin(), slots.begin() + static_cast<std::ptrdiff_t>(features));
}

Result<ml::Model> ModelFromWeights(const EncryptedContainer& model,
                                   const std::vector<double>& beta) {
  if (!model.meta.contains("preprocessing") || !model.meta.contains("config")) {
    return Status::BadInput("model: metadata lacks the preprocessing or the training settings");
  }
  ZK_ASSIGN_OR_RETURN(Preprocessing pre,
                      PreprocessingFromJson(model.meta["preprocessing"], "model"));
  ZK_ASSIGN_OR_RETURN(TrainConfig config, TrainConfigFromJson(model.meta["config"], "model"));
  if (beta.size() != pre.features() + 1)
    return Status::BadInput("model: weight count does not match the features");
  ZK_ASSIGN_OR_RETURN(size_t rows, MetaCount(model.meta, "rows", "model"));
  json training{{"method", "ckks-nesterov-logreg"},
                {"encrypted", true},
                {"train_rows", rows},
                {"iterations", config.iterations},
                {"learning_rate", config.learning_rate},
                {"sigmoid_range", config.sigmoid_range}};
  return BuildModel(pre, beta, config, training);
}

Result<ml::Model> DecryptModel(const HeContextPtr& context, const SecretKey& sk,
                               const EncryptedContainer& model) {
  if (model.ciphertexts.size() != 1) return Status::BadInput("model: expected one ciphertext");
  const Ciphertext& ct = model.ciphertexts[0];
  Decryptor decryptor(context, sk);
  ZK_ASSIGN_OR_RETURN(Plaintext pt, decryptor.DecryptWithFlooding(ct, SmudgingLog2Sigma(ct)));
  ZK_ASSIGN_OR_RETURN(std::vector<double> beta, DecodeWeights(context, model, pt));
  return ModelFromWeights(model, beta);
}

Result<EndToEndReport> RunEndToEnd(const ml::Table& table, const std::vector<uint64_t>& train_rows,
                                   const std::vector<uint64_t>& test_rows,
                                   const TrainConfig& config) {
  EndToEndReport r;
  ZK_ASSIGN_OR_RETURN(Preprocessing pre, FitPreprocessing(table, train_rows));
  Timer timer;
  ZK_ASSIGN_OR_RETURN(OwnerKeys keys, GenerateOwnerKeys(config.iterations));
  r.keygen_seconds = timer.Seconds();
  r.log_n = keys.context->log_n();
  r.levels = keys.context->max_level();
  const PublicMaterial pub = PublicMaterialOf(keys);
  timer.Reset();
  ZK_ASSIGN_OR_RETURN(EncryptedContainer data, EncryptRows(pub, pre, table, train_rows));
  r.encrypt_seconds = timer.Seconds();
  TrainReport report;
  ZK_ASSIGN_OR_RETURN(EncryptedContainer model_ct, TrainOnEncrypted(pub, {data}, config, &report));
  r.train_seconds = report.seconds;
  r.rotations = report.stats.rotations;
  r.ciphertexts = report.ciphertexts;
  timer.Reset();
  ZK_ASSIGN_OR_RETURN(ml::Model model, DecryptModel(keys.context, keys.secret_key, model_ct));
  r.decrypt_seconds = timer.Seconds();

  ZK_ASSIGN_OR_RETURN(std::vector<double> z, PrepareSignedRows(pre, table, train_rows));
  const PlainResult plain = PlainTrain(z, train_rows.size(), pre.features() + 1, config);
  r.max_abs_inner = plain.max_abs_inner;
  ZK_ASSIGN_OR_RETURN(ml::Model plain_model, BuildModel(pre, plain.beta, config, {}));
  const ml::Layer& enc_layer = model.layers[0];
  const ml::Layer& plain_layer = plain_model.layers[0];
  const double one = std::ldexp(1.0, pre.fraction_bits);
  r.max_weight_error = std::fabs(enc_layer.bias[0] - plain_layer.bias[0]) / one;
  for (size_t j = 0; j < enc_layer.weights.size(); ++j) {
    r.max_weight_error = std::max(r.max_weight_error,
                                  std::fabs(enc_layer.weights[j] - plain_layer.weights[j]) / one);
  }
  r.train_rows = train_rows.size();
  r.test_rows = test_rows.size();
  r.features = pre.features();
  if (!test_rows.empty()) {
    ZK_ASSIGN_OR_RETURN(ml::PreparedSet set, ml::PrepareForModel(model, table, &test_rows));
    ZK_ASSIGN_OR_RETURN(ml::SetMetrics m, ml::Measure(model, set));
    r.test_accuracy = m.headline();
    ZK_ASSIGN_OR_RETURN(ml::SetMetrics pm, ml::Measure(plain_model, set));
    r.plain_test_accuracy = pm.headline();
  }
  return r;
}

}  // namespace zektra::he::train
