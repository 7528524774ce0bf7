// `zektra evaluate MODEL.json DATA.csv --label COL`: metrics of a model on labelled data
// (accuracy, AUC, log-loss, confusion matrix; or R² and MSE), by fixed-point inference.
#include <cstdio>

#include "cli/command.h"
#include "zektra/ml/pipeline.h"

namespace zektra::cli {
namespace {

struct EvaluateArgs {
  std::string model, data, label;
  bool json = false;
};

int Run(const EvaluateArgs& a) {
  auto model = ml::LoadModel(a.model);
  if (!model.ok()) return ReportError(model.status(), a.json);
  ml::CsvOptions csv;
  csv.label = a.label;
  csv.features = model->feature_names;
  auto table = ml::LoadCsv(a.data, csv);
  if (!table.ok()) return ReportError(table.status(), a.json);
  auto set = ml::PrepareForModel(*model, *table);
  if (!set.ok()) return ReportError(set.status(), a.json);
  auto metrics = ml::Measure(*model, *set);
  if (!metrics.ok()) return ReportError(metrics.status(), a.json);
  nlohmann::json j = ml::MetricsJson(*metrics, "");
  j["rows"] = set->rows;
  j["model"] = model->spec.ToString();
  if (a.json) {
    PrintJson(j);
    return kExitOk;
  }
  std::printf("%s on %zu rows of %s\n", model->spec.ToString().c_str(), set->rows, a.data.c_str());
  if (metrics->task == ml::Task::kRegression) {
    std::printf("  r2  %.4f\n  mse %.4f\n", metrics->regression.r2, metrics->regression.mse);
    return kExitOk;
  }
  const auto& c = metrics->classification;
  std::printf("  accuracy %.4f\n  log_loss %.4f\n", c.accuracy, c.log_loss);
  if (c.auc >= 0) std::printf("  auc      %.4f\n", c.auc);
  std::printf("  confusion matrix (rows: true class, columns: predicted)\n");
  for (size_t t = 0; t < c.confusion.size(); ++t) {
    std::printf("  %8g |", model->classes[t]);
    for (uint64_t v : c.confusion[t]) std::printf(" %6llu", static_cast<unsigned long long>(v));
    std::printf("\n");
  }
  return kExitOk;
}

CommandRegistrar reg("evaluate", "Measure a trained model on labelled data", [](CLI::App& app) -> RunFn {
  auto a = std::make_shared<EvaluateArgs>();
  app.add_option("model", a->model, "Model file (JSON) from `zektra train`")->required();
  app.add_option("data", a->data, "CSV with the model's feature columns and the label")->required();
  app.add_option("--label", a->label, "Label column name")->required();
  app.add_flag("--json", a->json, "Print one JSON object");
  return [a] { return Run(*a); };
});

}  // namespace
}  // namespace zektra::cli
