// Model commitments: a short public fingerprint that binds every weight and bias of a model
// without revealing them, so that a proof of test accuracy (pot/accuracy_proof.h) can be about
// a PRIVATE model: "the model behind commitment C classifies k of n rows correctly".
//
// What is committed: the model vector M of 2·2^m field elements. Its lower half (ζ = 0, the
// top variable) is the real model: every layer's weight matrix W_l (2^lout × 2^lin, row k at
// k·2^lin, lin = ⌈log2 inputs⌉, at least 1 for layer 0; lout = ⌈log2 outputs⌉) and bias b_l
// (2^lout) as blocks, each the fixed-point integers embedded in Goldilocks (negatives as
// p − |x|) and zero-padded, placed by decreasing size at offsets that are multiples of their
// size (ModelLayout), zeros elsewhere. Its upper half (ζ = 1) is pseudo-random blinding
// derived from the owner's secret seed: a proof's relations on the blinding half use these
// values as the blinding instance's weights, and every evaluation of M that a proof reveals
// is at a point with a random ζ, so it is masked by them. 2^m is at least the real blocks and
// at least (2L + 3)·max_openings (the evaluations that max_openings proofs reveal; see
// docs/SECURITY.md). M is committed with the hiding PCS (zk/pcs.h), its
// row padding and leaf salts from the same seed: the owner rebuilds the same prover data for
// every later proof from the seed (the ".key" file).
//
// What stays public (this version): the architecture (spec, output kind, layer shapes),
// fraction bits, feature names, label name, classes, and the preprocessing (the
// standardiser's per-feature mean and multiplier). Only the weights and biases are hidden.
//
// `Id()` is SHA-256 over a domain tag and every public field, including the PCS commitment;
// statements refer to it. Cost: commit = one hiding PCS commitment of 2^(m+1) elements
// (milliseconds for an mlp:32). Secrets: the seed (ModelSecret, wiped on destruction) and
// the model vector (CommittedModel wipes it).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "zektra/crypto/sha256.h"
#include "zektra/ml/model.h"
#include "zektra/zk/pcs.h"

namespace zektra::pot {

inline constexpr uint32_t kModelCommitmentVersion = 1;
inline constexpr uint32_t kDefaultModelMaxOpenings = 16;
// Weight and bias limbs of a private model: w + 2^24 ∈ [0, 2^25) (docs/PROOF_SYSTEM.md).
inline constexpr int kModelValueBits = 25;
inline constexpr int64_t kModelValueOffset = int64_t{1} << 24;

// Where each layer's weights and bias sit in the real half of the model vector.
struct ModelBlock {
  uint64_t offset = 0;  // in the real half; a multiple of 2^log_size
  int log_rows = 0;     // 2^log_rows rows (outputs, padded); 0 for a bias
  int log_cols = 0;     // 2^log_cols columns (inputs, padded); the bias: lout
  int log_size() const { return log_rows + log_cols; }
};
struct ModelLayout {
  std::vector<ModelBlock> weights, bias;              // per layer
  std::vector<std::pair<uint64_t, uint64_t>> shapes;  // (inputs, outputs) per layer
  int log_real = 0;                                   // the real half has 2^log_real entries

  int log_size() const { return log_real + 1; }  // with ζ
  uint64_t real_size() const { return uint64_t{1} << log_real; }
  // BadInput when a shape is out of range (1..8 layers, widths 1..4096, chained).
  static Result<ModelLayout> For(const std::vector<std::pair<uint64_t, uint64_t>>& shapes,
                                 uint32_t max_openings);
  // The point of M at which M equals W_l(rows = rk, cols = cj) on the half ζ (a random ζ:
  // (1 − ζ)·real + ζ·blinding).
  std::vector<Fp2> WeightPoint(size_t l, std::span<const Fp2> rk, std::span<const Fp2> cj,
                               Fp2 zeta) const;
  std::vector<Fp2> BiasPoint(size_t l, std::span<const Fp2> rk, Fp2 zeta) const;
  // 1 at every entry of the real half that no weight or bias occupies (padding), else 0;
  // 2^log_size entries (the blinding half is 0). A proof shows M is zero there.
  std::vector<Fp> PaddingSelector() const;
  // The real half from integer layers (shapes must match; values are not range-checked).
  std::vector<Fp> RealHalf(const std::vector<ml::Layer>& layers) const;
};

struct ModelCommitment {
  std::string model_spec;
  ml::OutputKind output = ml::OutputKind::kSigmoid;
  int fraction_bits = 16;
  std::vector<std::string> feature_names;
  std::string label_name;
  std::vector<double> classes;
  std::vector<int64_t> mean, multiplier;              // the public preprocessing
  std::vector<std::pair<uint64_t, uint64_t>> layers;  // (inputs, outputs)
  PcsCommitment pcs;

