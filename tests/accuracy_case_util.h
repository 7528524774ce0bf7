// The fixture of the accuracy-proof tests (public weights and private models): a model trained
// on a bundled dataset, some of its held-out rows as a table, their dataset commitment, an
// optional model commitment, and the count that ml::Measure reports on those rows (what
// `zektra evaluate` prints as accuracy × rows), which an honest proof must state.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "zektra/base/status.h"
#include "zektra/ml/pipeline.h"
#include "zektra/pot/dataset_commitment.h"
#include "zektra/pot/model_commitment.h"

namespace zektra::testing {

inline ml::Table LoadExample(const std::string& name, const std::string& label) {
  ml::CsvOptions o;
  o.label = label;
  auto t = ml::LoadCsv(std::string(ZEKTRA_SOURCE_DIR) + "/examples/data/" + name, o);
  ZK_CHECK(t.ok(), t.status().message().c_str());
  return *t;
}

// The rows of `t` named by `rows`, in that order.
inline ml::Table SelectRows(const ml::Table& t, const std::vector<uint64_t>& rows) {
  ml::Table out;
  out.source = t.source + " (test rows)";
  out.feature_names = t.feature_names;
  out.label_name = t.label_name;
  for (uint64_t r : rows) {
    out.features.insert(out.features.end(), t.row(r), t.row(r) + t.cols());
    out.labels.push_back(t.labels[r]);
    out.line_of_row.push_back(t.line_of_row[r]);
  }
  out.rows = rows.size();
  return out;
}

struct AccuracyCase {
  ml::Model model;
  ml::Table test;
  std::unique_ptr<pot::CommittedDataset> committed;
  std::unique_ptr<pot::CommittedModel> model_commitment;  // only when asked for
  uint64_t measured_correct = 0;

  // After `test` changed: commits it afresh and measures the model on it again.
  void Recommit() {
    auto cd = pot::CommitDataset(test, pot::DatasetSecret::Fresh());
    ZK_CHECK(cd.ok(), cd.status().message().c_str());
    committed = std::make_unique<pot::CommittedDataset>(std::move(*cd));
    auto set = ml::PrepareForModel(model, test);
    ZK_CHECK(set.ok(), set.status().message().c_str());
    auto m = ml::Measure(model, *set);
    ZK_CHECK(m.ok(), m.status().message().c_str());
    measured_correct = static_cast<uint64_t>(std::llround(m->classification.accuracy * set->rows));
  }
};

// Trains `spec` for `epochs` (seed 3, 20% held out) and keeps the first `max_rows` held-out
// rows. model_max_openings > 0 also commits the model, with that hiding budget.
inline std::unique_ptr<AccuracyCase> MakeAccuracyCase(
    const std::string& file, const std::string& label, const std::string& spec, uint64_t epochs,
    uint64_t max_rows = std::numeric_limits<uint64_t>::max(), uint32_t model_max_openings = 0) {
  auto c = std::make_unique<AccuracyCase>();
  ml::Table table = LoadExample(file, label);
  ml::TrainRequest req;
  auto parsed = ml::ModelSpec::Parse(spec);
  ZK_CHECK(parsed.ok(), "spec");
  req.spec = *parsed;
  req.hyper.epochs = epochs;
  req.hyper.seed = 3;
  req.hyper.test_split = 0.2;
  auto out = ml::TrainOnTable(table, req);
  ZK_CHECK(out.ok(), out.status().message().c_str());
  c->model = out->model;
  std::vector<uint64_t> rows = out->split.test;
  if (rows.size() > max_rows) rows.resize(max_rows);
  c->test = SelectRows(table, rows);
  c->Recommit();
  if (model_max_openings > 0) {
    auto cm = pot::CommitModel(c->model, pot::ModelSecret::Fresh(), model_max_openings);
    ZK_CHECK(cm.ok(), cm.status().message().c_str());
    c->model_commitment = std::make_unique<pot::CommittedModel>(std::move(*cm));
  }
  return c;
}

}  // namespace zektra::testing
