#include "zektra/pot/packed_witness.h"

#include <sys/mman.h>

#include <algorithm>
#include <bit>
#include <new>
#include <type_traits>
#include <utility>

#include "zektra/base/thread_pool.h"
#include "zektra/crypto/random.h"
#include "zektra/field/kernels.h"
#include "zektra/field/uninit_vector.h"
#include "zektra/zk/multilinear.h"

namespace zektra::pot {

Fp Pow2(int e) {
  return e >= 0 ? Fp::From(uint64_t{1} << e) : Fp::From(uint64_t{1} << (-e)).Inverse();
}

std::array<Fp, 3> LimbCoefs(int k) {
  if (k <= 16) return {Pow2(k - 16), Fp::Zero(), Fp::Zero()};
  if (k <= 32) return {Fp::One(), Pow2(k - 16), Fp::Zero()};
  return {Fp::One(), Pow2(16), Pow2(k - 16)};
}

std::array<uint64_t, 3> LimbValues(uint64_t u, int k) {
  if (k <= 16) return {u << (16 - k), 0, 0};
  if (k <= 32) return {u & 0xFFFF, (u >> 16) << (32 - k), 0};
  return {u & 0xFFFF, (u >> 16) & 0xFFFF, (u >> 32) << (48 - k)};
}

Fp2 Recompose(int k, std::span<const Fp2> limbs, int64_t offset) {
  const auto c = LimbCoefs(k);
  Fp2 acc = SignedFp2(-offset);
  for (size_t l = 0; l < limbs.size() && l < 3; ++l) acc += Fp2(c[l]) * limbs[l];
  return acc;
}

int PackedLayout::Add(std::string name, int log_size) {
  names_.push_back(std::move(name));
  log_size_.push_back(log_size);
  offset_.push_back(0);
  return count() - 1;
}

void PackedLayout::Finalize() {
  std::vector<int> order(names_.size());
  for (size_t c = 0; c < order.size(); ++c) order[c] = static_cast<int>(c);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return log_size_[a] > log_size_[b]; });
  uint64_t at = 0;
  for (int c : order) {
    offset_[c] = at;
    at += uint64_t{1} << log_size_[c];
  }
  log_total_ = at <= 1 ? 1 : std::bit_width(at - 1);
  used_ = at;
}

std::vector<Fp2> PackedLayout::PackedPoint(int c, std::span<const Fp2> point) const {
  std::vector<Fp2> p(point.begin(), point.end());
  std::vector<Fp2> hi = BitsPoint(offset_[c] >> log_size_[c], log_total_ - log_size_[c]);
  p.insert(p.end(), hi.begin(), hi.end());
  return p;
}

std::vector<Fp> PackedLayout::Pack(const std::vector<std::vector<Fp>>& columns) const {
  std::vector<Fp> packed(uint64_t{1} << log_total_, Fp::Zero());
  for (int c = 0; c < count() && c < static_cast<int>(columns.size()); ++c) {
    ZK_CHECK(columns[c].empty() || columns[c].size() == size(c), "packed column size");
    std::copy(columns[c].begin(), columns[c].end(), packed.begin() + offset_[c]);
  }
  return packed;
}

