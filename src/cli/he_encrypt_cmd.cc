// `zektra he encrypt DATA.csv --label COL --keys PUBLIC_DIR --out DATA.zkct`: standardise and
// encrypt a data owner's rows under a (possibly collective) public key. Optional: hold out a
// test part (--test-split, --seed, --test-out TEST.csv); use an agreed preprocessing
// (--preprocessing PRE.json) or save the one fitted here (--preprocessing-out).
#include <cstdio>

#include "cli/command.h"
#include "zektra/base/file_io.h"
#include "zektra/base/timer.h"
#include "zektra/he/train/workflow.h"

namespace zektra::cli {
namespace {

struct Args {
  std::string data, label, keys, out, test_out, preprocessing, preprocessing_out;
  double test_split = 0;
  uint64_t seed = 0;
  bool json = false;
};

int Run(const Args& a) {
  using namespace he::train;
  ml::CsvOptions csv;
  csv.label = a.label;
  auto table = ml::LoadCsv(a.data, csv);
  if (!table.ok()) return ReportError(table.status(), a.json);
  std::vector<uint64_t> train_rows, test_rows;
  if (a.test_split > 0) {
    auto split = SplitForTraining(*table, a.test_split, a.seed);
    if (!split.ok()) return ReportError(split.status(), a.json);
    train_rows = split->train;
    test_rows = split->test;
  } else {
    for (uint64_t i = 0; i < table->rows; ++i) train_rows.push_back(i);
  }
  Preprocessing pre;
  if (!a.preprocessing.empty()) {
    auto text = ReadFileText(a.preprocessing);
    if (!text.ok()) return ReportError(text.status(), a.json);
    nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
    if (j.is_discarded())
      return ReportError(Status::BadInput(a.preprocessing + ": not JSON"), a.json);
    auto p = PreprocessingFromJson(j, a.preprocessing);
    if (!p.ok()) return ReportError(p.status(), a.json);
    pre = *p;
  } else {
    auto p = FitPreprocessing(*table, train_rows);
    if (!p.ok()) return ReportError(p.status(), a.json);
    pre = *p;
  }
  auto keys = LoadPublicMaterial(a.keys, /*evaluation_keys=*/false);
  if (!keys.ok()) return ReportError(keys.status(), a.json);
  Timer timer;
  auto container = EncryptRows(*keys, pre, *table, train_rows);
  if (!container.ok()) return ReportError(container.status(), a.json);
  const double seconds = timer.Seconds();
  Status s = WriteFileAtomic(a.out, SerializeContainer(*keys->context, *container));
  if (!s.ok()) return ReportError(s, a.json);
  if (!a.preprocessing_out.empty()) {
    s = WriteFileAtomic(a.preprocessing_out, PreprocessingToJson(pre).dump(2) + "\n");
    if (!s.ok()) return ReportError(s, a.json);
  }
  if (!a.test_out.empty()) {
    s = WriteRowsCsv(*table, test_rows, a.test_out);
    if (!s.ok()) return ReportError(s, a.json);
  }
  nlohmann::json j{{"rows", train_rows.size()},  {"test_rows", test_rows.size()},
                   {"features", pre.features()}, {"ciphertexts", container->ciphertexts.size()},
                   {"encrypt_seconds", seconds}, {"out", a.out}};
  if (a.json) {
    PrintJson(j);
  } else {
    std::printf("encrypted %zu rows x %zu features into %zu ciphertexts (%.2f s): %s\n",
                train_rows.size(), pre.features(), container->ciphertexts.size(), seconds,
                a.out.c_str());
  }
  return kExitOk;
}

CommandRegistrar reg(
    "he encrypt", "Standardise and encrypt a dataset for encrypted training",
    [](CLI::App& app) -> RunFn {
      auto a = std::make_shared<Args>();
      app.add_option("data", a->data, "CSV file (header row, numeric columns)")->required();
      app.add_option("--label", a->label, "Label column (two values)")->required();
      app.add_option("--keys", a->keys, "Public key directory (DIR/public)")->required();
      app.add_option("--out", a->out, "Encrypted dataset to write")->required();
      app.add_option("--test-split", a->test_split, "Hold out this fraction (stratified)")
          ->check(CLI::Range(0.0, 0.9));
      app.add_option("--seed", a->seed, "Seed of the split");
      app.add_option("--test-out", a->test_out, "Write the held-out rows here (CSV)");
      app.add_option("--preprocessing", a->preprocessing, "Use this agreed preprocessing (JSON)");
      app.add_option("--preprocessing-out", a->preprocessing_out,
                     "Save the preprocessing used (to share with other owners)");
      app.add_flag("--json", a->json, "Print one JSON object");
      return [a] { return Run(*a); };
    });

}  // namespace
}  // namespace zektra::cli
