// The end-to-end flows behind `zektra train`, `predict` and `evaluate`: split, preprocess, train
// (fixed point, optionally also the float reference), measure, and build the model file.
// The CLI is a thin layer over these; tests and the bench call them directly.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "zektra/ml/dataset.h"
#include "zektra/ml/metrics.h"
#include "zektra/ml/model.h"
#include "zektra/ml/trainer.h"

namespace zektra::ml {

// Rows ready for a model: standardised int32 features and, when the table has labels, targets.
struct PreparedSet {
  size_t rows = 0, cols = 0;
  std::vector<int32_t> x;
  std::vector<int64_t> target;       // class index, or the standardised fixed-point target
  std::vector<double> truth;         // regression: the raw target
  std::vector<float> XAsFloat(int fraction_bits) const;  // exact: |x| < 2^24
};

struct TrainRequest {
  ModelSpec spec;
  Hyperparameters hyper;        // Resolve()d inside
  bool compare_float = false;   // also train the double reference and report its metrics
  TrainingObserver* observer = nullptr;
  std::function<void(const EpochReport&)> on_epoch;
  // Split without looking at the labels (one seeded shuffle of all rows, as for regression).
  // Proofs of training use it: the stratified split would make the public training-row set a
  // function of the private labels.
  bool label_independent_split = false;
};

struct SetMetrics {
  Task task = Task::kBinary;
  ClassificationMetrics classification;
  RegressionMetrics regression;
  // The headline figure: accuracy (classification) or R² (regression).
  double headline() const { return task == Task::kRegression ? regression.r2 : classification.accuracy; }
};

struct TrainOutcome {
  Model model;
  Split split;
  size_t train_rows = 0, test_rows = 0;
  uint64_t steps = 0;
  double final_loss = 0;
  double train_seconds = 0;
  SetMetrics train;
  std::optional<SetMetrics> test;  // absent with --test-split 0
  std::optional<SetMetrics> float_train, float_test;
  double float_train_seconds = 0;
  // The --json summary of `zektra train`.
  nlohmann::json Summary() const;
};

Result<TrainOutcome> TrainOnTable(const Table& table, TrainRequest request);

// Standardises `rows` of `table` with the model's parameters and encodes its labels (if any).
Result<PreparedSet> PrepareForModel(const Model& model, const Table& table, const std::vector<uint64_t>* rows = nullptr);
// Fixed-point predictions: rows × output width probabilities, or regression predictions in the
// target's original units (rows × 1).
Result<std::vector<double>> PredictReal(const Model& model, const PreparedSet& set);
// Metrics of a model on a prepared set with labels.
Result<SetMetrics> Measure(const Model& model, const PreparedSet& set);
// The JSON of a SetMetrics (`prefix` + key): accuracy, auc, log_loss, confusion_matrix or r2, mse; rows.
nlohmann::json MetricsJson(const SetMetrics& m, const std::string& prefix);

}  // namespace zektra::ml
