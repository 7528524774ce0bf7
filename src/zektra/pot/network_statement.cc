// The public statement of a network proof of training (pot/network_training_proof.h): its wire
// format (versioned, every field bounded on read), its JSON view for `zektra inspect` / `verify`,
// and the hyper-parameters it implies.
#include <bit>

#include "zektra/base/serialize.h"
#include "zektra/pot/network_training_proof.h"

namespace zektra::pot {

bool IsNetworkModel(const ml::ModelSpec& spec) {
  return spec.kind == ml::ModelKind::kSoftmax || spec.kind == ml::ModelKind::kMlp;
}

Bytes NetworkTrainingStatement::Serialize() const {
  ByteWriter w;
  w.String("zektra.pot.network_statement");
  w.U32(kNetworkStatementVersion);
  w.String(dataset.ToJson());
  w.String(spec.ToString());
  w.U64(classes);
  WriteHyperparameters(w);
  auto vec = [&](const std::vector<int64_t>& v) {
    w.U64(v.size());
    for (int64_t x : v) w.U64(static_cast<uint64_t>(x));
  };
  vec(mean);
  vec(multiplier);
  w.U64(final_layers.size());
  for (const ml::Layer& l : final_layers) {
    w.U64(l.inputs);
    w.U64(l.outputs);
    vec(l.weights);
    vec(l.bias);
  }
  return w.Take();
}

Result<NetworkTrainingStatement> NetworkTrainingStatement::Parse(ByteSpan bytes) {
  ByteReader r(bytes);
  NetworkTrainingStatement s;
  if (r.String("statement tag") != "zektra.pot.network_statement")
    return Status::BadInput("statement: wrong tag");
  if (r.U32("statement version") != kNetworkStatementVersion)
    return Status::BadInput("statement: unsupported version");
  std::string ds = r.String("dataset commitment");
  std::string model = r.String("model");
  if (!r.ok()) return r.status();
  ZK_ASSIGN_OR_RETURN(s.dataset, DatasetCommitment::FromJson(ds, "statement dataset"));
  auto spec = ml::ModelSpec::Parse(model);
  if (!spec.ok()) return Status::BadInput("statement: model: " + spec.status().message());
  s.spec = *spec;
  if (!IsNetworkModel(s.spec)) return Status::BadInput("statement: model kind");
  s.classes = r.U64("classes");
  ZK_RETURN_IF_ERROR(s.ReadHyperparameters(r));
  auto vec = [&](std::vector<int64_t>& v, const char* what) {
    const uint64_t n = r.Count(what, 8, 1 << 24);
    for (uint64_t i = 0; i < n && r.ok(); ++i) v.push_back(static_cast<int64_t>(r.U64(what)));
  };
  vec(s.mean, "mean");
  vec(s.multiplier, "multiplier");
  const uint64_t layers = r.Count("layers", 32, 64);
  for (uint64_t l = 0; l < layers && r.ok(); ++l) {
    ml::Layer layer;
    layer.inputs = r.U64("layer inputs");
    layer.outputs = r.U64("layer outputs");
    vec(layer.weights, "layer weights");
    vec(layer.bias, "layer bias");
    s.final_layers.push_back(std::move(layer));
  }
  ZK_RETURN_IF_ERROR(r.Finish("statement"));
  return s;
}

nlohmann::json NetworkTrainingStatement::ToJson() const {
  ml::FixedPointFormat fp;
  nlohmann::json j;
  j["dataset_commitment"] = dataset.IdHex();
  j["dataset_rows"] = dataset.rows;
  j["dataset_features"] = dataset.features;
  j["label"] = dataset.label_name;
  j["model"] = spec.ToString();
  j["classes"] = classes;
  AddHyperparametersJson(j);
  j["initial_weights"] =
      spec.kind == ml::ModelKind::kMlp ? "He (public function of the seed)" : "zero";
  j["mean_fixed"] = mean;
  j["multiplier"] = multiplier;
  nlohmann::json layers = nlohmann::json::array();
  for (const ml::Layer& l : final_layers) {
    layers.push_back({{"inputs", l.inputs},
                      {"outputs", l.outputs},
                      {"weights_fixed", l.weights},
                      {"bias_fixed", l.bias}});
  }
  j["final_layers"] = layers;
  return j;
}

}  // namespace zektra::pot
