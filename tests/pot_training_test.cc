// Proof of training: honest runs verify; every dishonest prover of issue 4 is rejected.
#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include "tests/fuzz_targets.h"
#include "tests/proof_tamper_util.h"
#include "zektra/crypto/sha256.h"
#include "zektra/ml/pipeline.h"
#include "zektra/pot/training_proof.h"
#include "zektra/zk/proof_format.h"
#include "zektra/zk/sumcheck.h"

namespace zektra::pot {
namespace {

const testing::AcceptsFn kAccepts = [](const Bytes& proof) {
  return VerifyTraining(proof).status.ok();
};

std::string DataPath(const std::string& name) {
  return std::string(ZEKTRA_SOURCE_DIR) + "/examples/data/" + name;
}

struct PotRun {
  ml::Table table;
  std::unique_ptr<CommittedDataset> dataset;
  ml::TrainOutcome outcome;
  ml::TrainingTrace trace;
};

// Trains `table` (with a proof-compatible request) and commits `committed` (default: the same
// table).
std::unique_ptr<PotRun> Train(const ml::Table& table, ml::ModelKind kind, uint64_t epochs,
                              uint64_t batch, const ml::Table* committed = nullptr,
                              const DatasetSecret* secret = nullptr) {
  auto run = std::make_unique<PotRun>();
  run->table = table;
  DatasetSecret fresh = DatasetSecret::Fresh();
  auto c = CommitDataset(committed ? *committed : table, secret ? *secret : fresh);
  ZK_CHECK(c.ok(), "commit");
  run->dataset = std::make_unique<CommittedDataset>(std::move(*c));
  ml::TrainRequest req;
  req.spec.kind = kind;
  req.hyper.epochs = epochs;
  req.hyper.batch = batch;
  req.hyper.seed = 7;
  req.label_independent_split = true;
  req.observer = &run->trace;
  auto out = ml::TrainOnTable(run->table, req);
  ZK_CHECK(out.ok(), "train");
  run->outcome = std::move(*out);
  return run;
}

ml::Table Load(const std::string& name, const std::string& label) {
  ml::CsvOptions o;
  o.label = label;
  auto t = ml::LoadCsv(DataPath(name), o);
  ZK_CHECK(t.ok(), "load");
  return *t;
}

Result<Bytes> Prove(const PotRun& r, ProverTamper tamper = ProverTamper::kNone,
                    std::vector<RevealedEvaluation>* audit = nullptr) {
  TrainingWitness w{&r.table, r.dataset.get(), &r.outcome.model, &r.trace};
  return ProveTraining(w, tamper, audit);
}

// Every revealed evaluation must carry a non-zero share of the blinding half: it is not the
// value a proof without blinding would send, nor that value scaled by (1 − ζ).
void ExpectAllMasked(const std::vector<RevealedEvaluation>& audit) {
  ASSERT_GE(audit.size(), 60u);
  for (const auto& e : audit) {
    EXPECT_NE(e.zeta, Fp2::Zero()) << e.what;
    EXPECT_NE(e.zeta, Fp2::One()) << e.what;
    EXPECT_NE(e.sent, e.unmasked) << e.what;
    EXPECT_NE(e.sent, (Fp2::One() - e.zeta) * e.unmasked) << e.what;
  }
}

std::vector<Fp2> EvaluationsSection(const Bytes& proof) {
  auto c = ProofContainer::Parse(proof);
  ZK_CHECK(c.ok(), "container");
  ByteReader r(*c->Find(5));
  return ReadFp2Vector(r, "evaluations", 4096);
}

class PotBreastCancer : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    table_ = new ml::Table(Load("breast_cancer.csv", "benign"));
    run_ = Train(*table_, ml::ModelKind::kLogReg, 2, 32).release();
    auto p = Prove(*run_);
    ZK_CHECK(p.ok(), p.status().message().c_str());
    proof_ = new Bytes(std::move(*p));
  }
  static void TearDownTestSuite() {
    delete run_;
    delete proof_;
    delete table_;
  }
  static ml::Table* table_;
  static PotRun* run_;
  static Bytes* proof_;
};
ml::Table* PotBreastCancer::table_ = nullptr;
PotRun* PotBreastCancer::run_ = nullptr;
Bytes* PotBreastCancer::proof_ = nullptr;

