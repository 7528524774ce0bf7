// Zero-knowledge logUp lookups with committed inverses and a live-entry selector, for
// witnesses whose committed columns carry blinding entries that no relation may see.
//
// Why a second lookup argument. The plain one (zk/logup.h) proves the logUp identity with a
// GKR tree whose layer claims and round messages are functions of the looked-up values, and
// it looks up every entry of a column. A column blinded with random entries (the proof of
// training gives every column a random upper half, pot/training_proof.cc) has entries that
// are not in any table, and every value the verifier sees must be an evaluation at a point
// where the random entries carry weight. This variant therefore
//   * looks up only the "live" entries: the entries vector (2^n) packs the caller's columns as
//     aligned segments; segment c has 2^s_c entries and its live entries are its lower half
//     (the caller's real half; the upper half is blinding and is ignored);
//   * replaces the GKR tree by a committed helper in the BASE field,
//         v(x) = 1/N(α − e(x)),   N(z) = z·z̄ the norm of Fp2 over Fp,
//     on live entries (e = input + β·output for function tables, ē = input + β̄·output), and
//     uniformly random Fp values elsewhere, so v is blinded and half the size of an Fp2
//     inverse: 1/(α − e) = v·(ᾱ − ē), and N(α − e) is a degree-2 polynomial in the columns;
//   * splits the multiplicities m over the padded table (2^k rows) into m' of 2^(k+1) entries,
//     m'(y) = m(y) − R(y), m'(2^k + y) = R(y) with R uniform, so m' is blinded too while
//     Σ_ζ m'(y, ζ) = m(y);
//   * proves everything with ONE sumcheck of degree 4 and a public claimed sum, to be run masked
//     (zk/sumcheck_zk.h):
//       Σ_x [ S(x)·v(x)·(ᾱ − ē(x)) + λ·E(x)·(v(x)·N(α − e(x)) − 1) ] − Σ_y Tinv(y)·m'(y) = 0
//     (the −λ·E part summed publicly: ZkLookupClaimedSum)
//     with S the live selector, E(x) = eq(r, x)·S(x), Tinv(y) = 1/(α − T(y mod 2^k)).
//     For a random λ and r this holds only if v·N(α − e) = 1 on every live entry and
//     Σ_live 1/(α − e) = Σ_y m(y)/(α − T(y)), which is the logUp identity. No intermediate
//     sum is revealed (the two sides are in one sumcheck), so nothing about the multiset of
//     entries leaks beyond "every live entry is in the table".
// Both sides live on one domain of L = max(n, k + 1) variables: the smaller side's public
// tables are zero outside its first block, its witness tables are repeated, so their
// multilinear extensions at the final point are the caller's polynomials at the low
// coordinates.
//
// Multilinears of the sumcheck (ZkLookupMultilinear order): S, E, Tinv (public, embedded),
// m', v, inputs (repeated), then for function tables the outputs. The public factors of the
// terms (ᾱ, −1, −β̄ on S; λαᾱ, −λ(α + ᾱ), −λ(αβ̄ + ᾱβ) on E) are the terms' coefficients, so
// the prover keeps two public tables of the entries' size, one of them the 0/1 selector in
// the base field, rather than one per combination. The summand's
// −λ·E term has the public sum λ·S(r), so the claimed sum is that (ZkLookupClaimedSum) rather
// than 0. The verifier evaluates the public ones itself (ZkLookupPublicValues: O(2^k) for
// Tinv, O(segments·n) for the others) and hands m', v, inputs and outputs to the caller as
// claims at the low coordinates of the final point.
//
// Soundness: logUp's (N + T)/|F| for α and β (N live entries, T table rows), plus n/|F|
// for the zero-check point r and 1/|F| for λ, plus the sumcheck's 4L/|F|. The caller must
// commit to the columns and m' before α, β are drawn, and to v before r and λ.
//
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "zektra/zk/logup.h"
#include "zektra/zk/sumcheck.h"

namespace zektra {

struct ZkLookupLayout {
  struct Segment {
    size_t log_size = 0;  // s ≥ 1: 2^s entries, the lower half live
    uint64_t offset = 0;  // a multiple of 2^s
  };
  std::vector<Segment> segments;
  size_t log_entries = 0;  // n
  bool has_outputs = false;
  size_t log_table = 0;  // k: the padded table has 2^k rows

