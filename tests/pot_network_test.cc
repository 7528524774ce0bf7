// Proof of training for softmax regression and MLPs: honest runs verify; every dishonest prover is
// rejected; edited statements, byte flips and fuzzed files never verify.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>

#include "tests/cli_runner.h"
#include "tests/fuzz_targets_network.h"
#include "tests/network_run_util.h"
#include "tests/proof_tamper_util.h"
#include "zektra/crypto/sha256.h"
#include "zektra/ml/pipeline.h"
#include "zektra/pot/network_training_proof.h"
#include "zektra/zk/proof_format.h"

namespace zektra::pot {
namespace {

const testing::AcceptsFn kAccepts = [](const Bytes& proof) {
  return VerifyNetworkTraining(proof).status.ok();
};

constexpr uint32_t kStatementTag = 16;  // the network statement's section

using testing::NetRun;

std::unique_ptr<NetRun> Train(const ml::Table& table, const std::string& model, uint64_t epochs,
                              uint64_t batch, const ml::Table* committed = nullptr) {
  return testing::TrainNetRun(table, model, epochs, batch, committed);
}

Result<Bytes> Prove(const NetRun& r, NetworkTamper tamper = NetworkTamper::kNone) {
  NetworkTrainingWitness w{&r.table, r.dataset.get(), &r.outcome.model, &r.trace};
  return ProveNetworkTraining(w, tamper);
}

ml::Table Synthetic(uint64_t rows, uint64_t features, int classes, uint64_t seed) {
  return testing::SyntheticClasses(rows, features, classes, seed);
}

class PotNetworkSoftmax : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    table_ = new ml::Table(Synthetic(96, 5, 3, 11));
    run_ = Train(*table_, "softmax", 2, 8).release();
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
  static NetRun* run_;
  static Bytes* proof_;
};
ml::Table* PotNetworkSoftmax::table_ = nullptr;
NetRun* PotNetworkSoftmax::run_ = nullptr;
Bytes* PotNetworkSoftmax::proof_ = nullptr;

TEST_F(PotNetworkSoftmax, HonestProofVerifies) {
  EXPECT_TRUE(IsNetworkTrainingProof(*proof_));
  NetworkVerifyOutcome v = VerifyNetworkTraining(*proof_, &run_->dataset->commitment);
  EXPECT_TRUE(v.status.ok()) << v.status.message();
  ASSERT_TRUE(v.statement.has_value());
  EXPECT_EQ(v.statement->classes, 3u);
  EXPECT_EQ(v.statement->final_layers[0].weights, run_->outcome.model.layers[0].weights);
  EXPECT_TRUE(CheckModelMatchesNetworkStatement(run_->outcome.model, *v.statement).ok());
  auto st = ReadNetworkStatement(*proof_);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->ToJson()["model"], "softmax");
}

TEST_F(PotNetworkSoftmax, DishonestProversAreRejected) {
  const std::pair<NetworkTamper, const char*> cases[] = {
      {NetworkTamper::kActivation, "forward product"},
      {NetworkTamper::kSoftmaxEntry, ""},
      {NetworkTamper::kWeightUpdate, "weight update"},
      {NetworkTamper::kRowMax, "exp lookup"},
      {NetworkTamper::kFinalWeights, "weight update"}};
  for (const auto& [t, where] : cases) {
    auto p = Prove(*run_, t);
    ASSERT_TRUE(p.ok()) << static_cast<int>(t) << ": " << p.status().message();
    NetworkVerifyOutcome v = VerifyNetworkTraining(*p);
    EXPECT_EQ(v.status.code(), StatusCode::kRejected)
        << "tamper " << static_cast<int>(t) << " was accepted";
    EXPECT_NE(v.status.message().find(where), std::string::npos) << v.status.message();
  }
}

// Every value a proof reveals about a committed column is (1 − ζ)·real + ζ·blinding at a
// random ζ: it differs from the value the real half alone would give.
void ExpectAllMasked(const std::vector<RevealedEvaluation>& audit) {
  ASSERT_GT(audit.size(), 50u);
  for (const auto& e : audit) {
    EXPECT_NE(e.sent, e.unmasked) << e.what;
    EXPECT_NE(e.zeta, Fp2::Zero()) << e.what;
    EXPECT_NE(e.zeta, Fp2::One()) << e.what;
  }
}

TEST_F(PotNetworkSoftmax, EveryRevealedEvaluationIsMasked) {
  std::vector<RevealedEvaluation> a, b;
  NetworkTrainingWitness w{&run_->table, run_->dataset.get(), &run_->outcome.model, &run_->trace};
  auto pa = ProveNetworkTraining(w, NetworkTamper::kNone, &a);
  auto pb = ProveNetworkTraining(w, NetworkTamper::kNone, &b);
  ASSERT_TRUE(pa.ok() && pb.ok());
  EXPECT_TRUE(VerifyNetworkTraining(*pa).status.ok());
  EXPECT_TRUE(VerifyNetworkTraining(*pb).status.ok());
  ExpectAllMasked(a);
  // Two proofs of the same run reveal different values for every claim.
  ASSERT_EQ(a.size(), b.size());
  for (size_t k = 0; k < a.size(); ++k) {
    EXPECT_EQ(a[k].what, b[k].what);
    EXPECT_NE(a[k].sent, b[k].sent) << a[k].what;
  }
  EXPECT_NE(*pa, *pb);
}

