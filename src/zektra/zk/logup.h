// logUp lookup arguments: range checks and function tables, proved with a GKR-style
// layered fractional sum (no committed inverse columns).
//
// Statement. Looked-up entries e_i (one column, or input/output pairs (x_i, y_i)
// compressed as x_i + β·y_i) all occur in a public table (t_k) or (x_k, y_k), witnessed by
// a multiplicity column m with
//     Σ_i 1/(α − e_i) = Σ_k m_k/(α − t_k)                                       (logUp)
// for a random α (and β) drawn after the caller has absorbed commitments to the columns
// and to m.
//
// Proof. Each side is a binary tree of projective fractions (p, q): leaves (1, α − e_i)
// resp. (m_k, α − t_k), parents (p_l·q_r + p_r·q_l, q_l·q_r). The prover sends the two
// children of each root; layer by layer a claim (p_k(r), q_k(r)) is reduced to one on the
// next layer by the degree-3 sumcheck
//   p_k(r) + λ·q_k(r) = Σ_b eq(r,b)·[p(0,b)q(1,b) + p(1,b)q(0,b) + λ·q(0,b)q(1,b)]
// (p(c,b) = p_{k+1} with its lowest variable set to c) followed by a random line point μ:
// the new point is (μ, s). At the leaves the verifier checks the lookup side's p and q
// against the caller's column claims and the table side's q against the table, which it
// evaluates itself. The root check is P_a·Q_t = P_t·Q_a with Q_a, Q_t ≠ 0 (a zero
// denominator anywhere makes its root Q zero).
//
// Several columns of equal length 2^n can be looked up at once ("groups"): group g, row i
// is leaf g·2^n + i; unused group slots up to a power of two are the neutral leaf (0, 1).
// Columns shorter than 2^n must be padded by the caller with a table row (PadColumn);
// those padded rows are looked up like any other, so the padding is sound. Tables are
// padded to a power of two with copies of row 0, whose multiplicity is free (any m on a
// copy of a valid row is still valid).
//
// Soundness error (|F| = |Fp2| ≈ 2^128): (N + T)/|F| for α (and β: the logUp identity is a
// nonzero rational function of total degree ≤ N + T in (α, β) when some entry is missing),
// plus Σ_layers (3k + 2)/|F| for the GKR sumchecks, N entries, T table rows. For N = 2^20,
// T = 2^16: below 2^−107. Requires N < p so that a count never wraps to zero.
//
// Cost: prover O(N + T) Fp2 operations (tree build + sumchecks, parallel); verifier
// O(log^2(N) + log^2(T)) plus O(T) to evaluate an explicit table (O(log T) for ranges);
// proof O(log^2 N + log^2 T) Fp2 elements.
//
// Leakage: the round messages and leaf claims depend on the witness (not zero-knowledge by
// itself); claims on the columns are to be opened from hiding commitments.
//
// Also here: 16-bit limb decomposition and the fixed-point truncation relation
// a·b = q·2^F + r (0 ≤ r < 2^F), proved by a zero-check sumcheck plus a range lookup.
#pragma once

#include <array>
#include <span>
#include <vector>

#include "zektra/zk/sumcheck.h"

namespace zektra {

// ---- layered fractional sums ----

struct FractionSumProof {
  std::array<Fp2, 4> first_layer{};   // p_1[0], p_1[1], q_1[0], q_1[1]
  std::vector<SumcheckProof> layers;  // layer k = 1..n−1: sumcheck over k variables

  void Write(ByteWriter& out) const;
  static Result<FractionSumProof> Read(ByteReader& in);
};

struct FractionSumOutcome {
  Fp2 root_p, root_q;           // Σ p/q = root_p / root_q
  std::vector<Fp2> leaf_point;  // n coordinates
  Fp2 leaf_p, leaf_q;           // claims p(leaf_point), q(leaf_point) for the caller
};

// Leaves: 2^n values each, n ≥ 1.
FractionSumProof ProveFractionSum(std::vector<Fp2> p_leaves, std::vector<Fp2> q_leaves,
                                  Transcript& transcript, FractionSumOutcome* outcome = nullptr);
Result<FractionSumOutcome> VerifyFractionSum(size_t log_leaves, const FractionSumProof& proof,
                                             Transcript& transcript);

// ---- tables ----

class LookupTable {
 public:
  // 0, 1, …, 2^bits − 1 (1 ≤ bits ≤ 24); evaluated by the verifier in O(bits).
  static LookupTable Range(size_t bits);
  // Rows (inputs[k], outputs[k]); 1 ≤ size ≤ 2^24.
  static LookupTable Function(std::vector<Fp> inputs, std::vector<Fp> outputs);