  // Segments of these sizes, packed by decreasing size (aligned), in the given order.
  static ZkLookupLayout Pack(std::span<const size_t> log_sizes, bool has_outputs,
                             size_t log_table);
  size_t log_domain() const;  // L = max(n, k + 1)
  // eq(point's coordinates s..n−1, the segment's index bits): the weight of segment g in
  // the entries' extension, entries(p) = Σ_g weight_g(p)·column_g(p_0..p_{s−1}).
  Fp2 SegmentWeight(size_t g, std::span<const Fp2> point) const;
};

// S over the 2^n entries (0/1).
std::vector<Fp> ZkLookupSelector(const ZkLookupLayout& layout);

// v: 1/N(α − in − β·out) on live entries, uniformly random elsewhere (fresh randomness).
std::vector<Fp> ZkLookupHelper(const ZkLookupLayout& layout, std::span<const Fp> inputs,
                               std::span<const Fp> outputs, Fp2 alpha, Fp2 beta);
// The same, written into v (2^log_entries entries; e.g. a segment of a packed helper).
void ZkLookupHelperInto(const ZkLookupLayout& layout, std::span<const Fp> inputs,
                        std::span<const Fp> outputs, Fp2 alpha, Fp2 beta, std::span<Fp> v);

// m' from m (2^k entries): 2^(k+1) entries with a fresh random split.
std::vector<Fp> ZkSplitMultiplicities(std::span<const Fp> multiplicities);

enum ZkLookupMultilinear : uint32_t {
  kZkSelector,
  kZkE,
  kZkTableInverse,
  kZkMultiplicities,
  kZkHelper,
  kZkInputs,
  kZkOutputs,  // function tables only
};
inline constexpr size_t kZkLookupMultilinears = 6, kZkLookupMultilinearsFunction = 7;

// The sumcheck shape (L variables, degree 4) and its claimed sum λ·S(r).
SumOfProducts ZkLookupShape(const ZkLookupLayout& layout, Fp2 alpha, Fp2 beta, Fp2 lambda);
Fp2 ZkLookupClaimedSum(const ZkLookupLayout& layout, std::span<const Fp2> zero_check_point,
                       Fp2 lambda);

// The prover's multilinears (owned; pass Refs(), in the shape's order).
struct ZkLookupTables {
  // The public tables store their live prefix only: S and E end with the last live entry,
  // Tinv with its 2^(k+1)-entry block; every later entry up to `domain` is zero, and the
  // sumcheck neither reads nor folds it (MultilinearRef::LivePrefix).
  std::vector<Fp> selector;                                 // public, 0/1
  std::vector<Fp2> eq_selector, table_inverse;              // public
  size_t domain = 0;                                        // 2^L, the sumcheck's entries
  std::vector<Fp> multiplicities, helper, inputs, outputs;  // the witness's: wiped when dropped
  // When set, the sumcheck reads v from here (the caller's committed helper, left unchanged)
  // instead of `helper`.
  std::span<const Fp> borrowed_helper;

  ZkLookupTables() = default;
  ZkLookupTables(ZkLookupTables&&) = default;
  ZkLookupTables& operator=(ZkLookupTables&&) = default;
  ZkLookupTables(const ZkLookupTables&) = delete;
  ZkLookupTables& operator=(const ZkLookupTables&) = delete;
  ~ZkLookupTables();
  std::vector<MultilinearRef> Refs() const;
  // The same with the Fp2 tables consumable (MultilinearRef::Consumable): the sumcheck folds
  // them in place, and they hold garbage afterwards. For callers that drop the tables after
  // the one sumcheck.
  std::vector<MultilinearRef> ConsumingRefs();
};
ZkLookupTables ZkLookupProverTables(const ZkLookupLayout& layout, const LookupTable& table,
                                    std::span<const Fp> inputs, std::span<const Fp> outputs,
                                    std::span<const Fp> helper,
                                    std::span<const Fp> split_multiplicities, Fp2 alpha,
                                    Fp2 beta, Fp2 lambda, std::span<const Fp2> zero_check_point);
// The same, taking the entries and the helper over instead of copying them: when the entries
// fill the whole domain (n ≥ k + 1, every range lookup) the vectors become the tables as they
// are, which saves three copies of up to 2^n entries per lookup. outputs is empty for tables
// without outputs. The caller's vectors are left empty.
ZkLookupTables ZkLookupProverTablesTaking(const ZkLookupLayout& layout, const LookupTable& table,
                                          std::vector<Fp>&& inputs, std::vector<Fp>&& outputs,
                                          std::vector<Fp>&& helper,
                                          std::span<const Fp> split_multiplicities, Fp2 alpha,
                                          Fp2 beta, Fp2 lambda,
                                          std::span<const Fp2> zero_check_point);

// The same with v read in place from the caller's span (a segment of its committed helper,
// which must outlive the tables) rather than copied: for lookups whose entries fill the
// domain (n ≥ k + 1, every range lookup); the others take a copy as above.
ZkLookupTables ZkLookupProverTablesBorrowingHelper(const ZkLookupLayout& layout,
                                                   const LookupTable& table,
                                                   std::vector<Fp>&& inputs,
                                                   std::vector<Fp>&& outputs,
                                                   std::span<const Fp> helper,
                                                   std::span<const Fp> split_multiplicities,
                                                   Fp2 alpha, Fp2 beta, Fp2 lambda,
                                                   std::span<const Fp2> zero_check_point);

// The verifier's values of the public multilinears at the sumcheck's final point.
struct ZkLookupPublic {
  Fp2 selector, eq_selector, table_inverse;
};
ZkLookupPublic ZkLookupPublicValues(const ZkLookupLayout& layout, const LookupTable& table,
                                    Fp2 alpha, Fp2 beta, Fp2 lambda,
                                    std::span<const Fp2> zero_check_point,
                                    std::span<const Fp2> point);

// Checks the public final values of a verified lookup sumcheck (values in the shape's
// order); Rejected names the table that differs.
Status ZkLookupCheckPublic(const ZkLookupLayout& layout, const LookupTable& table, Fp2 alpha,
                           Fp2 beta, Fp2 lambda, std::span<const Fp2> zero_check_point,
                           std::span<const Fp2> point, std::span<const Fp2> values);

// The coordinates at which the caller's claims live: entries (inputs, outputs, h) at the
// first n coordinates of the final point, m' at the first k + 1.
inline std::vector<Fp2> ZkLookupEntryPoint(const ZkLookupLayout& l, std::span<const Fp2> point) {
  return {point.begin(), point.begin() + static_cast<std::ptrdiff_t>(l.log_entries)};
}
inline std::vector<Fp2> ZkLookupMultiplicityPoint(const ZkLookupLayout& l,
                                                  std::span<const Fp2> point) {
  return {point.begin(), point.begin() + static_cast<std::ptrdiff_t>(l.log_table + 1)};
}

}  // namespace zektra