TEST_F(PotNetworkSoftmax, BrokenBlindingHalfIsRejected) {
  const std::pair<NetworkTamper, const char*> cases[] = {
      {NetworkTamper::kBlindingRelation, "weight update"},
      {NetworkTamper::kMultiplicity, "range lookup"}};
  for (const auto& [t, where] : cases) {
    auto p = Prove(*run_, t);
    ASSERT_TRUE(p.ok()) << p.status().message();
    NetworkVerifyOutcome v = VerifyNetworkTraining(*p);
    EXPECT_EQ(v.status.code(), StatusCode::kRejected)
        << "tamper " << static_cast<int>(t) << " was accepted";
    EXPECT_NE(v.status.message().find(where), std::string::npos) << v.status.message();
  }
}

TEST_F(PotNetworkSoftmax, FlippedLabelIsRejected) {
  // The dishonest prover trains on a changed label but proves against the original commitment.
  auto split = ml::SplitRows(table_->rows, nullptr, run_->outcome.model.hyper.test_split, 5);
  ASSERT_TRUE(split.ok());
  const size_t r = split->train[2];
  ml::Table changed = *table_;
  changed.labels[r] = changed.labels[r] == 0 ? 1 : 0;
  auto run = Train(changed, "softmax", 2, 8, table_);
  auto p = Prove(*run);
  ASSERT_TRUE(p.ok()) << p.status().message();
  NetworkVerifyOutcome v = VerifyNetworkTraining(*p);
  EXPECT_EQ(v.status.code(), StatusCode::kRejected);
}

TEST_F(PotNetworkSoftmax, EditedStatementFieldsAreRejected) {
  auto container = ProofContainer::Parse(*proof_);
  ASSERT_TRUE(container.ok());
  auto st = NetworkTrainingStatement::Parse(*container->Find(kStatementTag));
  ASSERT_TRUE(st.ok());
  std::vector<std::function<void(NetworkTrainingStatement&)>> edits = {
      [](NetworkTrainingStatement& s) { s.final_layers[0].weights[2] += 1; },
      [](NetworkTrainingStatement& s) { s.final_layers[0].bias[1] -= 1; },
      [](NetworkTrainingStatement& s) { s.seed += 1; },
      [](NetworkTrainingStatement& s) { s.lr *= 0.5; },
      [](NetworkTrainingStatement& s) { s.mean[0] += 1; },
      [](NetworkTrainingStatement& s) { s.multiplier[1] += 1; },
      [](NetworkTrainingStatement& s) { s.epochs += 1; },
  };
  EXPECT_EQ(testing::AcceptedStatementEdits(*container, kStatementTag, *st, edits, kAccepts),
            testing::kNoneAccepted);
}

TEST_F(PotNetworkSoftmax, ByteFlipsNeverAccept) {
  EXPECT_EQ(testing::AcceptedByteFlips(*proof_, 300, kAccepts), testing::kNoneAccepted);
}

TEST_F(PotNetworkSoftmax, FuzzTargetSurvivesMutationsAndTruncations) {
  EXPECT_EQ(testing::AcceptedMutations(*proof_, 777, 60, fuzz::NetworkProofTarget, kAccepts),
            testing::kNoneAccepted);
}

TEST(PotNetworkMlp, HonestProofVerifiesAndDishonestProversAreRejected) {
  ml::Table table = Synthetic(80, 4, 3, 13);
  auto run = Train(table, "mlp:6", 2, 8);
  std::vector<RevealedEvaluation> audit;
  NetworkTrainingWitness w{&run->table, run->dataset.get(), &run->outcome.model, &run->trace};
  auto p = ProveNetworkTraining(w, NetworkTamper::kNone, &audit);
  ASSERT_TRUE(p.ok()) << p.status().message();
  ExpectAllMasked(audit);
  NetworkVerifyOutcome v = VerifyNetworkTraining(*p, &run->dataset->commitment);
  EXPECT_TRUE(v.status.ok()) << v.status.message();
  ASSERT_TRUE(v.statement.has_value());
  EXPECT_EQ(v.statement->final_layers.size(), 2u);
  EXPECT_TRUE(CheckModelMatchesNetworkStatement(run->outcome.model, *v.statement).ok());
  const std::pair<NetworkTamper, const char*> cases[] = {
      {NetworkTamper::kReluSign, "ReLU"},
      {NetworkTamper::kActivation, "forward product"},
      {NetworkTamper::kSoftmaxEntry, ""},
      {NetworkTamper::kWeightUpdate, "weight update"},
      {NetworkTamper::kBlindingRelation, "weight update"},
      {NetworkTamper::kFinalWeights, "weight update"}};
  for (const auto& [t, where] : cases) {
    auto bad = Prove(*run, t);
    ASSERT_TRUE(bad.ok()) << static_cast<int>(t) << ": " << bad.status().message();
    NetworkVerifyOutcome b = VerifyNetworkTraining(*bad);
    EXPECT_EQ(b.status.code(), StatusCode::kRejected)
        << "tamper " << static_cast<int>(t) << " was accepted";
    EXPECT_NE(b.status.message().find(where), std::string::npos) << b.status.message();
  }
  // The initial weights are a public function of the seed: another seed's statement fails.
  auto container = ProofContainer::Parse(*p);
  ASSERT_TRUE(container.ok());
  auto st = NetworkTrainingStatement::Parse(*container->Find(kStatementTag));
  ASSERT_TRUE(st.ok());
  st->final_layers[1].bias[0] += 1;
  ProofContainer c = *container;
  c.Set(kStatementTag, st->Serialize());
  EXPECT_FALSE(VerifyNetworkTraining(c.Encode()).status.ok());
}

