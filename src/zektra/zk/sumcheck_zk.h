// Zero-knowledge (masked) sumcheck, after Libra (Xie et al. 2019), over any polynomial
// commitment scheme that satisfies the PolynomialCommitmentScheme concept below.
//
// The prover commits to a random masking polynomial g(x) = Σ_k g_k(x_k), each g_k a
// univariate of the round degree d with coefficients in Fp2, and sends G = Σ_b g(b). The
// verifier draws ρ; the plain sumcheck (zk/sumcheck.h) then runs on f + ρ·g for the claim
// H + ρ·G. At the end the prover sends f_i(r) (for the caller, as in the plain sumcheck)
// and the n values g_k(r_k), which one batched opening of the mask commitment proves.
//
// Why the round messages hide f: the mask has n·(d+1) free Fp2 coefficients; the view adds
// G, n·d round values and the n values g_k(r_k), tied by n+1 verifier checks. These linear
// maps of the mask are injective, so for ρ ≠ 0 the masked messages are uniform among those
// passing the checks, and a simulator knowing H and f(r) produces the same distribution.
// This needs (a) a hiding commitment whose opening reveals only the claimed values (the
// test commitment in sumcheck_zk_test.cc is binding but reveals everything), and (b) that
// the caller treats f_i(r) themselves: they are revealed and must be values of masked /
// blinded polynomials (DESIGN.md "evaluation claims only on masked polynomials").
//
// How g is committed. Write g_k(X) = Σ_{j ≤ d} c_{k,j} X^j with c = a + X·b (a, b ∈ Fp^{d+1},
// X the generator of Fp2 over Fp). The committed table, of 2^(m + log n' + 1) Fp entries
// (m = ⌈log2(d+1)⌉, n' = n rounded up to a power of two), is, index = (comp, k, j):
//     T[0][k][·] = Z(a_k),  T[1][k][·] = Z(a_k + b_k)
// where Z is the subset-sum (zeta) transform over the m low variables, so that the
// multilinear extension of T[comp][k] is the multilinear polynomial with monomial
// coefficients a_k resp. a_k + b_k. Hence
//     MLE(T)(r, r^2, r^4, …, bits(k), X) = (1−X)·a_k(r) + X·(a_k(r) + b_k(r)) = g_k(r),
// so every g_k(r_k) is one evaluation of the one committed polynomial, and all n of them
// go through a single batched opening.
//
// Soundness: the plain sumcheck's n·d/|F| plus 1/|F| for ρ (Σf ≠ H and the mask cancelling
// it requires ρ = (H − Σf)/(Σg − G)), plus the commitment's opening error. A prover that
// commits to a g_k of degree up to 2^m − 1 > d only raises the per-round term to
// (2^m − 1)/|F|.
//
// Cost: prover = plain sumcheck + O(n·d) for the mask + one commitment and opening of a
// table of about 4·n·(d+1) entries; proof adds one commitment, G, n values, one opening.
#pragma once

#include <bit>
#include <concepts>
#include <span>
#include <vector>

#include "zektra/crypto/random.h"
#include "zektra/zk/sumcheck.h"

namespace zektra {

// A claim poly_index(point) = value about one of several committed polynomials.
struct CommittedEvaluationClaim {
  size_t poly_index = 0;
  std::vector<Fp2> point;
  Fp2 value;
};

// A multilinear polynomial commitment: commit to 2^k evaluations in Fp, then prove a batch
// of evaluation claims at Fp2 points about several committed polynomials at once.
// Commitments are absorbed into the transcript by the scheme itself; Open and Verify run on
// the caller's transcript, in the same state. Verify never aborts on a malformed proof.
template <typename S>
concept PolynomialCommitmentScheme = requires(
    const S& scheme, std::span<const Fp> evaluations, const typename S::ProverData& data,
    const typename S::Commitment& commitment, std::span<const typename S::ProverData* const> polys,
    std::span<const typename S::Commitment> commitments,
    std::span<const CommittedEvaluationClaim> claims, const typename S::OpeningProof& proof,
    Transcript& transcript, ByteWriter& writer, ByteReader& reader) {
  { scheme.Commit(evaluations) } -> std::same_as<typename S::ProverData>;
  { scheme.CommitmentOf(data) } -> std::convertible_to<typename S::Commitment>;
  { scheme.AbsorbCommitment(commitment, transcript) } -> std::same_as<void>;
  { scheme.Open(polys, claims, transcript) } -> std::same_as<typename S::OpeningProof>;
  { scheme.Verify(commitments, claims, proof, transcript) } -> std::same_as<Status>;
  { scheme.WriteCommitment(commitment, writer) } -> std::same_as<void>;
  { scheme.ReadCommitment(reader) } -> std::same_as<Result<typename S::Commitment>>;
  { scheme.WriteProof(proof, writer) } -> std::same_as<void>;
  { scheme.ReadProof(reader) } -> std::same_as<Result<typename S::OpeningProof>>;
};

// The masking polynomial g and its committed table. Secret: wiped on destruction.
class SumcheckMask {
 public:
  // Uniformly random g for n ≥ 1 rounds of degree 1 ≤ d ≤ 7.
  static SumcheckMask Random(size_t num_variables, size_t degree);
  SumcheckMask(const SumcheckMask&) = delete;
  SumcheckMask& operator=(const SumcheckMask&) = delete;
  SumcheckMask(SumcheckMask&&) = default;
  SumcheckMask& operator=(SumcheckMask&&) = default;
  ~SumcheckMask();

