// Proof of test accuracy and proof of inference: a zero-knowledge argument that a model with
// PUBLIC weights, applied exactly as ml/ predicts (ForwardFixed and the metrics' prediction
// rule), classifies exactly k of the n rows of a committed test set correctly, or, for public
// inputs, predicts the listed classes.
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
// Relations → claims (docs/PROOF_SYSTEM.md): one range lookup per column group
// (logUp, 16-bit limbs), one masked sumcheck for all layer products, one masked zero-check for
// every element-wise relation (ReLU, truncation links, argmax, one-hot, standardisation and
// clamp), one masked sumcheck for the count and the labels, one masked sumcheck batching every
// claim on the committed witness, and one PCS opening of the witness (and the test set).
//
// Leakage (docs/SECURITY.md, "Proof of test accuracy and inference"): the statement; the shapes; evaluations of the
// witness columns' multilinear extensions at a few dozen random points (as the proof of
// training); the logUp round messages. Not zero-knowledge for the model: its weights are public.
//
// Cost: prover linear in n·(Σ layer sizes) plus a 2^16-row range table; verifier
// O(n·D + |weights|) field operations plus polylogarithmic checks. Never aborts on any bytes.
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

namespace zektra::pot {

inline constexpr uint32_t kAccuracyStatementVersion = 1;

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
  std::vector<ml::Layer> layers;
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
  // SHA-256 of the weights exactly as ml::Model::WeightsDigestHex computes it.
  std::string WeightsDigestHex() const;
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
};

// Committed mode. `table` holds the rows (with labels) that `dataset` commits to; the model's
// features are picked from it by name. FailedPrecondition/InvalidArgument say why a model or
// dataset cannot be proven (linreg, F ≠ 16, labels that are not model classes, ...).
Result<Bytes> ProveTestAccuracy(const ml::Model& model, const ml::Table& table,
                                const CommittedDataset& dataset,
                                AccuracyTamper tamper = AccuracyTamper::kNone);

// Public-input mode: `table` holds the inputs (labels ignored).
Result<Bytes> ProveInference(const ml::Model& model, const ml::Table& table,
                             AccuracyTamper tamper = AccuracyTamper::kNone);

// Parses the container and statement only (for `zektra inspect`).
Result<AccuracyStatement> ReadAccuracyStatement(ByteSpan proof_file);

struct AccuracyVerifyOutcome {
  Status status;
  std::optional<AccuracyStatement> statement;
};
// OK when the proof is valid for its statement; Rejected or BadInput with the reason otherwise.
// When `expected_test_set` is set the statement must name exactly that commitment.
AccuracyVerifyOutcome VerifyAccuracy(ByteSpan proof_file,
                                     const DatasetCommitment* expected_test_set = nullptr);

// The statement's model is this model file's (weights, preprocessing, classes, features).
Status CheckModelMatchesAccuracyStatement(const ml::Model& model, const AccuracyStatement& st);

}  // namespace zektra::pot
