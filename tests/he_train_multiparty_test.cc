// Multiparty encrypted training: three owners with a collective key (N-out-of-N), each
// encrypting a third of breast_cancer's training rows; the model needs every owner's
// decryption share, two of three give values unrelated to it; bad shares are refused.
#include <gtest/gtest.h>

#include <cmath>

#include "zektra/he/serialization.h"
#include "zektra/he/train/multiparty.h"
#include "zektra/he/train/workflow.h"
#include "zektra/ml/pipeline.h"

namespace zektra::he::train {
namespace {

struct ThreeOwners {
  Session session;
  HeContextPtr ctx;
  std::vector<PartySecret> secrets;
  std::vector<KeyShare> key_shares;
  CollectiveKeys collective;
  PublicMaterial pub;
};

ThreeOwners MakeThreeOwners(int iterations) {
  ThreeOwners t;
  auto session = NewSession(3, iterations);
  EXPECT_TRUE(session.ok());
  t.session = *session;
  t.ctx = *HeContext::Create(t.session.params);
  Party party(t.ctx, t.session);
  t.secrets.resize(3);
  for (uint32_t i = 0; i < 3; ++i) {
    t.key_shares.push_back(
        party.GenerateKeyShare(i, RequiredRotationSteps(t.ctx->slots()), &t.secrets[i]));
  }
  auto keys = CombineKeyShares(t.ctx, t.session, t.key_shares);
  EXPECT_TRUE(keys.ok()) << keys.status().message();
  t.collective = *keys;
  std::vector<RelinShare> relin;
  for (uint32_t i = 0; i < 3; ++i) {
    auto s = party.GenerateRelinShare(t.secrets[i], t.collective.round1);
    EXPECT_TRUE(s.ok());
    relin.push_back(*s);
  }
  auto rk = CombineRelinShares(t.ctx, t.session, t.collective.round1, relin);
  EXPECT_TRUE(rk.ok()) << rk.status().message();
  t.pub.context = t.ctx;
  t.pub.public_key = t.collective.public_key;
  t.pub.relin = *rk;
  t.pub.galois = t.collective.galois;
  t.pub.key_set_id = Sha256::Hash(SerializePublicKey(*t.ctx, t.pub.public_key));
  t.pub.has_evaluation_keys = true;
  return t;
}

TEST(HeTrainMultiparty, ThreeOwnersTrainBreastCancer) {
  ml::CsvOptions o;
  o.label = "benign";
  auto table = ml::LoadCsv(std::string(ZEKTRA_SOURCE_DIR) + "/examples/data/breast_cancer.csv", o);
  ASSERT_TRUE(table.ok());
  auto split = SplitForTraining(*table, 0.25, 0);
  ASSERT_TRUE(split.ok());
  std::vector<std::vector<uint64_t>> owner_rows(3);
  for (size_t i = 0; i < split->train.size(); ++i) owner_rows[i % 3].push_back(split->train[i]);
  // Owner 0 fits the preprocessing and shares it; the others use it as agreed.
  auto pre = FitPreprocessing(*table, owner_rows[0]);
  ASSERT_TRUE(pre.ok());

  const TrainConfig config = DefaultTrainConfig();
  ThreeOwners t = MakeThreeOwners(config.iterations);
  Party party(t.ctx, t.session);
  std::vector<EncryptedContainer> datasets;
  for (int i = 0; i < 3; ++i) {
    auto d = EncryptRows(t.pub, *pre, *table, owner_rows[i]);
    ASSERT_TRUE(d.ok()) << d.status().message();
    datasets.push_back(*d);
  }
  auto model_ct = TrainOnEncrypted(t.pub, datasets, config);
  ASSERT_TRUE(model_ct.ok()) << model_ct.status().message();
  const Ciphertext& ct = model_ct->ciphertexts[0];

  std::vector<DecryptionShare> shares;
  for (int i = 0; i < 3; ++i) {
    auto s = party.DecryptShare(t.secrets[i], ct, SmudgingLog2Sigma(ct));
    ASSERT_TRUE(s.ok());
    shares.push_back(*s);
  }
  auto pt = CombineDecryption(t.ctx, t.session, ct, shares);
  ASSERT_TRUE(pt.ok()) << pt.status().message();
  auto beta = DecodeWeights(t.ctx, *model_ct, *pt);
  ASSERT_TRUE(beta.ok());
  auto model = ModelFromWeights(*model_ct, *beta);
  ASSERT_TRUE(model.ok()) << model.status().message();

  // The same algorithm in double precision on the concatenated rows.
  std::vector<uint64_t> all_rows;
  for (auto& r : owner_rows) all_rows.insert(all_rows.end(), r.begin(), r.end());
  auto z = PrepareSignedRows(*pre, *table, all_rows);
  ASSERT_TRUE(z.ok());
  PlainResult plain = PlainTrain(*z, all_rows.size(), pre->features() + 1, config);
  auto plain_model = BuildModel(*pre, plain.beta, config, {});
  ASSERT_TRUE(plain_model.ok());
  auto set = ml::PrepareForModel(*model, *table, &split->test);
  ASSERT_TRUE(set.ok());
  const double acc = ml::Measure(*model, *set)->headline();
  const double plain_acc = ml::Measure(*plain_model, *set)->headline();
  double max_diff = 0;
  for (size_t j = 0; j < beta->size(); ++j)
    max_diff = std::max(max_diff, std::fabs((*beta)[j] - plain.beta[j]));
  std::printf("3 owners: encrypted acc %.4f, plain acc %.4f, max weight diff %.2e\n", acc,
              plain_acc, max_diff);
  EXPECT_GE(acc, 0.94);
  EXPECT_LE(std::fabs(acc - plain_acc), 0.02);
  EXPECT_LT(max_diff, 1e-2);

  // Two of three shares: the missing c1·s_2 term is uniform; the values are unrelated.
  Plaintext partial = AddDecryptionShares(*t.ctx, ct, {shares[0], shares[1]});
  auto garbage = DecodeWeights(t.ctx, *model_ct, partial);
  ASSERT_TRUE(garbage.ok());
  size_t close = 0;
  double mean_abs = 0;
  for (size_t j = 0; j < garbage->size(); ++j) {
    close += std::fabs((*garbage)[j] - (*beta)[j]) < 1.0;
    mean_abs += std::fabs((*garbage)[j]) / garbage->size();
  }
  std::printf("2 of 3 shares: mean |value| %.3g, %zu of %zu within 1.0 of the model\n", mean_abs,
              close, garbage->size());
  EXPECT_LE(close, 1u);
  EXPECT_GT(mean_abs, 1e3);
  EXPECT_FALSE(ModelFromWeights(*model_ct, *garbage).ok());

  // The combiner refuses incomplete or foreign share sets, naming the fault.
  auto missing = CombineDecryption(t.ctx, t.session, ct, {shares[0], shares[1]});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("missing the decryption share of party 2"),
            std::string::npos)
      << missing.status().message();
  std::vector<DecryptionShare> stranger = shares;
  stranger[2].index = 5;
  auto nonmember = CombineDecryption(t.ctx, t.session, ct, stranger);
  ASSERT_FALSE(nonmember.ok());
  EXPECT_NE(nonmember.status().message().find("not a member"), std::string::npos)
      << nonmember.status().message();
  std::vector<DecryptionShare> twice = {shares[0], shares[1], shares[1]};
  EXPECT_FALSE(CombineDecryption(t.ctx, t.session, ct, twice).ok());
  std::vector<DecryptionShare> foreign = shares;
  foreign[1].session_id[0] ^= 1;
  auto other = CombineDecryption(t.ctx, t.session, ct, foreign);
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.status().message().find("another session"), std::string::npos);
  // A share of another ciphertext.
  std::vector<DecryptionShare> wrong_ct = shares;
  auto other_share = party.DecryptShare(t.secrets[0], datasets[0].ciphertexts[0], 20);
  ASSERT_TRUE(other_share.ok());
  wrong_ct[0] = *other_share;
  EXPECT_FALSE(CombineDecryption(t.ctx, t.session, ct, wrong_ct).ok());
  // Key shares: a missing owner.
  auto partial_keys = CombineKeyShares(t.ctx, t.session, {t.key_shares[0], t.key_shares[2]});
  ASSERT_FALSE(partial_keys.ok());
  EXPECT_NE(partial_keys.status().message().find("missing the key share of party 1"),
            std::string::npos);
}

