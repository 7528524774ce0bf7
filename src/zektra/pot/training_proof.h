// Proof of training for linear and logistic regression: a zero-knowledge argument that a
// published model is exactly what the fixed-point trainer (ml/trainer.h) outputs when run with
// the declared hyper-parameters on a committed dataset (pot/dataset_commitment.h).
//
// Statement (public, absorbed first into the "zektra.pot.v2" transcript): the dataset
// commitment and shape, the model kind, the hyper-parameters (epochs, batch, learning-rate
// schedule, seed, test split; L2 must be 0), the preprocessing parameters (per-feature mean and
// multiplier, and the target's for linreg), the final weights and bias. The initial weights are
// zero (linear models); the train/test split is the label-independent seeded split and the batch
// order is EpochPermutation, so the verifier derives every (step, slot) → dataset row itself.
//
// Witness: the TrainingTrace of the run, stacked over steps (padded to a power of two with
// learning rate 0, which makes padded steps no-ops), the standardised training matrix, and
// 16-bit limbs of every bounded value. They are committed in ONE hiding multilinear polynomial
// (zk/pcs.h), each column a segment; every relation reduces to evaluation claims on it, which a
// final sumcheck batches into one opening.
//
// Zero knowledge: every domain has one extra top variable whose upper half is a blinding run
// (the same relations, satisfied over the field by fresh random values on the dataset
// commitment's blinding rows, no range constraints), every evaluation point has a random top
// coordinate, the lookups are the zero-knowledge logUp of zk/logup_zk.h (live lower halves
// only, committed base-field helper, split multiplicities), and every sumcheck is masked. The
// proof reveals the statement and nothing else: docs/SECURITY.md gives the argument; the
// relations, their order and the soundness error are in docs/PROOF_SYSTEM.md.
//
// Cost: prover linear in the witness (2·T·B·D for the products, 2·N·D for the
// standardisation, plus one lookup sumcheck over all limb entries); verifier O(T·B + N + D +
// 2^16) plus polylogarithmic sumcheck and opening checks. The verifier never aborts on any
// proof bytes.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "zektra/base/status.h"
#include "zektra/field/extension.h"
#include "zektra/ml/dataset.h"
#include "zektra/ml/model.h"
#include "zektra/ml/trainer.h"
#include "zektra/pot/dataset_commitment.h"
#include "zektra/pot/run_schedule.h"

namespace zektra::pot {

inline constexpr uint32_t kTrainingStatementVersion = 1;

// The hyper-parameters (fraction bits, epochs, batch, seed, learning-rate schedule, test split)
// come from RunHyperparameters (pot/run_schedule.h), shared with the network statement.
struct TrainingStatement : RunHyperparameters {
  DatasetCommitment dataset;
  ml::ModelKind kind = ml::ModelKind::kLogReg;  // kLinReg or kLogReg
  std::vector<int64_t> mean, multiplier;           // per feature (Standardizer)
  int64_t target_mean = 0, target_multiplier = 0;  // linreg only
  std::vector<int64_t> final_weights;              // features
  int64_t final_bias = 0;

  Bytes Serialize() const;
  static Result<TrainingStatement> Parse(ByteSpan bytes);
  nlohmann::json ToJson() const;
};

// Everything the prover needs: the raw table, its commitment's prover data, the trained model and
// the trace of that training run (TrainRequest::label_independent_split must have been set).
struct TrainingWitness {
  const ml::Table* table = nullptr;
  const CommittedDataset* dataset = nullptr;
  const ml::Model* model = nullptr;
  const ml::TrainingTrace* trace = nullptr;
};

// Before committing or proving: whether a proof of `model`'s training on a rows × features
// dataset is within the prover's bounds (the same checks, on the planned commitment shape), so
// that a run the prover would refuse fails at once, with the reason, instead of after the
// dataset commitment. InvalidArgument (model) or BadInput("statement: …") (bounds).
Status CheckTrainingProvable(const ml::Model& model, uint64_t rows, uint64_t features);

// For tests: dishonest provers. Each changes the honest witness before it is committed.
enum class ProverTamper {
  kNone,
  kGradientEntry,  // one grad_q entry +1
  kSkipStep,       // one step's update dropped (weights carried over unchanged)
  kSigmoidOutput,  // one looked-up p changed by +1 (and the error with it)
  kTruncation,     // one acc_q +1, acc_r −2^F (the product relation still holds)
  kFinalWeights,   // the statement claims final weights that differ from the trained ones
  kBlindingRelation,  // one update of the blinding half breaks its relation (+1)
  kMultiplicity,      // one range multiplicity share +1
};
// (A replaced data row or a flipped label is a dishonest witness table: tests train on a changed
// table and prove against the original commitment.)

// For tests of the zero-knowledge property: one evaluation of secret data that the proof
// reveals (a value of a committed column, a lookup's multiplicities, the gathered labels, the
// dataset matrix), with the value that a proof without blinding would have sent in its place
// (the real half alone, at the same low coordinates) and the top coordinate ζ that mixes in
// the blinding half.
struct RevealedEvaluation {
  std::string what;
  Fp2 sent, unmasked, zeta;
};

// Produces the proof file (a ProofContainer of kind kTrainingRun). FailedPrecondition names what
// makes a run unprovable (softmax/mlp, L2 > 0, stratified split, clamped inputs, ...).
// `audit`, when set, receives every revealed evaluation (tests only: it costs a pass over
// each column per entry).
Result<Bytes> ProveTraining(const TrainingWitness& witness,
                            ProverTamper tamper = ProverTamper::kNone,
                            std::vector<RevealedEvaluation>* audit = nullptr);

// Parses the container and the statement only (for `zektra inspect`).
Result<TrainingStatement> ReadTrainingStatement(ByteSpan proof_file);

// OK when the proof is valid for its statement; Rejected (or BadInput) with a reason otherwise.
// When `expected_dataset` is set the statement must name exactly that commitment. Never aborts.
struct VerifyOutcome {
  Status status;
  std::optional<TrainingStatement> statement;  // parsed statement, when it could be read
};
VerifyOutcome VerifyTraining(ByteSpan proof_file,
                             const DatasetCommitment* expected_dataset = nullptr);

// Checks that a model file's weights, bias, preprocessing, fraction bits and every
// hyper-parameter (epochs, batch, seed, lr, schedule, step, decay, test split, L2 = 0) are the
// statement's.
Status CheckModelMatchesStatement(const ml::Model& model, const TrainingStatement& statement);

}  // namespace zektra::pot
