// The sumcheck protocol for sums of products of multilinear polynomials.
//
// Claim: H = Σ_{b ∈ {0,1}^n} Σ_t c_t · Π_{i ∈ term t} f_i(b), every f_i multilinear
// (zk/multilinear.h convention), each term a product of 1..4 of them, so the polynomial
// has degree d = max term length in each variable. Such sums express every relation the
// proof of training needs, e.g. Σ_b eq(r,b)·(a(b)·b(b) − c(b)) = 0 as the terms
// (eq·a·b) − (eq·c); an eq(r, ·) factor is simply one more multilinear (EqTable).
//
// Protocol (binding variables 0, 1, …, n−1 in order, so the final point is
// (r_0, …, r_{n−1}) and matches EvaluateMultilinear):
//   round i: the prover sends p_i(X) = Σ_{b'} g(r_0..r_{i−1}, X, b') as its values at
//            X = 0, 2, 3, …, d. p_i(1) is not sent: the verifier derives it as
//            claim_i − p_i(0), which is exactly the check p_i(0) + p_i(1) = claim_i.
//            Both absorb the message ("sumcheck.round"), then draw r_i ∈ Fp2.
//            claim_{i+1} = p_i(r_i) by interpolation over the nodes 0..d.
//   end:     the prover sends v_i = f_i(r) for every multilinear ("sumcheck.final");
//            the verifier checks Σ_t c_t Π v_i = claim_n and hands (r, v) to the caller,
//            who must check each v_i: by opening a commitment, by evaluating a public
//            polynomial itself (eq tables: EqEval), or by a further reduction.
// Before round 0 both absorb the shape (variables, multilinears, terms) and the claim.
//
// Soundness: a false claim survives with probability ≤ n·d / |Fp2| ≈ n·d·2^−128
// (Schwartz–Zippel per round), provided the caller's checks of the v_i are sound.
//
// Cost: prover O(2^n · (#multilinears + Σ_t |t|·d)) field operations, less where terms
// share factors: each round orders a term's factors (Fp ones first, then the most shared) so
// that common prefixes such as v·in in the lookup are multiplied once per pair and node, and
// multiplies each term's last factor straight into its sum. In the first round the
// base-field inputs stay in Fp (products of Fp factors in Fp, then one Fp2×Fp product),
// later rounds run in Fp2; the arithmetic runs eight lanes at a time on rows of 64 pairs
// (field/row_kernels.h, AVX-512 / AVX2 / portable), blocks where a term has an all-zero
// factor are skipped, pairs beyond a term's shortest live prefix (MultilinearRef::LivePrefix)
// are neither read nor folded, and each Bind folds every table (round 0 into one half-size
// table per multilinear, later rounds in place: the prover's only allocation) and computes
// the next round's message in the same pass over memory; rounds and folds run on the
// ParallelFor pool. Verifier O(n·d^2 + #terms). Proof n·d + #multilinears Fp2 elements.
//
// Leakage: round messages and final values are functions of the witness; this plain
// protocol is not zero-knowledge. zk/sumcheck_zk.h masks it.
#pragma once

#include <cstdint>
#include <span>
#include <variant>
#include <vector>

#include "zektra/base/serialize.h"
#include "zektra/base/status.h"
#include "zektra/field/extension.h"
#include "zektra/field/uninit_vector.h"
#include "zektra/zk/transcript.h"

namespace zektra {

// c · Π_{i ∈ factors} f_i.
struct ProductTerm {
  Fp2 coefficient = Fp2::One();
  std::vector<uint32_t> factors;  // indices into the multilinear list, 1..kMaxFactors of them
};

// The shape of the summed polynomial; public, known to prover and verifier alike.
struct SumOfProducts {
  static constexpr size_t kMaxFactors = 4;

  size_t num_variables = 0;
  size_t num_multilinears = 0;
  std::vector<ProductTerm> terms;

  // f_0 · f_1 · … · f_{k−1} over n variables.
  static SumOfProducts Product(size_t num_variables, size_t k);

