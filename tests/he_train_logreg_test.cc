// Encrypted logistic regression: packing, the sigmoid fit, the plaintext reference, and
// the encrypted run against the reference on breast_cancer (single key holder).
#include <gtest/gtest.h>

#include <cmath>

#include "zektra/base/timer.h"
#include "zektra/he/train/data.h"
#include "zektra/he/train/logreg.h"
#include "zektra/he/train/multiparty.h"
#include "zektra/he/train/workflow.h"
#include "zektra/ml/pipeline.h"

namespace zektra::he::train {
namespace {

ml::Table LoadBreastCancer() {
  ml::CsvOptions o;
  o.label = "benign";
  auto t = ml::LoadCsv(std::string(ZEKTRA_SOURCE_DIR) + "/examples/data/breast_cancer.csv", o);
  EXPECT_TRUE(t.ok()) << t.status().message();
  return *t;
}

double TestAccuracy(const Preprocessing& pre, const std::vector<double>& beta,
                    const TrainConfig& config, const ml::Table& table,
                    const std::vector<uint64_t>& test_rows) {
  auto model = BuildModel(pre, beta, config, {});
  if (!model.ok()) return 0;
  auto set = ml::PrepareForModel(*model, table, &test_rows);
  EXPECT_TRUE(set.ok());
  auto m = ml::Measure(*model, *set);
  EXPECT_TRUE(m.ok());
  return m->headline();
}

TEST(HeTrainLogReg, SigmoidCubicFitsOnItsRange) {
  for (auto [r, bound] : {std::pair{8.0, 0.12}, std::pair{16.0, 0.25}}) {
    SigmoidCubic p = FitSigmoidCubic(r);
    EXPECT_GT(p.a1, 0);
    EXPECT_LT(p.a3, 0);
    double worst = 0;
    for (double t = -r; t <= r; t += r / 100)
      worst = std::max(worst, std::fabs(p(t) - 1 / (1 + std::exp(-t))));
    EXPECT_LT(worst, bound) << r;
    EXPECT_NEAR(p(0), 0.5, 1e-12);
  }
}

TEST(HeTrainLogReg, PackingWritesEachRowTwice) {
  auto layout = PackingLayout::For(3, 64);
  ASSERT_TRUE(layout.ok());
  EXPECT_EQ(layout->feature_slots, 4u);
  EXPECT_EQ(layout->rows_per_ciphertext, 8u);
  std::vector<double> z;
  for (int r = 0; r < 10; ++r)
    for (int j = 0; j < 3; ++j) z.push_back(r * 10 + j + 1);
  auto packed = PackRows(*layout, z, 10);
  ASSERT_EQ(packed.size(), 2u);
  EXPECT_EQ(packed[0][8 + 1], 12);
  EXPECT_EQ(packed[0][8 + 4 + 1], 12);
  EXPECT_EQ(packed[0][8 + 3], 0);
  EXPECT_EQ(packed[1][8 + 2], 93);
  EXPECT_EQ(packed[1][16], 0);
  EXPECT_FALSE(PackingLayout::For(40, 64).ok());
}

TEST(HeTrainLogReg, ParametersFitTheSecurityTable) {
  for (int k : {1, 2, 4, 7}) {
    auto params = TrainingParameters(k);
    ASSERT_TRUE(params.ok()) << k << params.status().message();
    auto ctx = HeContext::Create(*params);
    ASSERT_TRUE(ctx.ok());
    EXPECT_GE(MaxIterationsFor(**ctx), k);
  }
  EXPECT_FALSE(TrainingParameters(40).ok());
}

TEST(HeTrainLogReg, PlainReferenceLearnsBreastCancer) {
  ml::Table table = LoadBreastCancer();
  auto split = SplitForTraining(table, 0.25, 0);
  ASSERT_TRUE(split.ok());
  auto pre = FitPreprocessing(table, split->train);
  ASSERT_TRUE(pre.ok());
  auto z = PrepareSignedRows(*pre, table, split->train);
  ASSERT_TRUE(z.ok());
  const TrainConfig config = DefaultTrainConfig();
  PlainResult res = PlainTrain(*z, split->train.size(), pre->features() + 1, config);
  EXPECT_GE(TestAccuracy(*pre, res.beta, config, table, split->test), 0.94);
  // One iteration is the closed-form step from zero: γ·(1/2n)·Σ z_r.
  TrainConfig one = config;
  one.iterations = 1;
  PlainResult first = PlainTrain(*z, split->train.size(), pre->features() + 1, one);
  double bias_sum = 0;
  for (size_t r = 0; r < split->train.size(); ++r) bias_sum += (*z)[r * (pre->features() + 1)];
  EXPECT_NEAR(first.beta[0], config.learning_rate * 0.5 * bias_sum / split->train.size(), 1e-12);
}

TEST(HeTrainLogReg, NesterovSequence) {
  std::vector<double> eta = NesterovEta(4);
  EXPECT_EQ(eta[0], 0);
  EXPECT_NEAR(eta[1],
              (1 - (1 + std::sqrt(5.0)) / 2) / ((1 + std::sqrt(7 + 2 * std::sqrt(5.0))) / 2),
              1e-12);
  for (size_t k = 1; k < eta.size(); ++k) EXPECT_LT(eta[k], 0);  // momentum
}

// The acceptance run (docs/HE_TRAINING.md): breast_cancer, 75/25 split with seed 0.
TEST(HeTrainLogReg, EncryptedMatchesPlainOnBreastCancer) {
  ml::Table table = LoadBreastCancer();
  auto split = SplitForTraining(table, 0.25, 0);
  ASSERT_TRUE(split.ok());
  auto pre = FitPreprocessing(table, split->train);
  ASSERT_TRUE(pre.ok());
  const TrainConfig config = DefaultTrainConfig();
  Timer t;
  auto keys = GenerateOwnerKeys(config.iterations);
  ASSERT_TRUE(keys.ok()) << keys.status().message();
  const double keygen_s = t.Seconds();
  PublicMaterial pub = PublicMaterialOf(*keys);
  t.Reset();
  auto data = EncryptRows(pub, *pre, table, split->train);
  ASSERT_TRUE(data.ok()) << data.status().message();
  const double enc_s = t.Seconds();
  t.Reset();
  TrainReport report;
  auto model_ct = TrainOnEncrypted(pub, {*data}, config, &report);
  ASSERT_TRUE(model_ct.ok()) << model_ct.status().message();
  const double train_s = t.Seconds();
  auto model = DecryptModel(keys->context, keys->secret_key, *model_ct);
  ASSERT_TRUE(model.ok()) << model.status().message();

  auto z = PrepareSignedRows(*pre, table, split->train);
  ASSERT_TRUE(z.ok());
  PlainResult plain = PlainTrain(*z, split->train.size(), pre->features() + 1, config);
  const double plain_acc = TestAccuracy(*pre, plain.beta, config, table, split->test);
  auto set = ml::PrepareForModel(*model, table, &split->test);
  ASSERT_TRUE(set.ok());
  auto m = ml::Measure(*model, *set);
  ASSERT_TRUE(m.ok());
  const double enc_acc = m->headline();
  double max_diff = 0;
  const ml::Layer& layer = model->layers[0];
  max_diff = std::fabs(layer.bias[0] / 65536.0 - plain.beta[0]);
  for (size_t j = 0; j < layer.weights.size(); ++j)
    max_diff = std::max(max_diff, std::fabs(layer.weights[j] / 65536.0 - plain.beta[j + 1]));
  std::printf(
      "N=2^%d levels=%zu keygen %.2fs encrypt %.2fs train %.2fs (%zu rotations) plain acc %.4f "
      "encrypted acc %.4f max weight diff %.2e max|t| %.1f\n",
      keys->context->log_n(), keys->context->max_level(), keygen_s, enc_s, train_s,
      report.stats.rotations, plain_acc, enc_acc, max_diff, plain.max_abs_inner);
  // Without flooding (the key owner's private view): the error of the CKKS computation
  // itself, which the flooding noise must dominate (docs/HE_TRAINING.md).
  Decryptor decryptor(keys->context, keys->secret_key);
  auto raw = decryptor.Decrypt(model_ct->ciphertexts[0]);
  ASSERT_TRUE(raw.ok());
  auto raw_beta = DecodeWeights(keys->context, *model_ct, *raw);
  ASSERT_TRUE(raw_beta.ok());
  double raw_diff = 0;
  for (size_t j = 0; j < raw_beta->size(); ++j)
    raw_diff = std::max(raw_diff, std::fabs((*raw_beta)[j] - plain.beta[j]));
  std::printf(
      "unflooded max weight error %.2e (log2 %.1f), final scale 2^%.1f, flooding sigma 2^%.1f\n",
      raw_diff, std::log2(raw_diff), std::log2(model_ct->ciphertexts[0].scale),
      SmudgingLog2Sigma(model_ct->ciphertexts[0]));
  EXPECT_LT(raw_diff, 1e-4);
  EXPECT_LT(max_diff, 1e-2);
  EXPECT_GE(enc_acc, 0.94);
  EXPECT_LE(std::fabs(enc_acc - plain_acc), 0.02);
}

}  // namespace
}  // namespace zektra::he::train
