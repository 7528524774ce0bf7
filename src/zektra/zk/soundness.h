// Soundness calculator for the Ligero/Brakedown-style polynomial commitment (zk/pcs.h).
//
// What it answers: for a Reed–Solomon code with message length K and codeword length L
// (rate ρ = K/L), how many column queries t make a cheating prover's success probability
// at most 2^-target, and what the total error of one opening group is. The derivation,
// the regimes and worked values are in docs/PROOF_SYSTEM.md ("Soundness calculator").
//
// Errors are probabilities per opening group, summed (union bound) over
//   proximity gap:  a random F_{p^2}-combination of far rows looks close (BCIKS20 / Ligero),
//   queries:        t distinct column queries all miss the disagreement set,
//   evaluation:     the random batching coefficients cancel a wrong claim (Schwartz–Zippel).
// "Bits" are -log2 of the interactive (round-by-round) error; after Fiat–Shamir an attacker
// who evaluates the hash Q times succeeds with probability at most about Q·2^-bits.
//
// Pure arithmetic on doubles; thread-safe; no secrets involved.
#pragma once

#include <cstdint>

namespace zektra {

// Which proximity-gap theorem the query count relies on.
enum class ProximityRegime {
  // Reed–Solomon codes, unique-decoding radius: up to e = ⌊(L-K)/2⌋ corrupted columns;
  // gap error L/|F| (Ben-Sasson, Carmon, Ishai, Kopparty, Saraf 2020, correlated agreement
  // for affine spaces in the unique-decoding regime). Default.
  kReedSolomonUniqueDecoding,
  // Any linear code, a third of the distance: e = ⌊(L-K)/3⌋; gap error (e+1)/|F|
  // (the Ligero proximity-test lemma in its d/3 form). More queries; kept for comparison
  // and as a fallback should the RS-specific bound ever be in doubt.
  kLinearCodeThirdDistance,
};

// The regime the PCS uses to choose and to check parameters.
inline constexpr ProximityRegime kPcsProximityRegime = ProximityRegime::kReedSolomonUniqueDecoding;

// log2 |F_{p^2}| for the Goldilocks prime (just below 128).
double Log2ChallengeFieldSize();

// The largest number e of corrupted codeword positions the regime tolerates.
uint64_t DecodingRadius(uint64_t message_len, uint64_t codeword_len, ProximityRegime regime);

// Probability that one uniformly random column query fails to expose a cheating prover:
// max(1 - (e+1)/L, (K-1+e)/L). The first term is the proximity test against a matrix that
// is more than e-far from the code; the second the consistency test of a wrong combined
// row when the matrix is e-close (two distinct codewords agree on ≤ K-1 positions, plus e
// corrupted ones). Queries are drawn without replacement, so t queries pass with at most
// this to the power t (QueriesPassLog2 gives the exact hypergeometric value used).
double PerQueryPassProbability(uint64_t message_len, uint64_t codeword_len, ProximityRegime regime);

// log2 of the probability that `queries` distinct uniformly random queries all land on the
// at most A = max(L-e-1, K-1+e) positions where a cheating prover passes:
// Σ_{i<t} log2((A-i)/(L-i)) ≤ t·log2(A/L); -inf when t > A.
double QueriesPassLog2(uint64_t message_len, uint64_t codeword_len, uint64_t queries,
                       ProximityRegime regime);

struct PcsSoundness {
  // Each field is log2 of a probability (≤ 0).
  double proximity_gap_log2 = 0;
  double queries_log2 = 0;
  double evaluation_log2 = 0;
  double total_log2 = 0;
  double bits() const { return -total_log2; }
};

// Error of one opening group: one code shape, `queries` distinct column queries and
// `evaluation_rows` combined evaluation rows (each contributes 1/|F|).
PcsSoundness AnalyzePcsSoundness(uint64_t message_len, uint64_t codeword_len, uint64_t queries,
                                 uint64_t evaluation_rows, ProximityRegime regime);

// Smallest t (≤ codeword_len) whose group error with one evaluation row is ≤ 2^-target_bits,
// or 0 when no t reaches the target (the gap term alone exceeds it, or the code has no
// redundancy).
uint64_t QueriesForTarget(uint64_t message_len, uint64_t codeword_len, double target_bits,
                          ProximityRegime regime);

}  // namespace zektra