  Digest Id() const;
  std::string IdHex() const { return ToHex(Id()); }
  Result<ModelLayout> Layout() const { return ModelLayout::For(layers, pcs.params.max_openings); }
  // The public ".commit" file: JSON {format, version, commitment (Id, checked on load), model,
  // output, fraction_bits, feature_names, label, classes, mean, multiplier, layers,
  // pcs_commitment (hex)}. FromJson names the field at fault.
  std::string ToJson() const;
  static Result<ModelCommitment> FromJson(std::string_view text, const std::string& source);
  bool operator==(const ModelCommitment&) const = default;
};

// The owner's secret: the seed of the blinding half and of the PCS's hiding randomness.
struct ModelSecret {
  Digest seed{};
  ~ModelSecret();
  static ModelSecret Fresh();
  // The ".key" file: JSON {format, version, commitment (Id hex), seed (hex)}; written 0600.
  std::string ToJson(const ModelCommitment& for_commitment) const;
  static Result<ModelSecret> FromJson(std::string_view text, const std::string& source,
                                      const ModelCommitment& expected);
};

// Everything a prover needs: the public commitment, the model vector, the PCS prover data.
struct CommittedModel {
  ModelCommitment commitment;
  ModelLayout layout;
  std::vector<Fp> vector;  // 2^(log_real+1): real half, then blinding half
  PcsProverData prover;    // reads `vector` in place

  CommittedModel() = default;
  CommittedModel(CommittedModel&&) = default;
  CommittedModel& operator=(CommittedModel&&) = default;
  ~CommittedModel();
};

// Commits (or re-commits, with the owner's seed) to a classification model. InvalidArgument
// for a model a proof cannot use (regression output, F ≠ 16, a weight or bias outside
// (−2^24, 2^24)).
Result<CommittedModel> CommitModel(const ml::Model& model, const ModelSecret& secret,
                                   uint32_t max_openings = kDefaultModelMaxOpenings);
// The same without the value range check: for tests that a proof rejects an out-of-range
// committed weight (what a dishonest owner could commit).
Result<CommittedModel> CommitModelUnchecked(const ml::Model& model, const ModelSecret& secret,
                                            uint32_t max_openings = kDefaultModelMaxOpenings);

// The public fields of `commitment` are this model's (architecture, features, classes,
// preprocessing). Weights cannot be checked without the key: see CheckModelOpensCommitment.
Status CheckModelMatchesCommitmentPublicPart(const ml::Model& model,
                                             const ModelCommitment& commitment);
// The owner's check: re-committing `model` with `secret` gives exactly `commitment`.
Status CheckModelOpensCommitment(const ml::Model& model, const ModelSecret& secret,
                                 const ModelCommitment& commitment);

// File helpers (the key sits next to the commitment as PATH.key unless named explicitly).
Status SaveModelCommitment(const std::string& path, const ModelCommitment& commitment);
Result<ModelCommitment> LoadModelCommitment(const std::string& path);
Status SaveModelSecret(const std::string& path, const ModelSecret& secret,
                       const ModelCommitment& commitment);
Result<ModelSecret> LoadModelSecret(const std::string& path, const ModelCommitment& expected);

}  // namespace zektra::pot
