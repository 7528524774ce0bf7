// Models: architecture, hyper-parameters, fixed-point weights, preprocessing, and the model file.
//
// A model is a stack of dense layers. linreg, logreg and softmax are one layer (identity, sigmoid,
// softmax output); mlp:H1,H2,... adds ReLU hidden layers of those widths and ends in a sigmoid
// (two classes) or softmax (more). The fixed-point integers are the model; the float values in
// the file are their exact real readings (integer / 2^F), kept for people and other tools.
//
// Model file (JSON, docs/ML.md): {"format": "zektra-model", "version": 1, ...}. Loading checks
// the format and version, every shape, that every integer is within the fixed-point bounds, that
// each float equals its integer / 2^F, and the SHA-256 weights digest, so a corrupted file is
// refused with a reason rather than silently mispredicting. Room is left for a dataset commitment
// and a proof hash (written by the proof-of-training layer).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "zektra/base/status.h"
#include "zektra/ml/dataset.h"
#include "zektra/ml/fixed_point.h"

namespace zektra::ml {

inline constexpr int kModelFileVersion = 1;
inline constexpr const char* kModelFileFormat = "zektra-model";

enum class ModelKind { kLinReg, kLogReg, kSoftmax, kMlp };
enum class OutputKind { kIdentity, kSigmoid, kSoftmax };
const char* OutputKindName(OutputKind kind);

struct ModelSpec {
  ModelKind kind = ModelKind::kLogReg;
  std::vector<size_t> hidden;  // mlp only

  // "linreg", "logreg", "softmax", "mlp:H1[,H2...]" (each width 1..4096); InvalidArgument else.
  static Result<ModelSpec> Parse(std::string_view text);
  std::string ToString() const;
  Task TaskFor(size_t classes) const;
};

enum class LrSchedule { kConstant, kStep };

struct Hyperparameters {
  uint64_t epochs = 0;   // 0: chosen from the data size (DefaultEpochs)
  uint64_t batch = 32;   // a power of two
  double lr = 0;         // 0: the model's default (DefaultLearningRate)
  LrSchedule schedule = LrSchedule::kStep;
  uint64_t lr_step_epochs = 0;  // step schedule: multiply by lr_decay every this many epochs (0: epochs/3)
  double lr_decay = 0.5;
  double l2 = 0;
  uint64_t seed = 0;
  double test_split = 0.25;
  int fraction_bits = kDefaultFractionBits;

  // Fills the automatic values (epochs, lr, step) for this model and training-set size, and
  // checks every range; InvalidArgument names the offending option.
  Status Resolve(const ModelSpec& spec, size_t train_rows);
  // The learning rate of `epoch` as a fixed-point integer: round(lr·decay^floor(epoch/step)·2^F).
  int64_t LearningRateFixed(uint64_t epoch, const FixedPointFormat& fp) const;
  double LearningRateReal(uint64_t epoch, const FixedPointFormat& fp) const;
  int64_t L2Fixed(const FixedPointFormat& fp) const { return fp.FromReal(l2); }
  nlohmann::json ToJson() const;
};

// One dense layer: z[k] = floor(Σ_j x[j]·weights[k·inputs + j] / 2^F) + bias[k].
struct Layer {
  size_t inputs = 0, outputs = 0;
  std::vector<int64_t> weights;  // outputs × inputs, row-major: row k feeds unit k
  std::vector<int64_t> bias;     // outputs
};

struct Model {
  ModelSpec spec;
  Task task = Task::kBinary;
  OutputKind output = OutputKind::kSigmoid;
  int fraction_bits = kDefaultFractionBits;
  std::vector<std::string> feature_names;
  std::string label_name;
  std::vector<double> classes;  // classification: label value of each class index
  Standardizer standardizer;
  // Regression: the target is standardised like a feature; predictions are mapped back as
  // target_mean + z·target_stddev (reals).
  int64_t target_mean = 0, target_stddev = 0, target_multiplier = 0;
  std::vector<Layer> layers;
  Hyperparameters hyper;
  std::string dataset_commitment;  // hex; empty when absent
  std::string proof_hash;          // hex; empty when absent
  nlohmann::json training;         // informative summary (metrics, seconds); not checked

  size_t output_width() const { return layers.empty() ? 0 : layers.back().outputs; }
  // SHA-256 over "zektra-model-weights-v1", F, and every layer's shape, weights and bias as
  // little-endian int64 — the model's identity for proofs and the file's integrity check.
  std::string WeightsDigestHex() const;
};

OutputKind OutputFor(const ModelSpec& spec, size_t classes);

// Initial layers: zeros for the linear models; He initialisation for mlp (weights
// round(g·sqrt(2/fan_in)·2^F), g standard normal from Stream(seed, kInit, layer); bias 0).
std::vector<Layer> InitialLayers(const ModelSpec& spec, size_t inputs, size_t outputs, uint64_t seed,
                                 const FixedPointFormat& fp);

nlohmann::json ModelToJson(const Model& model);
Result<Model> ModelFromJson(const nlohmann::json& j);
Status SaveModel(const Model& model, const std::string& path);
Result<Model> LoadModel(const std::string& path);

}  // namespace zektra::ml
