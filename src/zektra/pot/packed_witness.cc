#include "zektra/pot/packed_witness.h"

#include <algorithm>
#include <bit>

#include "zektra/base/thread_pool.h"
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

BatchedClaim ProveClaimBatch(const PackedLayout& layout, std::span<const Fp> packed,
                             std::span<const ColumnClaim> claims, Transcript& transcript,
                             PotMaskedProof* proof) {
  std::vector<Fp2> gam = transcript.ChallengeFp2s("pot.batch_coefficients", claims.size());
  Fp2 sum = Fp2::Zero();
  std::vector<Fp2> g(packed.size(), Fp2::Zero());
  // Many claims share a point (a lookup's columns, a sumcheck's outcomes): one eq table each.
  std::vector<bool> done(claims.size(), false);
  for (size_t k = 0; k < claims.size(); ++k) {
    sum += gam[k] * claims[k].value;
    if (done[k]) continue;
    std::vector<Fp2> eq = EqTable(claims[k].point);
    for (size_t m = k; m < claims.size(); ++m) {
      if (done[m] || claims[m].point != claims[k].point) continue;
      done[m] = true;
      const uint64_t off = layout.offset(claims[m].col);
      const Fp2 c = gam[m];
      ParallelFor(
          0, eq.size(),
          [&](size_t b, size_t e) {
            for (size_t x = b; x < e; ++x) g[off + x] += c * eq[x];
          },
          1 << 14);
    }
  }
  MultilinearRef inputs[] = {packed, g};
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