TEST_F(PotBreastCancer, RunsTooLargeAreRefusedBeforeCommitting) {
  const ml::Model& model = run_->outcome.model;
  EXPECT_TRUE(CheckTrainingProvable(model, table_->rows, table_->cols()).ok());
  // The same model over 2^22 rows: the witness would exceed the prover's limit.
  Status big = CheckTrainingProvable(model, uint64_t{1} << 22, table_->cols());
  EXPECT_EQ(big.code(), StatusCode::kBadInput);
  EXPECT_NE(big.message().find("run too large"), std::string::npos) << big.message();
  // 2^18 rows: every column fits its own bound (2^24 entries), but the seven per-entry
  // standardisation columns and the rest make a 2^28 packed witness, beyond the prover's
  // memory.
  Status total = CheckTrainingProvable(model, uint64_t{1} << 18, table_->cols());
  EXPECT_EQ(total.code(), StatusCode::kBadInput);
  EXPECT_NE(total.message().find("packed witness"), std::string::npos) << total.message();
  EXPECT_NE(total.message().find("2^28"), std::string::npos) << total.message();
  EXPECT_TRUE(CheckTrainingProvable(model, uint64_t{1} << 16, table_->cols()).ok());
  // The published workload's shape (262,144 × 1,024, batch 1,024, one epoch): named sizes.
  ml::Model wide = model;
  wide.layers[0].inputs = 1024;
  wide.layers[0].weights.assign(1024, 0);
  wide.standardizer.mean.assign(1024, 0);
  wide.standardizer.multiplier.assign(1024, model.standardizer.multiplier[0]);
  wide.hyper.epochs = 1;
  wide.hyper.batch = 1024;
  Status published = CheckTrainingProvable(wide, 262144, 1024);
  EXPECT_NE(published.message().find("needs 2^30 entries; the prover's limit is 2^27"),
            std::string::npos)
      << published.message();
  // A feature count that does not match the model is the model's error, not a crash.
  EXPECT_FALSE(CheckTrainingProvable(model, table_->rows, table_->cols() + 1).ok());
}

TEST_F(PotBreastCancer, HonestLogregProofVerifies) {
  VerifyOutcome v = VerifyTraining(*proof_, &run_->dataset->commitment);
  EXPECT_TRUE(v.status.ok()) << v.status.message();
  ASSERT_TRUE(v.statement.has_value());
  EXPECT_EQ(v.statement->final_weights, run_->outcome.model.layers[0].weights);
  EXPECT_TRUE(CheckModelMatchesStatement(run_->outcome.model, *v.statement).ok());
}

TEST_F(PotBreastCancer, TwoProofsOfOneRunDifferAndBothVerify) {
  auto again = Prove(*run_);
  ASSERT_TRUE(again.ok());
  EXPECT_NE(*again, *proof_);
  EXPECT_TRUE(VerifyTraining(*again).status.ok());
  EXPECT_TRUE(VerifyTraining(*proof_).status.ok());
}

TEST_F(PotBreastCancer, EveryRevealedEvaluationIsMasked) {
  std::vector<RevealedEvaluation> audit;
  auto p = Prove(*run_, ProverTamper::kNone, &audit);
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE(VerifyTraining(*p).status.ok());
  ExpectAllMasked(audit);
  // The audit covers every value of the evaluations section (and the sumchecks' witness
  // values, the gathered labels and the dataset value besides).
  std::vector<Fp2> sent = EvaluationsSection(*p);
  for (Fp2 v : sent) {
    bool found = false;
    for (const auto& e : audit) found = found || e.sent == v;
    EXPECT_TRUE(found);
  }
}

TEST_F(PotBreastCancer, TwoProofsOfOneRunShareNoRevealedValue) {
  std::vector<RevealedEvaluation> a, b;
  auto pa = Prove(*run_, ProverTamper::kNone, &a);
  auto pb = Prove(*run_, ProverTamper::kNone, &b);
  ASSERT_TRUE(pa.ok() && pb.ok());
  ASSERT_EQ(a.size(), b.size());
  for (size_t k = 0; k < a.size(); ++k) {
    EXPECT_EQ(a[k].what, b[k].what);
    for (const auto& e : b) EXPECT_NE(a[k].sent, e.sent) << a[k].what;
  }
}

