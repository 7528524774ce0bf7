// Live-prefix inputs of the sumcheck prover (MultilinearRef::LivePrefix, Consumable(values,
// size)): a table that stores only its first `live` entries must give the same round messages,
// challenges and final values, bit for bit, as the dense table with the zero tail written out,
// for every live length that moves a boundary (0, 1, odd, just below / at / above half, full),
// base and extension inputs, consumable and borrowed ones, several terms sharing factors, an
// unused multilinear, sizes with several fold blocks and the thread split; and through the
// masked sumcheck, whose proof must verify and be rejected once tampered.
#include <gtest/gtest.h>

#include <algorithm>

#include "zektra/base/thread_pool.h"
#include "zektra/crypto/random.h"
#include "zektra/zk/multilinear.h"
#include "zektra/zk/sumcheck.h"
#include "zektra/zk/sumcheck_zk_pcs.h"

namespace zektra {
namespace {

struct InputSpec {
  bool base = false;
  bool consumable = false;  // extension inputs only
  size_t live = 0;
};

// One input twice: dense (2^n entries, zero from live on) and as its stored prefix.
struct Tables {
  std::vector<std::vector<Fp>> dense_base, live_base;
  std::vector<std::vector<Fp2>> dense_ext, live_ext;
  std::vector<std::vector<Fp2>> dense_as_fp2;  // for the reference evaluations
};

Tables MakeTables(const std::vector<InputSpec>& specs, size_t size) {
  Tables t;
  const size_t k = specs.size();
  t.dense_base.resize(k);
  t.live_base.resize(k);
  t.dense_ext.resize(k);
  t.live_ext.resize(k);
  t.dense_as_fp2.resize(k);
  for (size_t m = 0; m < k; ++m) {
    const size_t live = specs[m].live;
    if (specs[m].base) {
      t.live_base[m] = RandomFpVector(live);
      t.dense_base[m] = t.live_base[m];
      t.dense_base[m].resize(size, Fp::Zero());
      for (Fp v : t.dense_base[m]) t.dense_as_fp2[m].push_back(Fp2(v));
    } else {
      for (size_t i = 0; i < live; ++i) t.live_ext[m].push_back(RandomFp2());
      t.dense_ext[m] = t.live_ext[m];
      t.dense_ext[m].resize(size, Fp2::Zero());
      t.dense_as_fp2[m] = t.dense_ext[m];
    }
  }
  return t;
}

std::vector<MultilinearRef> DenseRefs(const std::vector<InputSpec>& specs, Tables& t) {
  std::vector<MultilinearRef> refs;
  for (size_t m = 0; m < specs.size(); ++m) {
    if (specs[m].base) {
      refs.emplace_back(t.dense_base[m]);
    } else if (specs[m].consumable) {
      refs.push_back(MultilinearRef::Consumable(std::span<Fp2>(t.dense_ext[m])));
    } else {
      refs.emplace_back(t.dense_ext[m]);
    }
  }
  return refs;
}

std::vector<MultilinearRef> LiveRefs(const std::vector<InputSpec>& specs, Tables& t, size_t size) {
  std::vector<MultilinearRef> refs;
  for (size_t m = 0; m < specs.size(); ++m) {
    if (specs[m].base) {
      refs.push_back(MultilinearRef::LivePrefix(std::span<const Fp>(t.live_base[m]), size));
    } else if (specs[m].consumable) {
      refs.push_back(MultilinearRef::Consumable(std::span<Fp2>(t.live_ext[m]), size));
    } else {
      refs.push_back(MultilinearRef::LivePrefix(std::span<const Fp2>(t.live_ext[m]), size));
    }
  }
  return refs;
}

// Proves the shape once on dense tables and once on live prefixes, from identical transcripts.
void ExpectLiveMatchesDense(const SumOfProducts& shape, const std::vector<InputSpec>& specs) {
  const size_t size = size_t{1} << shape.num_variables;
  Tables t = MakeTables(specs, size);
  std::vector<MultilinearRef> dense = DenseRefs(specs, t);
  const Fp2 sum = SumOverHypercube(shape, dense);  // before any consumable table is folded
  std::vector<std::vector<Fp2>> reference = t.dense_as_fp2;
  std::vector<MultilinearRef> live = LiveRefs(specs, t, size);
  for (size_t m = 0; m < specs.size(); ++m) {
    ASSERT_EQ(live[m].size(), size);
    ASSERT_EQ(live[m].live(), specs[m].live);
    if (specs[m].live < size) {
      ASSERT_EQ(live[m].at(size - 1), Fp2::Zero());
    }
  }
  ASSERT_EQ(SumOverHypercube(shape, live), sum);

  Transcript td("test.live_prefix"), tl("test.live_prefix");
  ProvedSumcheck pd = ProveSumcheck(shape, dense, sum, td);
  ProvedSumcheck pl = ProveSumcheck(shape, live, sum, tl);
  ASSERT_EQ(pl.proof.round_messages.size(), pd.proof.round_messages.size());
  for (size_t i = 0; i < pd.proof.round_messages.size(); ++i)
    ASSERT_EQ(pl.proof.round_messages[i], pd.proof.round_messages[i]) << "round " << i;
  ASSERT_EQ(pl.proof.final_values, pd.proof.final_values);
  ASSERT_EQ(pl.claim.point, pd.claim.point);
  ASSERT_EQ(tl.ChallengeFp2("after"), td.ChallengeFp2("after"));  // same transcript state

  // And both are right: the values are the inputs at the point, and the proof verifies.
  for (size_t m = 0; m < specs.size(); ++m)
    ASSERT_EQ(pl.proof.final_values[m], EvaluateMultilinear(reference[m], pl.claim.point)) << m;
  Transcript tv("test.live_prefix");
  ASSERT_TRUE(VerifySumcheck(shape, sum, pl.proof, tv).ok());
}

// Live lengths that move a boundary of the prover's passes.
std::vector<size_t> InterestingLives(size_t size) {
  std::vector<size_t> lives = {0, 1, size / 2, size};
  if (size >= 4) {
    lives.push_back(3);
    lives.push_back(size / 2 - 1);
    lives.push_back(size / 2 + 1);
    lives.push_back(size - 1);
    lives.push_back((RandomU64() % (size / 2)) * 2 + 1);  // a random odd length
  }
  std::sort(lives.begin(), lives.end());
  lives.erase(std::unique(lives.begin(), lives.end()), lives.end());
  std::erase_if(lives, [&](size_t l) { return l > size; });
  return lives;
}

// The claim batching's shape: a borrowed base-field witness times a consumable eq combination,
// every pair of live lengths (the witness's fold goes to the half the selector's fold leaves
// free when it fits, to a table of its own otherwise).
TEST(SumcheckLivePrefix, BatchShapeMatchesDenseForEveryPairOfLiveLengths) {
  for (size_t n : {0, 1, 2, 5, 12}) {
    const size_t size = size_t{1} << n;
    for (size_t live_witness : InterestingLives(size)) {
      for (size_t live_selector : InterestingLives(size)) {
        SCOPED_TRACE(testing::Message() << "n=" << n << " witness live=" << live_witness
                                        << " selector live=" << live_selector);
        ExpectLiveMatchesDense(SumOfProducts::Product(n, 2),
                               {{true, false, live_witness}, {false, true, live_selector}});
        if (HasFatalFailure()) return;
      }
    }
  }
}

TEST(SumcheckLivePrefix, ExtensionInputsBorrowedAndConsumableMatchDense) {
  for (size_t n : {1, 3, 6, 11}) {
    const size_t size = size_t{1} << n;
    for (size_t a : InterestingLives(size)) {
      for (size_t b : {size_t{0}, size_t{1}, size / 2, size}) {
        SCOPED_TRACE(testing::Message() << "n=" << n << " lives " << a << ", " << b);
        ExpectLiveMatchesDense(SumOfProducts::Product(n, 2),
                               {{false, false, a}, {false, false, b}});
        ExpectLiveMatchesDense(SumOfProducts::Product(n, 3),
                               {{false, true, a}, {false, true, b}, {true, false, size}});
        if (HasFatalFailure()) return;
      }
    }
  }
}

// Several terms sharing factors (the round plan's shared prefixes), coefficients, a single-factor
// term, a four-factor term, an unused multilinear; lives rotated over the inputs.
SumOfProducts MixedShape(size_t n) {
  SumOfProducts shape;
  shape.num_variables = n;
  shape.num_multilinears = 6;  // f5 is in no term: only its final value is asked for
  shape.terms = {ProductTerm{RandomFp2(), {0, 1, 2}}, ProductTerm{RandomFp2(), {1, 3}},
                 ProductTerm{RandomFp2(), {4}}, ProductTerm{RandomFp2(), {0, 3, 4, 2}}};
  return shape;
}

void CheckMixed(size_t n, size_t rotations) {
  const size_t size = size_t{1} << n;
  const std::vector<size_t> lives = InterestingLives(size);
  const bool base[6] = {true, false, true, false, false, true};
  const bool consumable[6] = {false, true, false, false, true, false};
  for (size_t rot = 0; rot < rotations; ++rot) {
    std::vector<InputSpec> specs;
    for (size_t m = 0; m < 6; ++m)
      specs.push_back({base[m], consumable[m], lives[(rot + 3 * m) % lives.size()]});
    SCOPED_TRACE(testing::Message() << "n=" << n << " rotation " << rot);
    ExpectLiveMatchesDense(MixedShape(n), specs);
    if (testing::Test::HasFatalFailure()) return;
  }
}

TEST(SumcheckLivePrefix, SeveralTermsSharedFactorsAndAnUnusedInputMatchDense) {
  for (size_t n : {1, 2, 4, 7, 12}) {
    CheckMixed(n, 9);
    if (HasFatalFailure()) return;
  }
}

// Sizes where the rounds and folds run on the pool (above its per-thread minimum).
TEST(SumcheckLivePrefix, ThreadSplitMatchesDense) {
  const size_t previous = ThreadCount();
  SetThreadCount(3);
  CheckMixed(15, 4);
  const size_t size = size_t{1} << 15;
  ExpectLiveMatchesDense(SumOfProducts::Product(15, 2),
                         {{true, false, size - 4097}, {false, true, size - 4096}});
  ExpectLiveMatchesDense(SumOfProducts::Product(15, 2),
                         {{true, false, size / 2 + 12345}, {false, true, size / 3 * 2}});
  SetThreadCount(previous);
}

// The masked sumcheck drives the same prover round by round: with live-prefix inputs its proof
// verifies on the real PCS, carries the dense tables' values, and a tampered message fails.
TEST(SumcheckLivePrefix, MaskedSumcheckOnLivePrefixesVerifiesAndRejectsTampering) {
  const size_t n = 10, size = size_t{1} << n;
  const std::vector<InputSpec> specs = {{true, false, 701}, {false, true, 702}};
  Tables t = MakeTables(specs, size);
  const std::vector<std::vector<Fp2>> reference = t.dense_as_fp2;
  const SumOfProducts shape = SumOfProducts::Product(n, 2);
  const Fp2 sum = SumOverHypercube(shape, DenseRefs(specs, t));
  std::vector<MultilinearRef> live = LiveRefs(specs, t, size);
  LigeroCommitmentScheme pcs;
  Transcript tp("test.live_prefix.masked");
  SumcheckClaim claim;
  MaskedSumcheckProof<LigeroCommitmentScheme> proof =
      ProveMaskedSumcheck(pcs, shape, live, sum, tp, &claim);
  for (size_t m = 0; m < specs.size(); ++m)
    EXPECT_EQ(claim.values[m], EvaluateMultilinear(reference[m], claim.point));
  {
    Transcript tv("test.live_prefix.masked");
    auto out = VerifyMaskedSumcheck(pcs, shape, sum, proof, tv);
    ASSERT_TRUE(out.ok()) << out.status().message();
    EXPECT_EQ(out->point, claim.point);
  }
  {
    auto tampered = proof;
    tampered.round_messages[n - 1][1] += Fp2::One();
    Transcript tv("test.live_prefix.masked");
    EXPECT_FALSE(VerifyMaskedSumcheck(pcs, shape, sum, tampered, tv).ok());
  }
  {
    auto tampered = proof;
    tampered.final_values[0] += Fp2::One();
    Transcript tv("test.live_prefix.masked");
    EXPECT_FALSE(VerifyMaskedSumcheck(pcs, shape, sum, tampered, tv).ok());
  }
  {
    Transcript tv("test.live_prefix.masked");
    EXPECT_FALSE(VerifyMaskedSumcheck(pcs, shape, sum + Fp2::One(), proof, tv).ok());
  }
}

}  // namespace
}  // namespace zektra
