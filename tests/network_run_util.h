// A trained network run for the network proof's tests (tests/pot_network_test.cc and the witness
// builder's unit tests): a table, its dataset commitment, the fixed-point training outcome and
// the trace the prover reads. Seed 5, label-independent split, the commitment made afresh.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "zektra/base/status.h"
#include "zektra/ml/pipeline.h"
#include "zektra/pot/dataset_commitment.h"
#include "zektra/pot/network_training_proof.h"

namespace zektra::testing {

struct NetRun {
  ml::Table table;
  std::unique_ptr<pot::CommittedDataset> dataset;
  ml::TrainOutcome outcome;
  ml::TrainingTrace trace;
  pot::NetworkTrainingWitness witness() const {
    return {&table, dataset.get(), &outcome.model, &trace};
  }
};

// A seeded synthetic multiclass table.
inline ml::Table SyntheticClasses(uint64_t rows, uint64_t features, int classes, uint64_t seed) {
  ml::SynthSpec spec;
  spec.rows = rows;
  spec.features = features;
  spec.task = ml::Task::kMulticlass;
  spec.classes = classes;
  spec.seed = seed;
  auto t = ml::GenerateSynthetic(spec);
  ZK_CHECK(t.ok(), "synthetic");
  return *t;
}

// Trains `model` on `table`; the commitment is of `committed` when given (a proof about another
// dataset than the one trained on), else of `table`.
inline std::unique_ptr<NetRun> TrainNetRun(const ml::Table& table, const std::string& model,
                                           uint64_t epochs, uint64_t batch,
                                           const ml::Table* committed = nullptr) {
  auto run = std::make_unique<NetRun>();
  run->table = table;
  auto c = pot::CommitDataset(committed ? *committed : table, pot::DatasetSecret::Fresh());
  ZK_CHECK(c.ok(), "commit");
  run->dataset = std::make_unique<pot::CommittedDataset>(std::move(*c));
  ml::TrainRequest req;
  auto spec = ml::ModelSpec::Parse(model);
  ZK_CHECK(spec.ok(), "model");
  req.spec = *spec;
  req.hyper.epochs = epochs;
  req.hyper.batch = batch;
  req.hyper.seed = 5;
  req.label_independent_split = true;
  req.observer = &run->trace;
  auto out = ml::TrainOnTable(run->table, req);
  ZK_CHECK(out.ok(), out.status().message().c_str());
  run->outcome = std::move(*out);
  return run;
}

}  // namespace zektra::testing
