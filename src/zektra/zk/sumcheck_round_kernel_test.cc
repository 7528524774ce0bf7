// The sumcheck round kernel (product trie over field/row_kernels.h) against a straightforward
// evaluation of each round polynomial, on random shapes: base and extension inputs mixed,
// repeated factors, shared and unshared prefixes, zero blocks (aligned and not), degrees 1–4,
// consumable inputs, sizes below and above the pool's threading threshold, at every SIMD
// level the CPU has. Field arithmetic is exact, so equality must be exact.
#include <gtest/gtest.h>

#include <memory>

#include "zektra/base/thread_pool.h"
#include "zektra/crypto/random.h"
#include "zektra/field/field_simd.h"
#include "zektra/zk/sumcheck.h"

namespace zektra {
namespace {

size_t Below(size_t bound) {
  return static_cast<size_t>(RandomU64() % bound);
}

// p(X) at the message's nodes 0, 2, …, d from the current tables, summed pair by pair.
std::vector<Fp2> ReferenceMessage(const SumOfProducts& shape,
                                  const std::vector<std::vector<Fp2>>& tables) {
  const size_t d = shape.Degree();
  std::vector<Fp2> message(d, Fp2::Zero());
  for (size_t node = 0; node < d; ++node) {
    const Fp2 x = Fp2::From(node == 0 ? 0 : node + 1);
    for (size_t b = 0; b < tables[0].size() / 2; ++b) {
      for (const auto& t : shape.terms) {
        Fp2 prod = t.coefficient;
        for (uint32_t i : t.factors) {
          const Fp2 lo = tables[i][2 * b], hi = tables[i][2 * b + 1];
          prod *= lo + x * (hi - lo);
        }
        message[node] += prod;
      }
    }
  }
  return message;
}

// A random shape: 1–6 multilinears, 1–6 terms of 1..max_factors factors drawn with
// repetition; a third of the shapes reuse one term's prefix in later terms (as the lookup
// does), so the shared products of the trie are exercised.
SumOfProducts RandomShape(size_t n, size_t max_factors) {
  SumOfProducts s;
  s.num_variables = n;
  s.num_multilinears = 1 + Below(6);
  const size_t num_terms = 1 + Below(6);
  const bool share = Below(3) == 0;
  for (size_t t = 0; t < num_terms; ++t) {
    ProductTerm term;
    term.coefficient = Below(4) == 0 ? Fp2::One() : RandomFp2();
    const size_t k = 1 + Below(max_factors);
    for (size_t f = 0; f < k; ++f) {
      if (share && t > 0 && f < s.terms[0].factors.size() && Below(2) == 0) {
        term.factors.push_back(s.terms[0].factors[f]);
      } else {
        term.factors.push_back(static_cast<uint32_t>(Below(s.num_multilinears)));
      }
    }
    s.terms.push_back(std::move(term));
  }
  return s;
}

// Zeroes a random range of entries of a table: sometimes block-aligned halves (the lookups'
// blinding halves), sometimes an arbitrary range, sometimes all of it.
template <typename T>
void ZeroSomeRange(std::vector<T>& table) {
  const size_t size = table.size();
  size_t begin = 0, end = 0;
  switch (Below(4)) {
    case 0:
      begin = size / 2, end = size;
      break;
    case 1:
      begin = Below(size), end = begin + Below(size - begin + 1);
      break;
    case 2:
      begin = 0, end = size;
      break;
    default:
      return;
  }
  for (size_t i = begin; i < end; ++i) table[i] = T();
}

struct Instance {
  SumOfProducts shape;
  std::vector<std::vector<Fp>> base;
  std::vector<std::vector<Fp2>> ext;
  std::vector<std::vector<Fp2>> tables;  // every input as Fp2, folded by the reference
  std::vector<MultilinearRef> refs;
};

std::unique_ptr<Instance> RandomInstance(size_t n, size_t max_factors) {
  auto z = std::make_unique<Instance>();
  z->shape = RandomShape(n, max_factors);
  const size_t num_m = z->shape.num_multilinears, size = size_t{1} << n;
  z->base.resize(num_m);
  z->ext.resize(num_m);
  z->tables.resize(num_m);
  for (size_t m = 0; m < num_m; ++m) {
    const bool has_zeros = Below(3) == 0;
    if (Below(2) == 0) {
      z->base[m] = RandomFpVector(size);
      if (has_zeros) ZeroSomeRange(z->base[m]);
      for (Fp v : z->base[m]) z->tables[m].push_back(Fp2(v));
    } else {
      for (size_t i = 0; i < size; ++i) z->ext[m].push_back(RandomFp2());
      if (has_zeros) ZeroSomeRange(z->ext[m]);
      z->tables[m] = z->ext[m];
    }
  }
  for (size_t m = 0; m < num_m; ++m) {
    if (!z->base[m].empty()) {
      z->refs.emplace_back(z->base[m]);
    } else if (Below(2) == 0) {
      z->refs.push_back(MultilinearRef::Consumable(z->ext[m]));  // folded in place
    } else {
      z->refs.emplace_back(z->ext[m]);
    }
  }
  return z;
}

void CheckInstance(Instance& z, const std::string& what) {
  SumcheckProver prover(z.shape, z.refs);
  for (size_t round = 0; round < z.shape.num_variables; ++round) {
    const std::vector<Fp2> expected = ReferenceMessage(z.shape, z.tables);
    ASSERT_EQ(prover.RoundMessage(), expected) << what << " round " << round;
    const Fp2 r = RandomFp2();
    prover.Bind(r);
    for (auto& t : z.tables) {
      std::vector<Fp2> folded(t.size() / 2);
      for (size_t b = 0; b < folded.size(); ++b)
        folded[b] = t[2 * b] + r * (t[2 * b + 1] - t[2 * b]);
      t = std::move(folded);
    }
  }
  const std::vector<Fp2> finals = prover.FinalValues();
  for (size_t m = 0; m < finals.size(); ++m) ASSERT_EQ(finals[m], z.tables[m][0]) << what;
}

class SumcheckRoundKernel : public ::testing::TestWithParam<SimdLevel> {
 protected:
  void SetUp() override {
    if (GetParam() > BestSupportedSimdLevel()) GTEST_SKIP() << "CPU lacks this level";
    scoped_ = std::make_unique<ScopedSimdLevel>(GetParam());
  }
  std::unique_ptr<ScopedSimdLevel> scoped_;
};

TEST_P(SumcheckRoundKernel, RandomSmallShapesMatchReference) {
  for (int trial = 0; trial < 60; ++trial) {
    const size_t n = 1 + Below(9);  // 1..9 variables: partial blocks, tails, lanes < 8
    auto z = RandomInstance(n, 1 + trial % 4);
    CheckInstance(*z, "trial " + std::to_string(trial) + " n " + std::to_string(n));
    if (HasFatalFailure()) return;
  }
}

TEST_P(SumcheckRoundKernel, ThreadedShapesMatchReference) {
  const size_t threads = ThreadCount();
  SetThreadCount(3);  // an odd split: chunk boundaries off the 64-pair blocks
  for (int trial = 0; trial < 4; ++trial) {
    auto z = RandomInstance(14, 1 + trial % 4);  // 2^13 pairs in round 0: above the threshold
    CheckInstance(*z, "trial " + std::to_string(trial));
    if (HasFatalFailure()) break;
  }
  SetThreadCount(threads);
}

// The lookup's shape, with its shared prefix v·in and base inputs next to extension tables.
TEST_P(SumcheckRoundKernel, LookupShapeMatchesReference) {
  for (int trial = 0; trial < 3; ++trial) {
    auto z = RandomInstance(11, 4);
    // A, C, E, Tinv in Fp2; m', v, in in Fp (the zk lookup's kZk* order).
    z->shape.num_multilinears = 7;
    z->shape.terms = {{RandomFp2(), {0, 5}},
                      {RandomFp2(), {1, 5, 6}},
                      {RandomFp2(), {2, 5, 6, 6}},
                      {-Fp2::One(), {3, 4}}};
    const size_t size = size_t{1} << 11;
    z->base.assign(7, {});
    z->ext.assign(7, {});
    z->tables.assign(7, {});
    z->refs.clear();
    for (size_t m = 0; m < 7; ++m) {
      if (m >= 4) {
        z->base[m] = RandomFpVector(size);
        for (Fp v : z->base[m]) z->tables[m].push_back(Fp2(v));
        z->refs.emplace_back(z->base[m]);
      } else {
        for (size_t i = 0; i < size; ++i)
          z->ext[m].push_back((m == 2 || m == 1) && (i / 256) % 2 == 1 ? Fp2::Zero() : RandomFp2());
        if (m == 3)
          for (size_t i = size / 4; i < size; ++i) z->ext[m][i] = Fp2::Zero();
        z->tables[m] = z->ext[m];
        z->refs.emplace_back(z->ext[m]);
      }
    }
    CheckInstance(*z, "lookup trial " + std::to_string(trial));
    if (HasFatalFailure()) return;
  }
}

INSTANTIATE_TEST_SUITE_P(AllLevels, SumcheckRoundKernel,
                         ::testing::Values(SimdLevel::kScalar, SimdLevel::kAvx2,
                                           SimdLevel::kAvx512),
                         [](const auto& info) { return std::string(SimdLevelName(info.param)); });

}  // namespace
}  // namespace zektra
