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

ml::Hyperparameters NetworkTrainingStatement::Hyper() const {
  ml::Hyperparameters h;
  h.epochs = epochs;
  h.batch = batch;
  h.lr = lr;
  h.schedule = schedule;
  h.lr_step_epochs = lr_step_epochs;
  h.lr_decay = lr_decay;
  h.l2 = 0;
  h.seed = seed;
  h.test_split = test_split;
  h.fraction_bits = fraction_bits;
  return h;
}

Bytes NetworkTrainingStatement::Serialize() const {
  ByteWriter w;
  w.String("zektra.pot.network_statement");
  w.U32(kNetworkStatementVersion);
  w.String(dataset.ToJson());
  w.String(spec.ToString());
  w.U64(classes);
  w.U32(static_cast<uint32_t>(fraction_bits));
  w.U64(epochs);
  w.U64(batch);
  w.U64(seed);
  w.U64(std::bit_cast<uint64_t>(lr));
  w.U32(static_cast<uint32_t>(schedule));
  w.U64(lr_step_epochs);
  w.U64(std::bit_cast<uint64_t>(lr_decay));
  w.U64(std::bit_cast<uint64_t>(test_split));
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
  s.fraction_bits = static_cast<int>(r.U32("fraction bits") & 0xFF);
  s.epochs = r.U64("epochs");
  s.batch = r.U64("batch");
  s.seed = r.U64("seed");
  s.lr = std::bit_cast<double>(r.U64("lr"));
  const uint32_t sched = r.U32("schedule");
  if (sched > 1) return Status::BadInput("statement: schedule");
  s.schedule = static_cast<ml::LrSchedule>(sched);
  s.lr_step_epochs = r.U64("lr step");
  s.lr_decay = std::bit_cast<double>(r.U64("lr decay"));
  s.test_split = std::bit_cast<double>(r.U64("test split"));
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
  j["fraction_bits"] = fraction_bits;
  j["epochs"] = epochs;
  j["batch"] = batch;
  j["lr"] = lr;
  j["lr_schedule"] = schedule == ml::LrSchedule::kStep ? "step" : "constant";
  j["lr_step_epochs"] = lr_step_epochs;
  j["lr_decay"] = lr_decay;
  j["seed"] = seed;
  j["test_split"] = test_split;
  j["split"] = "seeded, label-independent";
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