PackedValues::PackedValues(const PackedLayout& layout)
    : size_(size_t{1} << layout.log_total()), used_(layout.used()) {
  // Fresh anonymous pages read as zero without anyone writing them: each page is first
  // touched by the code that writes its column, and pages no column reaches stay the
  // kernel's shared zero page.
  void* p =
      mmap(nullptr, size_ * sizeof(Fp), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  static_assert(std::is_trivially_copyable_v<Fp> && sizeof(Fp) == sizeof(uint64_t),
                "all-zero bytes are Fp::Zero()");
  data_ = static_cast<Fp*>(p);
}

PackedValues::PackedValues(PackedValues&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      used_(std::exchange(other.used_, 0)) {}

PackedValues& PackedValues::operator=(PackedValues&& other) noexcept {
  if (this != &other) {
    Release();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    used_ = std::exchange(other.used_, 0);
  }
  return *this;
}

PackedValues::~PackedValues() {
  Release();
}

void PackedValues::Release() {
  if (data_ == nullptr) return;
  // The columns hold the training data: wiped (SecureWipe) before the pages go back to the
  // kernel. Only the layout's used prefix: the zero tail was never written, and wiping it
  // would first-touch pages that hold nothing.
  SecureWipe(data_, used_ * sizeof(Fp));
  munmap(data_, size_ * sizeof(Fp));
  data_ = nullptr;
  size_ = 0;
}

std::vector<Fp2> BitsPoint(uint64_t value, size_t n) {
  std::vector<Fp2> p(n);
  for (size_t k = 0; k < n; ++k) p[k] = ((value >> k) & 1) ? Fp2::One() : Fp2::Zero();
  return p;
}

std::vector<Fp2> ConcatPoints(std::initializer_list<std::span<const Fp2>> parts) {
  std::vector<Fp2> out;
  for (auto p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

namespace {
SumOfProducts BatchShape(size_t vars) {
  return SumOfProducts{vars, 2, {ProductTerm{Fp2::One(), {0, 1}}}};
}
}  // namespace

namespace {

// eq(point, ·) as a product of two half tables: eq(point, (l, h)) = low[l]·high[h] with l the
// low ⌊n/2⌋ bits. Both halves are small (2^(n/2)), so each entry of a column's g costs one
// multiplication per point and the segment is written in parallel.
struct SplitEq {
  size_t low_bits = 0;
  std::vector<Fp2> low, high;  // high is pre-scaled by the claim's coefficient
};

SplitEq MakeSplitEq(std::span<const Fp2> point, Fp2 scale) {
  SplitEq e;
  e.low_bits = point.size() / 2;
  e.low = EqTable(point.first(e.low_bits));
  e.high = EqTable(point.subspan(e.low_bits));
  for (Fp2& h : e.high) h *= scale;
  return e;
}

}  // namespace

BatchedClaim ProveClaimBatch(const PackedLayout& layout, std::span<const Fp> packed,
                             std::span<const ColumnClaim> claims, Transcript& transcript,
                             PotMaskedProof* proof) {
  std::vector<Fp2> gam = transcript.ChallengeFp2s("pot.batch_coefficients", claims.size());
  Fp2 sum = Fp2::Zero();
  for (size_t k = 0; k < claims.size(); ++k) sum += gam[k] * claims[k].value;
  // g = Σ_k γ_k·eq(packed point_k, ·) is zero outside the claimed columns' segments, and on
  // column c's segment it is Σ over c's claims of γ_k·eq(point_k, ·). Claims sharing a column
  // and a point (a lookup's columns, a sumcheck's outcomes) share one table, with their γ
  // summed; each segment is written once, in parallel.
  std::vector<std::vector<size_t>> by_column(layout.count());
  for (size_t k = 0; k < claims.size(); ++k) {
    ZK_CHECK(claims[k].col >= 0 && claims[k].col < layout.count() &&
                 claims[k].point.size() == static_cast<size_t>(layout.log_size(claims[k].col)),
             "claim batching: claim shape");
    by_column[claims[k].col].push_back(k);
  }
  // P and g are zero beyond the columns' segments, [0, used): both go to the sumcheck as live
  // prefixes, so g is allocated (and first touched) over that prefix only and neither tail is
  // read or folded. g's prefix is rounded up to even: the half its in-place fold leaves free,
  // ⌊|g|/2⌋ entries, then holds P's fold (⌈used/2⌉), and the sumcheck allocates nothing.
  // g is not zero-filled up front (one thread first-touching every page, the costliest part
  // of building it on a VM): each row is zeroed where it is written, on the pool, and only
  // the segments no claim names are zeroed on their own.
  ZK_CHECK(packed.size() == (size_t{1} << layout.log_total()) && layout.used() <= packed.size(),
           "claim batching: packed size");
  const size_t used = static_cast<size_t>(layout.used());
  UninitVector<Fp2> g(std::min(packed.size(), used + (used & 1)));
  auto zero_fill = [&](size_t begin, size_t end) {
    ParallelFor(
        begin, end, [&](size_t b, size_t e) { std::fill(g.data() + b, g.data() + e, Fp2::Zero()); },
        size_t{1} << 16);
  };
  zero_fill(used, g.size());
  for (int c = 0; c < layout.count(); ++c) {
    const auto& ks = by_column[c];
    if (ks.empty()) {
      zero_fill(layout.offset(c), layout.offset(c) + layout.size(c));
      continue;
    }
    std::vector<SplitEq> tables;
    std::vector<bool> done(ks.size(), false);
    for (size_t i = 0; i < ks.size(); ++i) {
      if (done[i]) continue;
      Fp2 coefficient = Fp2::Zero();
      for (size_t j = i; j < ks.size(); ++j) {
        if (done[j] || claims[ks[j]].point != claims[ks[i]].point) continue;
        done[j] = true;
        coefficient += gam[ks[j]];
      }
      tables.push_back(MakeSplitEq(claims[ks[i]].point, coefficient));
    }
    // Row h of the segment (2^low_bits entries) is Σ_j high_j[h]·low_j: one extension
    // axpy (field/kernels.h, vectorised) per distinct point, on a row that stays in cache.
    Fp2* segment = g.data() + layout.offset(c);
    const size_t low_bits = tables[0].low_bits, row = size_t{1} << low_bits;
    ParallelFor(
        0, layout.size(c) >> low_bits,
        [&](size_t b, size_t e) {
          for (size_t h = b; h < e; ++h) {
            std::span<Fp2> out(segment + h * row, row);
            std::fill(out.begin(), out.end(), Fp2::Zero());
            for (const SplitEq& t : tables) Axpy(t.high[h], std::span<const Fp2>(t.low), out);
          }
        },
        std::max<size_t>(1, size_t{4096} >> low_bits));
  }
  // g is built for this sumcheck alone: the prover folds it in place (no 2^(n−1) Fp2 copy).
  MultilinearRef inputs[] = {MultilinearRef::LivePrefix(packed.first(used), packed.size()),
                             MultilinearRef::Consumable(g, packed.size())};
  SumcheckClaim sc;
  *proof = ProveMaskedSumcheck(PotScheme{}, BatchShape(layout.log_total()), inputs, sum, transcript,
                               &sc);
  return {sc.point, sc.values[0]};
}

Result<BatchedClaim> VerifyClaimBatch(const PackedLayout& layout,
                                      std::span<const ColumnClaim> claims,
                                      const PotMaskedProof& proof, Transcript& transcript) {
  for (const auto& c : claims) {
    if (c.col < 0 || c.col >= layout.count() ||
        c.point.size() != static_cast<size_t>(layout.log_size(c.col))) {
      return Status::Rejected("claim batching: malformed claim");
    }
  }
  std::vector<Fp2> gam = transcript.ChallengeFp2s("pot.batch_coefficients", claims.size());
  Fp2 sum = Fp2::Zero();
  for (size_t k = 0; k < claims.size(); ++k) sum += gam[k] * claims[k].value;
  auto sc =
      VerifyMaskedSumcheck(PotScheme{}, BatchShape(layout.log_total()), sum, proof, transcript);
  if (!sc.ok()) return Status::Rejected("claim batching: " + sc.status().message());
  Fp2 g = Fp2::Zero();
  for (size_t k = 0; k < claims.size(); ++k) {
    g += gam[k] * EqEval(layout.PackedPoint(claims[k].col, claims[k].point), sc->point);
  }
  if (sc->values[1] != g) return Status::Rejected("claim batching: selector");
  return BatchedClaim{sc->point, sc->values[0]};
}

}  // namespace zektra::pot