  const std::vector<Fp>& table() const { return table_; }
  // G = Σ_b g(b).
  Fp2 Sum() const;
  // g_k(x).
  Fp2 Evaluate(size_t k, Fp2 x) const;
  // The mask's round-i polynomial Σ_{b'} g(r_0..r_{i−1}, X, b') at X = 0, 2, …, d, given
  // the values Σ_{k<i} g_k(r_k) of the bound variables.
  std::vector<Fp2> RoundMessage(size_t round, Fp2 bound_sum) const;

 private:
  SumcheckMask() = default;
  size_t num_variables_ = 0, degree_ = 0;
  std::vector<std::vector<Fp2>> coefficients_;  // [k][0..d]
  std::vector<Fp> table_;
};

// log2 of the committed table's length, and the point at which MLE(table) = g_k(r_k).
size_t MaskTableLog(size_t num_variables, size_t degree);
std::vector<Fp2> MaskOpeningPoint(size_t num_variables, size_t degree, size_t k, Fp2 r_k);

template <PolynomialCommitmentScheme S>
struct MaskedSumcheckProof {
  typename S::Commitment mask_commitment;
  Fp2 mask_sum;                                  // G
  std::vector<std::vector<Fp2>> round_messages;  // of f + ρ·g, at 0, 2, …, d
  std::vector<Fp2> final_values;                 // f_i(r), for the caller
  std::vector<Fp2> mask_values;                  // g_k(r_k)
  typename S::OpeningProof mask_opening;

