#include "zektra/ml/model.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>

#include "zektra/base/bytes.h"
#include "zektra/base/file_io.h"
#include "zektra/crypto/sha256.h"
#include "zektra/ml/rng.h"

namespace zektra::ml {

using nlohmann::json;

const char* OutputKindName(OutputKind kind) {
  switch (kind) {
    case OutputKind::kIdentity: return "identity";
    case OutputKind::kSigmoid: return "sigmoid";
    case OutputKind::kSoftmax: return "softmax";
  }
  return "?";
}

Result<ModelSpec> ModelSpec::Parse(std::string_view text) {
  ModelSpec spec;
  if (text == "linreg") {
    spec.kind = ModelKind::kLinReg;
  } else if (text == "logreg") {
    spec.kind = ModelKind::kLogReg;
  } else if (text == "softmax") {
    spec.kind = ModelKind::kSoftmax;
  } else if (text.substr(0, 4) == "mlp:") {
    spec.kind = ModelKind::kMlp;
    std::string_view rest = text.substr(4);
    for (;;) {
      size_t comma = rest.find(',');
      std::string_view item = rest.substr(0, comma);
      size_t width = 0;
      auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), width);
      if (ec != std::errc() || end != item.data() + item.size() || width == 0 || width > 4096) {
        return Status::InvalidArgument("model '" + std::string(text) +
                                       "': hidden widths must be integers in [1, 4096]");
      }
      spec.hidden.push_back(width);
      if (comma == std::string_view::npos) break;
      rest = rest.substr(comma + 1);
    }
  } else {
    return Status::InvalidArgument("unknown model '" + std::string(text) +
                                   "' (expected linreg, logreg, softmax or mlp:H1[,H2...])");
  }
  return spec;
}

std::string ModelSpec::ToString() const {
  switch (kind) {
    case ModelKind::kLinReg: return "linreg";
    case ModelKind::kLogReg: return "logreg";
    case ModelKind::kSoftmax: return "softmax";
    case ModelKind::kMlp: {
      std::string s = "mlp:";
      for (size_t i = 0; i < hidden.size(); ++i) {
        if (i) s += ",";
        s += std::to_string(hidden[i]);
      }
      return s;
    }
  }
  return "?";
}

Task ModelSpec::TaskFor(size_t classes) const {
  if (kind == ModelKind::kLinReg) return Task::kRegression;
  return classes == 2 ? Task::kBinary : Task::kMulticlass;
}

OutputKind OutputFor(const ModelSpec& spec, size_t classes) {
  if (spec.kind == ModelKind::kLinReg) return OutputKind::kIdentity;
  if (spec.kind == ModelKind::kLogReg) return OutputKind::kSigmoid;
  if (spec.kind == ModelKind::kSoftmax) return OutputKind::kSoftmax;
  return classes == 2 ? OutputKind::kSigmoid : OutputKind::kSoftmax;
}

Status Hyperparameters::Resolve(const ModelSpec& spec, size_t train_rows) {
  ZK_ASSIGN_OR_RETURN(FixedPointFormat fp, FixedPointFormat::Create(fraction_bits));
  if (batch == 0 || !std::has_single_bit(batch) || batch > fp.MaxFanIn()) {
    return Status::InvalidArgument("--batch must be a power of two in [1, " + std::to_string(fp.MaxFanIn()) + "]");
  }
  if (epochs == 0) {
    // About 6000 SGD steps, within [10, 200] epochs: enough for the small tabular sets to
    // converge, and a few passes over large ones.
    const uint64_t steps_per_epoch = (train_rows + batch - 1) / batch;
    epochs = std::clamp<uint64_t>((6000 + steps_per_epoch - 1) / std::max<uint64_t>(1, steps_per_epoch), 10, 200);
  }
  if (epochs > 1000000) return Status::InvalidArgument("--epochs must be at most 1000000");
  if (lr == 0) lr = spec.kind == ModelKind::kLinReg ? 0.05 : 0.1;
  if (!(lr > 0 && lr <= 16)) return Status::InvalidArgument("--lr must be in (0, 16]");
  if (fp.FromReal(lr) == 0) return Status::InvalidArgument("--lr is below the fixed-point resolution 2^-F");
  if (!(l2 >= 0 && l2 <= 1)) return Status::InvalidArgument("--l2 must be in [0, 1]");
  if (!(lr_decay > 0 && lr_decay <= 1)) return Status::InvalidArgument("--lr-decay must be in (0, 1]");
  if (schedule == LrSchedule::kStep && lr_step_epochs == 0) lr_step_epochs = std::max<uint64_t>(1, (epochs + 2) / 3);
  if (!(test_split >= 0 && test_split < 1)) return Status::InvalidArgument("--test-split must be in [0, 1)");
  return Status::Ok();
}