TEST_F(PotBreastCancer, NeighbouringDatasetsRevealOnlyMaskedValues) {
  // Two datasets that differ in one training entry give runs of the same shape; the values a
  // proof without blinding would send differ between them (they are functions of the data),
  // while every value either proof sends is masked by its own blinding half.
  auto split = ml::SplitRows(table_->rows, nullptr, run_->outcome.model.hyper.test_split, 7);
  ml::Table changed = *table_;
  changed.features[split->train[0] * changed.cols() + 1] += 0.5;
  auto other = Train(changed, ml::ModelKind::kLogReg, 2, 32);
  std::vector<RevealedEvaluation> a, b;
  auto pa = Prove(*run_, ProverTamper::kNone, &a);
  auto pb = Prove(*other, ProverTamper::kNone, &b);
  ASSERT_TRUE(pa.ok() && pb.ok());
  EXPECT_TRUE(VerifyTraining(*pb, &other->dataset->commitment).status.ok());
  ASSERT_EQ(a.size(), b.size());
  ExpectAllMasked(a);
  ExpectAllMasked(b);
  // Uniformity of the sent values: their top bits are balanced (a value that leaked a small
  // integer, or a share of one, would not be).
  size_t high = 0;
  for (const auto* audit : {&a, &b})
    for (const auto& e : *audit) high += (e.sent.c0.v >> 63) + (e.sent.c1.v >> 63);
  const double fraction = static_cast<double>(high) / (4.0 * a.size());
  EXPECT_GT(fraction, 0.35);
  EXPECT_LT(fraction, 0.65);
}

TEST_F(PotBreastCancer, TamperedLookupValueIsRejected) {
  auto c = ProofContainer::Parse(*proof_);
  ASSERT_TRUE(c.ok());
  std::vector<Fp2> evals = EvaluationsSection(*proof_);
  for (size_t k : {size_t{0}, evals.size() / 2, evals.size() - 1}) {
    std::vector<Fp2> e = evals;
    e[k] += Fp2::One();
    ByteWriter w;
    WriteFp2Vector(w, e);
    ProofContainer m = *c;
    m.Set(5, w.Take());
    VerifyOutcome v = VerifyTraining(m.Encode());
    EXPECT_EQ(v.status.code(), StatusCode::kRejected) << k;
  }
}

TEST_F(PotBreastCancer, ModelFileHyperparametersMustBeTheStatements) {
  VerifyOutcome v = VerifyTraining(*proof_);
  ASSERT_TRUE(v.statement.has_value());
  std::vector<std::function<void(ml::Model&)>> edits = {
      [](ml::Model& m) { m.hyper.lr *= 2; },
      [](ml::Model& m) { m.hyper.lr_decay = 0.25; },
      [](ml::Model& m) { m.hyper.lr_step_epochs += 1; },
      [](ml::Model& m) { m.hyper.test_split += 0.05; },
      [](ml::Model& m) { m.hyper.l2 = 0.01; },
      [](ml::Model& m) {
        m.hyper.schedule = m.hyper.schedule == ml::LrSchedule::kStep ? ml::LrSchedule::kConstant
                                                                     : ml::LrSchedule::kStep;
      },
      [](ml::Model& m) { m.hyper.epochs += 1; },
      [](ml::Model& m) { m.layers[0].bias[0] += 1; },
  };
  for (size_t e = 0; e < edits.size(); ++e) {
    ml::Model m = run_->outcome.model;
    edits[e](m);
    EXPECT_EQ(CheckModelMatchesStatement(m, *v.statement).code(), StatusCode::kRejected) << e;
  }
}

TEST_F(PotBreastCancer, DishonestProversAreRejected) {
  // Each is caught by the relation it breaks.
  const std::pair<ProverTamper, const char*> cases[] = {
      {ProverTamper::kGradientEntry, "gradient"},
      {ProverTamper::kSkipStep, "weight update"},
      {ProverTamper::kSigmoidOutput, "sigmoid lookup"},
      {ProverTamper::kTruncation, "range lookup"},
      {ProverTamper::kFinalWeights, "weight update"},
      {ProverTamper::kBlindingRelation, "weight update"},
      {ProverTamper::kMultiplicity, "range lookup"}};
  for (const auto& [t, where] : cases) {
    auto p = Prove(*run_, t);
    ASSERT_TRUE(p.ok()) << static_cast<int>(t) << ": " << p.status().message();
    VerifyOutcome v = VerifyTraining(*p);
    EXPECT_EQ(v.status.code(), StatusCode::kRejected)
        << "tamper " << static_cast<int>(t) << " was accepted";
    EXPECT_NE(v.status.message().find(where), std::string::npos) << v.status.message();
  }
}

