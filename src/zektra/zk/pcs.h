// Multilinear polynomial commitment (Ligero/Brakedown family) over Goldilocks.
//
// What it is for: committing to a multilinear polynomial f given by its 2^n evaluations
// (zk/multilinear.h convention), then proving claims f(z) = y at points z ∈ F_{p^2}^n,
// several polynomials and several points in one batched opening. Transparent (SHA-256
// only), no trusted setup. The protocol, the soundness analysis and the zero-knowledge
// argument are in docs/PROOF_SYSTEM.md ("Polynomial commitment", "Soundness calculator").
//
// Shape: f is laid out as a rows × cols matrix M with index = row·cols + col, so the low
// log2(cols) variables select the column and the high ones the row; then
//   f(z) = eq(z_high)ᵀ · M · eq(z_low).
// Each row, read as the coefficients of a polynomial of degree < K (K = cols + padding),
// is Reed–Solomon encoded by evaluating it on the coset 7·⟨ω_L⟩ of size L (CosetNtt).
// Column j of the encoded matrix is Merkle leaf j (zk/merkle.h).
//
// Opening (PcsOpen / PcsVerify), for each group of polynomials sharing a code shape:
//   1. hiding only: the prover commits fresh random mask rows (a second Merkle tree) and
//      sends each evaluation mask's value β at the point's low part;
//   2. challenges: α per committed row (proximity), γ per claim, ξ per evaluation row;
//   3. the prover sends the proximity row u = Σ α_i·row_i (+ mask) and one evaluation row
//      v = Σ_claims γ·eq(z_high)ᵀ·M (+ ξ·mask) per distinct low point;
//   4. t distinct columns, drawn from the transcript after u and v, are opened in every
//      tree of the group with one batched Merkle multi-opening per tree; the verifier checks
//      that Enc(u) and Enc(v) agree with the same combinations of the opened columns, and
//      that ⟨eq(z_low), v⟩ = Σ γ·y (+ ξ·β).
//
// Transcript order (prover and verifier do exactly this; see PROOF_SYSTEM.md):
//   "pcs.commitment_count", then per commitment "pcs.commitment" (its serialized bytes);
//   "pcs.claim_count", then per claim "pcs.claim.poly", "pcs.claim.point", "pcs.claim.value";
//   per group (hiding): "pcs.mask_root", "pcs.mask_evaluations";
//   per group: challenges "pcs.row_coefficients", "pcs.claim_coefficients", (hiding)
//   "pcs.mask_coefficients"; per group: "pcs.proximity_row", "pcs.evaluation_row" (each);
//   per group: challenge "pcs.queries". Nothing is absorbed after the queries.
//
// Hiding mode (zero knowledge): each row carries `padding` ≥ t·max_openings random
// coefficients, so any ≤ padding opened columns are uniformly random; every Merkle leaf is
// salted; u and v are masked by fresh uniformly random F_{p^2} rows committed at opening
// time. What the verifier learns: the claimed values, and nothing else (up to 2^-128
// statistical error), for at most `max_openings` openings of one commitment — PcsOpen
// aborts beyond that. Non-hiding mode (public data) has no padding, masks or salts.
//
// Cost at 2^n evaluations, rows·cols = 2^n, codeword length L = cols·2^log_inv_rate:
// commit = rows NTTs of size L + hashing rows·L field elements; open = one pass over M
// per combined row; verify = (1 + evaluation rows) pairs of NTTs of size L + hashing
// t·rows elements. Proof ≈ t·rows·8 + (1 + evaluation rows)·K·16 bytes + Merkle nodes.
//
// Memory (prover): the message matrix rows·K·8 bytes (rows·padding·8 when the evaluations
// are borrowed, PcsCommitBorrowing), plus the column-major codeword matrix
// rows·L·8 bytes only when it fits PcsCodewordCacheBytes(); commit streams the encoding a
// block of rows at a time into per-column SHA-256 states (MerkleLeafStreams), so a larger
// codeword matrix never exists whole, and an opening re-encodes the rows to read the t
// queried columns instead (one more pass of NTTs, same commitment, same proofs).
//
// Thread safety: PcsCommit/PcsOpen/PcsVerify use the worker pool; PcsProverData may be
// shared read-only, but two concurrent PcsOpen calls on one hiding PcsProverData race on
// its opening counter. Secrets (rows, padding, codewords, salts) are wiped on destruction
// in hiding mode.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "zektra/base/serialize.h"
#include "zektra/base/status.h"
#include "zektra/field/extension.h"
#include "zektra/zk/merkle.h"
#include "zektra/zk/soundness.h"
#include "zektra/zk/transcript.h"

