#include "zektra/pot/dataset_commitment.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "zektra/zk/multilinear.h"

namespace zektra::pot {
namespace {

ml::CsvOptions LabelY() {
  ml::CsvOptions o;
  o.label = "y";
  return o;
}

ml::Table Small() {
  auto t = ml::ParseCsv("a,b,y\n1.5,-2,0\n0.25,3,1\n-1,0.5,1\n", "small.csv", LabelY());
  ZK_CHECK(t.ok(), "test table");
  return *t;
}

TEST(DatasetCommitment, MatrixLayoutIsFixedPointRowsThenLabel) {
  auto m = DatasetMatrix(Small(), 16);
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->size(), 4u * 4u);  // 3 rows → 4, 2 features + label → 4 columns
  EXPECT_EQ((*m)[0].ToSigned(), 98304);   // 1.5·2^16
  EXPECT_EQ((*m)[1].ToSigned(), -131072);  // -2·2^16
  EXPECT_EQ((*m)[2].ToSigned(), 0);        // label of row 0
  EXPECT_EQ((*m)[4 + 2].ToSigned(), 65536);
  EXPECT_EQ((*m)[3].ToSigned(), 0);        // padding column
  EXPECT_EQ((*m)[12].ToSigned(), 0);       // padding row
}

TEST(DatasetCommitment, SameSeedSameIdAnyChangeChangesIt) {
  DatasetSecret secret = DatasetSecret::Fresh();
  auto a = CommitDataset(Small(), secret);
  auto b = CommitDataset(Small(), secret);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->commitment.Id(), b->commitment.Id());
  // One value, one label, one name: each changes the identity.
  for (const char* csv : {"a,b,y\n1.5,-2,0\n0.25,3,1\n-1,0.6,1\n", "a,b,y\n1.5,-2,1\n0.25,3,1\n-1,0.5,1\n",
                          "a,c,y\n1.5,-2,0\n0.25,3,1\n-1,0.5,1\n"}) {
    auto t = ml::ParseCsv(csv, "x.csv", LabelY());
    ASSERT_TRUE(t.ok());
    auto c = CommitDataset(*t, secret);
    ASSERT_TRUE(c.ok());
    EXPECT_NE(c->commitment.Id(), a->commitment.Id()) << csv;
  }
  // Another seed hides differently.
  EXPECT_NE(CommitDataset(Small(), DatasetSecret::Fresh())->commitment.Id(), a->commitment.Id());
}

TEST(DatasetCommitment, FilesRoundTripAndRejectEdits) {
  DatasetSecret secret = DatasetSecret::Fresh();
  auto c = CommitDataset(Small(), secret);
  ASSERT_TRUE(c.ok());
  std::string json = c->commitment.ToJson();
  auto back = DatasetCommitment::FromJson(json, "x.commit");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, c->commitment);
  std::string edited = json;
  edited.replace(edited.find("\"rows\": 3"), 9, "\"rows\": 2");
  EXPECT_FALSE(DatasetCommitment::FromJson(edited, "x.commit").ok());
  EXPECT_FALSE(DatasetCommitment::FromJson("{", "x.commit").ok());
  EXPECT_FALSE(DatasetCommitment::FromJson("[]", "x.commit").ok());

  std::string key = secret.ToJson(c->commitment);
  auto s2 = DatasetSecret::FromJson(key, "x.key", c->commitment);
  ASSERT_TRUE(s2.ok());
  EXPECT_EQ(s2->seed, secret.seed);
  auto other = CommitDataset(Small(), DatasetSecret::Fresh());
  EXPECT_FALSE(DatasetSecret::FromJson(key, "x.key", other->commitment).ok());
}

TEST(DatasetCommitment, BlindingRowsFollowTheDataAndComeFromTheSeed) {
  DatasetSecret secret = DatasetSecret::Fresh();
  auto a = CommitDataset(Small(), secret);
  auto b = CommitDataset(Small(), secret);
  auto other = CommitDataset(Small(), DatasetSecret::Fresh());
  auto data = DatasetMatrix(Small(), 16);
  ASSERT_TRUE(a.ok() && b.ok() && other.ok() && data.ok());
  EXPECT_EQ(a->commitment.log_rows(), 3);  // 3 rows → 4, and as many blinding rows
  ASSERT_EQ(a->matrix.size(), 2 * data->size());
  EXPECT_TRUE(std::equal(data->begin(), data->end(), a->matrix.begin()));
  EXPECT_EQ(a->matrix, b->matrix);  // the owner can rebuild it
  size_t equal = 0, zero = 0;
  for (size_t k = data->size(); k < a->matrix.size(); ++k) {
    equal += a->matrix[k] == other->matrix[k];
    zero += a->matrix[k] == Fp::Zero();
  }
  EXPECT_EQ(equal, 0u);  // another seed, other blinding rows
  EXPECT_EQ(zero, 0u);
}

TEST(DatasetCommitment, OpensAtADataPoint) {
  DatasetSecret secret = DatasetSecret::Fresh();
  auto c = CommitDataset(Small(), secret);
  ASSERT_TRUE(c.ok());
  const int n = c->commitment.pcs.params.log_size;
  std::vector<Fp2> point(n);
  for (int i = 0; i < n; ++i) point[i] = Fp2::From(7 * i + 3);
  std::vector<PcsClaim> claims = {{0, point, EvaluateMultilinear(c->matrix, point)}};
  const PcsProverData* polys[] = {&c->prover};
  Transcript tp("ds"), tv("ds");
  auto proof = PcsOpen(polys, claims, tp);
  PcsCommitment commitments[] = {c->commitment.pcs};
  EXPECT_TRUE(PcsVerify(commitments, claims, proof, tv).ok());
  claims[0].value += Fp2::One();
  Transcript tv2("ds");
  EXPECT_FALSE(PcsVerify(commitments, claims, proof, tv2).ok());
}

}  // namespace
}  // namespace zektra::pot