double Hyperparameters::LearningRateReal(uint64_t epoch, const FixedPointFormat& fp) const {
  return fp.ToReal(LearningRateFixed(epoch, fp));
}

int64_t Hyperparameters::LearningRateFixed(uint64_t epoch, const FixedPointFormat& fp) const {
  double rate = lr;
  if (schedule == LrSchedule::kStep && lr_step_epochs > 0) {
    rate *= std::pow(lr_decay, static_cast<double>(epoch / lr_step_epochs));
  }
  return std::max<int64_t>(1, fp.FromReal(rate));
}

json Hyperparameters::ToJson() const {
  return {{"epochs", epochs},
          {"batch", batch},
          {"lr", lr},
          {"lr_schedule", schedule == LrSchedule::kStep ? "step" : "constant"},
          {"lr_step_epochs", lr_step_epochs},
          {"lr_decay", lr_decay},
          {"l2", l2},
          {"seed", seed},
          {"test_split", test_split},
          {"fraction_bits", fraction_bits}};
}

std::vector<Layer> InitialLayers(const ModelSpec& spec, size_t inputs, size_t outputs, uint64_t seed,
                                 const FixedPointFormat& fp) {
  std::vector<size_t> widths = {inputs};
  if (spec.kind == ModelKind::kMlp) widths.insert(widths.end(), spec.hidden.begin(), spec.hidden.end());
  widths.push_back(outputs);
  std::vector<Layer> layers;
  for (size_t l = 0; l + 1 < widths.size(); ++l) {
    Layer layer{widths[l], widths[l + 1], std::vector<int64_t>(widths[l] * widths[l + 1], 0),
                std::vector<int64_t>(widths[l + 1], 0)};
    if (spec.kind == ModelKind::kMlp) {
      SplitMix64 rng = SplitMix64::Stream(seed, RandomPurpose::kInit, l);
      const double sd = std::sqrt(2.0 / static_cast<double>(widths[l]));
      const int64_t limit = fp.value_limit() - 1;
      for (int64_t& w : layer.weights) w = std::clamp(fp.FromReal(rng.Gaussian() * sd), -limit, limit);
    }
    layers.push_back(std::move(layer));
  }
  return layers;
}

std::string Model::WeightsDigestHex() const {
  Sha256 h;
  const std::string tag = "zektra-model-weights-v1";
  h.Update(tag.data(), tag.size());
  auto put = [&](int64_t v) {
    uint8_t b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<uint8_t>(static_cast<uint64_t>(v) >> (8 * i));
    h.Update(b, 8);
  };
  put(fraction_bits);
  put(static_cast<int64_t>(layers.size()));
  for (const Layer& l : layers) {
    put(static_cast<int64_t>(l.inputs));
    put(static_cast<int64_t>(l.outputs));
    for (int64_t w : l.weights) put(w);
    for (int64_t b : l.bias) put(b);
  }
  Digest d = h.Final();
  return ToHex(d);
}

