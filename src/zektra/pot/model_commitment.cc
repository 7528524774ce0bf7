#include "zektra/pot/model_commitment.h"

#include <algorithm>
#include <bit>
#include <nlohmann/json.hpp>

#include "zektra/base/file_io.h"
#include "zektra/base/serialize.h"
#include "zektra/crypto/random.h"
#include "zektra/ml/fixed_point.h"
#include "zektra/pot/packed_witness.h"

namespace zektra::pot {
namespace {

int CeilLog2(uint64_t n) {
  return n <= 1 ? 0 : std::bit_width(n - 1);
}

constexpr const char* kCommitFormat = "zektra-model-commitment";
constexpr const char* kKeyFormat = "zektra-model-key";
constexpr int kMaxLayers = 8;
constexpr uint64_t kMaxWidth = uint64_t{1} << 12;
constexpr int kMaxLogReal = 25;

Result<ml::OutputKind> ParseOutputKind(const std::string& s) {
  for (ml::OutputKind k :
       {ml::OutputKind::kIdentity, ml::OutputKind::kSigmoid, ml::OutputKind::kSoftmax}) {
    if (s == ml::OutputKindName(k)) return k;
  }
  return Status::BadInput("unknown output kind");
}

}  // namespace

// ---- layout ----

Result<ModelLayout> ModelLayout::For(const std::vector<std::pair<uint64_t, uint64_t>>& shapes,
                                     uint32_t max_openings) {
  if (shapes.empty() || shapes.size() > kMaxLayers) return Status::BadInput("1..8 layers");
  if (max_openings == 0 || max_openings > 4096)
    return Status::BadInput("max openings out of range");
  ModelLayout out;
  out.shapes = shapes;
  struct Item {
    bool weights;
    size_t layer;
    int log_size;
  };
  std::vector<Item> items;
  for (size_t l = 0; l < shapes.size(); ++l) {
    const auto [in, outw] = shapes[l];
    if (in == 0 || in > kMaxWidth || outw == 0 || outw > kMaxWidth)
      return Status::BadInput("layer " + std::to_string(l) + ": width out of range");
    if (l > 0 && in != shapes[l - 1].second)
      return Status::BadInput("layer " + std::to_string(l) +
                              ": input width is not the previous "
                              "layer's output width");
    ModelBlock w, b;
    w.log_rows = CeilLog2(outw);
    w.log_cols = l == 0 ? std::max(1, CeilLog2(in)) : CeilLog2(in);
    b.log_rows = 0;
    b.log_cols = w.log_rows;
    out.weights.push_back(w);
    out.bias.push_back(b);
    items.push_back({true, l, w.log_size()});
    items.push_back({false, l, b.log_size()});
  }
  std::stable_sort(items.begin(), items.end(),
                   [](const Item& a, const Item& b) { return a.log_size > b.log_size; });
  uint64_t at = 0;
  for (const Item& it : items) {
    ModelBlock& blk = it.weights ? out.weights[it.layer] : out.bias[it.layer];
    blk.offset = at;
    at += uint64_t{1} << it.log_size;
  }
  // Enough blinding entries for every evaluation that max_openings proofs reveal.
  // Per proof: 2L + 1 claims and one implied by the limbs at the lookup's point (one spare).
  const uint64_t revealed = (2 * shapes.size() + 3) * uint64_t{max_openings};
  out.log_real = std::max(CeilLog2(at), CeilLog2(revealed));
  if (out.log_real > kMaxLogReal) return Status::BadInput("model too large");
  return out;
}

std::vector<Fp2> ModelLayout::WeightPoint(size_t l, std::span<const Fp2> rk,
                                          std::span<const Fp2> cj, Fp2 zeta) const {
  const ModelBlock& b = weights[l];
  std::vector<Fp2> pt(cj.begin(), cj.end());
  pt.insert(pt.end(), rk.begin(), rk.end());
  std::vector<Fp2> bits =
      BitsPoint(b.offset >> b.log_size(), static_cast<size_t>(log_real - b.log_size()));
  pt.insert(pt.end(), bits.begin(), bits.end());
  pt.push_back(zeta);
  return pt;
}

std::vector<Fp2> ModelLayout::BiasPoint(size_t l, std::span<const Fp2> rk, Fp2 zeta) const {
  const ModelBlock& b = bias[l];
  std::vector<Fp2> pt(rk.begin(), rk.end());
  std::vector<Fp2> bits =
      BitsPoint(b.offset >> b.log_size(), static_cast<size_t>(log_real - b.log_size()));
  pt.insert(pt.end(), bits.begin(), bits.end());
  pt.push_back(zeta);
  return pt;
}

std::vector<Fp> ModelLayout::PaddingSelector() const {
  std::vector<Fp> sel(uint64_t{2} << log_real, Fp::Zero());
  std::fill(sel.begin(), sel.begin() + static_cast<std::ptrdiff_t>(real_size()), Fp::One());
  for (size_t l = 0; l < shapes.size(); ++l) {
    const auto [in, outw] = shapes[l];
    const ModelBlock& w = weights[l];
    for (uint64_t k = 0; k < outw; ++k)
      for (uint64_t j = 0; j < in; ++j) sel[w.offset + (k << w.log_cols) + j] = Fp::Zero();
    for (uint64_t k = 0; k < outw; ++k) sel[bias[l].offset + k] = Fp::Zero();
  }
  return sel;
}

std::vector<Fp> ModelLayout::RealHalf(const std::vector<ml::Layer>& layers) const {
  ZK_CHECK(layers.size() == shapes.size(), "RealHalf: layer count");
  std::vector<Fp> v(real_size(), Fp::Zero());
  for (size_t l = 0; l < layers.size(); ++l) {
    const ml::Layer& layer = layers[l];
    ZK_CHECK(layer.inputs == shapes[l].first && layer.outputs == shapes[l].second &&
                 layer.weights.size() == layer.inputs * layer.outputs &&
                 layer.bias.size() == layer.outputs,
             "RealHalf: layer shape");
    const ModelBlock& w = weights[l];
    for (uint64_t k = 0; k < layer.outputs; ++k) {
      for (uint64_t j = 0; j < layer.inputs; ++j)
        v[w.offset + (k << w.log_cols) + j] = Fp::FromSigned(layer.weights[k * layer.inputs + j]);
      v[bias[l].offset + k] = Fp::FromSigned(layer.bias[k]);
    }
  }
  return v;
}

// ---- public commitment ----

Digest ModelCommitment::Id() const {
  ByteWriter w;
  w.String("zektra.model-commitment.v1");
  w.String(model_spec);
  w.U32(static_cast<uint32_t>(output));
  w.U32(static_cast<uint32_t>(fraction_bits));
  w.U64(feature_names.size());
  for (const auto& n : feature_names) w.String(n);
  w.String(label_name);
  w.U64(classes.size());
  for (double c : classes) w.U64(std::bit_cast<uint64_t>(c));
  w.U64(mean.size());
  for (int64_t m : mean) w.U64(static_cast<uint64_t>(m));
  w.U64(multiplier.size());
  for (int64_t m : multiplier) w.U64(static_cast<uint64_t>(m));
  w.U64(layers.size());
  for (const auto& [in, out] : layers) {
    w.U64(in);
    w.U64(out);
  }
  w.Blob(pcs.Serialize());
  return Sha256::Hash(w.bytes());
}

std::string ModelCommitment::ToJson() const {
  nlohmann::json j;
  j["format"] = kCommitFormat;
  j["version"] = kModelCommitmentVersion;
  j["commitment"] = IdHex();
  j["model"] = model_spec;
  j["output"] = ml::OutputKindName(output);
  j["fraction_bits"] = fraction_bits;
  j["feature_names"] = feature_names;
  j["label"] = label_name;
  j["classes"] = classes;
  j["mean"] = mean;
  j["multiplier"] = multiplier;
  nlohmann::json ls = nlohmann::json::array();
  for (const auto& [in, out] : layers) ls.push_back({in, out});
  j["layers"] = ls;
  j["pcs_commitment"] = ToHex(pcs.Serialize());
  return j.dump(2) + "\n";
}

Result<ModelCommitment> ModelCommitment::FromJson(std::string_view text,
                                                  const std::string& source) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  auto bad = [&](const std::string& why) { return Status::BadInput(source + ": " + why); };
  if (j.is_discarded() || !j.is_object()) return bad("not a JSON object");
  if (!j.contains("format") || !j["format"].is_string() || j["format"] != kCommitFormat)
    return bad("'format' is not \"zektra-model-commitment\"");
  if (!j.contains("version") || !j["version"].is_number_unsigned() ||
      j["version"] != kModelCommitmentVersion) {
    return bad("unsupported 'version' (this build reads 1)");
  }
  ModelCommitment c;
  auto str = [&](const char* key, std::string& out) -> Status {
    if (!j.contains(key) || !j[key].is_string())
      return bad(std::string("'") + key + "' missing or not a string");
    out = j[key].get<std::string>();
    return Status::Ok();
  };
  ZK_RETURN_IF_ERROR(str("model", c.model_spec));
  if (!ml::ModelSpec::Parse(c.model_spec).ok()) return bad("'model' is not a model spec");
  std::string output;
  ZK_RETURN_IF_ERROR(str("output", output));
  auto kind = ParseOutputKind(output);
  if (!kind.ok()) return bad("'output' is not identity, sigmoid or softmax");
  c.output = *kind;
  if (!j.contains("fraction_bits") || !j["fraction_bits"].is_number_unsigned() ||
      j["fraction_bits"].get<uint64_t>() > 62) {
    return bad("'fraction_bits' missing or out of range");
  }
  c.fraction_bits = static_cast<int>(j["fraction_bits"].get<uint64_t>());
  if (!j.contains("feature_names") || !j["feature_names"].is_array() ||
      j["feature_names"].size() > kMaxWidth) {
    return bad("'feature_names' missing or not an array of at most 4096 strings");
  }
  for (const auto& n : j["feature_names"]) {
    if (!n.is_string()) return bad("'feature_names' holds a non-string");
    c.feature_names.push_back(n.get<std::string>());
  }
  ZK_RETURN_IF_ERROR(str("label", c.label_name));
  if (!j.contains("classes") || !j["classes"].is_array() || j["classes"].size() > kMaxWidth)
    return bad("'classes' missing or not an array");
  for (const auto& v : j["classes"]) {
    if (!v.is_number()) return bad("'classes' holds a non-number");
    c.classes.push_back(v.get<double>());
  }
  auto ints = [&](const char* key, std::vector<int64_t>& out) -> Status {
    if (!j.contains(key) || !j[key].is_array() || j[key].size() != c.feature_names.size())
      return bad(std::string("'") + key + "' must be an array with one integer per feature");
    for (const auto& v : j[key]) {
      if (!v.is_number_integer()) return bad(std::string("'") + key + "' holds a non-integer");
      out.push_back(v.get<int64_t>());
    }
    return Status::Ok();
  };
  ZK_RETURN_IF_ERROR(ints("mean", c.mean));
  ZK_RETURN_IF_ERROR(ints("multiplier", c.multiplier));
  if (!j.contains("layers") || !j["layers"].is_array() || j["layers"].empty() ||
      j["layers"].size() > kMaxLayers) {
    return bad("'layers' must be an array of 1..8 [inputs, outputs] pairs");
  }
  for (const auto& l : j["layers"]) {
    if (!l.is_array() || l.size() != 2 || !l[0].is_number_unsigned() ||
        !l[1].is_number_unsigned()) {
      return bad("'layers' holds an entry that is not [inputs, outputs]");
    }
    c.layers.emplace_back(l[0].get<uint64_t>(), l[1].get<uint64_t>());
  }
  if (c.layers.front().first != c.feature_names.size())
    return bad("'layers': the first layer's inputs differ from the feature count");
  std::string pcs_hex;
  ZK_RETURN_IF_ERROR(str("pcs_commitment", pcs_hex));
  auto pcs_bytes = FromHex(pcs_hex);
  if (!pcs_bytes.ok()) return bad("'pcs_commitment': " + pcs_bytes.status().message());
  auto pcs = PcsCommitment::Parse(*pcs_bytes);
  if (!pcs.ok()) return bad("'pcs_commitment': " + pcs.status().message());
  c.pcs = *pcs;
  if (!c.pcs.params.hiding) return bad("'pcs_commitment' is not hiding");
  auto layout = c.Layout();
  if (!layout.ok()) return bad("'layers': " + layout.status().message());
  if (c.pcs.params.log_size != layout->log_size())
    return bad("'pcs_commitment' size does not match the layers");
  if (!j.contains("commitment") || !j["commitment"].is_string() || j["commitment"] != c.IdHex())
    return bad("'commitment' does not match the file's contents (edited or corrupted)");
  return c;
}