TEST(PotNetworkDigits, SoftmaxProofVerifies) {
  ml::CsvOptions o;
  o.label = "digit";
  auto t = ml::LoadCsv(std::string(ZEKTRA_SOURCE_DIR) + "/examples/data/digits.csv", o);
  ASSERT_TRUE(t.ok());
  auto run = Train(*t, "softmax", 1, 32);
  auto p = Prove(*run);
  ASSERT_TRUE(p.ok()) << p.status().message();
  NetworkVerifyOutcome v = VerifyNetworkTraining(*p, &run->dataset->commitment);
  EXPECT_TRUE(v.status.ok()) << v.status.message();
}

TEST(PotNetworkDigits, MlpProofVerifies) {
  ml::CsvOptions o;
  o.label = "digit";
  auto t = ml::LoadCsv(std::string(ZEKTRA_SOURCE_DIR) + "/examples/data/digits.csv", o);
  ASSERT_TRUE(t.ok());
  auto run = Train(*t, "mlp:32", 1, 32);
  auto p = Prove(*run);
  ASSERT_TRUE(p.ok()) << p.status().message();
  NetworkVerifyOutcome v = VerifyNetworkTraining(*p, &run->dataset->commitment);
  EXPECT_TRUE(v.status.ok()) << v.status.message();
  EXPECT_TRUE(CheckModelMatchesNetworkStatement(run->outcome.model, *v.statement).ok());
}

TEST(PotNetworkCli, TrainProveVerifyInspectSoftmax) {
  const std::string dir = ::testing::TempDir() + "/pot_net_cli_" + std::to_string(::getpid());
  ::mkdir(dir.c_str(), 0700);
  auto run = [](const std::string& args) { return zektra::cli_test::RunZektra(args); };
  ASSERT_EQ(
      run("dataset synth --rows 120 --features 4 --task classes:3 --seed 3 --out " + dir + "/d.csv")
          .code,
      0);
  auto train =
      run("train " + dir + "/d.csv --label y --model softmax --epochs 2 --batch 16 --out " + dir +
          "/m.json --prove " + dir + "/run.zkp --json");
  ASSERT_EQ(train.code, 0) << train.out;
  auto v = run("verify " + dir + "/run.zkp --model " + dir + "/m.json --commitment " + dir +
               "/run.zkp.commit --json");
  EXPECT_EQ(v.code, 0) << v.out;
  auto vj = nlohmann::json::parse(v.out);
  EXPECT_TRUE(vj["accepted"].get<bool>());
  EXPECT_EQ(vj["statement"]["model"], "softmax");
  EXPECT_EQ(vj["statement"]["classes"], 3);
  std::ifstream pin(dir + "/run.zkp", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(pin)), std::istreambuf_iterator<char>());
  bytes[bytes.size() / 3] ^= 4;
  std::ofstream(dir + "/bad.zkp", std::ios::binary) << bytes;
  EXPECT_EQ(run("verify " + dir + "/bad.zkp --json").code, 1);
  auto i = run("inspect " + dir + "/run.zkp --json");
  EXPECT_EQ(i.code, 0) << i.out;
  EXPECT_EQ(nlohmann::json::parse(i.out)["statement"]["model"], "softmax");
  auto b = run(
      "bench pot --model softmax --classes 3 --rows 128 --features 4 --epochs 1 --batch 16 --json");
  EXPECT_EQ(b.code, 0) << b.out;
  EXPECT_TRUE(nlohmann::json::parse(b.out)["accepted"].get<bool>());
  std::system(("rm -rf " + dir).c_str());
}

TEST(PotNetworkStatement, RefusesGarbageAndOtherModels) {
  EXPECT_FALSE(ReadNetworkStatement(Bytes{1, 2, 3}).ok());
  EXPECT_FALSE(VerifyNetworkTraining(Bytes{}).status.ok());
  EXPECT_FALSE(IsNetworkTrainingProof(Bytes{}));
  ml::ModelSpec logreg;
  logreg.kind = ml::ModelKind::kLogReg;
  EXPECT_FALSE(IsNetworkModel(logreg));
}

}  // namespace
}  // namespace zektra::pot
