#include "zektra/pot/standardisation_relation.h"

#include <algorithm>
#include <bit>
#include <string>

#include "zektra/base/thread_pool.h"
#include "zektra/pot/packed_witness.h"
#include "zektra/zk/multilinear.h"

namespace zektra::pot {
namespace {

// The per-column public functions of the relation, in a fixed order.
enum ColFn { kFnOne, kFnMult, kFnMeanMult, kFnMean, kFnOff, kFnCf0, kFnCf1, kFnCf2, kNumColFns };

Fp ColFnValue(const DataStandardisation& ds, int fn, uint64_t j) {
  switch (fn) {
    case kFnOne:
      return Fp::One();
    case kFnMult:
      return Fp::FromSigned(ds.col_mult[j]);
    case kFnMeanMult:
      return Fp::FromSigned(ds.col_mean[j]) * Fp::FromSigned(ds.col_mult[j]);
    case kFnMean:
      return Fp::FromSigned(ds.col_mean[j]);
    case kFnOff:
      return Pow2(ds.col_k[j] - 1);
    default:
      return LimbCoefs(ds.col_k[j])[fn - kFnCf0];
  }
}

// The nine public coefficients at one entry x = (j, row), given ES = eq(r, x)·[row trains] split
// as es[fn] = ES·fn(j), and the gather kernel K(x): the relation
//   2^32·x_std + rem − (M − mean)·mult  and  μ·(Σ coef·d − (M − mean) − 2^(k−1)),
// plus ρ·K·x_std, with x_std = xslo + 2^9·xsk − 2^24, rem = remlo + 2^16·remhi.
std::array<Fp2, kDataWitness + 1> Coefficients(const std::array<Fp2, kNumColFns>& es, Fp2 kern,
                                               Fp2 mu, Fp2 rho) {
  return {Pow2x(32) * es[kFnOne] + rho * kern,
          Pow2x(41) * es[kFnOne] + rho * Pow2x(9) * kern,
          es[kFnOne],
          Pow2x(16) * es[kFnOne],
          -mu * es[kFnCf0],
          -mu * es[kFnCf1],
          -mu * es[kFnCf2],
          mu * es[kFnOne] - es[kFnMult],
          es[kFnMeanMult] - Pow2x(56) * es[kFnOne] + mu * (es[kFnOff] - es[kFnMean]) -
              rho * Pow2x(24) * kern};
}

// Σ_t eq(a, t)·eq(b, t)·f(t).
Fp2 WeightedEq(std::span<const Fp2> a, std::span<const Fp2> b, std::span<const Fp> f) {
  const std::vector<Fp2> ea = EqTable(a), eb = EqTable(b);
  Fp2 acc = Fp2::Zero();
  for (size_t t = 0; t < ea.size(); ++t) acc += ea[t] * eb[t] * Fp2(f[t]);
  return acc;
}

}  // namespace

Status SetDataStandardisation(const RunSchedule& s, std::span<const int64_t> mean,
                              std::span<const int64_t> multiplier, int64_t label_mean,
                              int64_t label_multiplier, DataStandardisation& out) {
  const uint64_t d = s.features;
  if (mean.size() != d || multiplier.size() != d)
    return Status::BadInput("statement: preprocessing vectors do not match the feature count");
  out.col_mean.assign(s.Dp(), 0);
  out.col_mult.assign(s.Dp(), 0);
  out.col_k.assign(s.Dp(), 48);
  for (uint64_t j = 0; j <= d; ++j) {
    const int64_t m = j < d ? mean[j] : label_mean;
    const int64_t k = j < d ? multiplier[j] : label_multiplier;
    if (k < 0 || k > (int64_t{1} << 49) || m <= -(int64_t{1} << 46) || m >= (int64_t{1} << 46)) {
      return Status::BadInput("statement: preprocessing parameter of column " + std::to_string(j) +
                              " out of range");
    }
    out.col_mean[j] = m;
    out.col_mult[j] = k;
    out.col_k[j] = std::min(48, 58 - static_cast<int>(std::bit_width(static_cast<uint64_t>(k))));
  }
  return Status::Ok();
}

SumOfProducts DataRelationShape(size_t vars) {
  SumOfProducts shape{vars, 2 * kDataWitness + 1, {}};
  for (uint32_t c = 0; c < kDataWitness; ++c) {
    shape.terms.push_back(ProductTerm{Fp2::One(), {static_cast<uint32_t>(kDataWitness) + c, c}});
  }
  shape.terms.push_back(ProductTerm{Fp2::One(), {2 * kDataWitness}});
  return shape;
}

std::array<std::vector<Fp2>, kDataWitness + 1> DataRelationTables(
    const RunSchedule& s, const DataStandardisation& ds, std::span<const GatherClaim> gathers,
    const DataRelationChallenges& ch) {
  const uint64_t N = s.N(), Dp = s.Dp();
  // The gather kernel K(row, j) = Σ_k γ_k·c_k(row)·e_k(j).
  std::vector<Fp2> kern(N * Dp, Fp2::Zero());
  for (size_t k = 0; k < gathers.size(); ++k) {
    const std::vector<Fp2> c = RowWeights(s, gathers[k].w), e = ColWeights(s, gathers[k]);
    ParallelFor(
        0, N,
        [&](size_t b, size_t en) {
          for (size_t r = b; r < en; ++r) {
            if (c[r] == Fp2::Zero()) continue;
            const Fp2 cr = ch.gammas[k] * c[r];
            for (uint64_t j = 0; j < Dp; ++j) kern[r * Dp + j] += cr * e[j];
          }
        },
        64);
  }
  const std::span<const Fp2> r(ch.point);
  const std::vector<Fp2> er = EqTable(r.subspan(s.ld)), ej = EqTable(r.first(s.ld));
  std::vector<std::array<Fp2, kNumColFns>> colpart(Dp);
  for (uint64_t j = 0; j < Dp; ++j)
    for (int fn = 0; fn < kNumColFns; ++fn) colpart[j][fn] = ej[j] * Fp2(ColFnValue(ds, fn, j));
  std::array<std::vector<Fp2>, kDataWitness + 1> tables;
  for (auto& v : tables) v.resize(N * Dp);
  ParallelFor(
      0, N,
      [&](size_t b, size_t en) {
        for (size_t row = b; row < en; ++row) {
          const Fp2 rowpart = s.train_row[row] ? er[row] : Fp2::Zero();
          for (uint64_t j = 0; j < Dp; ++j) {
            std::array<Fp2, kNumColFns> es;
            for (int fn = 0; fn < kNumColFns; ++fn) es[fn] = rowpart * colpart[j][fn];
            const auto a = Coefficients(es, kern[row * Dp + j], ch.mu, ch.rho);
            for (size_t c = 0; c <= kDataWitness; ++c) tables[c][row * Dp + j] = a[c];
          }
        }
      },
      16);
  return tables;
}

std::array<Fp2, kDataWitness + 1> DataRelationTablesAt(const RunSchedule& s,
                                                       const DataStandardisation& ds,
                                                       std::span<const GatherClaim> gathers,
                                                       const DataRelationChallenges& ch,
                                                       std::span<const Fp2> at) {
  const std::span<const Fp2> r(ch.point);
  std::vector<Fp> sel(s.N());
  for (uint64_t row = 0; row < s.N(); ++row) sel[row] = Fp::From(s.train_row[row]);
  const Fp2 rowpart = WeightedEq(at.subspan(s.ld), r.subspan(s.ld), sel);
  std::array<Fp2, kNumColFns> es;
  for (int fn = 0; fn < kNumColFns; ++fn) {
    std::vector<Fp> f(s.Dp());
    for (uint64_t j = 0; j < s.Dp(); ++j) f[j] = ColFnValue(ds, fn, j);
    es[fn] = rowpart * WeightedEq(at.first(s.ld), r.first(s.ld), f);
  }
  return Coefficients(es, GatherKernelAt(s, gathers, ch.gammas, at), ch.mu, ch.rho);
}

}  // namespace zektra::pot
