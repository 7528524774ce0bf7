// Proof of test accuracy for a PRIVATE model (issue #5): the statement holds the model's
// commitment instead of its weights. Honest proofs verify and state ml::Measure's count; a proof
// is bound to its model commitment; a weight changed after commitment, an out-of-range committed
// weight, a nonzero padding entry and the usual dishonest witnesses are rejected; every revealed
// evaluation of the weights is masked; byte flips never accept.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
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

// Trained on `file`, the first `rows` held-out rows, the model committed with a budget of
// `max_openings` proofs.
std::unique_ptr<Case> MakeCase(const std::string& file, const std::string& label,
                               const std::string& spec, uint64_t epochs, uint64_t rows,
                               uint32_t max_openings) {
  return testing::MakeAccuracyCase(file, label, spec, epochs, rows, max_openings);
}

// mlp:32 on digits, the first 64 held-out rows; the model commitment allows 40 proofs.
class PotAccuracyPrivateModel : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    case_ = MakeCase("digits.csv", "digit", "mlp:32", 5, 64, 40).release();
    auto p = ProveTestAccuracyPrivateModel(case_->model, *case_->model_commitment, case_->test,
                                           *case_->committed);
    ZK_CHECK(p.ok(), p.status().message().c_str());
    proof_ = new Bytes(std::move(*p));
  }
  static void TearDownTestSuite() {
    delete case_;
    delete proof_;
  }
  static Result<Bytes> Prove(AccuracyTamper t = AccuracyTamper::kNone,
                             std::vector<RevealedEvaluation>* audit = nullptr) {
    return ProveTestAccuracyPrivateModel(case_->model, *case_->model_commitment, case_->test,
                                         *case_->committed, t, audit);
  }
  static Case* case_;
  static Bytes* proof_;
};
Case* PotAccuracyPrivateModel::case_ = nullptr;
Bytes* PotAccuracyPrivateModel::proof_ = nullptr;

TEST_F(PotAccuracyPrivateModel, HonestProofVerifiesWithoutTheWeights) {
  const ModelCommitment& mc = case_->model_commitment->commitment;
  AccuracyVerifyOutcome v = VerifyAccuracy(*proof_, &case_->committed->commitment, &mc);
  ASSERT_TRUE(v.status.ok()) << v.status.message();
  ASSERT_TRUE(v.statement.has_value());
  EXPECT_TRUE(v.statement->private_model());
  EXPECT_EQ(v.statement->model_commitment->IdHex(), mc.IdHex());
  EXPECT_EQ(v.statement->correct, case_->measured_correct);
  EXPECT_EQ(v.statement->total, 64u);
  for (const auto& l : v.statement->layers) {
    EXPECT_TRUE(l.weights.empty());
    EXPECT_TRUE(l.bias.empty());
  }
  EXPECT_EQ(v.statement->ToJson()["model_commitment"], mc.IdHex());
  EXPECT_FALSE(v.statement->ToJson().contains("weights_sha256"));
  // A model file cannot be compared with a private-model proof; the reason says so.
  Status s = CheckModelMatchesAccuracyStatement(case_->model, *v.statement);
  EXPECT_NE(s.message().find("private model"), std::string::npos) << s.message();
}

TEST_F(PotAccuracyPrivateModel, PublicWeightProofsStillVerify) {
  auto p = ProveTestAccuracy(case_->model, case_->test, *case_->committed);
  ASSERT_TRUE(p.ok());
  AccuracyVerifyOutcome v = VerifyAccuracy(*p);
  ASSERT_TRUE(v.status.ok()) << v.status.message();
  EXPECT_FALSE(v.statement->private_model());
  EXPECT_EQ(v.statement->correct, case_->measured_correct);
  // ... and a public-weight proof is not about any model commitment.
  EXPECT_EQ(VerifyAccuracy(*p, nullptr, &case_->model_commitment->commitment).status.code(),
            StatusCode::kRejected);
}

