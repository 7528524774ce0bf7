// `zektra predict MODEL.json DATA.csv [--out PREDICTIONS.csv]`: fixed-point inference (the
// same arithmetic as training). Features are matched by name; a label column, if present, is
// ignored. Output CSV: `prediction` (class label or value) and, for classifiers, one
// `p_<class>` probability column per class.
#include <cstdio>
#include <fstream>
#include <sstream>

#include "cli/command.h"
#include "zektra/base/file_io.h"
#include "zektra/ml/pipeline.h"

namespace zektra::cli {
namespace {

struct PredictArgs {
  std::string model, data, out;
  bool json = false;
};

std::string Num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

int Run(const PredictArgs& a) {
  auto model = ml::LoadModel(a.model);
  if (!model.ok()) return ReportError(model.status(), a.json);
  ml::CsvOptions csv;
  csv.features = model->feature_names;
  auto table = ml::LoadCsv(a.data, csv);
  if (!table.ok()) return ReportError(table.status(), a.json);
  auto set = ml::PrepareForModel(*model, *table);
  if (!set.ok()) return ReportError(set.status(), a.json);
  auto pred = ml::PredictReal(*model, *set);
  if (!pred.ok()) return ReportError(pred.status(), a.json);

  const bool regression = model->task == ml::Task::kRegression;
  const size_t width = model->output_width();
  const size_t k = model->classes.size();
  std::vector<double> predictions;
  std::string text = "prediction";
  if (!regression) {
    for (double c : model->classes) text += ",p_" + Num(c);
  }
  text += "\n";
  for (size_t i = 0; i < set->rows; ++i) {
    if (regression) {
      predictions.push_back((*pred)[i]);
      text += Num((*pred)[i]) + "\n";
      continue;
    }
    std::vector<double> p(k);
    if (width == 1) {
      p[1] = (*pred)[i];
      p[0] = 1.0 - p[1];
    } else {
      for (size_t c = 0; c < k; ++c) p[c] = (*pred)[i * width + c];
    }
    size_t best = k == 2 ? (p[1] >= 0.5 ? 1 : 0) : static_cast<size_t>(std::max_element(p.begin(), p.end()) - p.begin());
    predictions.push_back(model->classes[best]);
    text += Num(model->classes[best]);
    for (double v : p) text += "," + Num(v);
    text += "\n";
  }
  if (!a.out.empty()) {
    Status s = WriteFileAtomic(a.out, text);
    if (!s.ok()) return ReportError(s, a.json);
  }
  if (a.json) {
    nlohmann::json j = {{"rows", set->rows}, {"model", model->spec.ToString()}};
    if (a.out.empty()) {
      j["predictions"] = predictions;
    } else {
      j["out"] = a.out;
    }
    PrintJson(j);
  } else if (a.out.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
  } else {
    std::printf("%zu predictions written to %s\n", set->rows, a.out.c_str());
  }
  return kExitOk;
}

CommandRegistrar reg("predict", "Predict with a trained model (fixed-point inference)", [](CLI::App& app) -> RunFn {
  auto a = std::make_shared<PredictArgs>();
  app.add_option("model", a->model, "Model file (JSON) from `zektra train`")->required();
  app.add_option("data", a->data, "CSV with the model's feature columns (a label column is ignored)")->required();
  app.add_option("--out", a->out, "Write predictions to this CSV (default: standard output)");
  app.add_flag("--json", a->json, "Print one JSON object");
  return [a] { return Run(*a); };
});

}  // namespace
}  // namespace zektra::cli