  // Longest term (the degree of each round polynomial); 0 for an empty shape.
  size_t Degree() const;
  // Every term has 1..4 factors, each index < num_multilinears, and n ≤ 40.
  Status Validate() const;
  // Σ_t c_t Π values[i].
  Fp2 Combine(std::span<const Fp2> values) const;
  void AbsorbInto(Transcript& transcript) const;
};

// A multilinear polynomial handed to the prover: its hypercube evaluations in Fp (witness
// columns) or Fp2 (eq tables, partially evaluated tensors). Non-owning: the data must
// outlive the prover.
//
// Live prefix: a table of size() entries may store only its first live() ones, every later
// entry being zero (a packed witness with a public zero tail, a selector that is zero beyond
// the claimed segments). The prover then never reads, folds or allocates the tail: a term is
// zero on every pair where one of its factors is, so pairs beyond a term's shortest live
// factor are skipped, and a fold keeps live' = ⌈live/2⌉ entries. Messages and final values
// are the same field elements as for the dense table.
class MultilinearRef {
 public:
  MultilinearRef(std::span<const Fp> values) : values_(values), size_(values.size()) {}   // NOLINT
  MultilinearRef(std::span<const Fp2> values) : values_(values), size_(values.size()) {}  // NOLINT
  MultilinearRef(const std::vector<Fp>& values)                                           // NOLINT
      : MultilinearRef(std::span<const Fp>(values)) {}
  MultilinearRef(const std::vector<Fp2>& values)  // NOLINT
      : MultilinearRef(std::span<const Fp2>(values)) {}

  // A table of `size` entries whose first live.size() are `live` and the rest zero.
  // ZK_CHECKs live.size() ≤ size.
  static MultilinearRef LivePrefix(std::span<const Fp> live, size_t size) {
    MultilinearRef ref(live);
    ref.SetSize(size);
    return ref;
  }
  static MultilinearRef LivePrefix(std::span<const Fp2> live, size_t size) {
    MultilinearRef ref(live);
    ref.SetSize(size);
    return ref;
  }

  // An Fp2 table that the sumcheck prover may overwrite: it folds it in place instead of
  // into a new half-size table (the caller's table holds garbage afterwards). For tables the
  // caller built for this one sumcheck and drops after it; other provers read it unchanged.
  // With `size`, a live prefix as above; the whole span is the prover's to overwrite (the
  // half its fold leaves free holds another input's fold, see SumcheckProver::Bind).
  static MultilinearRef Consumable(std::span<Fp2> values) {
    return Consumable(values, values.size());
  }
  static MultilinearRef Consumable(std::span<Fp2> values, size_t size) {
    MultilinearRef ref = LivePrefix(std::span<const Fp2>(values.data(), values.size()), size);
    ref.consumable_ = values.data();
    return ref;
  }

  bool is_base() const { return std::holds_alternative<std::span<const Fp>>(values_); }
  // The stored entries (the live prefix).
  std::span<const Fp> base() const { return std::get<std::span<const Fp>>(values_); }
  std::span<const Fp2> extension() const { return std::get<std::span<const Fp2>>(values_); }
  // Entries of the table, stored or not.
  size_t size() const { return size_; }
  // Stored entries; every entry from live() on is zero.
  size_t live() const { return is_base() ? base().size() : extension().size(); }
  Fp2 at(size_t i) const {
    if (i >= live()) return Fp2::Zero();
    return is_base() ? Fp2(base()[i]) : extension()[i];
  }
  bool consumable() const { return consumable_ != nullptr; }
  std::span<Fp2> consumable_extension() const { return {consumable_, live()}; }

 private:
  void SetSize(size_t size) {
    ZK_CHECK(live() <= size, "live prefix longer than the table");
    size_ = size;
  }
  std::variant<std::span<const Fp>, std::span<const Fp2>> values_;
  size_t size_ = 0;
  Fp2* consumable_ = nullptr;  // the same table, writable (Consumable)
};

// Σ_b Σ_t c_t Π f_i(b), computed directly (for callers that need the honest claim).
Fp2 SumOverHypercube(const SumOfProducts& shape, std::span<const MultilinearRef> inputs);

// The round-by-round prover. Most callers use ProveSumcheck; the masked sumcheck drives
// it directly to add its mask to each message.
class SumcheckProver {
 public:
  // ZK_CHECKs that the shape is valid and every input has 2^n entries.
  SumcheckProver(SumOfProducts shape, std::span<const MultilinearRef> inputs);