  bool has_outputs() const { return !outputs_.empty(); }
  bool is_range() const { return range_bits_ != 0; }
  size_t log_size() const { return log_size_; }    // of the padded table
  size_t rows() const { return rows_; }             // before padding
  Fp input(size_t k) const;                          // padded rows repeat row 0
  Fp output(size_t k) const;
  Fp2 EvaluateInputs(std::span<const Fp2> point) const;   // MLE of the padded column
  Fp2 EvaluateOutputs(std::span<const Fp2> point) const;
  void AbsorbInto(Transcript& transcript) const;

 private:
  size_t range_bits_ = 0;  // nonzero: a range table
  size_t rows_ = 0, log_size_ = 0;
  std::vector<Fp> inputs_, outputs_;  // explicit tables, padded
};

// The columns being looked up: G groups of equal length 2^n; outputs has G columns for a
// function table and is empty for a single-column table.
struct LookupColumns {
  std::vector<std::span<const Fp>> inputs;
  std::vector<std::span<const Fp>> outputs;
};

// Copies column into a vector of length 2^log_length padded with pad (a table row).
std::vector<Fp> PadColumn(std::span<const Fp> column, size_t log_length, Fp pad);

// m over the padded table: how often each row occurs among all looked-up entries
// (first matching row). Fails, naming the entry, when one is not in the table.
Result<std::vector<Fp>> ComputeMultiplicities(const LookupTable& table, const LookupColumns& columns);

struct LookupProof {
  FractionSumProof entries;   // tree over the looked-up entries
  FractionSumProof table;     // tree over the table rows, weighted by m
  std::vector<Fp2> input_values, output_values;  // per group, at the entries' column point

  void Write(ByteWriter& out) const;
  static Result<LookupProof> Read(ByteReader& in);
};

// What the caller must still check, by opening commitments.
struct LookupClaims {
  std::vector<Fp2> column_point;           // n coordinates
  std::vector<Fp2> input_values;           // inputs[g](column_point)
  std::vector<Fp2> output_values;          // outputs[g](column_point), function tables
  EvaluationClaim multiplicities;          // m(point) over the padded table
};

// The transcript must already hold the commitments to the columns and to m. A false
// statement (an entry outside the table, a wrong m) yields a proof the verifier rejects.
LookupProof ProveLookup(const LookupTable& table, const LookupColumns& columns,
                        std::span<const Fp> multiplicities, Transcript& transcript,
                        LookupClaims* claims = nullptr);
Result<LookupClaims> VerifyLookup(const LookupTable& table, size_t num_groups,
                                  size_t log_column_length, const LookupProof& proof,
                                  Transcript& transcript);

// ---- limbs and fixed-point truncation ----

// Splits u = value + offset (as an integer in [0, 2^(16·num_limbs))) into 16-bit limbs,
// limbs[l][i] = (u_i >> 16l) & 0xFFFF. Fails, naming the index, when u is out of range.
// For signed values use offset = 2^(16·num_limbs − 1).
Result<std::vector<std::vector<Fp>>> DecomposeLimbs16(std::span<const Fp> values, size_t num_limbs,
                                                     uint64_t offset = 0);

// Fixed-point products c = a·b / 2^F rounded down: a·b = q·2^F + r, 0 ≤ r < 2^F, with q
// bounded by |q| ≤ 2^(16·L − 1) through L limbs of q + 2^(16·L − 1). The caller bounds a
// and b so that |a·b| < p/2; then the field relations imply the integer ones.
struct TruncationParams {
  size_t frac_bits = 16;  // F, 1..16
  size_t q_limbs = 2;     // L, 1..3
};

struct TruncationWitness {
  std::vector<Fp> q, r;
  std::vector<std::vector<Fp>> q_limbs;  // L columns
};

// From signed fixed-point a, b (equal power-of-two length). Fails if some q is out of bounds.
Result<TruncationWitness> ComputeTruncation(std::span<const int64_t> a, std::span<const int64_t> b,
                                           const TruncationParams& params);

struct TruncationProof {
  SumcheckProof relation;  // zero-check of a·b − 2^F q − r and of the limb recomposition
  LookupProof ranges;      // r (and r·2^(16−F) when F < 16) and the limbs of q

  void Write(ByteWriter& out) const;
  static Result<TruncationProof> Read(ByteReader& in);
};

struct TruncationClaims {
  // At the zero-check point: a, b, q, r, then the L limbs of q.
  std::vector<Fp2> relation_point;
  std::vector<Fp2> relation_values;
  // At the lookup point: r, then the L limbs; and the multiplicity claim on the range table.
  std::vector<Fp2> range_point;
  std::vector<Fp2> range_values;
  EvaluationClaim multiplicities;
};

// a, b as field columns (Fp::FromSigned), length 2^n. Transcript as for ProveLookup.
TruncationProof ProveTruncation(const TruncationParams& params, std::span<const Fp> a,
                                std::span<const Fp> b, const TruncationWitness& witness,
                                Transcript& transcript, TruncationClaims* claims = nullptr);
Result<TruncationClaims> VerifyTruncation(const TruncationParams& params, size_t log_length,
                                          const TruncationProof& proof, Transcript& transcript);

}  // namespace zektra
