#include "zektra/ml/pipeline.h"

#include <cmath>

#include "zektra/base/timer.h"

namespace zektra::ml {

using nlohmann::json;

std::vector<float> PreparedSet::XAsFloat(int fraction_bits) const {
  std::vector<float> out(x.size());
  const float scale = std::ldexp(1.0f, -fraction_bits);
  for (size_t i = 0; i < x.size(); ++i) out[i] = static_cast<float>(x[i]) * scale;
  return out;
}

namespace {

SetMetrics MetricsFrom(Task task, size_t classes, const std::vector<int64_t>& target,
                       const std::vector<double>& truth, const std::vector<double>& predicted) {
  SetMetrics m;
  m.task = task;
  if (task == Task::kRegression) {
    m.regression = Regression(truth, predicted);
  } else {
    m.classification = Classification(target, predicted, classes);
  }
  return m;
}

// Real-valued predictions from the float reference, mapped like the fixed-point ones.
std::vector<double> FloatPredict(const Model& model, const std::vector<FloatLayer>& layers, const PreparedSet& set) {
  std::vector<float> xf = set.XAsFloat(model.fraction_bits);
  std::vector<double> out = ForwardFloat(model.output, layers, xf.data(), set.rows);
  if (model.task == Task::kRegression) {
    const int f = model.fraction_bits;
    const double mean = std::ldexp(static_cast<double>(model.target_mean), -f);
    const double sd = std::ldexp(static_cast<double>(model.target_stddev), -f);
    for (double& v : out) v = mean + v * sd;
  }
  return out;
}

}  // namespace

Result<PreparedSet> PrepareForModel(const Model& model, const Table& table, const std::vector<uint64_t>* rows_in) {
  ZK_ASSIGN_OR_RETURN(FixedPointFormat fp, FixedPointFormat::Create(model.fraction_bits));
  std::vector<uint64_t> all;
  if (!rows_in) {
    all.resize(table.rows);
    for (size_t i = 0; i < table.rows; ++i) all[i] = i;
    rows_in = &all;
  }
  const std::vector<uint64_t>& rows = *rows_in;
  if (table.cols() != model.feature_names.size()) return Status::BadInput(table.source + ": feature count does not match the model");
  PreparedSet set;
  set.rows = rows.size();
  set.cols = table.cols();
  ZK_ASSIGN_OR_RETURN(set.x, StandardizeRows(table, rows, model.standardizer, fp));
  if (!table.label_name.empty()) {
    if (model.task == Task::kRegression) {
      Standardizer ts;
      ts.fraction_bits = model.fraction_bits;
      ts.mean = {model.target_mean};
      ts.stddev = {model.target_stddev};
      ts.multiplier = {model.target_multiplier};
      for (uint64_t r : rows) {
        auto v = ts.Apply(0, table.labels[r], fp);
        if (!v.ok()) return v.status().WithContext(table.source + ":" + std::to_string(table.line_of_row[r]) + ": label");
        set.target.push_back(*v);
        set.truth.push_back(table.labels[r]);
      }
    } else {
      LabelEncoding enc{model.classes};
      ZK_ASSIGN_OR_RETURN(std::vector<int64_t> all_classes, enc.Encode(table));
      for (uint64_t r : rows) set.target.push_back(all_classes[r]);
    }
  }
  return set;
}

Result<std::vector<double>> PredictReal(const Model& model, const PreparedSet& set) {
  ZK_ASSIGN_OR_RETURN(FixedPointFormat fp, FixedPointFormat::Create(model.fraction_bits));
  ZK_ASSIGN_OR_RETURN(std::vector<int64_t> fixed, ForwardFixed(fp, model.output, model.layers, set.x.data(), set.rows));
  std::vector<double> out(fixed.size());
  if (model.task == Task::kRegression) {
    const double mean = fp.ToReal(model.target_mean), sd = fp.ToReal(model.target_stddev);
    for (size_t i = 0; i < fixed.size(); ++i) out[i] = mean + fp.ToReal(fixed[i]) * sd;
  } else {
    for (size_t i = 0; i < fixed.size(); ++i) out[i] = fp.ToReal(fixed[i]);
  }
  return out;
}

Result<SetMetrics> Measure(const Model& model, const PreparedSet& set) {
  if (set.target.size() != set.rows) return Status::InvalidArgument("the data has no labels to measure against");
  ZK_ASSIGN_OR_RETURN(std::vector<double> predicted, PredictReal(model, set));
  return MetricsFrom(model.task, model.classes.size(), set.target, set.truth, predicted);
}

json MetricsJson(const SetMetrics& m, const std::string& prefix) {
  json j;
  if (m.task == Task::kRegression) {
    j[prefix + "r2"] = m.regression.r2;
    j[prefix + "mse"] = m.regression.mse;
  } else {
    j[prefix + "accuracy"] = m.classification.accuracy;
    j[prefix + "log_loss"] = m.classification.log_loss;
    if (m.classification.auc >= 0) j[prefix + "auc"] = m.classification.auc;
    j[prefix + "confusion_matrix"] = m.classification.confusion;
  }
  return j;
}

Result<TrainOutcome> TrainOnTable(const Table& table, TrainRequest request) {
  if (table.label_name.empty()) return Status::InvalidArgument("training needs a label column (--label)");
  Hyperparameters& hyper = request.hyper;
  ZK_ASSIGN_OR_RETURN(FixedPointFormat fp, FixedPointFormat::Create(hyper.fraction_bits));
  const bool regression = request.spec.kind == ModelKind::kLinReg;
  TrainOutcome out;
  Model& model = out.model;
  model.spec = request.spec;
  model.fraction_bits = fp.fraction_bits();
  model.feature_names = table.feature_names;
  model.label_name = table.label_name;

  std::vector<int64_t> classes_of_row;
  if (!regression) {
    ZK_ASSIGN_OR_RETURN(LabelEncoding enc, FitLabelEncoding(table));
    if (enc.classes.size() < 2) {
      return Status::BadInput(table.source + ": label '" + table.label_name + "' has a single value; nothing to classify");
    }
    if (request.spec.kind == ModelKind::kLogReg && enc.classes.size() != 2) {
      return Status::BadInput(table.source + ": logreg needs exactly two label values, '" + table.label_name + "' has " +
                              std::to_string(enc.classes.size()) + " (use softmax or mlp)");
    }
    model.classes = enc.classes;
    ZK_ASSIGN_OR_RETURN(classes_of_row, enc.Encode(table));
  }
  model.task = request.spec.TaskFor(model.classes.size());
  model.output = OutputFor(request.spec, model.classes.size());
  ZK_ASSIGN_OR_RETURN(out.split, SplitRows(table.rows, (regression || request.label_independent_split) ? nullptr : &classes_of_row, hyper.test_split, hyper.seed));
  ZK_RETURN_IF_ERROR(hyper.Resolve(request.spec, out.split.train.size()));
  model.hyper = hyper;
  out.train_rows = out.split.train.size();
  out.test_rows = out.split.test.size();

  // Preprocessing fitted on the training part only.
  auto standardizer = FitStandardizer(table.features.data(), table.cols(), table.cols(), out.split.train, fp);
  if (!standardizer.ok()) return standardizer.status().WithContext(table.source);
  model.standardizer = *standardizer;
  if (regression) {
    auto ts = FitStandardizer(table.labels.data(), 1, 1, out.split.train, fp);
    if (!ts.ok()) return ts.status().WithContext(table.source + ": label");
    model.target_mean = ts->mean[0];
    model.target_stddev = ts->stddev[0];
    model.target_multiplier = ts->multiplier[0];
  }
  ZK_ASSIGN_OR_RETURN(PreparedSet train_set, PrepareForModel(model, table, &out.split.train));
  const size_t width = model.output == OutputKind::kSoftmax ? model.classes.size() : 1;
  std::vector<Layer> initial = InitialLayers(request.spec, table.cols(), width, hyper.seed, fp);

  TrainingData data{train_set.rows, train_set.cols, train_set.x.data(), train_set.target};
  TrainOptions options;
  options.observer = request.observer;
  options.on_epoch = request.on_epoch;
  Timer timer;
  auto trained = TrainFixed(fp, model.output, hyper, data, initial, options);
  if (!trained.ok()) return trained.status();
  out.train_seconds = timer.Seconds();
  model.layers = std::move(trained->layers);
  out.steps = trained->steps;
  out.final_loss = trained->final_loss;

  ZK_ASSIGN_OR_RETURN(out.train, Measure(model, train_set));
  std::optional<PreparedSet> test_set;
  if (!out.split.test.empty()) {
    ZK_ASSIGN_OR_RETURN(test_set, PrepareForModel(model, table, &out.split.test));
    ZK_ASSIGN_OR_RETURN(out.test, Measure(model, *test_set));
  }
  if (request.compare_float) {
    std::vector<float> xf = train_set.XAsFloat(fp.fraction_bits());
    FloatTrainingData fdata{train_set.rows, train_set.cols, xf.data(), {}};
    for (int64_t t : train_set.target) fdata.target.push_back(regression ? fp.ToReal(t) : static_cast<double>(t));
    Timer ftimer;
    ZK_ASSIGN_OR_RETURN(std::vector<FloatLayer> flayers, TrainFloat(fp, model.output, hyper, fdata, ToFloatLayers(initial, fp)));
    out.float_train_seconds = ftimer.Seconds();
    out.float_train = MetricsFrom(model.task, model.classes.size(), train_set.target, train_set.truth,
                                  FloatPredict(model, flayers, train_set));
    if (test_set) {
      out.float_test = MetricsFrom(model.task, model.classes.size(), test_set->target, test_set->truth,
                                   FloatPredict(model, flayers, *test_set));
    }
  }
  model.training = out.Summary();
  return out;
}

json TrainOutcome::Summary() const {
  json j = {{"model", model.spec.ToString()},
            {"task", TaskName(model.task)},
            {"epochs", model.hyper.epochs},
            {"batch", model.hyper.batch},
            {"lr", model.hyper.lr},
            {"seed", model.hyper.seed},
            {"steps", steps},
            {"train_rows", train_rows},
            {"test_rows", test_rows},
            {"final_loss", final_loss},
            {"train_seconds", train_seconds}};
  j.update(MetricsJson(train, "train_"));
  if (model.task == Task::kRegression) j["train_accuracy"] = nullptr;  // not defined for regression
  if (test) j.update(MetricsJson(*test, "test_"));
  if (float_train) {
    j["float_train_seconds"] = float_train_seconds;
    j[model.task == Task::kRegression ? "float_train_r2" : "float_train_accuracy"] = float_train->headline();
  }
  if (float_test) j[model.task == Task::kRegression ? "float_test_r2" : "float_test_accuracy"] = float_test->headline();
  j["weights_sha256"] = model.WeightsDigestHex();
  return j;
}

}  // namespace zektra::ml
