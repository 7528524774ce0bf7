// The public hyper-parameters of a proven training run, and the step schedule that prover and
// verifier both derive from them, shared by every proof of training (linear: training_proof.h;
// softmax/MLP: network_training_proof.h).
//
// A statement names the dataset commitment and these hyper-parameters; from them alone anyone
// recomputes which committed row each step reads (the seeded, label-independent train/test split
// and per-epoch permutations of ml/), each step's fixed-point learning rate, and the padded step
// domain with its blinding half (a top variable ζ: steps t < Th are the real run, t ≥ Th the
// blinding run that reads the commitment's blinding rows, docs/SECURITY.md). Nothing here is
// secret; deriving the schedule costs O(steps · batch + rows).
#pragma once

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <span>
#include <vector>

#include "zektra/base/serialize.h"
#include "zektra/base/status.h"
#include "zektra/field/extension.h"
#include "zektra/ml/model.h"
#include "zektra/ml/trainer.h"
#include "zektra/pot/dataset_commitment.h"

namespace zektra::pot {

// Marks a padded step's batch slot in RunSchedule::row_of.
inline constexpr uint64_t kNoRow = std::numeric_limits<uint64_t>::max();

struct RunHyperparameters {
  int fraction_bits = 16;
  uint64_t epochs = 0, batch = 0, seed = 0;
  double lr = 0;
  ml::LrSchedule schedule = ml::LrSchedule::kStep;
  uint64_t lr_step_epochs = 0;
  double lr_decay = 0.5;
  double test_split = 0;

  // The trainer's hyper-parameters for this run (L2 regularisation is not provable: 0).
  ml::Hyperparameters Hyper() const;
  // The run that trained `model`.
  void SetFromModel(const ml::Model& model);
  // Wire form, in the statement's field order (fraction bits … test split).
  void WriteHyperparameters(ByteWriter& w) const;
  // Reads what WriteHyperparameters wrote; an unknown schedule is BadInput.
  Status ReadHyperparameters(ByteReader& r);
  // Adds the fields to a statement's JSON view (`zektra inspect` / `verify`).
  void AddHyperparametersJson(nlohmann::json& j) const;
};

// Everything about the run's steps that follows from the statement (see the header comment).
// Domains: a step domain of Tp = 2^tau steps (tau counts ζ), batches of B = 2^lb, the dataset's
// 2^lr committed rows (lr counts ζ: the upper half are the blinding rows) × 2^ld columns.
struct RunSchedule {
  uint64_t features = 0;  // the dataset's; the label is column `features`
  uint64_t steps = 0;     // real steps: ⌈train rows / batch⌉ · epochs
  size_t tau = 0, tl = 0, lb = 0, ld = 0, lr = 0;
  std::vector<uint64_t> row_of;    // Tp·B: dataset row of (t, i), kNoRow when padding
  std::vector<int64_t> eta;        // Tp: learning rate (fixed point), 0 when padding
  std::vector<uint8_t> train_row;  // N: 1 on the training split's rows (both halves)

  uint64_t B() const { return uint64_t{1} << lb; }
  uint64_t Dp() const { return uint64_t{1} << ld; }
  uint64_t Tp() const { return uint64_t{1} << tau; }
  uint64_t Th() const { return uint64_t{1} << tl; }
  uint64_t N() const { return uint64_t{1} << lr; }
  uint64_t Nh() const { return N() / 2; }
};

// Checks the hyper-parameters and the dataset's shape against the bounds every proof of
// training shares (fraction bits 16, at most 2^24 rows, feature and batch bounds, a learning
// rate in (0, 16] with decay in (0, 1], a test split in [0, 1)) and derives the schedule.
// `min_batch` is the smallest batch the proof supports; `max_log_inner` bounds log2 of the batch
// and of the feature count + 1. Errors are BadInput("statement: …").
Result<RunSchedule> DeriveRunSchedule(const DatasetCommitment& dataset,
                                      const RunHyperparameters& run, uint64_t min_batch,
                                      size_t max_log_inner);

// ---- reading the committed data through the schedule ----
//
// A gather claim: Σ_{(t, i)} w(t, i)·Σ_j e(j)·X[row_of(t, i)][j] = value, where X is the
// (standardised) data matrix over the committed rows, e is eq(pj, ·) on the feature columns
// (claims on the features) or the label column's indicator (claims on the label), and w is a
// public table over (t, i), index t·B + i. Proofs reduce such claims to one claim on X by a
// sumcheck over (row, column) whose kernel is GatherKernelAt.
struct GatherClaim {
  bool label = false;
  std::vector<Fp2> pj;
  std::vector<Fp2> w;
  Fp2 value;
};
// w(t, i) = a(t)·b(i) from two eq tables.
std::vector<Fp2> OuterTI(const RunSchedule& s, std::span<const Fp2> at, std::span<const Fp2> bi);
// c(row) = Σ_{(t, i) ↦ row} w(t, i), over the 2^lr committed rows.
std::vector<Fp2> RowWeights(const RunSchedule& s, std::span<const Fp2> w);
// e(j) over the 2^ld columns.
std::vector<Fp2> ColWeights(const RunSchedule& s, const GatherClaim& g);
// Σ_k γ_k·c_k(row)·e_k(col) evaluated at a point (col variables first, then row variables).
Fp2 GatherKernelAt(const RunSchedule& s, std::span<const GatherClaim> gs,
                   std::span<const Fp2> gammas, std::span<const Fp2> point);

}  // namespace zektra::pot
