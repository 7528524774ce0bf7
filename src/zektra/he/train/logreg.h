// Encrypted logistic-regression training on CKKS ciphertexts (docs/HE_TRAINING.md).
//
// What it computes. Labels y ∈ {0, 1} become signs; each training row r is packed as
// z_r = (2y_r − 1)·(1, x_r1, …, x_rd) (a leading 1 for the bias, features already
// standardised by the data owner). Training minimises the mean logistic loss
// (1/n) Σ log(1 + exp(−z_r·β)) by Nesterov's accelerated gradient:
//   β_{k+1} = v_k − γ_k ∇(v_k),   v_{k+1} = (1 − η_k) β_{k+1} + η_k β_k,
// with ∇(v) = −(1/n) Σ_r σ(−z_r·v) z_r, σ replaced by the odd cubic least-squares fit
// p(t) = 1/2 + a1·t + a3·t³ on [−R, R], γ_k the learning rate and η_k from the usual
// sequence λ_1 = 1, λ_{k+1} = (1 + √(1 + 4λ_k²))/2, η_k = (1 − λ_k)/λ_{k+1}. β_0 = v_0 = 0.
// PlainTrain runs exactly this in double precision (the reference the encrypted result
// is compared with); TrainEncrypted runs it on ciphertexts without decrypting anything.
//
// Packing (PackingLayout). A row takes a block of w = 2·d' slots (d' = features + 1
// rounded up to a power of two) and is written twice: slots [0, d') and [d', 2d') both
// hold z_r. The sum of any d' consecutive slots starting in the first half of a block is
// then the full inner product z_r·v — no masking and no level spent to isolate it.
// Rows fill a ciphertext (slots / w rows each), then the next one. The model state v, β
// lives in the same layout with every block equal to (β, β).
//
// Depth. The first iteration is the gradient at 0, i.e. a constant multiple of Σ_r z_r:
// one level. Every further iteration costs three: z⊙v, then (t, c·z⊙t, t² + a1/a3)
// in parallel, then their product; the Nesterov combination is folded into the constants
// (so it costs no level on the critical path). Hence LevelsFor(K) = 3K − 2 rescaling
// primes. Rotations per iteration: log2(d') per data ciphertext, log2(rows per
// ciphertext) + 1 for the sum over rows, with left rotations by powers of two only
// (RequiredRotationSteps), so one set of Galois keys serves every data shape.
//
// What the compute node learns: the shapes (number of rows, of features, iterations), the
// hyper-parameters, nothing about the values. Cost: see docs/BENCHMARKS_hetrain.md.
#pragma once

#include <cstdint>
#include <vector>

#include "zektra/base/status.h"
#include "zektra/he/encoder.h"
#include "zektra/he/encryptor.h"
#include "zektra/he/evaluator.h"
#include "zektra/he/keys.h"

namespace zektra::he::train {

struct TrainConfig {
  int iterations = 5;          // K ≥ 1
  double learning_rate = 0.3;  // γ_k = learning_rate (constant step)
  double sigmoid_range = 8;    // R: the cubic fits σ on [−R, R]

  Status Validate() const;
};

// The settings `he train` uses unless told otherwise (tuned on standardised data).
TrainConfig DefaultTrainConfig();

// σ(t) ≈ 1/2 + a1·t + a3·t³, least squares (uniform weight) on [−range, range].
struct SigmoidCubic {
  double range = 0, a1 = 0, a3 = 0;
  double operator()(double t) const { return 0.5 + a1 * t + a3 * t * t * t; }
};
SigmoidCubic FitSigmoidCubic(double range);

// Nesterov's η_k for k = 0..iterations−1 (η_0 = 0).
std::vector<double> NesterovEta(int iterations);

// Parameters for runs of up to `iterations` iterations: the smallest ring (N = 2^14 …
// 2^16) and the fewest key-switching digits whose P·Q fits the 128-bit security table,
// with a 60-bit base prime, LevelsFor(iterations) 50-bit rescaling primes (scale 2^50)
// and 60-bit special primes.
Result<CkksParameters> TrainingParameters(int iterations);

// Rescaling primes an encrypted run of K iterations consumes: 3K − 2.
int LevelsFor(int iterations);
// The largest K a context can run (its max level ≥ LevelsFor(K)); 0 if none.
int MaxIterationsFor(const HeContext& context);

struct PackingLayout {
  size_t features = 0;       // d + 1 (bias column included)
  size_t feature_slots = 0;  // d': power of two ≥ features
  size_t row_width = 0;      // 2·d'
  size_t rows_per_ciphertext = 0;
  size_t slots = 0;

  // InvalidArgument when one row does not fit the slots.
  static Result<PackingLayout> For(size_t features_with_bias, size_t slots);
  size_t CiphertextsFor(size_t rows) const {
    return (rows + rows_per_ciphertext - 1) / rows_per_ciphertext;
  }
};

// Left-rotation steps the training uses for any layout of `slots` slots: 1, 2, 4, …,
// slots/2 (all of them, so keys do not depend on the data's shape).
std::vector<int64_t> RequiredRotationSteps(size_t slots);

// z rows (rows × features, row-major, z_r = (2y−1)(1, x)) to the slot vectors of each
// data ciphertext (layout above).
std::vector<std::vector<double>> PackRows(const PackingLayout& layout, const std::vector<double>& z,
                                          size_t rows);

// The signed rows of standardised features x (rows × d) and labels y ∈ {0, 1}.
std::vector<double> SignedRows(const std::vector<double>& x, const std::vector<int>& y, size_t rows,
                               size_t d);

struct PlainResult {
  std::vector<double> beta;  // features (bias first)
  double max_abs_inner = 0;  // largest |z·v| met (should stay within the sigmoid range)
};
// The same algorithm in double precision.
PlainResult PlainTrain(const std::vector<double>& z, size_t rows, size_t features,
                       const TrainConfig& config);

// Public evaluation material of the compute node.
struct EvaluationKeys {
  const RelinKey* relin = nullptr;
  const GaloisKeys* galois = nullptr;
};

struct EncryptedTrainStats {
  size_t rotations = 0, multiplications = 0;
  size_t final_level = 0;
};

// Trains on the data ciphertexts (all at one level, layout above; `rows` real rows in
// total, every other row slot zero — several owners' ciphertexts can simply be listed
// one after another) and returns β_K packed as one ciphertext in the state layout (block 0 slots
// 0..features−1 hold β). Errors: too few levels for the iterations, a missing Galois
// key, ciphertexts from another context, mismatched levels or scales.
Result<Ciphertext> TrainEncrypted(const HeContextPtr& context, const std::vector<Ciphertext>& data,
                                  size_t rows, const PackingLayout& layout,
                                  const TrainConfig& config, const EvaluationKeys& keys,
                                  EncryptedTrainStats* stats = nullptr);

}  // namespace zektra::he::train
