// Proof of training: honest runs verify; every dishonest prover of issue 4 is rejected.
#include <gtest/gtest.h>

#include <memory>

#include "tests/fuzz_targets.h"
#include "zektra/crypto/sha256.h"
#include "zektra/ml/pipeline.h"
#include "zektra/pot/training_proof.h"
#include "zektra/zk/proof_format.h"

namespace zektra::pot {
namespace {

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

Result<Bytes> Prove(const PotRun& r, ProverTamper tamper = ProverTamper::kNone) {
  TrainingWitness w{&r.table, r.dataset.get(), &r.outcome.model, &r.trace};
  return ProveTraining(w, tamper);
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

TEST_F(PotBreastCancer, DishonestProversAreRejected) {
  // Each is caught by the relation it breaks.
  const std::pair<ProverTamper, const char*> cases[] = {
      {ProverTamper::kGradientEntry, "gradient"},
      {ProverTamper::kSkipStep, "weight update"},
      {ProverTamper::kSigmoidOutput, "sigmoid lookup"},
      {ProverTamper::kTruncation, "range lookup"},
      {ProverTamper::kFinalWeights, "weight update"}};
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
  for (size_t e = 0; e < edits.size(); ++e) {
    TrainingStatement edited = *st;
    edits[e](edited);
    ProofContainer c = *container;
    c.Set(1, edited.Serialize());
    VerifyOutcome v = VerifyTraining(c.Encode());
    EXPECT_FALSE(v.status.ok()) << "edit " << e << " accepted";
  }
}

TEST_F(PotBreastCancer, SingleByteFlipsNeverAccept) {
  // Positions spread over the whole file; the checksum would catch flips early, so re-seal
  // every mutated container to reach the verifier's own checks.
  const size_t n = proof_->size();
  size_t accepted = 0;
  for (size_t k = 0; k < 300; ++k) {
    Bytes m = *proof_;
    const size_t pos = (k * 7919 + k * k * 31) % (n - 32);
    m[pos] ^= static_cast<uint8_t>(1u << (k % 8));
    Digest d = Sha256::Hash(ByteSpan(m.data(), n - 32));
    std::copy(d.begin(), d.end(), m.end() - 32);
    if (VerifyTraining(m).status.ok()) ++accepted;
  }
  EXPECT_EQ(accepted, 0u);
}

TEST_F(PotBreastCancer, FuzzTargetSurvivesMutationsAndTruncations) {
  // In-process mutation run of the fuzz target: truncations, multi-byte splices, garbage.
  uint64_t state = 12345;
  auto next = [&] { return state = state * 6364136223846793005ULL + 1442695040888963407ULL; };
  for (int k = 0; k < 60; ++k) {
    Bytes m = *proof_;
    switch (k % 3) {
      case 0:
        m.resize(next() % m.size());
        break;
      case 1:
        for (int b = 0; b < 16; ++b) m[next() % m.size()] = static_cast<uint8_t>(next());
        break;
      default: {
        const size_t at = next() % m.size();
        m.insert(m.begin() + at, 8, static_cast<uint8_t>(next()));
      }
    }
    fuzz::TrainingProofTarget(m.data(), m.size());
    EXPECT_FALSE(VerifyTraining(m).status.ok());
  }
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