TEST(HeTrainMultiparty, ShareFilesRoundTripAndRefuseTruncation) {
  ThreeOwners t = MakeThreeOwners(1);
  const HeContext& c = *t.ctx;
  Bytes ks = SerializeKeyShare(c, t.key_shares[1]);
  auto back = ParseKeyShare(c, ks, "share");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->index, 1u);
  EXPECT_EQ(back->galois.size(), t.key_shares[1].galois.size());
  Bytes cut(ks.begin(), ks.begin() + static_cast<std::ptrdiff_t>(ks.size() / 2));
  auto bad = ParseKeyShare(c, cut, "share");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("truncated"), std::string::npos) << bad.status().message();
  Bytes session = SerializeSession(t.session);
  auto s2 = ParseSession(session, "s");
  ASSERT_TRUE(s2.ok());
  EXPECT_EQ(s2->Id(), t.session.Id());
  session.pop_back();
  EXPECT_FALSE(ParseSession(session, "s").ok());
  Bytes secret = SerializePartySecret(c, t.session.Id(), t.secrets[2]);
  auto sback = ParsePartySecret(t.ctx, t.session.Id(), secret, "secret");
  ASSERT_TRUE(sback.ok());
  EXPECT_EQ(sback->index, 2u);
  EXPECT_EQ(sback->s.coefficients, t.secrets[2].s.coefficients);
  Digest other = t.session.Id();
  other[3] ^= 1;
  EXPECT_FALSE(ParsePartySecret(t.ctx, other, secret, "secret").ok());
}

}  // namespace
}  // namespace zektra::he::train
