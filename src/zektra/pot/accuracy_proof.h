// Proof of test accuracy and proof of inference: a zero-knowledge argument that a model with
// PUBLIC weights (or a PRIVATE model known by its commitment, see below), applied exactly as ml/
// predicts (ForwardFixed and the metrics' prediction rule), classifies exactly k of the n rows of a
// committed test set correctly, or, for public inputs, predicts the listed classes.
//
// Two modes:
//  - kCommittedTestSet: the rows and labels stay hidden behind a dataset commitment
//    (pot/dataset_commitment.h); the statement holds the commitment, k and n.
//  - kPublicInputs: the statement holds the raw inputs (fixed point) and the predicted class of
//    each; no labels. (The inputs are public, so this mode is about a cheap check of a
//    committed-to computation, not about hiding; it is the inference benchmark's mode.)
//
// What is proven, per row (all integers, docs/ML.md): the standardisation of each raw value
// with the model's (mean, multiplier), including the clamp to ±(2^24 − 1) (committed mode; for
// public inputs the verifier standardises itself); every layer's exact product A = H·Wᵀ, its
// truncation A = 2^16·Q + R (0 ≤ R < 2^16) and Z = Q + b; ReLU H = max(Z, 0) on hidden layers;
// the predicted class as the metrics code computes it: sigmoid output → [p ≥ ½] = [z ≥ θ] with
// θ derived from the public sigmoid table, softmax output → the first index of the largest
// probability, which is the first index of the largest logit (the exp table is monotone and
// its steps exceed the class count, checked), and for two-class softmax [p_1 ≥ ½] = [z_1 ≥ z_0].
// Committed mode adds the one-hot label of each row, bound to the committed label value, and
// k = Σ [prediction = label].
//
// Relations → claims (docs/PROOF_SYSTEM.md): one zero-knowledge range lookup over every limb
// column (zk/logup_zk.h: 16-bit table, committed inverses, split multiplicities), one masked
// sumcheck for all layer products, one masked zero-check for every element-wise relation
// (ReLU, truncation links, argmax, one-hot, standardisation and clamp), one masked sumcheck
// for the count and the labels, one masked sumcheck batching every claim on the committed
// witness, and one PCS opening of the witness, the lookup's helper and the test set.
//
// Zero knowledge (docs/SECURITY.md, "Proof of test accuracy and inference"). Every row domain
// has one extra top variable ζ: the lower half is the real witness, the upper half a blinding
// instance. In committed mode the row domain is the test set commitment's, whose upper half
// holds the owner's blinding rows, so the blinding instance's "labels" are those rows' label
// entries. Relations that the verifier checks at a point with a random ζ (layer products,
// one-hot row sums, label binding) hold on the blinding half over the field with otherwise
// uniformly random values; the element-wise relations and the range lookup see only the real
// half (gates and live entries), and the count carries the public factor (1 − ζ), so the
// blinding half neither counts nor needs to be in range. Every evaluation the verifier learns
// of the witness or the test set is at a point with a random ζ, every sumcheck is masked, the
// commitments are hiding: the proof reveals the statement (k, n, the test set's commitment and
// shape, the public model) and nothing else about the rows or labels. Needs a test set of at
// least 9 rows (16 blinding rows). Public-input mode runs the same protocol, but there is
// nothing to hide: the inputs and the predictions are in the statement. The model's weights
// are public in both modes unless the model is private (below).
//
// Private model (statement version 2, transcript "zektra.accuracy.private-model.v1"): either
// mode can be about a model known only by its commitment (pot/model_commitment.h): the
// statement holds the model commitment (architecture, features, classes and preprocessing stay
// public) and every layer's shape, no weights. The weights become committed witness: the layer
// product sumcheck runs over (j, z), z the row half, so the real rows meet the real weights and
// the blinding rows the commitment's blinding weights, and ends in a claim on the model vector
// at a random ζ; layer 0's claim (at the test set's columns) is a public functional of the
// feature-ordered model; the biases enter the zero-check as a committed factor (one claim each);
// one more sumcheck links the model vector to two 16-bit limb columns in the witness (range
// lookup: |w| < 2^26, no field wrap), forces its padding to zero, and batches the 2L claims on
// the model into its one final claim, which joins the one PCS opening. Every revealed
// evaluation of the weights is at a random ζ of the model vector (masked by its seed-derived
// blinding half, sized for max_openings proofs); docs/SECURITY.md and
// docs/PROOF_SYSTEM.md ("Proof of test accuracy for a private model") give the argument.
//
// Cost: prover linear in n·(Σ layer sizes) plus a 2^17-row split multiplicity column and a
// 2^16-row range table, twice the real rows for the blinding half; verifier
// O(n·D + |weights| + 2^16) field operations plus polylogarithmic checks. Never aborts on any
// bytes.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "zektra/base/status.h"
#include "zektra/ml/dataset.h"
#include "zektra/ml/model.h"
#include "zektra/pot/dataset_commitment.h"
#include "zektra/pot/model_commitment.h"
#include "zektra/pot/training_proof.h"  // RevealedEvaluation

