// The fixed-point minibatch SGD trainer — the one `zektra train` runs and the proof of training
// proves, bit for bit — its inference, and the witness trace a prover consumes.
//
// One step (B rows, B a power of two; layers l = 1..L; H_0 = the batch's standardised rows):
//   forward   A_l = H_{l−1}·W_lᵀ (exact), A_l = Q_l·2^F + R_l, Z_l = Q_l + b_l,
//             H_l = max(Z_l, 0) for hidden layers; the output is Z_L (linreg), the sigmoid table
//             at Z_L (logreg, binary mlp) or the table softmax of each row of Z_L.
//   error     D_L = P − Y (Y: one-hot·2^F, 2^F·class, or the standardised target)
//   backward  for hidden l: D_lᵀ·... ; C_l = D_{l+1}·W_{l+1} = Qc·2^F + Rc, D_l = Qc where Z_l > 0
//   gradient  G_l = D_lᵀ·H_{l−1} = Qg·2^(F+log2 B) + Rg    (the batch mean, truncated once)
//             gb_l = Σ_i D_l[i] = Qb·B + Rb
//             with L2: λ·W_l = Ql2·2^F + Rl2, Qg += Ql2
//   update    η·Qg = U·2^F + Ru, W_l ← W_l − U;  η·Qb = Ub·2^F + Rub, b_l ← b_l − Ub
// η is the epoch's fixed-point learning rate (Hyperparameters::LearningRateFixed). Bounds
// (fixed_point.h) are checked on every multiplied tensor; a violation returns OutOfRange naming
// the step and the tensor. Results do not depend on the thread count (integer sums are exact).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "zektra/base/status.h"
#include "zektra/ml/fixed_point.h"
#include "zektra/ml/model.h"

namespace zektra::ml {

// Training rows after preprocessing: row-major int32 features (|x| < 2^V) and targets:
// the class index (classification) or the standardised fixed-point target (regression).
struct TrainingData {
  size_t rows = 0, cols = 0;
  const int32_t* x = nullptr;
  std::vector<int64_t> target;
};

// One named tensor of one step's witness. Shapes are per step; see docs/ML.md for the list.
struct WitnessTensor {
  std::string name;
  std::vector<size_t> shape;
  std::span<const int64_t> data;
};

// Receives each step's witness. Only called when attached (training without one builds none).
class TrainingObserver {
 public:
  virtual ~TrainingObserver() = default;
  virtual void OnStep(uint64_t step, const std::vector<WitnessTensor>& tensors) = 0;
};

// The whole run's witness: every tensor stacked over steps in one flat contiguous int64 array
// of shape [steps, ...] (step-major), ready for the data-parallel sumchecks of the proof.
class TrainingTrace : public TrainingObserver {
 public:
  struct Tensor {
    std::vector<size_t> shape;  // shape[0] = steps recorded
    std::vector<int64_t> data;
    size_t step_size() const;   // elements per step
    std::span<const int64_t> step(size_t t) const {
      return {data.data() + t * step_size(), step_size()};
    }
  };
  void OnStep(uint64_t step, const std::vector<WitnessTensor>& tensors) override;
  uint64_t steps() const { return steps_; }
  // Null when no tensor of that name was recorded.
  const Tensor* Find(const std::string& name) const;
  const std::map<std::string, Tensor>& tensors() const { return tensors_; }
  // Write access, for tests that tamper with a trace to show a checker rejects it.
  Tensor* Mutable(const std::string& name) {
    auto it = tensors_.find(name);
    return it == tensors_.end() ? nullptr : &it->second;
  }

 private:
  std::map<std::string, Tensor> tensors_;
  uint64_t steps_ = 0;
};

struct EpochReport {
  uint64_t epoch = 0;       // 0-based
  uint64_t epochs = 0;
  double mean_loss = 0;     // mean over the epoch's steps of the batch loss (log-loss or MSE)
  double seconds = 0;       // since training began
};

struct TrainOptions {
  TrainingObserver* observer = nullptr;
  std::function<void(const EpochReport&)> on_epoch;
  // Stop after this many steps (0: run every epoch) — for tracing a prefix of a run in tests.
  uint64_t max_steps = 0;
};

struct FixedTrainResult {
  std::vector<Layer> layers;
  uint64_t steps = 0;
  double final_loss = 0;
};

// Validates shapes and bounds, then trains from `initial` (see InitialLayers). The model's
// output kind decides the loss; `classes` is its output width for classification.
Result<FixedTrainResult> TrainFixed(const FixedPointFormat& fp, OutputKind output,
                                    const Hyperparameters& hyper, const TrainingData& data,
                                    std::vector<Layer> initial, const TrainOptions& options = {});

// Fixed-point forward pass over `rows` rows of int32 features: outputs rows × width integers
// (probabilities·2^F for sigmoid/softmax; the fixed-point value for identity). Same arithmetic
// as training. OutOfRange when a hidden activation leaves the bounds.
Result<std::vector<int64_t>> ForwardFixed(const FixedPointFormat& fp, OutputKind output,
                                          const std::vector<Layer>& layers, const int32_t* x,
                                          size_t rows);

// The double-precision reference: the same algorithm (same initial weights, batch order,
// learning rates, averaging and L2), with exact sigmoid/exp and no truncation.
struct FloatLayer {
  size_t inputs = 0, outputs = 0;
  std::vector<double> weights, bias;
};
struct FloatTrainingData {
  size_t rows = 0, cols = 0;
  const float* x = nullptr;    // rows × cols
  std::vector<double> target;  // class index or real (standardised) target
};
std::vector<FloatLayer> ToFloatLayers(const std::vector<Layer>& layers, const FixedPointFormat& fp);
Result<std::vector<FloatLayer>> TrainFloat(const FixedPointFormat& fp, OutputKind output,
                                           const Hyperparameters& hyper, const FloatTrainingData& data,
                                           std::vector<FloatLayer> initial,
                                           const std::function<void(const EpochReport&)>& on_epoch = {});
std::vector<double> ForwardFloat(OutputKind output, const std::vector<FloatLayer>& layers,
                                 const float* x, size_t rows);

// Batch-size checks shared by both trainers: power of two, 1..MaxFanIn.
Status CheckBatch(uint64_t batch, const FixedPointFormat& fp);

}  // namespace zektra::ml
