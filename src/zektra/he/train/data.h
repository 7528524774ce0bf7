// The data owner's side of encrypted training, in plaintext: preprocessing (fitted by the
// owner, or agreed by several owners), the signed rows that get encrypted, and the model
// file built from decrypted weights.
//
// Preprocessing is the ml layer's exact integer standardisation (ml/dataset.h), so the
// model file written after decryption carries it and `zektra evaluate` / `predict`
// apply it to raw CSV rows exactly as for a plaintext-trained model. What it reveals:
// the per-feature means and standard deviations travel with the encrypted dataset (the
// compute node sees them) and with the model; the rows do not.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "zektra/base/status.h"
#include "zektra/he/train/logreg.h"
#include "zektra/ml/dataset.h"
#include "zektra/ml/model.h"

namespace zektra::he::train {

struct Preprocessing {
  std::vector<std::string> feature_names;
  std::string label_name;
  std::vector<double> classes;  // the two label values; class 1 is the positive one
  ml::Standardizer standardizer;
  int fraction_bits = ml::kDefaultFractionBits;

  size_t features() const { return feature_names.size(); }
};

// Fits on `rows` of a labelled table: exactly two label values, standardiser on those rows.
Result<Preprocessing> FitPreprocessing(const ml::Table& table, const std::vector<uint64_t>& rows);

// z rows ((2y − 1)(1, x_std)) of `rows` of `table`; BadInput when the table's columns or
// labels do not match the preprocessing.
Result<std::vector<double>> PrepareSignedRows(const Preprocessing& pre, const ml::Table& table,
                                              const std::vector<uint64_t>& rows);

// The model file of weights β (bias first) trained under `config`.
Result<ml::Model> BuildModel(const Preprocessing& pre, const std::vector<double>& beta,
                             const TrainConfig& config, nlohmann::json training);

nlohmann::json PreprocessingToJson(const Preprocessing& pre);
Result<Preprocessing> PreprocessingFromJson(const nlohmann::json& j, const std::string& where);

// Writes `rows` of a labelled table as CSV (features then label, full precision), atomically.
Status WriteRowsCsv(const ml::Table& table, const std::vector<uint64_t>& rows,
                    const std::string& path);

// The train/test split of `zektra train` (stratified by label, ml::SplitRows).
Result<ml::Split> SplitForTraining(const ml::Table& table, double test_fraction, uint64_t seed);

}  // namespace zektra::he::train
