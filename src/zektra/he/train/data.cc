#include "zektra/he/train/data.h"

#include <cmath>
#include <cstdio>

#include "zektra/base/file_io.h"
#include "zektra/ml/fixed_point.h"

namespace zektra::he::train {

using nlohmann::json;

Result<Preprocessing> FitPreprocessing(const ml::Table& table, const std::vector<uint64_t>& rows) {
  if (table.label_name.empty())
    return Status::InvalidArgument("encrypted training needs a label column (--label)");
  if (rows.empty()) return Status::BadInput(table.source + ": no training rows");
  ZK_ASSIGN_OR_RETURN(ml::LabelEncoding enc, ml::FitLabelEncoding(table));
  if (enc.classes.size() != 2) {
    return Status::BadInput(table.source +
                            ": logistic regression needs exactly two label values, '" +
                            table.label_name + "' has " + std::to_string(enc.classes.size()));
  }
  Preprocessing pre;
  pre.feature_names = table.feature_names;
  pre.label_name = table.label_name;
  pre.classes = enc.classes;
  ZK_ASSIGN_OR_RETURN(ml::FixedPointFormat fp, ml::FixedPointFormat::Create(pre.fraction_bits));
  auto s = ml::FitStandardizer(table.features.data(), table.cols(), table.cols(), rows, fp);
  if (!s.ok()) return s.status().WithContext(table.source);
  pre.standardizer = *s;
  return pre;
}

Result<std::vector<double>> PrepareSignedRows(const Preprocessing& pre, const ml::Table& table,
                                              const std::vector<uint64_t>& rows) {
  if (table.feature_names != pre.feature_names) {
    return Status::BadInput(
        table.source + ": its feature columns differ from the agreed preprocessing (" +
        std::to_string(table.cols()) + " vs " + std::to_string(pre.features()) + " columns)");
  }
  if (table.label_name != pre.label_name) {
    return Status::BadInput(table.source + ": label column '" + table.label_name + "', expected '" +
                            pre.label_name + "'");
  }
  ml::LabelEncoding enc{pre.classes};
  ZK_ASSIGN_OR_RETURN(std::vector<int64_t> classes, enc.Encode(table));
  ZK_ASSIGN_OR_RETURN(ml::FixedPointFormat fp, ml::FixedPointFormat::Create(pre.fraction_bits));
  ZK_ASSIGN_OR_RETURN(std::vector<int32_t> x,
                      ml::StandardizeRows(table, rows, pre.standardizer, fp));
  const size_t d = pre.features();
  std::vector<double> xs(x.size());
  for (size_t i = 0; i < x.size(); ++i) xs[i] = fp.ToReal(x[i]);
  std::vector<int> y(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) y[r] = static_cast<int>(classes[rows[r]]);
  return SignedRows(xs, y, rows.size(), d);
}

Result<ml::Model> BuildModel(const Preprocessing& pre, const std::vector<double>& beta,
                             const TrainConfig& config, json training) {
  if (beta.size() != pre.features() + 1) return Status::Internal("model: weight count mismatch");
  ZK_ASSIGN_OR_RETURN(ml::FixedPointFormat fp, ml::FixedPointFormat::Create(pre.fraction_bits));
  ml::Model m;
  ZK_ASSIGN_OR_RETURN(m.spec, ml::ModelSpec::Parse("logreg"));
  m.task = ml::Task::kBinary;
  m.output = ml::OutputKind::kSigmoid;
  m.fraction_bits = pre.fraction_bits;
  m.feature_names = pre.feature_names;
  m.label_name = pre.label_name;
  m.classes = pre.classes;
  m.standardizer = pre.standardizer;
  ml::Layer layer;
  layer.inputs = pre.features();
  layer.outputs = 1;
  for (size_t j = 0; j < beta.size(); ++j) {
    if (!std::isfinite(beta[j]) || !fp.InRange(fp.FromReal(std::clamp(beta[j], -1e6, 1e6)))) {
      return Status::OutOfRange(
          "model: decrypted weight " + std::to_string(j) + " = " + std::to_string(beta[j]) +
          " is outside the fixed-point range (wrong key or corrupted ciphertext?)");
    }
  }
  layer.bias.push_back(fp.FromReal(beta[0]));
  for (size_t j = 1; j < beta.size(); ++j) layer.weights.push_back(fp.FromReal(beta[j]));
  m.layers.push_back(std::move(layer));
  m.hyper.epochs = static_cast<uint64_t>(config.iterations);
  m.hyper.lr = config.learning_rate;
  m.hyper.batch = 32;
  m.hyper.fraction_bits = pre.fraction_bits;
  m.hyper.schedule = ml::LrSchedule::kConstant;
  m.hyper.test_split = 0;
  m.training = std::move(training);
  return m;
}

json PreprocessingToJson(const Preprocessing& pre) {
  return json{{"feature_names", pre.feature_names},
              {"label_name", pre.label_name},
              {"classes", pre.classes},
              {"fraction_bits", pre.fraction_bits},
              {"mean", pre.standardizer.mean},
              {"stddev", pre.standardizer.stddev},
              {"multiplier", pre.standardizer.multiplier}};
}

Result<Preprocessing> PreprocessingFromJson(const json& j, const std::string& where) {
  Preprocessing pre;
  try {
    pre.feature_names = j.at("feature_names").get<std::vector<std::string>>();
    pre.label_name = j.at("label_name").get<std::string>();
    pre.classes = j.at("classes").get<std::vector<double>>();
    pre.fraction_bits = j.at("fraction_bits").get<int>();
    pre.standardizer.mean = j.at("mean").get<std::vector<int64_t>>();
    pre.standardizer.stddev = j.at("stddev").get<std::vector<int64_t>>();
    pre.standardizer.multiplier = j.at("multiplier").get<std::vector<int64_t>>();
  } catch (const std::exception& e) {
    return Status::BadInput(where + ": preprocessing: " + e.what());
  }
  pre.standardizer.fraction_bits = pre.fraction_bits;
  const size_t d = pre.feature_names.size();
  if (d == 0 || pre.standardizer.mean.size() != d || pre.standardizer.stddev.size() != d ||
      pre.standardizer.multiplier.size() != d) {
    return Status::BadInput(where + ": preprocessing: per-feature arrays do not match the " +
                            std::to_string(d) + " feature names");
  }
  if (pre.classes.size() != 2)
    return Status::BadInput(where + ": preprocessing: need exactly two classes");
  if (pre.fraction_bits < ml::kMinFractionBits || pre.fraction_bits > ml::kMaxFractionBits) {
    return Status::BadInput(where + ": preprocessing: fraction_bits out of range");
  }
  for (size_t i = 0; i < d; ++i) {
    if (pre.standardizer.multiplier[i] <= 0) {
      return Status::BadInput(where + ": preprocessing: feature " + std::to_string(i) +
                              " has no positive scale");
    }
  }
  return pre;
}

Status WriteRowsCsv(const ml::Table& table, const std::vector<uint64_t>& rows,
                    const std::string& path) {
  std::string out;
  for (size_t j = 0; j < table.cols(); ++j) out += table.feature_names[j] + ",";
  out += table.label_name + "\n";
  char buf[64];
  for (uint64_t r : rows) {
    for (size_t j = 0; j < table.cols(); ++j) {
      std::snprintf(buf, sizeof buf, "%.17g,", table.row(r)[j]);
      out += buf;
    }
    std::snprintf(buf, sizeof buf, "%.17g\n", table.labels[r]);
    out += buf;
  }
  return WriteFileAtomic(path, out);
}

Result<ml::Split> SplitForTraining(const ml::Table& table, double test_fraction, uint64_t seed) {
  ZK_ASSIGN_OR_RETURN(ml::LabelEncoding enc, ml::FitLabelEncoding(table));
  ZK_ASSIGN_OR_RETURN(std::vector<int64_t> classes, enc.Encode(table));
  return ml::SplitRows(table.rows, &classes, test_fraction, seed);
}

}  // namespace zektra::he::train