  void Write(const S& scheme, ByteWriter& out) const {
    scheme.WriteCommitment(mask_commitment, out);
    WriteFp2(out, mask_sum);
    out.U64(round_messages.size());
    for (const auto& m : round_messages) WriteFp2Vector(out, m);
    WriteFp2Vector(out, final_values);
    WriteFp2Vector(out, mask_values);
    scheme.WriteProof(mask_opening, out);
  }
  static Result<MaskedSumcheckProof> Read(const S& scheme, ByteReader& in) {
    auto commitment = scheme.ReadCommitment(in);
    if (!commitment.ok()) return commitment.status();
    MaskedSumcheckProof p{std::move(*commitment), Fp2(), {}, {}, {}, {}};
    p.mask_sum = ReadFp2(in, "masked sumcheck mask sum");
    uint64_t rounds = in.Count("masked sumcheck rounds", 8, 40);
    for (uint64_t i = 0; i < rounds && in.ok(); ++i) {
      p.round_messages.push_back(ReadFp2Vector(in, "masked sumcheck round", 8));
    }
    p.final_values = ReadFp2Vector(in, "masked sumcheck final values", 1 << 16);
    p.mask_values = ReadFp2Vector(in, "masked sumcheck mask values", 40);
    if (!in.ok()) return in.status();
    auto opening = scheme.ReadProof(in);
    if (!opening.ok()) return opening.status();
    p.mask_opening = std::move(*opening);
    return p;
  }
};

namespace internal {
void AbsorbMaskedHeader(const SumOfProducts& shape, Fp2 claimed_sum, Transcript& transcript);
std::vector<CommittedEvaluationClaim> MaskClaims(size_t num_variables, size_t degree,
                                                 std::span<const Fp2> point,
                                                 std::span<const Fp2> mask_values);
}  // namespace internal

// Proves H = Σ_b shape(f(b)) without revealing more than f_i(r) (see above).
template <PolynomialCommitmentScheme S>
MaskedSumcheckProof<S> ProveMaskedSumcheck(const S& scheme, const SumOfProducts& shape,
                                           std::span<const MultilinearRef> inputs, Fp2 claimed_sum,
                                           Transcript& transcript, SumcheckClaim* claim = nullptr) {
  const size_t n = shape.num_variables, d = shape.Degree();
  ZK_CHECK(n >= 1, "the masked sumcheck needs at least one variable");
  SumcheckProver prover(shape, inputs);
  SumcheckMask mask = SumcheckMask::Random(n, d);
  typename S::ProverData mask_data = scheme.Commit(mask.table());
  MaskedSumcheckProof<S> proof{scheme.CommitmentOf(mask_data), mask.Sum(), {}, {}, {}, {}};

  internal::AbsorbMaskedHeader(shape, claimed_sum, transcript);
  scheme.AbsorbCommitment(proof.mask_commitment, transcript);
  transcript.AbsorbFp2("zksumcheck.mask_sum", proof.mask_sum);
  const Fp2 rho = transcript.ChallengeFp2("zksumcheck.rho");

  std::vector<Fp2> point;
  Fp2 bound_sum = Fp2::Zero();
  for (size_t i = 0; i < n; ++i) {
    std::vector<Fp2> message = prover.RoundMessage();
    std::vector<Fp2> masked = mask.RoundMessage(i, bound_sum);
    for (size_t j = 0; j < d; ++j) message[j] += rho * masked[j];
    transcript.AbsorbFp2s("sumcheck.round", message);
    Fp2 r = transcript.ChallengeFp2("sumcheck.challenge");
    prover.Bind(r);
    bound_sum += mask.Evaluate(i, r);
    proof.mask_values.push_back(mask.Evaluate(i, r));
    proof.round_messages.push_back(std::move(message));
    point.push_back(r);
  }
  proof.final_values = prover.FinalValues();
  transcript.AbsorbFp2s("zksumcheck.final", proof.final_values);
  transcript.AbsorbFp2s("zksumcheck.mask_values", proof.mask_values);
  auto claims = internal::MaskClaims(n, d, point, proof.mask_values);
  const typename S::ProverData* polys[] = {&mask_data};
  proof.mask_opening = scheme.Open(std::span<const typename S::ProverData* const>(polys), claims, transcript);
  if (claim != nullptr) *claim = {point, proof.final_values};
  return proof;
}

// On success returns the point and f_i(point) for the caller to check.
template <PolynomialCommitmentScheme S>
Result<SumcheckClaim> VerifyMaskedSumcheck(const S& scheme, const SumOfProducts& shape, Fp2 claimed_sum,
                                           const MaskedSumcheckProof<S>& proof, Transcript& transcript) {
  ZK_RETURN_IF_ERROR(shape.Validate());
  const size_t n = shape.num_variables, d = shape.Degree();
  if (n < 1) return Status::InvalidArgument("the masked sumcheck needs at least one variable");
  internal::AbsorbMaskedHeader(shape, claimed_sum, transcript);
  scheme.AbsorbCommitment(proof.mask_commitment, transcript);
  transcript.AbsorbFp2("zksumcheck.mask_sum", proof.mask_sum);
  const Fp2 rho = transcript.ChallengeFp2("zksumcheck.rho");
  ZK_ASSIGN_OR_RETURN(RoundsOutcome rounds,
                      VerifySumcheckRounds(n, d, claimed_sum + rho * proof.mask_sum,
                                           proof.round_messages, transcript));
  if (proof.final_values.size() != shape.num_multilinears || proof.mask_values.size() != n) {
    return Status::BadInput("masked sumcheck proof has " + std::to_string(proof.final_values.size()) +
                            " final values and " + std::to_string(proof.mask_values.size()) +
                            " mask values, expected " + std::to_string(shape.num_multilinears) +
                            " and " + std::to_string(n));
  }
  transcript.AbsorbFp2s("zksumcheck.final", proof.final_values);
  transcript.AbsorbFp2s("zksumcheck.mask_values", proof.mask_values);
  Fp2 mask_at_point = Fp2::Zero();
  for (Fp2 v : proof.mask_values) mask_at_point += v;
  if (shape.Combine(proof.final_values) + rho * mask_at_point != rounds.final_claim) {
    return Status::Rejected("masked sumcheck final check failed");
  }
  auto claims = internal::MaskClaims(n, d, rounds.point, proof.mask_values);
  const typename S::Commitment commitments[] = {proof.mask_commitment};
  Status opened = scheme.Verify(std::span<const typename S::Commitment>(commitments), claims,
                                proof.mask_opening, transcript);
  if (!opened.ok()) return opened.WithContext("masked sumcheck: mask opening");
  return SumcheckClaim{std::move(rounds.point), proof.final_values};
}

}  // namespace zektra
