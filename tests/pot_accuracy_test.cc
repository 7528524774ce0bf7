// Proof of test accuracy and of inference: honest proofs verify and state exactly the count that
// `zektra evaluate` (ml::Measure) reports; every dishonest prover and edit is rejected.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <memory>

#include "tests/accuracy_case_util.h"
#include "tests/fuzz_targets.h"
#include "tests/proof_tamper_util.h"
#include "zektra/crypto/sha256.h"
#include "zektra/ml/pipeline.h"
#include "zektra/pot/accuracy_proof.h"
#include "zektra/zk/proof_format.h"

namespace zektra::pot {
namespace {

const testing::AcceptsFn kAccepts = [](const Bytes& proof) {
  return VerifyAccuracy(proof).status.ok();
};

using Case = testing::AccuracyCase;
using testing::LoadExample;
using testing::SelectRows;

std::unique_ptr<Case> MakeCase(const std::string& file, const std::string& label,
                               const std::string& spec, uint64_t epochs,
                               uint64_t max_rows = std::numeric_limits<uint64_t>::max()) {
  return testing::MakeAccuracyCase(file, label, spec, epochs, max_rows);
}

void ExpectHonest(const Case& c) {
  auto proof = ProveTestAccuracy(c.model, c.test, *c.committed);
  ASSERT_TRUE(proof.ok()) << proof.status().message();
  AccuracyVerifyOutcome v = VerifyAccuracy(*proof, &c.committed->commitment);
  ASSERT_TRUE(v.status.ok()) << v.status.message();
  ASSERT_TRUE(v.statement.has_value());
  EXPECT_EQ(v.statement->total, c.test.rows);
  EXPECT_EQ(v.statement->correct, c.measured_correct);
  EXPECT_TRUE(CheckModelMatchesAccuracyStatement(c.model, *v.statement).ok());
}

TEST(PotAccuracy, HonestLogregOnBreastCancerVerifiesWithEvaluatesCount) {
  auto c = MakeCase("breast_cancer.csv", "benign", "logreg", 5);
  ExpectHonest(*c);
}

TEST(PotAccuracy, HonestSoftmaxOnDigitsVerifiesWithEvaluatesCount) {
  auto c = MakeCase("digits.csv", "digit", "softmax", 5);
  ExpectHonest(*c);
}

// The mlp:32 digits model; the tamper tests use the first 64 held-out rows (committed on their
// own) so that their dozen proofs stay fast.
class PotAccuracyMlp : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    case_ = MakeCase("digits.csv", "digit", "mlp:32", 5, 64).release();
    auto p = ProveTestAccuracy(case_->model, case_->test, *case_->committed);
    ZK_CHECK(p.ok(), p.status().message().c_str());
    proof_ = new Bytes(std::move(*p));
  }
  static void TearDownTestSuite() {
    delete case_;
    delete proof_;
  }
  static Case* case_;
  static Bytes* proof_;
};
Case* PotAccuracyMlp::case_ = nullptr;
Bytes* PotAccuracyMlp::proof_ = nullptr;

TEST(PotAccuracy, HonestMlpOnDigitsVerifiesWithEvaluatesCount) {
  auto c = MakeCase("digits.csv", "digit", "mlp:32", 5);
  ExpectHonest(*c);
}

TEST_F(PotAccuracyMlp, HonestMlpProofOfSubsetVerifies) {
  AccuracyVerifyOutcome v = VerifyAccuracy(*proof_, &case_->committed->commitment);
  ASSERT_TRUE(v.status.ok()) << v.status.message();
  EXPECT_EQ(v.statement->correct, case_->measured_correct);
  EXPECT_EQ(v.statement->total, 64u);
  EXPECT_GT(v.statement->accuracy(), 0.8);
  auto st = ReadAccuracyStatement(*proof_);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->WeightsDigestHex(), case_->model.WeightsDigestHex());
}

TEST_F(PotAccuracyMlp, DishonestProversAreRejected) {
  const AccuracyTamper tampers[] = {AccuracyTamper::kActivation,  AccuracyTamper::kReluSign,
                                    AccuracyTamper::kPrediction,  AccuracyTamper::kInflatedCount,
                                    AccuracyTamper::kModelWeight, AccuracyTamper::kTruncation,
                                    AccuracyTamper::kLabel};
  for (AccuracyTamper t : tampers) {
    auto p = ProveTestAccuracy(case_->model, case_->test, *case_->committed, t);
    ASSERT_TRUE(p.ok()) << static_cast<int>(t) << ": " << p.status().message();
    AccuracyVerifyOutcome v = VerifyAccuracy(*p);
    EXPECT_FALSE(v.status.ok()) << "tamper " << static_cast<int>(t) << " accepted";
  }
}

