// Reusable pieces of the proofs of training: a packed multi-column witness, a registry of
// evaluation claims on its columns, the batching of every claim into one evaluation of the
// packed polynomial, and the 16-bit limb encoding of bounded integers.
//
// Packed witness. A proof commits many columns (tensors stacked over steps, limb columns,
// multiplicity columns) as segments of ONE multilinear polynomial P, so that one hiding PCS
// commitment and one opening cover them all. Column c of 2^k_c entries occupies the aligned
// segment [offset_c, offset_c + 2^k_c) of P; segments are placed by decreasing size, so every
// offset is a multiple of the segment's size and
//     P(point_c, bits(offset_c / 2^k_c)) = c(point_c)
// (zk/multilinear.h convention: the column's variables are the low ones). Layout is a public
// function of the column list, derived identically by prover and verifier.
//
// Claim batching. Claims c_k(x_k) = v_k on columns are combined with random γ_k (drawn after
// every claim is fixed) into Σ_k γ_k·v_k = Σ_b P(b)·g(b), g = Σ_k γ_k·eq(packed point_k, b),
// proven by one masked degree-2 sumcheck; the verifier evaluates g at the final point itself
// (O(#claims·log|P|)) and is left with one evaluation P(s), opened by the caller. Soundness:
// #claims/|F| for the γ plus the sumcheck's 2·log|P|/|F|.
//
// Limbs. A bounded u ∈ [0, 2^k) (k ≤ 48) is Σ_l coef_l·limb_l, every limb in [0, 2^16) (a range
// lookup); the top limb is pre-scaled by 2^(16 − its width) so that the one 16-bit table bounds
// it: a passing decomposition proves u < 2^(k+1) once the relation it enters is multiplied
// through by the scale (all our relations are between small integers, so this holds).
//
// Cost: packing O(|P|); batching O(|P| + #claims·2^k) for the prover. Nothing here leaks more
// than the masked sumcheck and the hiding PCS it runs over (zk/sumcheck_zk.h, zk/pcs.h).
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <vector>

#include "zektra/zk/sumcheck_zk_pcs.h"

namespace zektra::pot {

using PotScheme = LigeroCommitmentScheme;
using PotMaskedProof = MaskedSumcheckProof<PotScheme>;

// 2^e in the field, also for negative e (the inverse power).
Fp Pow2(int e);
inline Fp2 Pow2x(int e) {
  return Fp2(Pow2(e));
}
inline Fp2 SignedFp2(int64_t v) {
  return Fp2(Fp::FromSigned(v));
}

// Number of 16-bit limbs for a bound of k bits (k ≤ 48).
inline int LimbCount(int k) {
  return k <= 16 ? 1 : k <= 32 ? 2 : 3;
}
std::array<Fp, 3> LimbCoefs(int k);
std::array<uint64_t, 3> LimbValues(uint64_t u, int k);
// Σ_l coef_l(k)·limbs[l] − offset: the integer a limb decomposition stands for.
Fp2 Recompose(int k, std::span<const Fp2> limbs, int64_t offset);

class PackedLayout {
 public:
  // Registers a column of 2^log_size entries; returns its id. Call Finalize() once after.
  int Add(std::string name, int log_size);
  void Finalize();

  int count() const { return static_cast<int>(names_.size()); }
  int log_size(int c) const { return log_size_[c]; }
  uint64_t size(int c) const { return uint64_t{1} << log_size_[c]; }
  uint64_t offset(int c) const { return offset_[c]; }
  size_t log_total() const { return log_total_; }
  // Entries the columns fill, from 0 (the segments are contiguous); the rest of the 2^log_total
  // is zero, which the commitment uses (PcsParamsWithZeroTail).
  uint64_t used() const { return used_; }
  const std::string& name(int c) const { return names_[c]; }
  // The point of P at which P equals column c at `point`.
  std::vector<Fp2> PackedPoint(int c, std::span<const Fp2> point) const;
  // P from the columns (each of its registered size; missing columns are zero).
  std::vector<Fp> Pack(const std::vector<std::vector<Fp>>& columns) const;

 private:
  std::vector<std::string> names_;
  std::vector<int> log_size_;
  std::vector<uint64_t> offset_;
  size_t log_total_ = 0;
  uint64_t used_ = 0;
};

// P's values as one buffer that a witness builder writes column by column, instead of building
// separate column vectors and copying them into P (Pack): one allocation, no copy. It starts
// zero (fresh anonymous memory: no page is touched until written, and on a VM the first touch
// of a page costs far more than the write). Holds witness data: its pages go back to the
// kernel when it goes (see Release). Movable, not copyable.
class PackedValues {
 public:
  PackedValues() = default;
  explicit PackedValues(const PackedLayout& layout);
  PackedValues(PackedValues&& other) noexcept;
  PackedValues& operator=(PackedValues&& other) noexcept;
  PackedValues(const PackedValues&) = delete;
  PackedValues& operator=(const PackedValues&) = delete;
  ~PackedValues();

  std::span<Fp> values() { return {data_, size_}; }
  std::span<const Fp> values() const { return {data_, size_}; }
  // Column c's segment (the layout this buffer was made for).
  std::span<Fp> column(const PackedLayout& layout, int c) {
    return values().subspan(layout.offset(c), layout.size(c));
  }

 private:
  void Release();
  Fp* data_ = nullptr;
  size_t size_ = 0;
  size_t used_ = 0;  // the layout's used prefix: what is wiped on release
};

struct ColumnClaim {
  int col = 0;
  std::vector<Fp2> point;
  Fp2 value;
};

struct BatchedClaim {
  std::vector<Fp2> point;  // of P
  Fp2 value;               // P(point), to be opened
};

// Both sides draw the γ from the transcript ("pot.batch_coefficients"). The prover requires
// packed to have 2^log_total entries, zero from layout.used() on (PackedValues is), and reads
// only the used prefix.
BatchedClaim ProveClaimBatch(const PackedLayout& layout, std::span<const Fp> packed,
                             std::span<const ColumnClaim> claims, Transcript& transcript,
                             PotMaskedProof* proof);
Result<BatchedClaim> VerifyClaimBatch(const PackedLayout& layout,
                                      std::span<const ColumnClaim> claims,
                                      const PotMaskedProof& proof, Transcript& transcript);

// Points as bit vectors and concatenations (low coordinates first).
std::vector<Fp2> BitsPoint(uint64_t value, size_t n);
std::vector<Fp2> ConcatPoints(std::initializer_list<std::span<const Fp2>> parts);

}  // namespace zektra::pot