namespace zektra {

inline constexpr int kPcsDefaultLogInvRate = 1;  // blowup 2 (see PROOF_SYSTEM.md for why)
inline constexpr int kPcsMaxLogSize = 40;

struct PcsParams {
  int log_size = 0;          // 2^log_size evaluations
  int log_cols = 0;          // row length before padding
  int log_codeword_len = 0;  // L = 2^log_codeword_len ≥ cols + padding
  uint32_t padding = 0;      // random coefficients appended to each row (hiding only)
  uint32_t queries = 0;      // column queries per opening
  bool hiding = false;
  uint32_t max_openings = 1;  // hiding: openings the padding is sized for
  // Rows of the matrix that are committed, in [1, 2^log_rows]. The rows from committed_rows
  // on are zero by definition (public, like the rest of the parameters): a polynomial whose
  // evaluations end in a known run of zeros (a packed witness that does not fill its power of
  // two) is committed, opened and verified over its first committed_rows rows only, which
  // saves their encoding, hashing, opening work and proof bytes. See PcsParamsWithZeroTail.
  uint64_t committed_rows = 0;

  int log_rows() const { return log_size - log_cols; }
  uint64_t full_rows() const { return uint64_t{1} << log_rows(); }
  uint64_t rows() const { return committed_rows; }  // the committed rows
  uint64_t cols() const { return uint64_t{1} << log_cols; }
  uint64_t message_len() const { return cols() + padding; }                  // K
  uint64_t codeword_len() const { return uint64_t{1} << log_codeword_len; }  // L
  bool operator==(const PcsParams&) const = default;
};

// Parameters for a polynomial of 2^log_size evaluations: the matrix shape that balances
// proof size against verifier work, blowup 2, and the query count from the soundness
// calculator for target_bits. Hiding parameters size the padding for max_openings openings.
PcsParams ChoosePcsParams(int log_size, bool hiding, double target_bits = 100,
                          uint32_t max_openings = 1);
// The same with an explicit shape. Polynomials committed with equal (log_cols,
// log_inv_rate, hiding, target_bits, max_openings) share one code shape, so a batch opening
// queries the same columns of all of them.
PcsParams MakePcsParams(int log_size, int log_cols, int log_inv_rate, bool hiding,
                        double target_bits = 100, uint32_t max_openings = 1);
// `params` for a polynomial whose evaluations from index live_length on are all zero: only
// the rows holding the first live_length evaluations are committed (at least one). The
// prover's PcsCommit checks that the rest is zero.
PcsParams PcsParamsWithZeroTail(PcsParams params, uint64_t live_length);
// Range and consistency checks (not a security floor: PcsVerify applies that).
Status ValidatePcsParams(const PcsParams& params);
// Soundness of an opening group with these parameters and one evaluation row.
PcsSoundness PcsParamsSoundness(const PcsParams& params);

struct PcsCommitment {
  Digest root{};
  PcsParams params;

  void Write(ByteWriter& out) const;  // versioned: "ZKPC", version, root, parameters
  static Result<PcsCommitment> Read(ByteReader& in);
  Bytes Serialize() const;
  static Result<PcsCommitment> Parse(ByteSpan bytes);  // whole buffer, no trailing bytes
  bool operator==(const PcsCommitment&) const = default;
};

// The prover's side of a commitment: the row-major message matrix (evaluations, held as a
// copy or borrowed from the caller, and padding), the column-major codeword matrix when it
// is kept, leaf salts and the Merkle tree.
class PcsProverData {
 public:
  PcsProverData() = default;
  ~PcsProverData();
  PcsProverData(PcsProverData&&) = default;
  PcsProverData& operator=(PcsProverData&&) = default;
  PcsProverData(const PcsProverData&) = delete;
  PcsProverData& operator=(const PcsProverData&) = delete;

  PcsCommitment commitment() const { return {tree_.root(), params_}; }
  const PcsParams& params() const { return params_; }
  // Row r of the message matrix (K values: the evaluations of that row, then padding).
  std::vector<Fp> message_row(uint64_t r) const;
  // The committed evaluations (rows × cols, row-major: the polynomial's 2^log_size values).
  std::span<const Fp> evaluations() const { return evaluations_; }
  // Whether the evaluations are the caller's (PcsCommitBorrowing) rather than a copy.
  bool borrows_evaluations() const { return owned_evaluations_.empty() && !evaluations_.empty(); }
  uint32_t openings_used() const { return openings_used_; }
  // Whether the codeword matrix was kept (see PcsCodewordCacheBytes); if not, openings
  // re-encode the rows.
  bool keeps_codewords() const { return !codewords_.empty(); }