// Zero knowledge: every evaluation of the witness or the test set that the proof reveals is
// at a point with a random top coordinate ζ, so it differs from the real half's value, and
// two proofs of the same statement reveal different values.
TEST_F(PotAccuracyMlp, RevealedEvaluationsAreMasked) {
  std::vector<RevealedEvaluation> a, b;
  auto pa =
      ProveTestAccuracy(case_->model, case_->test, *case_->committed, AccuracyTamper::kNone, &a);
  auto pb =
      ProveTestAccuracy(case_->model, case_->test, *case_->committed, AccuracyTamper::kNone, &b);
  ASSERT_TRUE(pa.ok() && pb.ok());
  ASSERT_TRUE(VerifyAccuracy(*pa).status.ok());
  ASSERT_EQ(a.size(), b.size());
  ASSERT_GT(a.size(), 50u);
  size_t data = 0, multiplicities = 0;
  for (size_t k = 0; k < a.size(); ++k) {
    EXPECT_EQ(a[k].what, b[k].what);
    EXPECT_NE(a[k].sent, a[k].unmasked) << a[k].what;
    EXPECT_NE(a[k].zeta, Fp2::Zero()) << a[k].what;
    EXPECT_NE(a[k].sent, b[k].sent) << a[k].what;
    data += a[k].what.rfind("test set", 0) == 0;
    multiplicities += a[k].what == "range_multiplicities";
  }
  EXPECT_EQ(data, 2u);  // the standardisation's factor and the label column's value
  EXPECT_EQ(multiplicities, 1u);
  // The real half's values are what a proof without blinding would reveal: the label column at
  // a random row point is a combination of the true labels.
  for (const auto& r : a) {
    if (r.what == "test set labels") {
      EXPECT_NE(r.unmasked, Fp2::Zero());
    }
  }
}

TEST_F(PotAccuracyMlp, BlindingHalfTampersAreRejected) {
  for (AccuracyTamper t : {AccuracyTamper::kBlindingProduct, AccuracyTamper::kBlindingOneHot,
                           AccuracyTamper::kBlindingLabel, AccuracyTamper::kMultiplicity}) {
    auto p = ProveTestAccuracy(case_->model, case_->test, *case_->committed, t);
    ASSERT_TRUE(p.ok()) << static_cast<int>(t) << ": " << p.status().message();
    AccuracyVerifyOutcome v = VerifyAccuracy(*p);
    EXPECT_FALSE(v.status.ok()) << "tamper " << static_cast<int>(t) << " accepted";
  }
  ml::Table inputs = SelectRows(case_->test, {0, 1, 2});
  for (AccuracyTamper t : {AccuracyTamper::kBlindingProduct, AccuracyTamper::kMultiplicity}) {
    auto p = ProveInference(case_->model, inputs, t);
    ASSERT_TRUE(p.ok());
    EXPECT_FALSE(VerifyAccuracy(*p).status.ok()) << "inference tamper " << static_cast<int>(t);
  }
}

TEST(PotAccuracy, TinyTestSetIsRefusedClearly) {
  // Fewer than 9 rows: not enough blinding rows to hide the proof's evaluations.
  auto c = MakeCase("breast_cancer.csv", "benign", "logreg", 2);
  ml::Table small = SelectRows(c->test, {0, 1, 2, 3, 4});
  auto cd = CommitDataset(small, DatasetSecret::Fresh());
  ASSERT_TRUE(cd.ok());
  auto p = ProveTestAccuracy(c->model, small, *cd);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("9 rows"), std::string::npos) << p.status().message();
}

TEST_F(PotAccuracyMlp, DatasetAProvenAgainstCommitmentOfBIsRejected) {
  // The prover holds table A but the commitment is to B (one value changed).
  ml::Table other = case_->test;
  other.features[5] += 3;
  auto p = ProveTestAccuracy(case_->model, other, *case_->committed);
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_FALSE(VerifyAccuracy(*p).status.ok());
  // A flipped label.
  ml::Table relabelled = case_->test;
  relabelled.labels[0] = relabelled.labels[0] == 0 ? 1 : 0;
  auto q = ProveTestAccuracy(case_->model, relabelled, *case_->committed);
  ASSERT_TRUE(q.ok()) << q.status().message();
  EXPECT_FALSE(VerifyAccuracy(*q).status.ok());
  // An honest proof checked against another commitment.
  auto c = CommitDataset(other, DatasetSecret::Fresh());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(VerifyAccuracy(*proof_, &c->commitment).status.code(), StatusCode::kRejected);
}

TEST_F(PotAccuracyMlp, EditedStatementFieldsAreRejected) {
  auto container = ProofContainer::Parse(*proof_);
  ASSERT_TRUE(container.ok());
  auto st = AccuracyStatement::Parse(*container->Find(1));
  ASSERT_TRUE(st.ok());
  std::vector<std::function<void(AccuracyStatement&)>> edits = {
      [](AccuracyStatement& s) { s.correct += 1; },
      [](AccuracyStatement& s) { s.correct -= 1; },
      [](AccuracyStatement& s) { s.layers[0].weights[36] += 1; },  // pixel (4, 4): rarely blank
      [](AccuracyStatement& s) { s.layers[1].bias[2] += 1; },
      [](AccuracyStatement& s) { s.layers[0].bias[0] -= 1; },
      [](AccuracyStatement& s) { s.mean[27] += 1; },
      [](AccuracyStatement& s) { s.multiplier[28] += 1; },
      [](AccuracyStatement& s) { std::swap(s.classes[0], s.classes[1]); },
      [](AccuracyStatement& s) { s.total += 1; },
  };
  EXPECT_EQ(testing::AcceptedStatementEdits(*container, 1, *st, edits, kAccepts),
            testing::kNoneAccepted);
}

