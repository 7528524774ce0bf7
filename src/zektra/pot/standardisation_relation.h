// The standardisation relation that every proof of training shares: the trainer standardises
// each committed raw entry q of a training row (column j) as
//   2^32·x_std + rem = (q − mean_j)·mult_j,   0 ≤ rem < 2^32,
// and the proof commits, per entry of the committed matrix, x_std (limbs xslo, xsk: x_std =
// xslo + 2^9·xsk − 2^24), rem (remlo + 2^16·remhi) and the centred value q − mean_j as k_j-bit
// limbs d0, d1, d2 (Σ coef·d = q − mean_j + 2^(k_j − 1)), every limb range-checked by the
// proof's lookup. One sumcheck over (row, column) checks the relation on the training rows at a
// random point, batched (challenge ρ) with the gather of every claim the step relations made on
// the standardised data (run_schedule.h, GatherClaim), so the claims on x_std are resolved
// against the committed raw data M in the same pass.
//
// The label column is standardised with public constants that make x_std the proof's target
// (2^F·class for classification: mean 0, mult 2^32), linear regression's target standardisation
// otherwise.
//
// Cost: prover O(N·Dp) for the tables; verifier O(N + Dp + steps·batch·gathers).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "zektra/base/status.h"
#include "zektra/pot/run_schedule.h"
#include "zektra/zk/sumcheck.h"

namespace zektra::pot {

// Per committed column (2^ld of them): mean, multiplier and the centred value's bit width k.
struct DataStandardisation {
  std::vector<int64_t> col_mean, col_mult;
  std::vector<int> col_k;
};

// Fills the per-column constants from the statement's per-feature mean and multiplier and the
// label column's pair; BadInput("statement: preprocessing parameter of column j out of range")
// for a pair outside |mean| < 2^46, 0 ≤ mult ≤ 2^49.
Status SetDataStandardisation(const RunSchedule& s, std::span<const int64_t> mean,
                              std::span<const int64_t> multiplier, int64_t label_mean,
                              int64_t label_multiplier, DataStandardisation& out);

// The relation's sumcheck: Σ_c A_c·col_c + A_const over the committed columns xslo, xsk, remlo,
// remhi, d0, d1, d2 and the data matrix M (multilinears 0..7) with public tables A (8..16).
inline constexpr size_t kDataWitness = 8;
SumOfProducts DataRelationShape(size_t vars);

// The challenges of the relation: the point r over (column, row), the limb combiner μ, the
// gather combiner ρ and the gather coefficients γ (one per claim).
struct DataRelationChallenges {
  std::vector<Fp2> point;
  Fp2 mu, rho;
  std::vector<Fp2> gammas;
};

// Prover: the nine public tables over the 2^(lr + ld) entries (index row·Dp + column).
std::array<std::vector<Fp2>, kDataWitness + 1> DataRelationTables(
    const RunSchedule& s, const DataStandardisation& ds, std::span<const GatherClaim> gathers,
    const DataRelationChallenges& ch);

// Verifier: the nine tables' values at the sumcheck's final point.
std::array<Fp2, kDataWitness + 1> DataRelationTablesAt(const RunSchedule& s,
                                                       const DataStandardisation& ds,
                                                       std::span<const GatherClaim> gathers,
                                                       const DataRelationChallenges& ch,
                                                       std::span<const Fp2> at);

}  // namespace zektra::pot