// ---- secret ----

ModelSecret::~ModelSecret() {
  SecureWipe(seed.data(), seed.size());
}

ModelSecret ModelSecret::Fresh() {
  ModelSecret s;
  RandomBytes(s.seed.data(), s.seed.size());
  return s;
}

std::string ModelSecret::ToJson(const ModelCommitment& for_commitment) const {
  nlohmann::json j;
  j["format"] = kKeyFormat;
  j["version"] = kModelCommitmentVersion;
  j["commitment"] = for_commitment.IdHex();
  j["seed"] = ToHex(seed);
  return j.dump(2) + "\n";
}

Result<ModelSecret> ModelSecret::FromJson(std::string_view text, const std::string& source,
                                          const ModelCommitment& expected) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  auto bad = [&](const std::string& why) { return Status::BadInput(source + ": " + why); };
  if (j.is_discarded() || !j.is_object()) return bad("not a JSON object");
  if (!j.contains("format") || !j["format"].is_string() || j["format"] != kKeyFormat)
    return bad("'format' is not \"zektra-model-key\"");
  if (!j.contains("commitment") || !j["commitment"].is_string() ||
      j["commitment"] != expected.IdHex()) {
    return bad("'commitment': this key belongs to another model commitment");
  }
  if (!j.contains("seed") || !j["seed"].is_string()) return bad("'seed' missing");
  auto seed = FromHex(j["seed"].get<std::string>());
  if (!seed.ok() || seed->size() != 32) return bad("'seed' must be 64 hex digits");
  ModelSecret s;
  std::copy(seed->begin(), seed->end(), s.seed.begin());
  SecureWipe(*seed);
  return s;
}