namespace {

const char* TaskKey(Task t) { return TaskName(t); }

std::vector<double> Reals(const std::vector<int64_t>& v, int f) {
  std::vector<double> out;
  out.reserve(v.size());
  for (int64_t x : v) out.push_back(std::ldexp(static_cast<double>(x), -f));
  return out;
}

// Typed field access with a message naming the field.
template <typename T>
Status Get(const json& j, const char* key, T* out, const std::string& where) {
  auto it = j.find(key);
  if (it == j.end()) return Status::BadInput(where + ": missing field '" + key + "'");
  try {
    *out = it->template get<T>();
  } catch (const std::exception&) {
    return Status::BadInput(where + ": field '" + key + "' has the wrong type");
  }
  return Status::Ok();
}

Status CheckReals(const std::vector<int64_t>& fixed, const json& j, const char* key, int f, const std::string& where) {
  std::vector<double> reals;
  ZK_RETURN_IF_ERROR(Get(j, key, &reals, where));
  if (reals.size() != fixed.size()) return Status::BadInput(where + ": '" + key + "' has the wrong length");
  for (size_t i = 0; i < fixed.size(); ++i) {
    if (reals[i] != std::ldexp(static_cast<double>(fixed[i]), -f)) {
      return Status::BadInput(where + ": '" + key + "'[" + std::to_string(i) +
                              "] does not match its fixed-point integer");
    }
  }
  return Status::Ok();
}

}  // namespace

json ModelToJson(const Model& m) {
  const int f = m.fraction_bits;
  json layers = json::array();
  for (const Layer& l : m.layers) {
    layers.push_back({{"inputs", l.inputs},
                      {"outputs", l.outputs},
                      {"weights_fixed", l.weights},
                      {"bias_fixed", l.bias},
                      {"weights", Reals(l.weights, f)},
                      {"bias", Reals(l.bias, f)}});
  }
  json pre = {{"method", "standardize"},
              {"multiplier_shift", Standardizer::kMultiplierShift},
              {"mean_fixed", m.standardizer.mean},
              {"stddev_fixed", m.standardizer.stddev},
              {"multiplier", m.standardizer.multiplier},
              {"mean", Reals(m.standardizer.mean, f)},
              {"stddev", Reals(m.standardizer.stddev, f)}};
  if (m.task == Task::kRegression) {
    pre["target_mean_fixed"] = m.target_mean;
    pre["target_stddev_fixed"] = m.target_stddev;
    pre["target_multiplier"] = m.target_multiplier;
  }
  json j = {{"format", kModelFileFormat},
            {"version", kModelFileVersion},
            {"model", m.spec.ToString()},
            {"task", TaskKey(m.task)},
            {"output", OutputKindName(m.output)},
            {"label", m.label_name},
            {"features", m.feature_names},
            {"fixed_point", {{"fraction_bits", f}, {"value_bits", f + 8}, {"table_step_bits", kTableStepBits},
                             {"sigmoid_index_range", {kSigmoidIndexMin, kSigmoidIndexMax}},
                             {"exp_index_range", {kExpIndexMin, kExpIndexMax}}}},
            {"hyperparameters", m.hyper.ToJson()},
            {"preprocessing", pre},
            {"layers", layers},
            {"weights_sha256", m.WeightsDigestHex()},
            {"dataset_commitment", m.dataset_commitment.empty() ? json(nullptr) : json(m.dataset_commitment)},
            {"proof_hash", m.proof_hash.empty() ? json(nullptr) : json(m.proof_hash)},
            {"training", m.training.is_null() ? json::object() : m.training}};
  if (m.task != Task::kRegression) j["classes"] = m.classes;
  return j;
}