TEST_F(PotBreastCancer, ReplacedRowOrFlippedLabelIsRejected) {
  // The dishonest prover trains on a changed table but proves against the original commitment.
  auto first_training_row = [&] {
    auto split = ml::SplitRows(table_->rows, nullptr, run_->outcome.model.hyper.test_split, 7);
    return split->train[3];
  };
  const size_t r = first_training_row();
  {
    ml::Table changed = *table_;
    for (size_t j = 0; j < changed.cols(); ++j)
      changed.features[r * changed.cols() + j] = table_->row(r + 1 == table_->rows ? 0 : r + 1)[j];
    auto run = Train(changed, ml::ModelKind::kLogReg, 2, 32, table_);
    auto p = Prove(*run);
    ASSERT_TRUE(p.ok()) << p.status().message();
    VerifyOutcome v = VerifyTraining(*p);
    EXPECT_EQ(v.status.code(), StatusCode::kRejected);
    EXPECT_NE(v.status.message().find("standardisation"), std::string::npos) << v.status.message();
  }
  {
    ml::Table changed = *table_;
    changed.labels[r] = 1 - changed.labels[r];
    auto run = Train(changed, ml::ModelKind::kLogReg, 2, 32, table_);
    auto p = Prove(*run);
    ASSERT_TRUE(p.ok()) << p.status().message();
    VerifyOutcome v = VerifyTraining(*p);
    EXPECT_EQ(v.status.code(), StatusCode::kRejected);
    EXPECT_NE(v.status.message().find("standardisation"), std::string::npos) << v.status.message();
  }
}

TEST_F(PotBreastCancer, ProofForDatasetAWithCommitmentOfBIsRejected) {
  ml::Table other = *table_;
  other.features[0] += 1;
  auto c = CommitDataset(other, DatasetSecret::Fresh());
  ASSERT_TRUE(c.ok());
  VerifyOutcome v = VerifyTraining(*proof_, &c->commitment);
  EXPECT_EQ(v.status.code(), StatusCode::kRejected);
}

TEST_F(PotBreastCancer, EditedStatementFieldsAreRejected) {
  auto container = ProofContainer::Parse(*proof_);
  ASSERT_TRUE(container.ok());
  auto st = TrainingStatement::Parse(*container->Find(1));
  ASSERT_TRUE(st.ok());
  std::vector<std::function<void(TrainingStatement&)>> edits = {
      [](TrainingStatement& s) { s.final_weights[2] += 1; },
      [](TrainingStatement& s) { s.final_bias -= 1; },
      [](TrainingStatement& s) { s.seed += 1; },
      [](TrainingStatement& s) { s.lr *= 0.5; },
      [](TrainingStatement& s) { s.mean[0] += 1; },
      [](TrainingStatement& s) { s.multiplier[1] += 1; },
      [](TrainingStatement& s) { s.test_split = 0.3; },
  };
  EXPECT_EQ(testing::AcceptedStatementEdits(*container, 1, *st, edits, kAccepts),
            testing::kNoneAccepted);
}

TEST_F(PotBreastCancer, SingleByteFlipsNeverAccept) {
  // Positions spread over the whole file; the checksum would catch flips early, so re-seal
  // every mutated container to reach the verifier's own checks.
  EXPECT_EQ(testing::AcceptedByteFlips(*proof_, 300, kAccepts), testing::kNoneAccepted);
}

TEST_F(PotBreastCancer, FuzzTargetSurvivesMutationsAndTruncations) {
  // In-process mutation run of the fuzz target: truncations, multi-byte splices, garbage.
  EXPECT_EQ(testing::AcceptedMutations(*proof_, 12345, 60, fuzz::TrainingProofTarget, kAccepts),
            testing::kNoneAccepted);
}

TEST(PotDiabetes, HonestLinregProofVerifiesAndTamperingIsRejected) {
  ml::Table t = Load("diabetes_progression.csv", "progression");
  auto run = Train(t, ml::ModelKind::kLinReg, 2, 32);
  auto p = Prove(*run);
  ASSERT_TRUE(p.ok()) << p.status().message();
  VerifyOutcome v = VerifyTraining(*p, &run->dataset->commitment);
  EXPECT_TRUE(v.status.ok()) << v.status.message();
  auto bad = Prove(*run, ProverTamper::kGradientEntry);
  ASSERT_TRUE(bad.ok());
  EXPECT_FALSE(VerifyTraining(*bad).status.ok());
}

TEST(PotStatement, RoundTripsAndRefusesGarbage) {
  EXPECT_FALSE(ReadTrainingStatement(Bytes{1, 2, 3}).ok());
  EXPECT_FALSE(VerifyTraining(Bytes{}).status.ok());
}

}  // namespace
}  // namespace zektra::pot
