#include "zektra/zk/sumcheck_matrix.h"

#include <gtest/gtest.h>

#include "zektra/crypto/random.h"
#include "zektra/zk/multilinear.h"

namespace zektra {
namespace {

std::vector<Fp2> RandomPoint(size_t n) {
  std::vector<Fp2> r(n);
  for (auto& x : r) x = RandomFp2();
  return r;
}

std::vector<Fp> MatMul(const std::vector<Fp>& a, const std::vector<Fp>& b, size_t m, size_t n, size_t p) {
  std::vector<Fp> c(m * p);
  for (size_t i = 0; i < m; ++i)
    for (size_t k = 0; k < p; ++k) {
      Fp acc = Fp::Zero();
      for (size_t j = 0; j < n; ++j) acc += a[i * n + j] * b[j * p + k];
      c[i * p + k] = acc;
    }
  return c;
}

TEST(ContractMiddleIndex, MatchesPartialEvaluation) {
  // x of shape (4, 8, 2): fixing the middle block at r equals evaluating with r in the middle.
  auto x = RandomFpVector(4 * 8 * 2);
  auto r = RandomPoint(3);
  auto out = ContractMiddleIndex(x, 4, 2, EqTable(r));
  const Fp2 lo = RandomFp2(), hi0 = RandomFp2(), hi1 = RandomFp2();
  const std::vector<Fp2> full = {lo, r[0], r[1], r[2], hi0, hi1};
  const std::vector<Fp2> outer_point = {lo, hi0, hi1};
  EXPECT_EQ(EvaluateMultilinear(out, outer_point), EvaluateMultilinear(x, full));
}

class MatrixProductTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dims_ = {3, 4, 2};  // A 8×16, B 16×4
    a_ = RandomFpVector(8 * 16);
    b_ = RandomFpVector(16 * 4);
    c_ = MatMul(a_, b_, 8, 16, 4);
    c_point_ = RandomPoint(dims_.log_cols + dims_.log_rows);
    c_value_ = EvaluateMultilinear(c_, c_point_);
  }
  MatrixProductDims dims_;
  std::vector<Fp> a_, b_, c_;
  std::vector<Fp2> c_point_;
  Fp2 c_value_;
};

TEST_F(MatrixProductTest, CompleteAndClaimsMatchTheMatrices) {
  Transcript pt("mm"), vt("mm");
  MatrixProductClaims prover_claims;
  auto proof = ProveMatrixProduct(dims_, a_, b_, c_point_, c_value_, pt, &prover_claims);
  auto claims = VerifyMatrixProduct(dims_, c_point_, c_value_, proof, vt);
  ASSERT_TRUE(claims.ok()) << claims.status().message();
  EXPECT_EQ(claims->a.value, EvaluateMultilinear(a_, claims->a.point));
  EXPECT_EQ(claims->b.value, EvaluateMultilinear(b_, claims->b.point));
  EXPECT_EQ(claims->a.point, prover_claims.a.point);
  EXPECT_EQ(claims->b.value, prover_claims.b.value);
  ByteWriter w;
  proof.Write(w);
  ByteReader r(w.bytes());
  auto back = MatrixProductProof::Read(r);
  ASSERT_TRUE(back.ok() && r.Finish("matmul").ok());
  Transcript vt2("mm");
  EXPECT_TRUE(VerifyMatrixProduct(dims_, c_point_, c_value_, *back, vt2).ok());
}

TEST_F(MatrixProductTest, RejectsWrongOutputAndTamperedProof) {
  Transcript pt("mm");
  auto proof = ProveMatrixProduct(dims_, a_, b_, c_point_, c_value_, pt);
  {
    Transcript vt("mm");
    EXPECT_FALSE(VerifyMatrixProduct(dims_, c_point_, c_value_ + Fp2::One(), proof, vt).ok());
  }
  {
    auto bad = proof;
    bad.sumcheck.round_messages[1][0] += Fp2::One();
    Transcript vt("mm");
    EXPECT_FALSE(VerifyMatrixProduct(dims_, c_point_, c_value_, bad, vt).ok());
  }
  {
    Transcript vt("mm");
    auto wrong_dims = dims_;
    wrong_dims.log_inner = 3;
    EXPECT_FALSE(VerifyMatrixProduct(wrong_dims, c_point_, c_value_, proof, vt).ok());
  }
  {
    Transcript vt("mm");
    std::vector<Fp2> short_point(c_point_.begin(), c_point_.end() - 1);
    EXPECT_EQ(VerifyMatrixProduct(dims_, short_point, c_value_, proof, vt).status().code(),
              StatusCode::kInvalidArgument);
  }
}

TEST_F(MatrixProductTest, AlteredInputEntryFailsTheCallersOpening) {
  // C was computed from the honest A; the prover uses A with one entry changed.
  auto a_bad = a_;
  a_bad[37] += Fp::One();
  Fp2 value_bad = EvaluateMultilinear(MatMul(a_bad, b_, 8, 16, 4), c_point_);
  Transcript pt("mm"), vt("mm");
  auto proof = ProveMatrixProduct(dims_, a_bad, b_, c_point_, c_value_, pt);
  EXPECT_FALSE(VerifyMatrixProduct(dims_, c_point_, c_value_, proof, vt).ok());
  // Claiming the output of the altered product passes the sumcheck, but the claim on A
  // does not match the committed (honest) A.
  Transcript pt2("mm"), vt2("mm");
  auto proof2 = ProveMatrixProduct(dims_, a_bad, b_, c_point_, value_bad, pt2);
  auto claims = VerifyMatrixProduct(dims_, c_point_, value_bad, proof2, vt2);
  ASSERT_TRUE(claims.ok());
  EXPECT_NE(claims->a.value, EvaluateMultilinear(a_, claims->a.point));
}

