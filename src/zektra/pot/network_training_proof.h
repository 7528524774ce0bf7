// Proof of training for softmax regression (multinomial, K classes) and MLPs (mlp:H1,…: ReLU
// hidden layers, softmax output): a proof that a published model is exactly what the fixed-point
// trainer (ml/trainer.h, docs/ML.md) outputs when run with the declared hyper-parameters on a
// committed dataset (pot/dataset_commitment.h).
//
// Statement (public, absorbed first into the "zektra.pot.network.v2" transcript): the dataset
// commitment, the model ("softmax" or "mlp:…"), K and the class labels (they must be 0..K−1, so the
// committed label is 2^F·class), the hyper-parameters (epochs, batch, learning-rate schedule,
// seed, test split; L2 = 0), the per-feature standardiser, the final weights and biases. The
// initial weights are a public function of the model and seed (ml::InitialLayers: zero for
// softmax, He initialisation for mlp); the verifier recomputes them. Split and batch order are
// public functions of the seed (as for linear models), so the verifier derives every (step, slot) →
// dataset row.
//
// Witness: the run's TrainingTrace, stacked over steps padded to a power of two with learning
// rate 0 (padding steps see no data and change nothing), classes padded to Kp = 2^κ with logits
// offset by −2^23 (their exp is the table's 0, so they never contribute), and 16-bit limbs of
// every bounded value, with a blinding half (below); all committed as segments of ONE hiding
// multilinear polynomial (pot/packed_witness.h), the lookups' inverses in a second one. Relations
// (docs/PROOF_SYSTEM.md ("Proof of training: softmax and MLP")): the forward product and the
// gradient by data-parallel masked sumchecks (cost linear in the tensors), truncations by
// range-checked quotient/remainder, the row maximum (m − z_k ≥ 0 for all k, and one k where
// it is 0), exp by lookup in the table of ml/fixed_point.h, the proven division
// e_k·2^F = P_k·S + ρ_k with 0 ≤ ρ_k < S, the error δ = P − onehot(y) by a lookup that ties the
// one-hot target to the committed label, weight and bias updates with the step-to-step shift;
// for hidden layers the ReLU from a range-checked sign (s ∈ {0,1}, h = s·z, h − s ≥ 0, h − z ≥ 0)
// and back-propagation (δ = s·back_q, back_q·2^F + back_r = δ_{l+1}·W_{l+1}).
//
// Cost: prover linear in the witness (Σ_layers 2T·(B·(in + out) + out·in) + 2N·D, the factor 2
// the blinding half) plus 2^16-row tables; verifier O(T·B + N + Σ out·in) plus polylogarithmic
// sumcheck and opening checks. Never aborts on any input.
//
// Zero knowledge (docs/SECURITY.md, "Proof of training for softmax and MLP"): as for linear
// models (pot/training_proof.h). Every domain has one extra top variable ζ: the lower half is
// the real run, the upper half a blinding run on the dataset commitment's blinding rows that
// satisfies every relation the verifier checks at a random point (products, truncations,
// updates, the linear softmax and ReLU relations, standardisation) over the field, with
// uniformly random values wherever a relation leaves one free. The pointwise nonlinear
// relations (s² = s, h = s·z, δ = s·back_q, e·2^F = P·S + ρ, argmax·gap = 0, argmax on a real
// class) are zero-checks whose random point has ζ = 0, so they bind the real half only; their
// sumchecks still end at points with a random ζ. Lookups are the zero-knowledge logUp of
// zk/logup_zk.h (live lower halves only, committed base-field helper, split multiplicities);
// every sumcheck is masked. Every evaluation the verifier sees is (1 − ζ)·real + ζ·blinding at a
// random ζ. A binary mlp (sigmoid output) and L2 > 0 are refused with InvalidArgument.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "zektra/base/status.h"
#include "zektra/ml/dataset.h"
#include "zektra/ml/model.h"
#include "zektra/ml/trainer.h"
#include "zektra/pot/dataset_commitment.h"
#include "zektra/pot/run_schedule.h"
#include "zektra/pot/training_proof.h"

namespace zektra::pot {

inline constexpr uint32_t kNetworkStatementVersion = 2;

// The hyper-parameters come from RunHyperparameters (pot/run_schedule.h).
struct NetworkTrainingStatement : RunHyperparameters {
  DatasetCommitment dataset;
  ml::ModelSpec spec;  // softmax or mlp:H1,H2,…
  uint64_t classes = 0;
  std::vector<int64_t> mean, multiplier;  // per feature (Standardizer)
  std::vector<ml::Layer> final_layers;

  Bytes Serialize() const;
  static Result<NetworkTrainingStatement> Parse(ByteSpan bytes);
  nlohmann::json ToJson() const;
};

struct NetworkTrainingWitness {
  const ml::Table* table = nullptr;
  const CommittedDataset* dataset = nullptr;
  const ml::Model* model = nullptr;
  const ml::TrainingTrace* trace = nullptr;
};

// Dishonest provers for the soundness tests: each edits the honest witness before commitment.
enum class NetworkTamper {
  kNone,
  kActivation,        // one pre-activation quotient acc_q + 1
  kSoftmaxEntry,      // one softmax output P + 1 (and the error with it)
  kWeightUpdate,      // one weight update U + 1
  kRowMax,            // one row maximum + 2^8 (every gap of its row with it)
  kReluSign,          // mlp: one ReLU sign 1 → 0 with the activation kept
  kFinalWeights,      // the statement's final weights differ from the trained ones
  kBlindingRelation,  // one weight update of the blinding half + 1 (its relation broken)
  kMultiplicity,      // one share of the range multiplicities + 1
};

// True when the model kind is one this file proves (softmax, mlp).
bool IsNetworkModel(const ml::ModelSpec& spec);

// The proof file (ProofContainer of kind kTrainingRun with a network statement section).
// `audit`, when set, receives every revealed evaluation of a committed column with the value the
// real half alone would give (tests only: it costs a pass over the column per claim).
// Before committing or proving: whether a proof of `model`'s training on a rows × features
// dataset is within the prover's bounds (see CheckTrainingProvable in training_proof.h).
Status CheckNetworkTrainingProvable(const ml::Model& model, uint64_t rows, uint64_t features);

Result<Bytes> ProveNetworkTraining(const NetworkTrainingWitness& witness,
                                   NetworkTamper tamper = NetworkTamper::kNone,
                                   std::vector<RevealedEvaluation>* audit = nullptr);

// True when `proof_file` parses as a container holding a network-training statement; lets
// `zektra verify` / `inspect` dispatch without knowing the layout.
bool IsNetworkTrainingProof(ByteSpan proof_file);
Result<NetworkTrainingStatement> ReadNetworkStatement(ByteSpan proof_file);

struct NetworkVerifyOutcome {
  Status status;
  std::optional<NetworkTrainingStatement> statement;
};
// OK when the proof is valid for its statement; Rejected or BadInput with a reason otherwise.
NetworkVerifyOutcome VerifyNetworkTraining(ByteSpan proof_file,
                                           const DatasetCommitment* expected_dataset = nullptr);

// Checks that a model file's layers, preprocessing and hyper-parameters are the statement's.
Status CheckModelMatchesNetworkStatement(const ml::Model& model,
                                         const NetworkTrainingStatement& statement);

}  // namespace zektra::pot
