#include "zektra/zk/sumcheck.h"

#include <gtest/gtest.h>

#include "zektra/crypto/random.h"
#include "zektra/zk/multilinear.h"
#include "zektra/zk/univariate.h"

namespace zektra {
namespace {

std::vector<Fp2> RandomPoint(size_t n) {
  std::vector<Fp2> r(n);
  for (auto& x : r) x = RandomFp2();
  return r;
}

// Σ_b eq(τ,b)·(a(b)·b(b) − c(b)) + 3·a·b·c·d: the mixed shape upper layers use.
struct MixedInstance {
  size_t n;
  std::vector<Fp2> eq;
  std::vector<Fp> a, b, c, d;
  SumOfProducts shape;
  std::vector<MultilinearRef> refs() const { return {eq, a, b, c, d}; }
};

MixedInstance MakeMixed(size_t n) {
  MixedInstance inst;
  inst.n = n;
  inst.eq = EqTable(RandomPoint(n));
  inst.a = RandomFpVector(size_t{1} << n);
  inst.b = RandomFpVector(size_t{1} << n);
  inst.c = RandomFpVector(size_t{1} << n);
  inst.d = RandomFpVector(size_t{1} << n);
  inst.shape.num_variables = n;
  inst.shape.num_multilinears = 5;
  inst.shape.terms = {{Fp2::One(), {0, 1, 2}},
                      {-Fp2::One(), {0, 3}},
                      {Fp2::From(3), {1, 2, 3, 4}}};
  return inst;
}

TEST(Univariate, InterpolatesThroughNodesAndMatchesCoefficients) {
  std::vector<Fp2> coeffs = {RandomFp2(), RandomFp2(), RandomFp2(), RandomFp2()};
  std::vector<Fp2> values;
  for (uint64_t x = 0; x < 4; ++x) values.push_back(EvaluateCoefficients(coeffs, Fp2::From(x)));
  Fp2 r = RandomFp2();
  EXPECT_EQ(InterpolateAtIntegerNodes(values, r), EvaluateCoefficients(coeffs, r));
  EXPECT_EQ(InterpolateAtIntegerNodes(values, Fp2::From(2)), values[2]);
}

TEST(Sumcheck, ProductOfTwoIsComplete) {
  for (size_t n : {1, 2, 5, 13}) {
    auto f = RandomFpVector(size_t{1} << n), g = RandomFpVector(size_t{1} << n);
    auto shape = SumOfProducts::Product(n, 2);
    std::vector<MultilinearRef> in = {f, g};
    Fp2 sum = Fp2(InnerProduct(f, g));
    EXPECT_EQ(SumOverHypercube(shape, in), sum);
    Transcript pt("test"), vt("test");
    auto proved = ProveSumcheck(shape, in, sum, pt);
    auto claim = VerifySumcheck(shape, sum, proved.proof, vt);
    ASSERT_TRUE(claim.ok()) << claim.status().message();
    EXPECT_EQ(claim->point, proved.claim.point);
    EXPECT_EQ(claim->values[0], EvaluateMultilinear(f, claim->point));
    EXPECT_EQ(claim->values[1], EvaluateMultilinear(g, claim->point));
    EXPECT_EQ(pt.state(), vt.state());
  }
}

TEST(Sumcheck, SumOfMixedProductsIsComplete) {
  auto inst = MakeMixed(9);
  auto refs = inst.refs();
  Fp2 sum = SumOverHypercube(inst.shape, refs);
  Transcript pt("test"), vt("test");
  auto proved = ProveSumcheck(inst.shape, refs, sum, pt);
  auto claim = VerifySumcheck(inst.shape, sum, proved.proof, vt);
  ASSERT_TRUE(claim.ok()) << claim.status().message();
  // The caller's checks: every value is the multilinear at the point.
  for (size_t m = 0; m < refs.size(); ++m) {
    Fp2 expect = refs[m].is_base() ? EvaluateMultilinear(refs[m].base(), claim->point)
                                   : EvaluateMultilinear(refs[m].extension(), claim->point);
    EXPECT_EQ(claim->values[m], expect) << m;
  }
  EXPECT_EQ(proved.proof.round_messages[0].size(), 4u);  // degree 4: values at 0,2,3,4
}

TEST(Sumcheck, ProductOfFourAndSingleFactorAndZeroVariables) {
  for (size_t k : {1, 3, 4}) {
    for (size_t n : {0, 3}) {
      std::vector<std::vector<Fp>> cols;
      std::vector<MultilinearRef> refs;
      for (size_t i = 0; i < k; ++i) cols.push_back(RandomFpVector(size_t{1} << n));
      for (auto& c : cols) refs.emplace_back(c);
      auto shape = SumOfProducts::Product(n, k);
      Fp2 sum = SumOverHypercube(shape, refs);
      Transcript pt("t"), vt("t");
      auto proved = ProveSumcheck(shape, refs, sum, pt);
      auto claim = VerifySumcheck(shape, sum, proved.proof, vt);
      ASSERT_TRUE(claim.ok()) << claim.status().message();
      for (size_t i = 0; i < k; ++i) EXPECT_EQ(claim->values[i], EvaluateMultilinear(cols[i], claim->point));
    }
  }
}

TEST(Sumcheck, ParallelRoundsMatchSerialReference) {
  // Large enough that AccumulateTerms and the folds split across workers.
  auto inst = MakeMixed(15);
  auto refs = inst.refs();
  Fp2 sum = SumOverHypercube(inst.shape, refs);
  Transcript pt("test"), vt("test");
  auto proved = ProveSumcheck(inst.shape, refs, sum, pt);
  ASSERT_TRUE(VerifySumcheck(inst.shape, sum, proved.proof, vt).ok());
}

class SumcheckTamper : public ::testing::Test {
 protected:
  void SetUp() override {
    inst_ = MakeMixed(6);
    refs_ = inst_.refs();
    sum_ = SumOverHypercube(inst_.shape, refs_);
    Transcript pt("test");
    proof_ = ProveSumcheck(inst_.shape, refs_, sum_, pt).proof;
  }
  Status Verify(const SumcheckProof& proof, Fp2 sum, std::string_view domain = "test") {
    Transcript vt(domain);
    return VerifySumcheck(inst_.shape, sum, proof, vt).status();
  }
  MixedInstance inst_;
  std::vector<MultilinearRef> refs_;
  Fp2 sum_;
  SumcheckProof proof_;
};

TEST_F(SumcheckTamper, HonestProofVerifies) { EXPECT_TRUE(Verify(proof_, sum_).ok()); }

TEST_F(SumcheckTamper, RejectsAlteredRoundMessage) {
  for (size_t round : {size_t{0}, size_t{3}, size_t{5}}) {
    for (size_t node = 0; node < 4; ++node) {
      auto bad = proof_;
      bad.round_messages[round][node] += Fp2::One();
      EXPECT_FALSE(Verify(bad, sum_).ok()) << round << " " << node;
    }
  }
}

TEST_F(SumcheckTamper, RejectsWrongFinalValueAndWrongClaim) {
  for (size_t m = 0; m < proof_.final_values.size(); ++m) {
    auto bad = proof_;
    bad.final_values[m] += Fp2::One();
    EXPECT_EQ(Verify(bad, sum_).code(), StatusCode::kRejected) << m;
  }
  EXPECT_EQ(Verify(proof_, sum_ + Fp2::One()).code(), StatusCode::kRejected);
}

TEST_F(SumcheckTamper, RejectsOtherTranscriptDomain) {
  EXPECT_FALSE(Verify(proof_, sum_, "tesT").ok());
}

TEST_F(SumcheckTamper, RejectsMalformedShapes) {
  auto bad = proof_;
  bad.round_messages.pop_back();
  EXPECT_EQ(Verify(bad, sum_).code(), StatusCode::kBadInput);
  bad = proof_;
  bad.round_messages[2].push_back(Fp2::Zero());
  EXPECT_EQ(Verify(bad, sum_).code(), StatusCode::kBadInput);
  bad = proof_;
  bad.final_values.pop_back();
  EXPECT_EQ(Verify(bad, sum_).code(), StatusCode::kBadInput);
}

TEST_F(SumcheckTamper, OneChangedInputEntryIsCaughtByTheCallersCheck) {
  // A prover that lies about one entry of c produces a proof that verifies against the sum
  // of its altered input; the caller's check c(point) against the true column catches it.
  auto c_bad = inst_.c;
  c_bad[17] += Fp::One();
  std::vector<MultilinearRef> refs = {inst_.eq, inst_.a, inst_.b, c_bad, inst_.d};
  Transcript pt("test"), vt("test");
  auto proved = ProveSumcheck(inst_.shape, refs, sum_, pt);
  auto claim = VerifySumcheck(inst_.shape, sum_, proved.proof, vt);
  // The claimed sum is the honest one, so the altered witness does not even pass the rounds…
  EXPECT_FALSE(claim.ok());
  // …and if the prover claims the altered sum, the final evaluation check exposes it.
  Fp2 altered_sum = SumOverHypercube(inst_.shape, refs);
  Transcript pt2("test"), vt2("test");
  auto proved2 = ProveSumcheck(inst_.shape, refs, altered_sum, pt2);
  auto claim2 = VerifySumcheck(inst_.shape, altered_sum, proved2.proof, vt2);
  ASSERT_TRUE(claim2.ok());
  EXPECT_NE(claim2->values[3], EvaluateMultilinear(inst_.c, claim2->point));
}

TEST_F(SumcheckTamper, SerializationRoundTripsAndRejectsCorruption) {
  ByteWriter w;
  proof_.Write(w);
  EXPECT_EQ(w.size(), proof_.SerializedBytes());
  Bytes bytes = w.Take();
  {
    ByteReader r(bytes);
    auto back = SumcheckProof::Read(r);
    ASSERT_TRUE(back.ok()) << back.status().message();
    ASSERT_TRUE(r.Finish("sumcheck proof").ok());
    EXPECT_TRUE(Verify(*back, sum_).ok());
  }
  // Every truncation fails cleanly.
  for (size_t cut = 0; cut < bytes.size(); cut += 7) {
    ByteReader r(ByteSpan(bytes.data(), cut));
    auto back = SumcheckProof::Read(r);
    EXPECT_TRUE(!back.ok() || !r.Finish("sumcheck proof").ok());
  }
  // A flipped byte either fails to parse or fails to verify.
  for (size_t at = 0; at < bytes.size(); at += 13) {
    Bytes bad = bytes;
    bad[at] ^= 0x40;
    ByteReader r(bad);
    auto back = SumcheckProof::Read(r);
    if (back.ok() && r.Finish("p").ok()) {
      EXPECT_FALSE(Verify(*back, sum_).ok()) << at;
    }
  }
  // Non-canonical field element.
  Bytes bad = bytes;
  for (int i = 0; i < 8; ++i) bad[16 + i] = 0xFF;  // first value of round 0
  ByteReader r(bad);
  EXPECT_FALSE(SumcheckProof::Read(r).ok());
}

}  // namespace
}  // namespace zektra