 private:
  friend PcsProverData PcsCommitWith(std::span<const Fp>, const PcsParams&, const Digest*, bool);
  friend struct PcsProverDataAccess;
  PcsParams params_;
  std::vector<Fp> owned_evaluations_;  // the copy, unless borrowed
  std::span<const Fp> evaluations_;    // rows × cols, row-major (owned or the caller's)
  std::vector<Fp> padding_;            // rows × padding, row-major (hiding)
  std::vector<Fp> codewords_;  // L × rows, column-major: leaf j is codewords_[j·rows, (j+1)·rows)
  std::vector<Digest> salts_;  // hiding: one per leaf
  MerkleTree tree_;
  mutable uint32_t openings_used_ = 0;
};

// The same without copying the evaluations: the prover data reads them from `evaluations`
// for as long as it lives, so the caller keeps them alive, unchanged and in place until the
// prover data is destroyed (a dataset commitment keeps its matrix beside its prover data).
// Saves 2^log_size·8 bytes and one pass over them. Same commitment as PcsCommit. A null
// seed draws fresh randomness. The caller wipes its evaluations when they are secret.
PcsProverData PcsCommitBorrowing(std::span<const Fp> evaluations, const PcsParams& params,
                                 const Digest* randomness_seed = nullptr);

// Largest codeword matrix (rows·L·8 bytes) that PcsCommit keeps for openings; above it the
// prover trades one re-encoding per opening for the memory. Process-wide, read at commit
// time. Default 256 MiB: polynomials up to 2^24 evaluations (at blowup 2) keep their
// codewords; larger ones re-encode their rows once per opening. Why so low: a kept matrix is
// 2× the polynomial and lives from commit to opening, at the prover's peak; re-encoding costs
// about one NTT pass over the rows (≈ 0.5 s of CPU at 2^26), while the memory costs at least
// its first touch, which on the VMs we measure on is ≈ 2 ms per MB (2 s per GiB): the network
// proof of training (two 2^26 polynomials) was 4 s faster and 2 GiB smaller without the cache
// (docs/BENCHMARKS.md, "Memory is time"). 0 never keeps them.
inline constexpr uint64_t kPcsDefaultCodewordCacheBytes = uint64_t{256} << 20;
void SetPcsCodewordCacheBytes(uint64_t bytes);
uint64_t PcsCodewordCacheBytes();

// evaluations.size() must be 2^params.log_size (checked: a caller bug, not input).
PcsProverData PcsCommit(std::span<const Fp> evaluations, const PcsParams& params);
// The same, with the hiding randomness (row padding and leaf salts) derived from a secret
// 32-byte seed instead of fresh randomness, so the owner can rebuild the prover data of a
// long-lived commitment (a dataset's) later and get the same root. The seed is a secret
// key: whoever holds it can strip the hiding. Opening masks stay fresh per opening.
PcsProverData PcsCommit(std::span<const Fp> evaluations, const PcsParams& params,
                        const Digest& randomness_seed);

struct PcsClaim {
  size_t poly_index = 0;   // into the polys / commitments span
  std::vector<Fp2> point;  // length log_size, variable 0 first
  Fp2 value;
};

// One Merkle tree opened at the group's queries.
struct PcsTreeOpening {
  std::vector<Fp> columns;    // queries × leaf width, in query order
  std::vector<Digest> salts;  // hiding: the salt of each opened leaf, in query order
  MerkleMultiProof path;
};

struct PcsGroupProof {
  bool hiding = false;
  Digest mask_root{};                             // hiding only
  std::vector<Fp2> mask_evaluations;              // hiding: β per evaluation row
  std::vector<Fp2> proximity_row;                 // u, K entries
  std::vector<std::vector<Fp2>> evaluation_rows;  // v per distinct low point, K entries each
  std::vector<PcsTreeOpening> polys;              // per polynomial of the group, by index
  PcsTreeOpening mask;                            // hiding only; leaf = the masks' F_{p^2} column
};

struct PcsOpeningProof {
  std::vector<PcsGroupProof> groups;

  void Write(ByteWriter& out) const;  // versioned: "ZKPO", version, groups
  Bytes Serialize() const;
  size_t ByteSize() const;
};

// Parses a proof written by PcsOpeningProof::Write; every length is checked against the
// bytes that remain and every field element must be canonical. Shapes are checked later by
// PcsVerify against the commitments and claims.
Result<PcsOpeningProof> ParsePcsOpeningProof(ByteReader& in);
Result<PcsOpeningProof> ParsePcsOpeningProof(ByteSpan bytes);  // whole buffer

// Proves every claim. Each claim must be true and name a polynomial of `polys` with a point
// of its dimension (checked: caller bugs abort). The transcript must be in the same state
// as the verifier's.
PcsOpeningProof PcsOpen(std::span<const PcsProverData* const> polys,
                        std::span<const PcsClaim> claims, Transcript& transcript);

// For tests only: a cheating prover. `alter_rows(group, proof)` may change the combined rows
// after the honest prover computed them and before they are absorbed, so the queries are
// drawn consistently with the altered rows and only the column checks can catch it. Claims
// are not checked, so a test can also forge rows for a false claim.
PcsOpeningProof PcsOpenCheatingForTest(
    std::span<const PcsProverData* const> polys, std::span<const PcsClaim> claims,
    Transcript& transcript, const std::function<void(size_t, PcsGroupProof&)>& alter_rows);

// OK when the proof establishes every claim; Rejected with a reason otherwise (BadInput for
// commitments or claims that are malformed). Refuses commitments whose parameters give less
// than min_security_bits. Never aborts on any proof.
Status PcsVerify(std::span<const PcsCommitment> commitments, std::span<const PcsClaim> claims,
                 const PcsOpeningProof& proof, Transcript& transcript,
                 double min_security_bits = 100);

// The total soundness error of one batched opening of these claims (union over groups).
Result<PcsSoundness> PcsOpeningSoundness(std::span<const PcsCommitment> commitments,
                                         std::span<const PcsClaim> claims);

}  // namespace zektra
