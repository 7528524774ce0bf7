#include "zektra/zk/logup_zk.h"

#include <gtest/gtest.h>

#include "zektra/crypto/random.h"
#include "zektra/zk/multilinear.h"
#include "zektra/zk/sumcheck_zk_pcs.h"

namespace zektra {
namespace {

// Three segments of 2^5, 2^4 and 2^2 entries, each with its lower half live. Every other entry
// is a uniformly random field element (blinding), which the lookup must ignore.
struct Fixture {
  ZkLookupLayout layout;
  const LookupTable* table;
  std::vector<Fp> inputs, outputs, multiplicities;
};

const LookupTable& Range8() {
  static const LookupTable t = LookupTable::Range(8);
  return t;
}
const LookupTable& Square5() {
  static const LookupTable t = [] {
    std::vector<Fp> in, out;
    for (uint64_t x = 0; x < 32; ++x) {
      in.push_back(Fp::From(x));
      out.push_back(Fp::From(x * x));
    }
    return LookupTable::Function(std::move(in), std::move(out));
  }();
  return t;
}

Fixture Make(bool function_table) {
  Fixture f;
  f.table = function_table ? &Square5() : &Range8();
  const size_t sizes[] = {4, 5, 2};
  f.layout = ZkLookupLayout::Pack(sizes, function_table, f.table->log_size());
  const size_t n = size_t{1} << f.layout.log_entries;
  std::vector<Fp> sel = ZkLookupSelector(f.layout);
  f.inputs.resize(n);
  if (function_table) f.outputs.resize(n);
  f.multiplicities.assign(size_t{1} << f.table->log_size(), Fp::Zero());
  for (size_t x = 0; x < n; ++x) {
    if (sel[x] == Fp::One()) {
      const uint64_t v = (x * 37 + 11) % (function_table ? 32 : 256);
      f.inputs[x] = Fp::From(v);
      if (function_table) f.outputs[x] = Fp::From(v * v);
      f.multiplicities[v] += Fp::One();
    } else {
      f.inputs[x] = RandomFp();
      if (function_table) f.outputs[x] = RandomFp();
    }
  }
  return f;
}

// v is 1/N(α − in − β·out) on every live entry and fresh randomness everywhere else (each
// segment's upper half and the gap after the last segment): two calls agree exactly on the
// live entries and nowhere else. ZkLookupHelperInto writes the same into a caller's span.
TEST(ZkLookupHelper, LiveEntriesAreInversesAndTheRestIsFreshRandomness) {
  for (bool function_table : {false, true}) {
    Fixture f = Make(function_table);
    const Fp2 alpha = RandomFp2(), beta = RandomFp2();
    std::vector<Fp> a = ZkLookupHelper(f.layout, f.inputs, f.outputs, alpha, beta);
    std::vector<Fp> b(a.size(), Fp::Zero());
    ZkLookupHelperInto(f.layout, f.inputs, f.outputs, alpha, beta, b);
    const std::vector<Fp> live = ZkLookupSelector(f.layout);
    size_t blinding = 0;
    for (size_t x = 0; x < a.size(); ++x) {
      if (live[x] == Fp::One()) {
        Fp2 e = Fp2(f.inputs[x]);
        if (function_table) e += beta * f.outputs[x];
        EXPECT_EQ(a[x] * (alpha - e).Norm(), Fp::One()) << x;
        EXPECT_EQ(b[x], a[x]) << x;
      } else {
        ++blinding;
        EXPECT_NE(b[x], a[x]) << x;  // equal with probability 1/p
      }
    }
    EXPECT_EQ(blinding, a.size() - (16 + 32 + 4) / 2);
  }
}

// Reading v in place from the caller's span gives the very sumcheck that a copy gives: the
// same round messages and final values, and the caller's span unchanged. In place when the
// entries fill the domain (a 2^4 range table, the 2^5 function table); a copy when v repeats
// over a larger domain (the 2^8 range table).
TEST(ZkLookup, BorrowedHelperProvesTheSameSumcheckAsACopy) {
  static const LookupTable range4 = LookupTable::Range(4);
  enum Case { kRange8, kRange4, kFunction };
  for (Case c : {kRange8, kRange4, kFunction}) {
    Fixture f = Make(c == kFunction);
    if (c == kRange4) {
      f.table = &range4;
      f.layout = ZkLookupLayout::Pack(std::vector<size_t>{4, 5, 2}, false, 4);
      const std::vector<Fp> sel = ZkLookupSelector(f.layout);
      f.multiplicities.assign(16, Fp::Zero());
      for (size_t x = 0; x < f.inputs.size(); ++x) {
        if (sel[x] != Fp::One()) continue;
        f.inputs[x] = Fp::From(x % 16);
        f.multiplicities[x % 16] += Fp::One();
      }
    }
    const bool in_place = f.layout.log_entries == f.layout.log_domain();
    EXPECT_EQ(in_place, c != kRange8);
    const Fp2 alpha = RandomFp2(), beta = RandomFp2(), lambda = RandomFp2();
    std::vector<Fp2> r(f.layout.log_entries);
    for (Fp2& x : r) x = RandomFp2();
    const std::vector<Fp> h = ZkLookupHelper(f.layout, f.inputs, f.outputs, alpha, beta);
    const std::vector<Fp> h_before = h;
    const std::vector<Fp> split = ZkSplitMultiplicities(f.multiplicities);
    const SumOfProducts shape = ZkLookupShape(f.layout, alpha, beta, lambda);
    const Fp2 sum = ZkLookupClaimedSum(f.layout, r, lambda);
    ZkLookupTables copied = ZkLookupProverTables(f.layout, *f.table, f.inputs, f.outputs, h, split,
                                                 alpha, beta, lambda, r);
    ZkLookupTables borrowed = ZkLookupProverTablesBorrowingHelper(
        f.layout, *f.table, std::vector<Fp>(f.inputs), std::vector<Fp>(f.outputs), h, split,
        alpha, beta, lambda, r);
    EXPECT_EQ(borrowed.borrowed_helper.empty(), !in_place);
    Transcript ta("test.borrow"), tb("test.borrow");
    const std::vector<MultilinearRef> ra = copied.ConsumingRefs(), rb = borrowed.ConsumingRefs();
    const ProvedSumcheck a = ProveSumcheck(shape, ra, sum, ta);
    const ProvedSumcheck b = ProveSumcheck(shape, rb, sum, tb);
    EXPECT_EQ(a.proof.round_messages, b.proof.round_messages) << c;
    EXPECT_EQ(a.proof.final_values, b.proof.final_values) << c;
    EXPECT_EQ(h, h_before);
    Transcript tv("test.borrow");
    EXPECT_TRUE(VerifySumcheck(shape, sum, b.proof, tv).ok()) << c;
  }
}

struct Outcome {
  bool accepted;
  std::string why;
};

// Proves with the masked sumcheck over the hiding Ligero PCS and verifies, checking the
// witness claims by direct evaluation (the caller's job in a real protocol).
Outcome ProveAndVerify(const Fixture& f, bool corrupt_helper = false) {
  LigeroCommitmentScheme pcs;
  Transcript tp("test.zklookup"), tv("test.zklookup");
  const Fp2 alpha = tp.ChallengeFp2("alpha"), beta = tp.ChallengeFp2("beta");
  std::vector<Fp> h = ZkLookupHelper(f.layout, f.inputs, f.outputs, alpha, beta);
  if (corrupt_helper) h[f.layout.segments[0].offset + 3] += Fp::One();
  std::vector<Fp> split = ZkSplitMultiplicities(f.multiplicities);
  std::vector<Fp2> r = tp.ChallengeFp2s("r", f.layout.log_entries);
  const Fp2 lambda = tp.ChallengeFp2("lambda");
  ZkLookupTables tables = ZkLookupProverTables(f.layout, *f.table, f.inputs, f.outputs, h, split,
                                               alpha, beta, lambda, r);
  SumOfProducts shape = ZkLookupShape(f.layout, alpha, beta, lambda);
  std::vector<MultilinearRef> refs = tables.Refs();
  auto proof =
      ProveMaskedSumcheck(pcs, shape, refs, ZkLookupClaimedSum(f.layout, r, lambda), tp);

  const Fp2 va = tv.ChallengeFp2("alpha"), vb = tv.ChallengeFp2("beta");
  std::vector<Fp2> vr = tv.ChallengeFp2s("r", f.layout.log_entries);
  const Fp2 vl = tv.ChallengeFp2("lambda");
  auto claim = VerifyMaskedSumcheck(pcs, ZkLookupShape(f.layout, va, vb, vl),
                                    ZkLookupClaimedSum(f.layout, vr, vl), proof, tv);
  if (!claim.ok()) return {false, claim.status().message()};
  Status pub = ZkLookupCheckPublic(f.layout, *f.table, va, vb, vl, vr, claim->point, claim->values);
  if (!pub.ok()) return {false, pub.message()};
  auto ep = ZkLookupEntryPoint(f.layout, claim->point);
  auto mp = ZkLookupMultiplicityPoint(f.layout, claim->point);
  if (claim->values[kZkMultiplicities] != EvaluateMultilinear(split, mp)) return {false, "m' claim"};
  if (claim->values[kZkHelper] != EvaluateMultilinear(h, ep)) return {false, "helper claim"};
  if (claim->values[kZkInputs] != EvaluateMultilinear(f.inputs, ep)) return {false, "input claim"};
  if (f.layout.has_outputs && claim->values[kZkOutputs] != EvaluateMultilinear(f.outputs, ep))
    return {false, "output claim"};
  return {true, ""};
}

TEST(ZkLookup, LiveEntriesInTheTableVerifyAndBlindingIsIgnored) {
  for (bool fn : {false, true}) {
    Fixture f = Make(fn);
    Outcome run = ProveAndVerify(f);
    EXPECT_TRUE(run.accepted) << run.why;
  }
}

TEST(ZkLookup, AnEntryOutsideTheTableIsRejected) {
  Fixture f = Make(false);
  f.inputs[5] = Fp::From(256);  // live, one past the 8-bit range
  EXPECT_FALSE(ProveAndVerify(f).accepted);
  Fixture g = Make(true);
  g.outputs[2] += Fp::One();  // live output that is not the table's square
  EXPECT_FALSE(ProveAndVerify(g).accepted);
}

TEST(ZkLookup, WrongMultiplicityOrWrongHelperIsRejected) {
  Fixture f = Make(false);
  f.multiplicities[11] += Fp::One();
  EXPECT_FALSE(ProveAndVerify(f).accepted);
  Fixture g = Make(false);
  EXPECT_FALSE(ProveAndVerify(g, /*corrupt_helper=*/true).accepted);
}

TEST(ZkLookup, HelperIsTheInverseNormOnLiveEntriesOnly) {
  Fixture f = Make(true);
  const Fp2 alpha(Fp::From(12345), Fp::From(678)), beta(Fp::From(9), Fp::From(10));
  std::vector<Fp> h = ZkLookupHelper(f.layout, f.inputs, f.outputs, alpha, beta);
  std::vector<Fp> sel = ZkLookupSelector(f.layout);
  size_t live = 0;
  for (size_t x = 0; x < h.size(); ++x) {
    const Fp2 e = Fp2(f.inputs[x]) + beta * Fp2(f.outputs[x]);
    if (sel[x] == Fp::One()) {
      ++live;
      EXPECT_EQ(h[x] * (alpha - e).Norm(), Fp::One());
      // v·(ᾱ − ē) is the inverse of α − e.
      EXPECT_EQ(Fp2(h[x]) * (alpha.Conjugate() - (Fp2(f.inputs[x]) + beta.Conjugate() * Fp2(f.outputs[x]))) *
                    (alpha - e),
                Fp2::One());
    }
  }
  EXPECT_EQ(live, 16u + 8u + 2u);
  // The segments' weights recombine the entries' extension from the columns'.
  std::vector<Fp2> p = {Fp2::From(3), Fp2::From(5), Fp2::From(7), Fp2::From(11), Fp2::From(13),
                        Fp2::From(17)};
  ASSERT_EQ(p.size(), f.layout.log_entries);
  std::vector<Fp> in = f.inputs;  // entries outside every segment are the caller's zeros
  for (size_t x = 52; x < in.size(); ++x) in[x] = Fp::Zero();
  Fp2 recombined = Fp2::Zero();
  for (size_t g = 0; g < f.layout.segments.size(); ++g) {
    const auto& seg = f.layout.segments[g];
    std::span<const Fp> col(in.data() + seg.offset, size_t{1} << seg.log_size);
    recombined += f.layout.SegmentWeight(g, p) *
                  EvaluateMultilinear(col, std::span<const Fp2>(p).first(seg.log_size));
  }
  EXPECT_EQ(recombined, EvaluateMultilinear(in, p));
}

TEST(ZkLookup, SplitMultiplicitiesAreFreshAndSumToTheCounts) {
  std::vector<Fp> m = {Fp::From(3), Fp::Zero(), Fp::From(7), Fp::One()};
  std::vector<Fp> a = ZkSplitMultiplicities(m), b = ZkSplitMultiplicities(m);
  ASSERT_EQ(a.size(), 8u);
  for (size_t y = 0; y < 4; ++y) {
    EXPECT_EQ(a[y] + a[4 + y], m[y]);
    EXPECT_NE(a[4 + y], b[4 + y]);
  }
}

TEST(ZkLookup, SelectorAndPublicValuesMatchTheirTables) {
  for (bool fn : {false, true}) {
  Fixture f = Make(fn);
  Transcript t("test.public");
  std::vector<Fp2> r = t.ChallengeFp2s("r", f.layout.log_entries);
  std::vector<Fp2> p = t.ChallengeFp2s("p", f.layout.log_domain());
  const Fp2 alpha = t.ChallengeFp2("a"), beta = t.ChallengeFp2("b"), lambda = t.ChallengeFp2("l");
  std::vector<Fp> h(size_t{1} << f.layout.log_entries, Fp::One());
  std::vector<Fp> split(2 * f.multiplicities.size(), Fp::Zero());
  ZkLookupTables tables = ZkLookupProverTables(f.layout, *f.table, f.inputs, f.outputs, h, split,
                                               alpha, beta, lambda, r);
  ZkLookupPublic pub = ZkLookupPublicValues(f.layout, *f.table, alpha, beta, lambda, r, p);
  // The tables store their live prefixes; the rest of the domain is zero.
  auto dense = [&](auto v) {
    EXPECT_LE(v.size(), tables.domain);
    v.resize(tables.domain);
    return v;
  };
  EXPECT_EQ(tables.domain, size_t{1} << f.layout.log_domain());
  EXPECT_EQ(pub.selector, EvaluateMultilinear(dense(tables.selector), p));
  EXPECT_EQ(pub.eq_selector, EvaluateMultilinear(dense(tables.eq_selector), p));
  EXPECT_EQ(pub.table_inverse, EvaluateMultilinear(dense(tables.table_inverse), p));
  // The claimed sum's public part: Σ_x E(x) = S(r).
  Fp2 e_sum = Fp2::Zero();
  for (Fp2 v : tables.eq_selector) e_sum += v;
  EXPECT_EQ(lambda * e_sum, ZkLookupClaimedSum(f.layout, r, lambda));
  }
}

}  // namespace
}  // namespace zektra