TEST_F(PotAccuracyMlp, SingleByteFlipsNeverAccept) {
  EXPECT_EQ(testing::AcceptedByteFlips(*proof_, 300, kAccepts), testing::kNoneAccepted);
}

TEST_F(PotAccuracyMlp, FuzzTargetSurvivesMutationsAndTruncations) {
  EXPECT_EQ(testing::AcceptedMutations(*proof_, 777, 45, fuzz::AccuracyProofTarget, kAccepts),
            testing::kNoneAccepted);
}

TEST_F(PotAccuracyMlp, InferenceOnPublicInputsVerifiesAndBindsPredictions) {
  ml::Table inputs = SelectRows(case_->test, {0, 1, 2, 3, 4});
  auto p = ProveInference(case_->model, inputs);
  ASSERT_TRUE(p.ok()) << p.status().message();
  AccuracyVerifyOutcome v = VerifyAccuracy(*p);
  ASSERT_TRUE(v.status.ok()) << v.status.message();
  ASSERT_EQ(v.statement->predictions.size(), 5u);
  // The predictions are ml's.
  auto set = ml::PrepareForModel(case_->model, inputs);
  ASSERT_TRUE(set.ok());
  auto probs = ml::PredictReal(case_->model, *set);
  ASSERT_TRUE(probs.ok());
  for (size_t i = 0; i < 5; ++i) {
    const double* row = probs->data() + i * 10;
    EXPECT_EQ(v.statement->predictions[i],
              static_cast<uint32_t>(std::max_element(row, row + 10) - row));
  }
  // Another prediction in the statement, a tampered prover, or a test-set check all fail.
  auto container = ProofContainer::Parse(*p);
  ASSERT_TRUE(container.ok());
  AccuracyStatement edited = *v.statement;
  edited.predictions[2] = (edited.predictions[2] + 1) % 10;
  ProofContainer c = *container;
  c.Set(1, edited.Serialize());
  EXPECT_FALSE(VerifyAccuracy(c.Encode()).status.ok());
  for (AccuracyTamper t :
       {AccuracyTamper::kPrediction, AccuracyTamper::kActivation, AccuracyTamper::kModelWeight}) {
    auto bad = ProveInference(case_->model, inputs, t);
    ASSERT_TRUE(bad.ok());
    EXPECT_FALSE(VerifyAccuracy(*bad).status.ok()) << static_cast<int>(t);
  }
  EXPECT_FALSE(VerifyAccuracy(*p, &case_->committed->commitment).status.ok());
}

TEST(PotAccuracy, HonestSigmoidMlpAndTwoClassSoftmaxVerify) {
  // mlp with two classes ends in a sigmoid; two-class softmax uses the metrics' p_1 ≥ ½ rule.
  for (const char* spec : {"mlp:8", "softmax"}) {
    auto c = MakeCase("breast_cancer.csv", "benign", spec, 5);
    ExpectHonest(*c);
  }
}

TEST(PotAccuracy, ClampedOutliersAreProvenExactly) {
  // Values far outside the training distribution hit the standardiser's clamp (±(2^24 − 1)).
  auto c = MakeCase("breast_cancer.csv", "benign", "logreg", 5);
  const auto& sd = c->model.standardizer;  // 400 and −600 standard deviations out
  c->test.features[3] = sd.MeanReal(3) + 400 * sd.StddevReal(3);
  c->test.features[c->test.cols() + 4] = sd.MeanReal(4) - 600 * sd.StddevReal(4);
  c->Recommit();
  auto set = ml::PrepareForModel(c->model, c->test);
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(std::abs(set->x[3]), (1 << 24) - 1);
  EXPECT_EQ(std::abs(set->x[c->test.cols() + 4]), (1 << 24) - 1);
  ExpectHonest(*c);
}

TEST(PotAccuracy, LinregIsRefusedClearly) {
  ml::Table t = LoadExample("diabetes_progression.csv", "progression");
  ml::TrainRequest req;
  req.spec.kind = ml::ModelKind::kLinReg;
  req.hyper.epochs = 1;
  auto out = ml::TrainOnTable(t, req);
  ASSERT_TRUE(out.ok());
  auto c = CommitDataset(t, DatasetSecret::Fresh());
  ASSERT_TRUE(c.ok());
  auto p = ProveTestAccuracy(out->model, t, *c);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("linreg"), std::string::npos) << p.status().message();
}

TEST(PotAccuracy, GarbageIsRefused) {
  EXPECT_FALSE(ReadAccuracyStatement(Bytes{1, 2, 3}).ok());
  EXPECT_FALSE(VerifyAccuracy(Bytes{}).status.ok());
  EXPECT_FALSE(AccuracyStatement::Parse(Bytes(40, 0)).ok());
}

}  // namespace
}  // namespace zektra::pot