  const SumOfProducts& shape() const { return shape_; }
  size_t round() const { return round_; }
  // p_round at X = 0, 2, 3, …, d (d values; p(1) is implied by the running claim).
  std::vector<Fp2> RoundMessage() const;
  // Fixes the current variable to r and moves to the next round.
  void Bind(Fp2 r);
  // f_i(r_0..r_{n−1}) for every multilinear; only after all n rounds.
  std::vector<Fp2> FinalValues() const;

 private:
  SumOfProducts shape_;
  std::vector<MultilinearRef> inputs_;     // round 0 reads these
  std::vector<UninitVector<Fp2>> folded_;  // round 0's fold of each non-consumable input
  std::vector<std::span<Fp2>> current_;    // rounds ≥ 1 read these (live entries), in place
  std::vector<bool> used_;                 // multilinear appears in some term
  size_t round_ = 0;
  // Bind computes the next round's message while it folds (the folded entries are in cache
  // then); RoundMessage returns it when next_message_round_ == round_.
  static constexpr size_t kNoMessage = ~size_t{0};
  std::vector<Fp2> next_message_;
  size_t next_message_round_ = kNoMessage;
};

struct SumcheckProof {
  std::vector<std::vector<Fp2>> round_messages;  // n messages of d values each
  std::vector<Fp2> final_values;                 // one per multilinear

  void Write(ByteWriter& out) const;
  static Result<SumcheckProof> Read(ByteReader& in);
  size_t SerializedBytes() const;
};

// An evaluation claim p(point) = value on a multilinear the caller can open.
struct EvaluationClaim {
  std::vector<Fp2> point;
  Fp2 value;
};

// What a verified sumcheck leaves for the caller: the values f_i(point) to check.
struct SumcheckClaim {
  std::vector<Fp2> point;
  std::vector<Fp2> values;
};

struct ProvedSumcheck {
  SumcheckProof proof;
  SumcheckClaim claim;  // the point and the (honest) final values, for the prover's caller
};

// Runs the prover. claimed_sum is absorbed, not checked: a false claim gives a proof that
// the verifier rejects.
ProvedSumcheck ProveSumcheck(const SumOfProducts& shape, std::span<const MultilinearRef> inputs,
                             Fp2 claimed_sum, Transcript& transcript);

// Checks the proof against the claim; on success returns the point and final values that
// the caller must still check. Never aborts on a malformed proof.
Result<SumcheckClaim> VerifySumcheck(const SumOfProducts& shape, Fp2 claimed_sum,
                                     const SumcheckProof& proof, Transcript& transcript);

// The verifier's round loop alone: checks n messages of d values against the running
// claim, absorbing and drawing challenges; returns the point and the final claim
// p_{n−1}(r_{n−1}) that the evaluations must explain. Used by the masked sumcheck.
struct RoundsOutcome {
  std::vector<Fp2> point;
  Fp2 final_claim;
};
Result<RoundsOutcome> VerifySumcheckRounds(size_t num_variables, size_t degree, Fp2 claimed_sum,
                                           std::span<const std::vector<Fp2>> round_messages,
                                           Transcript& transcript);

// Wire helpers shared by the zk/ proof formats: field elements as canonical u64s; the
// readers reject non-canonical values (≥ p) and lengths that cannot fit.
void WriteFp(ByteWriter& out, Fp value);
void WriteFp2(ByteWriter& out, Fp2 value);
void WriteFp2Vector(ByteWriter& out, std::span<const Fp2> values);
Fp ReadFp(ByteReader& in, const char* what);
Fp2 ReadFp2(ByteReader& in, const char* what);
std::vector<Fp2> ReadFp2Vector(ByteReader& in, const char* what, uint64_t max_count);

}  // namespace zektra