Result<Model> ModelFromJson(const json& j) {
  const std::string where = "model file";
  if (!j.is_object()) return Status::BadInput(where + ": not a JSON object");
  std::string format;
  ZK_RETURN_IF_ERROR(Get(j, "format", &format, where));
  if (format != kModelFileFormat) return Status::BadInput(where + ": format is '" + format + "', not a Zektra model");
  int version = 0;
  ZK_RETURN_IF_ERROR(Get(j, "version", &version, where));
  if (version != kModelFileVersion) {
    return Status::BadInput(where + ": unsupported version " + std::to_string(version) + " (this build reads " +
                            std::to_string(kModelFileVersion) + ")");
  }
  Model m;
  std::string model_text, task, output;
  ZK_RETURN_IF_ERROR(Get(j, "model", &model_text, where));
  auto spec = ModelSpec::Parse(model_text);
  if (!spec.ok()) return Status::BadInput(where + ": " + spec.status().message());
  m.spec = *spec;
  ZK_RETURN_IF_ERROR(Get(j, "task", &task, where));
  if (task == "regression") m.task = Task::kRegression;
  else if (task == "binary") m.task = Task::kBinary;
  else if (task == "multiclass") m.task = Task::kMulticlass;
  else return Status::BadInput(where + ": unknown task '" + task + "'");
  ZK_RETURN_IF_ERROR(Get(j, "output", &output, where));
  ZK_RETURN_IF_ERROR(Get(j, "label", &m.label_name, where));
  ZK_RETURN_IF_ERROR(Get(j, "features", &m.feature_names, where));
  json fixed;
  ZK_RETURN_IF_ERROR(Get(j, "fixed_point", &fixed, where));
  ZK_RETURN_IF_ERROR(Get(fixed, "fraction_bits", &m.fraction_bits, where + ": fixed_point"));
  auto fp_or = FixedPointFormat::Create(m.fraction_bits);
  if (!fp_or.ok()) return Status::BadInput(where + ": " + fp_or.status().message());
  const FixedPointFormat& fp = *fp_or;
  const int f = m.fraction_bits;

  json hyper;
  ZK_RETURN_IF_ERROR(Get(j, "hyperparameters", &hyper, where));
  std::string schedule;
  const std::string hw = where + ": hyperparameters";
  ZK_RETURN_IF_ERROR(Get(hyper, "epochs", &m.hyper.epochs, hw));
  ZK_RETURN_IF_ERROR(Get(hyper, "batch", &m.hyper.batch, hw));
  ZK_RETURN_IF_ERROR(Get(hyper, "lr", &m.hyper.lr, hw));
  ZK_RETURN_IF_ERROR(Get(hyper, "lr_schedule", &schedule, hw));
  m.hyper.schedule = schedule == "step" ? LrSchedule::kStep : LrSchedule::kConstant;
  ZK_RETURN_IF_ERROR(Get(hyper, "lr_step_epochs", &m.hyper.lr_step_epochs, hw));
  ZK_RETURN_IF_ERROR(Get(hyper, "lr_decay", &m.hyper.lr_decay, hw));
  ZK_RETURN_IF_ERROR(Get(hyper, "l2", &m.hyper.l2, hw));
  ZK_RETURN_IF_ERROR(Get(hyper, "seed", &m.hyper.seed, hw));
  ZK_RETURN_IF_ERROR(Get(hyper, "test_split", &m.hyper.test_split, hw));
  m.hyper.fraction_bits = f;

  json pre;
  ZK_RETURN_IF_ERROR(Get(j, "preprocessing", &pre, where));
  const std::string pw = where + ": preprocessing";
  m.standardizer.fraction_bits = f;
  ZK_RETURN_IF_ERROR(Get(pre, "mean_fixed", &m.standardizer.mean, pw));
  ZK_RETURN_IF_ERROR(Get(pre, "stddev_fixed", &m.standardizer.stddev, pw));
  ZK_RETURN_IF_ERROR(Get(pre, "multiplier", &m.standardizer.multiplier, pw));
  const size_t d = m.feature_names.size();
  if (d == 0 || m.standardizer.mean.size() != d || m.standardizer.stddev.size() != d ||
      m.standardizer.multiplier.size() != d) {
    return Status::BadInput(pw + ": parameter lengths do not match the feature list");
  }
  for (size_t i = 0; i < d; ++i) {
    if (std::llabs(m.standardizer.mean[i]) >= (int64_t{1} << 46) || m.standardizer.stddev[i] <= 0 ||
        m.standardizer.multiplier[i] < 0 || m.standardizer.multiplier[i] > (int64_t{1} << 48)) {
      return Status::BadInput(pw + ": feature " + std::to_string(i) + " has out-of-range parameters");
    }
  }
  ZK_RETURN_IF_ERROR(CheckReals(m.standardizer.mean, pre, "mean", f, pw));
  ZK_RETURN_IF_ERROR(CheckReals(m.standardizer.stddev, pre, "stddev", f, pw));

  size_t classes = 0;
  if (m.task == Task::kRegression) {
    ZK_RETURN_IF_ERROR(Get(pre, "target_mean_fixed", &m.target_mean, pw));
    ZK_RETURN_IF_ERROR(Get(pre, "target_stddev_fixed", &m.target_stddev, pw));
    ZK_RETURN_IF_ERROR(Get(pre, "target_multiplier", &m.target_multiplier, pw));
    if (m.target_stddev <= 0) return Status::BadInput(pw + ": target_stddev_fixed must be positive");
  } else {
    ZK_RETURN_IF_ERROR(Get(j, "classes", &m.classes, where));
    classes = m.classes.size();
    if (classes < 2 || classes > kMaxClasses || !std::is_sorted(m.classes.begin(), m.classes.end()) ||
        std::adjacent_find(m.classes.begin(), m.classes.end()) != m.classes.end()) {
      return Status::BadInput(where + ": 'classes' must be 2..256 distinct sorted values");
    }
  }
  if ((m.task == Task::kRegression) != (m.spec.kind == ModelKind::kLinReg) ||
      (m.spec.kind == ModelKind::kLogReg && classes != 2)) {
    return Status::BadInput(where + ": task does not match model '" + m.spec.ToString() + "'");
  }
  m.output = OutputFor(m.spec, classes);
  if (output != OutputKindName(m.output)) return Status::BadInput(where + ": output '" + output + "' does not match the model");

  json layers;
  ZK_RETURN_IF_ERROR(Get(j, "layers", &layers, where));
  if (!layers.is_array()) return Status::BadInput(where + ": 'layers' is not an array");
  const size_t expected_layers = m.spec.hidden.size() + 1;
  if (layers.size() != expected_layers) return Status::BadInput(where + ": wrong number of layers");
  size_t in = d;
  for (size_t l = 0; l < layers.size(); ++l) {
    const std::string lw = where + ": layer " + std::to_string(l);
    Layer layer;
    ZK_RETURN_IF_ERROR(Get(layers[l], "inputs", &layer.inputs, lw));
    ZK_RETURN_IF_ERROR(Get(layers[l], "outputs", &layer.outputs, lw));
    ZK_RETURN_IF_ERROR(Get(layers[l], "weights_fixed", &layer.weights, lw));
    ZK_RETURN_IF_ERROR(Get(layers[l], "bias_fixed", &layer.bias, lw));
    size_t expected_out = l + 1 < expected_layers ? m.spec.hidden[l]
                          : m.output == OutputKind::kSoftmax ? classes : 1;
    if (layer.inputs != in || layer.outputs != expected_out || layer.weights.size() != in * layer.outputs ||
        layer.bias.size() != layer.outputs) {
      return Status::BadInput(lw + ": shapes do not match the architecture");
    }
    for (int64_t w : layer.weights) {
      if (!fp.InRange(w)) return Status::BadInput(lw + ": a weight is outside the fixed-point range");
    }
    for (int64_t b : layer.bias) {
      if (!fp.InRange(b)) return Status::BadInput(lw + ": a bias is outside the fixed-point range");
    }
    ZK_RETURN_IF_ERROR(CheckReals(layer.weights, layers[l], "weights", f, lw));
    ZK_RETURN_IF_ERROR(CheckReals(layer.bias, layers[l], "bias", f, lw));
    in = layer.outputs;
    m.layers.push_back(std::move(layer));
  }
  std::string digest;
  ZK_RETURN_IF_ERROR(Get(j, "weights_sha256", &digest, where));
  if (digest != m.WeightsDigestHex()) return Status::BadInput(where + ": weights_sha256 does not match the weights");
  if (auto it = j.find("dataset_commitment"); it != j.end() && it->is_string()) m.dataset_commitment = *it;
  if (auto it = j.find("proof_hash"); it != j.end() && it->is_string()) m.proof_hash = *it;
  if (auto it = j.find("training"); it != j.end()) m.training = *it;
  return m;
}

Status SaveModel(const Model& model, const std::string& path) {
  return WriteFileAtomic(path, ModelToJson(model).dump(1) + "\n");
}

Result<Model> LoadModel(const std::string& path) {
  ZK_ASSIGN_OR_RETURN(std::string text, ReadFileText(path));
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::BadInput(path + ": not valid JSON");
  auto m = ModelFromJson(j);
  if (!m.ok()) return m.status().WithContext(path);
  return m;
}

}  // namespace zektra::ml
