// The sumcheck prover's round messages against a direct evaluation of the definition, for
// every mix of base-field and extension inputs the fast paths distinguish (a term's factors
// all in Fp, all in Fp2, or split; one to four factors; unused multilinears), and for the
// thread split (sizes above the pool's per-thread minimum).
#include <gtest/gtest.h>

#include <functional>

#include "zektra/base/thread_pool.h"
#include "zektra/crypto/random.h"
#include "zektra/zk/multilinear.h"
#include "zektra/zk/sumcheck.h"

namespace zektra {
namespace {

// p_round(X) at X = node by the definition: Σ over the free variables of the shape, with the
// bound variables fixed to `bound` (folded tables of the inputs).
Fp2 MessageByDefinition(const SumOfProducts& shape, const std::vector<std::vector<Fp2>>& tables,
                        uint64_t node) {
  const size_t half = tables[0].size() / 2;
  const Fp2 x = Fp2::From(node);
  Fp2 total = Fp2::Zero();
  for (size_t b = 0; b < half; ++b) {
    for (const auto& t : shape.terms) {
      Fp2 prod = t.coefficient;
      for (uint32_t i : t.factors) {
        const Fp2 lo = tables[i][2 * b], hi = tables[i][2 * b + 1];
        prod *= lo + x * (hi - lo);
      }
      total += prod;
    }
  }
  return total;
}

std::vector<Fp2> Fold(const std::vector<Fp2>& f, Fp2 r) {
  std::vector<Fp2> out(f.size() / 2);
  for (size_t b = 0; b < out.size(); ++b) out[b] = f[2 * b] + r * (f[2 * b + 1] - f[2 * b]);
  return out;
}

// zero(m, b): entry b of input m is forced to zero (the structure of lookup tables: blinding
// halves, a table block shorter than the domain), which exercises the zero-block skipping.
using ZeroPattern = std::function<bool(size_t, size_t)>;

void CheckAgainstDefinition(const SumOfProducts& shape, const std::vector<bool>& is_base,
                            const ZeroPattern& zero = nullptr) {
  const size_t size = size_t{1} << shape.num_variables;
  std::vector<std::vector<Fp>> base(is_base.size());
  std::vector<std::vector<Fp2>> ext(is_base.size()), tables(is_base.size());
  std::vector<MultilinearRef> refs;
  for (size_t m = 0; m < is_base.size(); ++m) {
    if (is_base[m]) {
      base[m] = RandomFpVector(size);
      for (size_t i = 0; i < size; ++i)
        if (zero && zero(m, i)) base[m][i] = Fp::Zero();
      for (Fp v : base[m]) tables[m].push_back(Fp2(v));
      refs.emplace_back(base[m]);
    } else {
      for (size_t i = 0; i < size; ++i)
        ext[m].push_back(zero && zero(m, i) ? Fp2::Zero() : RandomFp2());
      tables[m] = ext[m];
      refs.emplace_back(ext[m]);
    }
  }
  SumcheckProver prover(shape, refs);
  const size_t d = shape.Degree();
  for (size_t round = 0; round < shape.num_variables; ++round) {
    std::vector<Fp2> message = prover.RoundMessage();
    ASSERT_EQ(message.size(), d);
    for (size_t node = 0; node < d; ++node) {
      const uint64_t x = node == 0 ? 0 : node + 1;
      ASSERT_EQ(message[node], MessageByDefinition(shape, tables, x))
          << "round " << round << " node " << x;
    }
    const Fp2 r = RandomFp2();
    prover.Bind(r);
    for (auto& t : tables) t = Fold(t, r);
  }
  std::vector<Fp2> finals = prover.FinalValues();
  for (size_t m = 0; m < tables.size(); ++m) EXPECT_EQ(finals[m], tables[m][0]) << "input " << m;
}

SumOfProducts EveryTermKind(size_t n) {
  // Inputs 0, 1, 2 are base-field in the mixed runs, 3 and 4 extension, 5 unused.
  SumOfProducts s{n, 6, {}};
  s.terms.push_back({RandomFp2(), {0}});
  s.terms.push_back({RandomFp2(), {3}});
  s.terms.push_back({RandomFp2(), {0, 1}});
  s.terms.push_back({RandomFp2(), {0, 1, 2, 1}});
  s.terms.push_back({RandomFp2(), {3, 4}});
  s.terms.push_back({RandomFp2(), {3, 4, 3}});
  s.terms.push_back({RandomFp2(), {0, 3}});
  s.terms.push_back({RandomFp2(), {1, 3, 2, 4}});
  s.terms.push_back({RandomFp2(), {4, 0, 4, 3}});
  return s;
}

TEST(SumcheckProver, MixedFieldMessagesMatchTheDefinition) {
  for (size_t n : {1, 3, 7}) {
    CheckAgainstDefinition(EveryTermKind(n), {true, true, true, false, false, true});
    CheckAgainstDefinition(EveryTermKind(n), {true, true, true, true, true, true});
    CheckAgainstDefinition(EveryTermKind(n), {false, false, false, false, false, false});
  }
}

TEST(SumcheckProver, ThreadedRoundsMatchTheDefinition) {
  // 2^14 entries: the first rounds split over the pool, the last ones run inline.
  const size_t previous = ThreadCount();
  SetThreadCount(3);
  SumOfProducts s{14, 3, {{Fp2::One(), {0, 1}}, {RandomFp2(), {2, 0, 1}}}};
  CheckAgainstDefinition(s, {true, false, true});
  SetThreadCount(previous);
}

// Rounds after the first fold in place in waves of blocks (sumcheck.cc FoldInPlace): 2^16
// entries give several waves on the pool. Inputs 0 and 2 are zero on the upper half of every
// 2^12-entry segment and input 1 beyond its first 2^9 entries, like a lookup's selector and
// table side, so whole blocks of terms are skipped in the first rounds.
TEST(SumcheckProver, InPlaceFoldsAndZeroBlocksMatchTheDefinition) {
  const size_t previous = ThreadCount();
  SetThreadCount(3);
  SumOfProducts s{16,
                  4,
                  {{RandomFp2(), {0, 3}},
                   {RandomFp2(), {2, 3, 3}},
                   {-Fp2::One(), {1, 3}},
                   {RandomFp2(), {0, 1, 2, 3}}}};
  const ZeroPattern zero = [](size_t m, size_t b) {
    if (m == 0 || m == 2) return ((b >> 11) & 1) == 1;
    if (m == 1) return b >= 512;
    return false;
  };
  CheckAgainstDefinition(s, {false, false, false, true}, zero);
  CheckAgainstDefinition(s, {true, false, true, true}, zero);
  SetThreadCount(previous);
}

// EvaluateMultilinear switches to a split-eq, threaded evaluation from 2^12 entries on: it
// must give Σ_b f(b)·eq(point, b) exactly, for base-field and extension tables.
TEST(MultilinearEvaluation, LargeTablesMatchTheDefinition) {
  const size_t previous = ThreadCount();
  SetThreadCount(3);
  for (size_t n : {11, 12, 13, 16}) {
    std::vector<Fp2> point(n);
    for (auto& x : point) x = RandomFp2();
    const std::vector<Fp2> eq = EqTable(point);
    const std::vector<Fp> f = RandomFpVector(size_t{1} << n);
    std::vector<Fp2> g(f.size());
    Fp2 want_f = Fp2::Zero(), want_g = Fp2::Zero();
    for (size_t b = 0; b < f.size(); ++b) {
      g[b] = RandomFp2();
      want_f += eq[b] * f[b];
      want_g += eq[b] * g[b];
    }
    EXPECT_EQ(EvaluateMultilinear(f, point), want_f) << n;
    EXPECT_EQ(EvaluateMultilinear(g, point), want_g) << n;
  }
  SetThreadCount(previous);
}

}  // namespace
}  // namespace zektra