// ---- committing ----

CommittedModel::~CommittedModel() {
  SecureWipe(vector);
}

namespace {

Result<CommittedModel> Commit(const ml::Model& model, const ModelSecret& secret,
                              uint32_t max_openings, bool check_ranges) {
  auto refuse = [](const std::string& why) {
    return Status::InvalidArgument("cannot commit this model: " + why);
  };
  if (model.output == ml::OutputKind::kIdentity)
    return refuse("a regression model has no accuracy to prove");
  if (model.fraction_bits != 16) return refuse("fraction bits must be 16");
  CommittedModel out;
  ModelCommitment& c = out.commitment;
  c.model_spec = model.spec.ToString();
  c.output = model.output;
  c.fraction_bits = model.fraction_bits;
  c.feature_names = model.feature_names;
  c.label_name = model.label_name;
  c.classes = model.classes;
  c.mean = model.standardizer.mean;
  c.multiplier = model.standardizer.multiplier;
  for (const auto& l : model.layers) {
    if (l.weights.size() != l.inputs * l.outputs || l.bias.size() != l.outputs)
      return refuse("a layer's weights do not match its shape");
    c.layers.emplace_back(l.inputs, l.outputs);
  }
  if (c.layers.empty() || c.layers.front().first != c.feature_names.size())
    return refuse("the first layer's inputs differ from the feature count");
  if (check_ranges) {
    for (size_t l = 0; l < model.layers.size(); ++l) {
      auto out_of_range = [](int64_t v) {
        return v <= -kModelValueOffset || v >= kModelValueOffset;
      };
      if (std::any_of(model.layers[l].weights.begin(), model.layers[l].weights.end(),
                      out_of_range) ||
          std::any_of(model.layers[l].bias.begin(), model.layers[l].bias.end(), out_of_range)) {
        return refuse("layer " + std::to_string(l) + " has a weight outside (−2^24, 2^24)");
      }
    }
  }
  auto layout = ModelLayout::For(c.layers, max_openings);
  if (!layout.ok()) return refuse(layout.status().message());
  out.layout = *layout;
  out.vector = out.layout.RealHalf(model.layers);
  const uint64_t half = out.layout.real_size();
  out.vector.resize(2 * half);
  // The blinding half: a key of its own (not the PCS's hiding seed), expanded by ChaCha20.
  Digest blinding_key;
  {
    ByteWriter w;
    w.String("zektra.model.blinding.v1");
    w.Raw(ByteSpan(secret.seed.data(), secret.seed.size()));
    blinding_key = Sha256::Hash(w.bytes());
    SecureWipe(w.bytes());
  }
  DeterministicFps(blinding_key, 0, std::span<Fp>(out.vector).subspan(half));
  SecureWipe(blinding_key.data(), blinding_key.size());
  PcsParams params = ChoosePcsParams(out.layout.log_size(), /*hiding=*/true, 100, max_openings);
  out.prover = PcsCommitBorrowing(out.vector, params, &secret.seed);
  c.pcs = out.prover.commitment();
  return out;
}

}  // namespace