TEST_F(PotAccuracyPrivateModel, AnotherModelsCommitmentIsRejected) {
  // The same weights committed again (fresh seed) are another commitment.
  auto other = CommitModel(case_->model, ModelSecret::Fresh());
  ASSERT_TRUE(other.ok());
  AccuracyVerifyOutcome v = VerifyAccuracy(*proof_, nullptr, &other->commitment);
  EXPECT_EQ(v.status.code(), StatusCode::kRejected);
  EXPECT_NE(v.status.message().find(other->commitment.IdHex()), std::string::npos);
  // The statement edited to name the other commitment: the opening fails.
  auto container = ProofContainer::Parse(*proof_);
  ASSERT_TRUE(container.ok());
  auto st = AccuracyStatement::Parse(*container->Find(1));
  ASSERT_TRUE(st.ok());
  AccuracyStatement edited = *st;
  edited.model_commitment = other->commitment;
  ProofContainer c = *container;
  c.Set(1, edited.Serialize());
  EXPECT_FALSE(VerifyAccuracy(c.Encode()).status.ok());
  // A different model (one weight changed) committed, and the honest proof checked against it.
  ml::Model changed = case_->model;
  changed.layers[1].weights[7] += 1;
  auto cm = CommitModel(changed, ModelSecret::Fresh());
  ASSERT_TRUE(cm.ok());
  edited.model_commitment = cm->commitment;
  c.Set(1, edited.Serialize());
  EXPECT_FALSE(VerifyAccuracy(c.Encode()).status.ok());
  // A prover that holds model B but the commitment to A is refused before proving (the
  // dishonest version of this is WeightChangedAfterCommitmentIsRejected).
  auto wrong = ProveTestAccuracyPrivateModel(changed, *case_->model_commitment, case_->test,
                                             *case_->committed);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("not the committed"), std::string::npos);
}

TEST_F(PotAccuracyPrivateModel, EditedStatementFieldsAreRejected) {
  auto container = ProofContainer::Parse(*proof_);
  ASSERT_TRUE(container.ok());
  auto st = AccuracyStatement::Parse(*container->Find(1));
  ASSERT_TRUE(st.ok());
  const ml::Model& m = case_->model;
  std::vector<std::function<void(AccuracyStatement&)>> edits = {
      [](AccuracyStatement& s) { s.correct += 1; },
      [](AccuracyStatement& s) { s.correct -= 1; },
      [](AccuracyStatement& s) { s.total += 1; },
      // Turned into a public-weight statement with the real weights.
      [&](AccuracyStatement& s) {
        s.model_commitment.reset();
        s.layers = m.layers;
      },
      // The public preprocessing edited in the statement (not its model commitment).
      [](AccuracyStatement& s) { s.mean[27] += 1; },
      [](AccuracyStatement& s) { std::swap(s.classes[0], s.classes[1]); },
  };
  EXPECT_EQ(testing::AcceptedStatementEdits(*container, 1, *st, edits, kAccepts),
            testing::kNoneAccepted);
}

TEST_F(PotAccuracyPrivateModel, WeightChangedAfterCommitmentIsRejected) {
  auto p = Prove(AccuracyTamper::kCommittedWeight);
  ASSERT_TRUE(p.ok()) << p.status().message();
  AccuracyVerifyOutcome v = VerifyAccuracy(*p);
  EXPECT_FALSE(v.status.ok());
  EXPECT_NE(v.status.message().find("opening"), std::string::npos) << v.status.message();
}

TEST_F(PotAccuracyPrivateModel, OutOfRangeCommittedWeightIsRejected) {
  // A dishonest owner commits a model whose output bias is far outside (−2^24, 2^24).
  ml::Model bad = case_->model;
  bad.layers.back().bias[3] = int64_t{1} << 26;
  auto cm = CommitModelUnchecked(bad, ModelSecret::Fresh());
  ASSERT_TRUE(cm.ok());
  auto refused = ProveTestAccuracyPrivateModel(bad, *cm, case_->test, *case_->committed);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("outside"), std::string::npos);
  auto p = ProveTestAccuracyPrivateModel(bad, *cm, case_->test, *case_->committed,
                                         AccuracyTamper::kOutOfRangeModel);
  ASSERT_TRUE(p.ok()) << p.status().message();
  AccuracyVerifyOutcome v = VerifyAccuracy(*p, nullptr, &cm->commitment);
  EXPECT_FALSE(v.status.ok());
  EXPECT_NE(v.status.message().find("range lookup"), std::string::npos) << v.status.message();
}

TEST_F(PotAccuracyPrivateModel, NonzeroPaddingInTheCommittedModelIsRejected) {
  auto p = Prove(AccuracyTamper::kModelPadding);
  ASSERT_TRUE(p.ok()) << p.status().message();
  AccuracyVerifyOutcome v = VerifyAccuracy(*p);
  EXPECT_FALSE(v.status.ok());
  EXPECT_NE(v.status.message().find("model limbs"), std::string::npos) << v.status.message();
}

TEST_F(PotAccuracyPrivateModel, DishonestWitnessesAreRejected) {
  for (AccuracyTamper t :
       {AccuracyTamper::kActivation, AccuracyTamper::kReluSign, AccuracyTamper::kPrediction,
        AccuracyTamper::kInflatedCount, AccuracyTamper::kTruncation, AccuracyTamper::kLabel,
        AccuracyTamper::kBlindingProduct, AccuracyTamper::kMultiplicity}) {
    auto p = Prove(t);
    ASSERT_TRUE(p.ok()) << static_cast<int>(t) << ": " << p.status().message();
    EXPECT_FALSE(VerifyAccuracy(*p).status.ok()) << "tamper " << static_cast<int>(t);
  }
}