struct BatchedInstance {
  BatchedMatVecDims dims;
  std::vector<Fp> x, v, z;
  std::vector<Fp2> z_point;
  Fp2 z_value;
};

BatchedInstance MakeBatched(Contraction c, size_t lt, size_t li, size_t lj) {
  BatchedInstance inst;
  inst.dims = {lt, li, lj, c};
  const size_t T = size_t{1} << lt, I = size_t{1} << li, J = size_t{1} << lj;
  inst.x = RandomFpVector(T * I * J);
  if (c == Contraction::kInner) {
    inst.v = RandomFpVector(T * J);
    inst.z.assign(T * I, Fp::Zero());
    for (size_t t = 0; t < T; ++t)
      for (size_t i = 0; i < I; ++i)
        for (size_t j = 0; j < J; ++j) inst.z[t * I + i] += inst.x[(t * I + i) * J + j] * inst.v[t * J + j];
    inst.z_point = RandomPoint(li + lt);
  } else {
    inst.v = RandomFpVector(T * I);
    inst.z.assign(T * J, Fp::Zero());
    for (size_t t = 0; t < T; ++t)
      for (size_t i = 0; i < I; ++i)
        for (size_t j = 0; j < J; ++j) inst.z[t * J + j] += inst.x[(t * I + i) * J + j] * inst.v[t * I + i];
    inst.z_point = RandomPoint(lj + lt);
  }
  inst.z_value = EvaluateMultilinear(inst.z, inst.z_point);
  return inst;
}

TEST(BatchedMatVec, ForwardAndGradientFormsAreComplete) {
  for (Contraction c : {Contraction::kInner, Contraction::kRows}) {
    for (auto [lt, li, lj] : {std::tuple<size_t, size_t, size_t>{3, 2, 4}, {0, 3, 1}, {2, 0, 0}, {4, 5, 3}}) {
      auto inst = MakeBatched(c, lt, li, lj);
      Transcript pt("dp"), vt("dp");
      BatchedMatVecClaims prover_claims;
      auto proof = ProveBatchedMatVec(inst.dims, inst.x, inst.v, inst.z_point, inst.z_value, pt, &prover_claims);
      auto claims = VerifyBatchedMatVec(inst.dims, inst.z_point, inst.z_value, proof, vt);
      ASSERT_TRUE(claims.ok()) << claims.status().message();
      EXPECT_EQ(claims->x.value, EvaluateMultilinear(inst.x, claims->x.point));
      EXPECT_EQ(claims->v.value, EvaluateMultilinear(inst.v, claims->v.point));
      EXPECT_EQ(claims->x.point, prover_claims.x.point);
      EXPECT_EQ(claims->x.point.size(), lt + li + lj);
    }
  }
}

TEST(BatchedMatVec, RejectsTampering) {
  auto inst = MakeBatched(Contraction::kInner, 3, 2, 3);
  Transcript pt("dp");
  auto proof = ProveBatchedMatVec(inst.dims, inst.x, inst.v, inst.z_point, inst.z_value, pt);
  auto verify = [&](const BatchedMatVecProof& p, Fp2 value, std::string_view domain = "dp") {
    Transcript vt(domain);
    return VerifyBatchedMatVec(inst.dims, inst.z_point, value, p, vt).status();
  };
  EXPECT_TRUE(verify(proof, inst.z_value).ok());
  {
    ByteWriter w;
    proof.Write(w);
    ByteReader r(w.bytes());
    auto back = BatchedMatVecProof::Read(r);
    ASSERT_TRUE(back.ok() && r.Finish("matvec").ok());
    EXPECT_TRUE(verify(*back, inst.z_value).ok());
    Bytes cut(w.bytes().begin(), w.bytes().end() - 1);
    ByteReader rc(cut);
    auto truncated = BatchedMatVecProof::Read(rc);
    EXPECT_TRUE(!truncated.ok() || !rc.Finish("matvec").ok());
  }
  EXPECT_FALSE(verify(proof, inst.z_value + Fp2::One()).ok());
  EXPECT_FALSE(verify(proof, inst.z_value, "dq").ok());
  for (size_t round = 0; round < proof.sumcheck.round_messages.size(); ++round) {
    auto bad = proof;
    bad.sumcheck.round_messages[round][2] += Fp2::One();
    EXPECT_FALSE(verify(bad, inst.z_value).ok()) << round;
  }
  // Scaling the eq value and X value inversely keeps the product; the verifier's own eq
  // evaluation catches it.
  auto bad = proof;
  bad.sumcheck.final_values[0] *= Fp2::From(2);
  bad.sumcheck.final_values[1] *= Fp2::From(2).Inverse();
  Status s = verify(bad, inst.z_value);
  EXPECT_EQ(s.code(), StatusCode::kRejected);
  EXPECT_NE(s.message().find("eq"), std::string::npos) << s.message();
  // One altered step of X: the sumcheck over the altered data passes only with the altered
  // z, and then the claim on X disagrees with the honest X.
  auto x_bad = inst.x;
  x_bad[5 * 4 * 8 + 3] += Fp::One();
  Transcript pt2("dp"), vt2("dp");
  auto proof2 = ProveBatchedMatVec(inst.dims, x_bad, inst.v, inst.z_point, inst.z_value, pt2);
  EXPECT_FALSE(VerifyBatchedMatVec(inst.dims, inst.z_point, inst.z_value, proof2, vt2).ok());
}

}  // namespace
}  // namespace zektra