Result<CommittedModel> CommitModel(const ml::Model& model, const ModelSecret& secret,
                                   uint32_t max_openings) {
  return Commit(model, secret, max_openings, true);
}

Result<CommittedModel> CommitModelUnchecked(const ml::Model& model, const ModelSecret& secret,
                                            uint32_t max_openings) {
  return Commit(model, secret, max_openings, false);
}

Status CheckModelMatchesCommitmentPublicPart(const ml::Model& model, const ModelCommitment& c) {
  if (model.spec.ToString() != c.model_spec || model.output != c.output ||
      model.fraction_bits != c.fraction_bits)
    return Status::Rejected("model file: architecture differs from the model commitment's");
  if (model.layers.size() != c.layers.size())
    return Status::Rejected("model file: layer count differs from the model commitment's");
  for (size_t l = 0; l < c.layers.size(); ++l) {
    if (model.layers[l].inputs != c.layers[l].first ||
        model.layers[l].outputs != c.layers[l].second)
      return Status::Rejected("model file: shape of layer " + std::to_string(l) +
                              " differs from the model commitment's");
  }
  if (model.feature_names != c.feature_names || model.label_name != c.label_name)
    return Status::Rejected("model file: features or label differ from the model commitment's");
  if (model.classes != c.classes)
    return Status::Rejected("model file: classes differ from the model commitment's");
  if (model.standardizer.mean != c.mean || model.standardizer.multiplier != c.multiplier)
    return Status::Rejected("model file: preprocessing differs from the model commitment's");
  return Status::Ok();
}