// Zero knowledge for the weights: each evaluation of the committed model that a proof reveals
// (2 per layer and the limb link) is at a point with a random ζ, differs from the real half's
// value, and differs between two proofs of the same statement.
TEST_F(PotAccuracyPrivateModel, RevealedEvaluationsOfTheWeightsAreMasked) {
  std::vector<RevealedEvaluation> a, b;
  auto pa = Prove(AccuracyTamper::kNone, &a);
  auto pb = Prove(AccuracyTamper::kNone, &b);
  ASSERT_TRUE(pa.ok() && pb.ok());
  ASSERT_TRUE(VerifyAccuracy(*pa).status.ok());
  ASSERT_EQ(a.size(), b.size());
  size_t model = 0, limbs = 0;
  for (size_t k = 0; k < a.size(); ++k) {
    EXPECT_EQ(a[k].what, b[k].what);
    EXPECT_NE(a[k].sent, a[k].unmasked) << a[k].what;
    EXPECT_NE(a[k].zeta, Fp2::Zero()) << a[k].what;
    EXPECT_NE(a[k].sent, b[k].sent) << a[k].what;
    if (a[k].what.rfind("model ", 0) == 0) {
      ++model;
      EXPECT_NE(a[k].unmasked, Fp2::Zero()) << a[k].what;  // the real weights are not zero
    }
    limbs += a[k].what.rfind("model.limb", 0) == 0;
  }
  EXPECT_EQ(model, 2 * case_->model.layers.size() + 1);  // L weights, L biases, the link
  EXPECT_EQ(limbs, 2u * 2u);  // two limb columns, at the lookup's point and the link's
}

TEST_F(PotAccuracyPrivateModel, SingleByteFlipsNeverAccept) {
  EXPECT_EQ(testing::AcceptedByteFlips(*proof_, 200, kAccepts), testing::kNoneAccepted);
}

TEST_F(PotAccuracyPrivateModel, FuzzTargetSurvivesMutationsAndTruncations) {
  EXPECT_EQ(testing::AcceptedMutations(*proof_, 4242, 30, fuzz::AccuracyProofTarget, kAccepts),
            testing::kNoneAccepted);
}

TEST_F(PotAccuracyPrivateModel, InferenceWithAPrivateModel) {
  ml::Table inputs = case_->test;
  inputs.rows = 5;
  inputs.features.resize(5 * inputs.cols());
  inputs.labels.resize(5);
  auto p = ProveInferencePrivateModel(case_->model, *case_->model_commitment, inputs);
  ASSERT_TRUE(p.ok()) << p.status().message();
  AccuracyVerifyOutcome v = VerifyAccuracy(*p, nullptr, &case_->model_commitment->commitment);
  ASSERT_TRUE(v.status.ok()) << v.status.message();
  EXPECT_EQ(v.statement->predictions.size(), 5u);
  auto q = ProveInferencePrivateModel(case_->model, *case_->model_commitment, inputs,
                                      AccuracyTamper::kBlindingProduct);
  ASSERT_TRUE(q.ok());
  EXPECT_FALSE(VerifyAccuracy(*q).status.ok());
}

TEST(PotAccuracyPrivateModelSigmoid, LogregOnBreastCancerVerifies) {
  auto c = MakeCase("breast_cancer.csv", "benign", "logreg", 3, 40, 4);
  auto p = ProveTestAccuracyPrivateModel(c->model, *c->model_commitment, c->test, *c->committed);
  ASSERT_TRUE(p.ok()) << p.status().message();
  AccuracyVerifyOutcome v =
      VerifyAccuracy(*p, &c->committed->commitment, &c->model_commitment->commitment);
  ASSERT_TRUE(v.status.ok()) << v.status.message();
  EXPECT_EQ(v.statement->correct, c->measured_correct);
  auto t = ProveTestAccuracyPrivateModel(c->model, *c->model_commitment, c->test, *c->committed,
                                         AccuracyTamper::kCommittedWeight);
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE(VerifyAccuracy(*t).status.ok());
}

TEST(PotAccuracyPrivateModelSigmoid, HidingBudgetIsEnforced) {
  auto c = MakeCase("breast_cancer.csv", "benign", "logreg", 1, 16, 1);
  auto p = ProveTestAccuracyPrivateModel(c->model, *c->model_commitment, c->test, *c->committed);
  ASSERT_TRUE(p.ok()) << p.status().message();
  auto q = ProveTestAccuracyPrivateModel(c->model, *c->model_commitment, c->test, *c->committed);
  ASSERT_FALSE(q.ok());
  EXPECT_NE(q.status().message().find("used up"), std::string::npos) << q.status().message();
}

}  // namespace
}  // namespace zektra::pot
