// `zektra dataset commit DATA.csv --label COL [--out DATA.commit] [--key DATA.commit.key]`:
// binds a dataset, exactly as its CSV holds it, into a short public commitment that
// training proofs refer to. The secret key file lets the owner reopen it for later runs.
#include <cstdio>

#include "cli/command.h"
#include "cli/data_source.h"
#include "zektra/base/timer.h"
#include "zektra/pot/dataset_commitment.h"

namespace zektra::cli {
namespace {

struct CommitArgs {
  std::string data, label, out, key;
  int fraction_bits = 16;
  uint32_t max_openings = pot::kDefaultDatasetMaxOpenings;
  bool json = false;
};

std::string DefaultOut(const std::string& data) {
  std::string base = data;
  if (base.rfind("vault://", 0) == 0) base = base.substr(base.find_last_of('/') + 1);  // NAME, here
  if (base.size() > 4 && base.compare(base.size() - 4, 4, ".csv") == 0) base.resize(base.size() - 4);
  return base + ".commit";
}

int Run(CommitArgs a) {
  if (a.out.empty()) a.out = DefaultOut(a.data);
  if (a.key.empty()) a.key = a.out + ".key";
  Timer timer;
  ml::CsvOptions csv;
  csv.label = a.label;
  pot::DatasetSecret secret = pot::DatasetSecret::Fresh();  // a vault dataset keeps its own
  auto table = LoadTableForCli(a.data, csv, &secret);
  if (!table.ok()) return ReportError(table.status(), a.json);
  Progress progress("dataset commit");
  progress.Update("committing " + std::to_string(table->rows) + " rows");
  auto committed = pot::CommitDataset(*table, secret, a.fraction_bits, a.max_openings);
  if (!committed.ok()) return ReportError(committed.status(), a.json);
  progress.Done();
  // The key first: a commitment file without its key could never be used for a proof.
  Status s = pot::SaveDatasetSecret(a.key, secret, committed->commitment);
  if (!s.ok()) return ReportError(s, a.json);
  s = pot::SaveDatasetCommitment(a.out, committed->commitment);
  if (!s.ok()) return ReportError(s, a.json);
  const auto& c = committed->commitment;
  const double seconds = timer.Seconds();
  if (a.json) {
    PrintJson({{"commitment", c.IdHex()},
               {"rows", c.rows},
               {"features", c.features},
               {"label", c.label_name},
               {"fraction_bits", c.fraction_bits},
               {"max_openings", c.pcs.params.max_openings},
               {"out", a.out},
               {"key", a.key},
               {"commit_seconds", seconds}});
  } else {
    std::printf("commitment  %s\n", c.IdHex().c_str());
    std::printf("shape       %llu rows x %llu features, label '%s'\n", static_cast<unsigned long long>(c.rows),
                static_cast<unsigned long long>(c.features), c.label_name.c_str());
    std::printf("written     %s (public), %s (secret: keep it; proofs about this dataset need it)\n",
                a.out.c_str(), a.key.c_str());
    std::printf("time        %.2f s\n", seconds);
  }
  return kExitOk;
}

CommandRegistrar reg("dataset commit",
                     "Commit to a dataset: a public fingerprint binding every row and label, revealing none",
                     [](CLI::App& app) -> RunFn {
  auto a = std::make_shared<CommitArgs>();
  app.add_option("data", a->data, "CSV file with a header row")->required();
  app.add_option("--label", a->label, "Name of the label column")->required();
  app.add_option("--out", a->out, "Commitment file to write (default: DATA.commit)");
  app.add_option("--key", a->key, "Secret key file to write (default: OUT.key, mode 0600)");
  app.add_option("--fraction-bits", a->fraction_bits, "Fixed-point fraction bits F (values are round(x*2^F))")
      ->check(CLI::Range(10, 20));
  app.add_option("--max-openings", a->max_openings,
                 "Proofs that may open this commitment while it stays hiding (each costs padding)")
      ->check(CLI::Range(1, 1024));
  app.add_flag("--json", a->json, "Print one JSON object");
  app.footer(
      "Example:\n  zektra dataset commit examples/data/breast_cancer.csv --label benign --out bc.commit\n"
      "prints the commitment (hex) and writes bc.commit (public) and bc.commit.key (secret).");
  return [a] { return Run(*a); };
});

}  // namespace
}  // namespace zektra::cli