namespace zektra::pot {

// Version 1: public weights (unchanged bytes and transcript since the first release).
// Version 2: a private model: the statement holds the model commitment and no weights.
inline constexpr uint32_t kAccuracyStatementVersion = 1;
inline constexpr uint32_t kAccuracyPrivateModelStatementVersion = 2;

enum class AccuracyMode : uint8_t { kCommittedTestSet = 1, kPublicInputs = 2 };

struct AccuracyStatement {
  AccuracyMode mode = AccuracyMode::kCommittedTestSet;
  // The public model: everything the prediction depends on.
  std::string model_spec;  // "logreg", "softmax", "mlp:32", ...
  ml::OutputKind output = ml::OutputKind::kSigmoid;
  int fraction_bits = 16;
  std::vector<std::string> feature_names;
  std::string label_name;
  std::vector<double> classes;            // label value of each class index
  std::vector<int64_t> mean, multiplier;  // per feature (Standardizer)
  // Public weights: every layer's shape, weights and bias. Private model: shapes only (the
  // weights and biases are empty) and `model_commitment` holds the commitment they open.
  std::vector<ml::Layer> layers;
  std::optional<ModelCommitment> model_commitment;
  // kCommittedTestSet
  std::optional<DatasetCommitment> test_set;
  uint64_t correct = 0;  // k
  uint64_t total = 0;    // n (the test set's rows, or the number of inputs)
  // kPublicInputs: raw fixed-point inputs round(x·2^F), total × features, and predicted classes.
  std::vector<int64_t> inputs;
  std::vector<uint32_t> predictions;

  Bytes Serialize() const;
  static Result<AccuracyStatement> Parse(ByteSpan bytes);
  nlohmann::json ToJson() const;
  // SHA-256 of the weights exactly as ml::Model::WeightsDigestHex computes it (empty for a
  // private model: its identity is the model commitment's).
  std::string WeightsDigestHex() const;
  bool private_model() const { return model_commitment.has_value(); }
  double accuracy() const {
    return total ? static_cast<double>(correct) / static_cast<double>(total) : 0;
  }
};

// Dishonest provers for the tamper tests; each changes the honest witness or statement.
enum class AccuracyTamper {
  kNone,
  kActivation,     // one hidden activation +1, propagated forward consistently
  kReluSign,       // one negative pre-activation passed through ReLU unchanged
  kPrediction,     // one row's predicted class changed (argmax witness adjusted)
  kInflatedCount,  // the statement claims k + 1 (k − 1 when every row is correct)
  kModelWeight,    // the statement's first weight +1 (witness from the real model)
  kTruncation,     // one quotient +1 and its remainder −2^16 (the product still holds)
  kLabel,          // one row's one-hot label moved to its predicted class
  // The blinding half (zero knowledge): each breaks one relation checked at a random ζ.
  kBlindingProduct,  // one blinding entry of layer 0's quotient +1 (A ≠ H·Wᵀ there)
  kBlindingOneHot,   // one blinding prediction row sums to 2
  kBlindingLabel,    // one blinding label row no longer meets the committed blinding label
  kMultiplicity,     // one range multiplicity share +1
  // Private model (the weights are committed).
  kCommittedWeight,  // the witness uses a weight that differs from the committed one by 1
  kOutOfRangeModel,  // skip the prover's own range check (the test commits a bad model)
  kModelPadding,     // the witness's model limbs carry a nonzero padding entry (the
                     // committed model stays honest: the limb link must fail)
};

// Committed mode. `table` holds the rows (with labels) that `dataset` commits to; the model's
// features are picked from it by name. FailedPrecondition/InvalidArgument say why a model or
// dataset cannot be proven (linreg, F ≠ 16, labels that are not model classes, ...).
// `audit`, when set, receives every revealed evaluation of the witness and the test set with
// the value that a proof without the blinding half would have revealed (tests of the
// zero-knowledge property; costs a pass over a column per entry).
Result<Bytes> ProveTestAccuracy(const ml::Model& model, const ml::Table& table,
                                const CommittedDataset& dataset,
                                AccuracyTamper tamper = AccuracyTamper::kNone,
                                std::vector<RevealedEvaluation>* audit = nullptr);

// Public-input mode: `table` holds the inputs (labels ignored).
Result<Bytes> ProveInference(const ml::Model& model, const ml::Table& table,
                             AccuracyTamper tamper = AccuracyTamper::kNone,
                             std::vector<RevealedEvaluation>* audit = nullptr);

// Private-model mode (either of the above): the statement holds `committed_model`'s public
// commitment instead of the weights, and the proof opens that commitment. `model` must be the
// committed model (its weights are the witness). InvalidArgument when the commitment's
// hiding budget (max_openings proofs) is spent in this process.
Result<Bytes> ProveTestAccuracyPrivateModel(const ml::Model& model,
                                            const CommittedModel& committed_model,
                                            const ml::Table& table, const CommittedDataset& dataset,
                                            AccuracyTamper tamper = AccuracyTamper::kNone,
                                            std::vector<RevealedEvaluation>* audit = nullptr);
Result<Bytes> ProveInferencePrivateModel(const ml::Model& model,
                                         const CommittedModel& committed_model,
                                         const ml::Table& table,
                                         AccuracyTamper tamper = AccuracyTamper::kNone,
                                         std::vector<RevealedEvaluation>* audit = nullptr);

// Parses the container and statement only (for `zektra inspect`).
Result<AccuracyStatement> ReadAccuracyStatement(ByteSpan proof_file);

struct AccuracyVerifyOutcome {
  Status status;
  std::optional<AccuracyStatement> statement;
};
// OK when the proof is valid for its statement; Rejected or BadInput with the reason otherwise.
// When `expected_test_set` is set the statement must name exactly that commitment; when
// `expected_model` is set the proof must be about a private model with exactly that commitment.
AccuracyVerifyOutcome VerifyAccuracy(ByteSpan proof_file,
                                     const DatasetCommitment* expected_test_set = nullptr,
                                     const ModelCommitment* expected_model = nullptr);

// The statement's model is this model file's (weights, preprocessing, classes, features).
// For a private-model statement only the public part can be compared: Rejected, saying so
// (use the model commitment instead).
Status CheckModelMatchesAccuracyStatement(const ml::Model& model, const AccuracyStatement& st);

}  // namespace zektra::pot
