#include "zektra/zk/multilinear.h"

#include <algorithm>
#include <bit>
#include <mutex>

#include "zektra/base/status.h"
#include "zektra/base/thread_pool.h"
#include "zektra/field/lazy_sum.h"

namespace zektra {

std::vector<Fp2> EqTable(std::span<const Fp2> point) {
  const size_t n = point.size();
  std::vector<Fp2> table(size_t{1} << n);
  table[0] = Fp2::One();
  // After step k, table[0..2^(k+1)) holds eq over variables 0..k. The new variable is
  // the high bit of the filled prefix, so entries split as (1 - r)·t and r·t.
  for (size_t k = 0; k < n; ++k) {
    const size_t half = size_t{1} << k;
    const Fp2 r = point[k];
    for (size_t b = 0; b < half; ++b) {
      Fp2 hi = table[b] * r;
      table[b + half] = hi;
      table[b] = table[b] - hi;
    }
  }
  return table;
}

Fp2 EqEval(std::span<const Fp2> a, std::span<const Fp2> b) {
  ZK_CHECK(a.size() == b.size(), "eq of points of different dimension");
  Fp2 acc = Fp2::One();
  for (size_t k = 0; k < a.size(); ++k) {
    Fp2 ab = a[k] * b[k];
    acc *= ab + ab + Fp2::One() - a[k] - b[k];  // ab + (1-a)(1-b)
  }
  return acc;
}

template <typename T>
static Fp2 EvaluateByFolding(std::span<const T> f, std::span<const Fp2> point) {
  if (point.empty()) return Fp2(f[0]);
  std::vector<Fp2> cur(f.size() / 2);
  const Fp2 r = point[0];
  for (size_t b = 0; b < cur.size(); ++b) cur[b] = Fp2(f[2 * b]) + r * (Fp2(f[2 * b + 1]) - Fp2(f[2 * b]));
  for (size_t k = 1; k < point.size(); ++k) FoldLowVariableInPlace(cur, point[k]);
  return cur[0];
}

// f(point) = Σ_h eq_high[h]·Σ_l eq_low[l]·f[h·2^low + l] with eq split over the low and high
// halves of the variables: one product per entry (inner sums reduced once, field/lazy_sum.h)
// instead of a fold chain, no 2^(n−1) scratch table, and the rows split over the pool.
// The same field element as folding (exact arithmetic); small tables still fold.
template <typename T>
static Fp2 Evaluate(std::span<const T> f, std::span<const Fp2> point) {
  ZK_CHECK(f.size() == (size_t{1} << point.size()), "evaluation vector length is not 2^n");
  constexpr size_t kMinSplitVariables = 12;
  if (point.size() < kMinSplitVariables) return EvaluateByFolding(f, point);
  const size_t low_bits = point.size() / 2, row = size_t{1} << low_bits;
  const std::vector<Fp2> eq_low = EqTable(point.first(low_bits));
  const std::vector<Fp2> eq_high = EqTable(point.subspan(low_bits));
  Fp2 total = Fp2::Zero();
  std::mutex total_mutex;
  ParallelFor(
      0, eq_high.size(),
      [&](size_t begin, size_t end) {
        Fp2 part = Fp2::Zero();
        for (size_t h = begin; h < end; ++h) {
          const T* values = f.data() + h * row;
          LazySumFp2 inner;
          for (size_t l = 0; l < row; ++l) inner.AddProduct(eq_low[l], values[l]);
          part += eq_high[h] * inner.Reduce();
        }
        std::lock_guard<std::mutex> lock(total_mutex);
        total += part;
      },
      std::max<size_t>(1, size_t{1 << 14} >> low_bits));
  return total;
}

Fp2 EvaluateMultilinear(std::span<const Fp> f, std::span<const Fp2> point) { return Evaluate(f, point); }
Fp2 EvaluateMultilinear(std::span<const Fp2> f, std::span<const Fp2> point) { return Evaluate(f, point); }

std::vector<Fp2> FoldLowVariable(std::span<const Fp> f, Fp2 r) {
  ZK_CHECK(f.size() >= 2 && f.size() % 2 == 0, "fold needs an even length");
  std::vector<Fp2> out(f.size() / 2);
  for (size_t b = 0; b < out.size(); ++b) {
    Fp d = f[2 * b + 1] - f[2 * b];
    out[b] = Fp2(f[2 * b]) + r * d;
  }
  return out;
}

void FoldLowVariableInPlace(std::vector<Fp2>& f, Fp2 r) {
  ZK_CHECK(f.size() >= 2 && f.size() % 2 == 0, "fold needs an even length");
  const size_t half = f.size() / 2;
  for (size_t b = 0; b < half; ++b) f[b] = f[2 * b] + r * (f[2 * b + 1] - f[2 * b]);
  f.resize(half);
}

}  // namespace zektra