Status CheckModelOpensCommitment(const ml::Model& model, const ModelSecret& secret,
                                 const ModelCommitment& commitment) {
  ZK_RETURN_IF_ERROR(CheckModelMatchesCommitmentPublicPart(model, commitment));
  auto again = CommitModel(model, secret, commitment.pcs.params.max_openings);
  if (!again.ok()) return again.status();
  if (!(again->commitment == commitment))
    return Status::Rejected("model file: its weights are not the committed ones");
  return Status::Ok();
}

Status SaveModelCommitment(const std::string& path, const ModelCommitment& commitment) {
  return WriteFileAtomic(path, commitment.ToJson());
}

Result<ModelCommitment> LoadModelCommitment(const std::string& path) {
  ZK_ASSIGN_OR_RETURN(std::string text, ReadFileText(path));
  return ModelCommitment::FromJson(text, path);
}

Status SaveModelSecret(const std::string& path, const ModelSecret& secret,
                       const ModelCommitment& commitment) {
  std::string text = secret.ToJson(commitment);
  Status s = WriteFileAtomic(path, text, 0600);
  SecureWipe(text.data(), text.size());
  return s;
}

Result<ModelSecret> LoadModelSecret(const std::string& path, const ModelCommitment& expected) {
  ZK_ASSIGN_OR_RETURN(std::string text, ReadFileText(path));
  auto s = ModelSecret::FromJson(text, path, expected);
  SecureWipe(text.data(), text.size());
  return s;
}

}  // namespace zektra::pot
