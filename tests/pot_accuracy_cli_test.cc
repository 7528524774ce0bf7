// `zektra evaluate --prove` → `verify` / `inspect` for proofs of test accuracy and inference,
// through the binary: --json keys, the "k/n correct" line, exit codes (0 accept, 1 reject).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/cli_runner.h"

namespace {

using zektra::cli_test::RunZektra;

class PotAccuracyCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/pot_acc_cli_" + std::to_string(::getpid());
    ::mkdir(dir_.c_str(), 0700);
    const std::string data = std::string(ZEKTRA_SOURCE_DIR) + "/examples/data/breast_cancer.csv";
    zektra::cli_test::WriteEveryFifthRow(data, dir_ + "/test.csv");
    auto train = RunZektra("train " + data + " --label benign --model logreg --epochs 3 --out " +
                           dir_ + "/m.json --json");
    ASSERT_EQ(train.code, 0) << train.out;
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }
  std::string dir_;
};

TEST_F(PotAccuracyCli, EvaluateProveVerifyInspect) {
  ASSERT_EQ(RunZektra("dataset commit " + dir_ + "/test.csv --label benign --out " + dir_ +
                      "/test.commit --json")
                .code,
            0);
  auto ev = RunZektra("evaluate " + dir_ + "/m.json " + dir_ + "/test.csv --label benign --prove " +
                      dir_ + "/acc.zkp --commitment " + dir_ + "/test.commit --json");
  ASSERT_EQ(ev.code, 0) << ev.out;
  auto ej = nlohmann::json::parse(ev.out);
  ASSERT_TRUE(ej.contains("total") && ej.contains("correct")) << ev.out;
  const uint64_t total = ej["total"], correct = ej["correct"];
  EXPECT_EQ(total, ej["rows"].get<uint64_t>());
  EXPECT_EQ(correct, static_cast<uint64_t>(std::llround(ej["accuracy"].get<double>() * total)));
  EXPECT_GT(ej["proof_bytes"].get<uint64_t>(), 0u);
  EXPECT_TRUE(ej.contains("prove_seconds"));

  auto v = RunZektra("verify " + dir_ + "/acc.zkp --model " + dir_ + "/m.json --commitment " +
                     dir_ + "/test.commit --json");
  ASSERT_EQ(v.code, 0) << v.out;
  auto vj = nlohmann::json::parse(v.out);
  EXPECT_TRUE(vj["accepted"].get<bool>());
  EXPECT_EQ(vj["reason"], "");
  EXPECT_EQ(vj["correct"].get<uint64_t>(), correct);
  EXPECT_EQ(vj["total"].get<uint64_t>(), total);
  EXPECT_TRUE(vj.contains("verify_seconds"));

  auto text = RunZektra("verify " + dir_ + "/acc.zkp");
  EXPECT_EQ(text.code, 0);
  const std::string line = std::to_string(correct) + "/" + std::to_string(total) +
                           " correct on test set " + ej["test_set_commitment"].get<std::string>();
  EXPECT_NE(text.out.find(line), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("ACCEPT"), std::string::npos);

  auto i = RunZektra("inspect " + dir_ + "/acc.zkp --json");
  ASSERT_EQ(i.code, 0);
  auto ij = nlohmann::json::parse(i.out);
  EXPECT_EQ(ij["statement"]["correct"].get<uint64_t>(), correct);
  EXPECT_EQ(ij["type"], "proof: proof of test accuracy");

  // A corrupted proof is rejected with exit 1 and a reason.
  std::ifstream pin(dir_ + "/acc.zkp", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(pin)), std::istreambuf_iterator<char>());
  bytes[bytes.size() / 3] ^= 4;
  std::ofstream(dir_ + "/bad.zkp", std::ios::binary) << bytes;
  auto bad = RunZektra("verify " + dir_ + "/bad.zkp --json");
  EXPECT_EQ(bad.code, 1);
  EXPECT_FALSE(nlohmann::json::parse(bad.out)["accepted"].get<bool>());

  // Committed on the fly: the commitment and key are written next to the proof.
  auto ev2 = RunZektra("evaluate " + dir_ + "/m.json " + dir_ +
                       "/test.csv --label benign --prove " + dir_ + "/acc2.zkp --json");
  ASSERT_EQ(ev2.code, 0) << ev2.out;
  EXPECT_EQ(
      RunZektra("verify " + dir_ + "/acc2.zkp --commitment " + dir_ + "/acc2.zkp.commit").code, 0);
  struct stat key_stat {};
  ASSERT_EQ(::stat((dir_ + "/acc2.zkp.commit.key").c_str(), &key_stat), 0);
  // The first proof is not about the second commitment (fresh blinding: another identity).
  EXPECT_EQ(RunZektra("verify " + dir_ + "/acc.zkp --commitment " + dir_ + "/acc2.zkp.commit").code,
            1);
  // A CSV that is not the committed one (its last row dropped) is refused before proving.
  {
    std::ifstream tin(dir_ + "/test.csv");
    std::string all((std::istreambuf_iterator<char>(tin)), std::istreambuf_iterator<char>());
    all.pop_back();
    all.erase(all.rfind('\n') + 1);
    std::ofstream(dir_ + "/other.csv") << all;
  }
  auto other =
      RunZektra("evaluate " + dir_ + "/m.json " + dir_ + "/other.csv --label benign --prove " +
                dir_ + "/acc3.zkp --commitment " + dir_ + "/test.commit");
  EXPECT_EQ(other.code, 3) << other.out;
}

// `train --prove RUN.zkp --test TEST.csv`: the proof of training and the proof of test accuracy
// in one go; both verify, the model file records both hashes.
TEST_F(PotAccuracyCli, TrainProvesTrainingAndTestAccuracy) {
  const std::string data = std::string(ZEKTRA_SOURCE_DIR) + "/examples/data/breast_cancer.csv";
  auto t = RunZektra("train " + data + " --label benign --model logreg --epochs 2 --out " + dir_ +
                     "/p.json --prove " + dir_ + "/run.zkp --test " + dir_ + "/test.csv --json");
  ASSERT_EQ(t.code, 0) << t.out;
  auto tj = nlohmann::json::parse(t.out);
  EXPECT_EQ(tj["accuracy_proof"], dir_ + "/run.accuracy.zkp");
  for (const char* k : {"accuracy_correct", "accuracy_total", "accuracy_prove_seconds",
                        "accuracy_proof_bytes", "proof_sha256", "accuracy_proof_sha256"}) {
    EXPECT_TRUE(tj.contains(k)) << k;
  }
  const uint64_t correct = tj["accuracy_correct"], total = tj["accuracy_total"];
  EXPECT_EQ(total, 113u);  // file lines 5, 10, …, 565 of the 569 data rows
  EXPECT_GT(correct, total / 2);
  EXPECT_GT(tj["accuracy_proof_bytes"].get<uint64_t>(), 0u);

  // The model file records both proofs.
  std::ifstream min(dir_ + "/p.json");
  auto model = nlohmann::json::parse(min);
  EXPECT_EQ(model["proof_hash"], tj["proof_sha256"]);
  EXPECT_EQ(model["training"]["accuracy_proof"]["proof_sha256"], tj["accuracy_proof_sha256"]);
  EXPECT_EQ(model["training"]["accuracy_proof"]["correct"].get<uint64_t>(), correct);

  EXPECT_EQ(RunZektra("verify " + dir_ + "/run.zkp --model " + dir_ + "/p.json").code, 0);
  auto v = RunZektra("verify " + dir_ + "/run.accuracy.zkp --model " + dir_ +
                     "/p.json --commitment " + dir_ + "/run.accuracy.zkp.commit --json");
  ASSERT_EQ(v.code, 0) << v.out;
  auto vj = nlohmann::json::parse(v.out);
  EXPECT_EQ(vj["correct"].get<uint64_t>(), correct);
  EXPECT_EQ(vj["total"].get<uint64_t>(), total);
  // The accuracy proof is about this model: another model file is refused.
  EXPECT_EQ(RunZektra("verify " + dir_ + "/run.accuracy.zkp --model " + dir_ + "/m.json").code, 1);

  // Reusing a test-set commitment, with an explicit accuracy proof path; text output.
  ASSERT_EQ(RunZektra("dataset commit " + dir_ + "/test.csv --label benign --out " + dir_ +
                      "/test.commit")
                .code,
            0);
  auto t2 = RunZektra("train " + data + " --label benign --model logreg --epochs 2 --out " + dir_ +
                      "/p2.json --prove " + dir_ + "/run2.zkp --test " + dir_ +
                      "/test.csv --test-commitment " + dir_ + "/test.commit --accuracy-proof " +
                      dir_ + "/acc2.zkp");
  ASSERT_EQ(t2.code, 0) << t2.out;
  EXPECT_NE(t2.out.find("correct on test set"), std::string::npos) << t2.out;
  EXPECT_EQ(RunZektra("verify " + dir_ + "/acc2.zkp --commitment " + dir_ + "/test.commit").code,
            0);

  // Usage errors: --test without --prove, --test-commitment without --test.
  EXPECT_EQ(RunZektra("train " + data + " --label benign --epochs 1 --out " + dir_ +
                      "/p3.json --test " + dir_ + "/test.csv")
                .code,
            2);
  EXPECT_EQ(
      RunZektra("train " + data + " --label benign --epochs 1 --out " + dir_ + "/p3.json --prove " +
                dir_ + "/r3.zkp --test-commitment " + dir_ + "/test.commit")
          .code,
      2);
  // A test CSV that is not the committed one is bad input.
  EXPECT_EQ(
      RunZektra("train " + data + " --label benign --epochs 1 --out " + dir_ + "/p4.json --prove " +
                dir_ + "/r4.zkp --test " + data + " --test-commitment " + dir_ + "/test.commit")
          .code,
      3);
}

TEST_F(PotAccuracyCli, InferenceOnPublicInputs) {
  auto ev = RunZektra("evaluate " + dir_ + "/m.json " + dir_ + "/test.csv --label benign --prove " +
                      dir_ + "/inf.zkp --public-inputs --json");
  ASSERT_EQ(ev.code, 0) << ev.out;
  auto ej = nlohmann::json::parse(ev.out);
  auto v = RunZektra("verify " + dir_ + "/inf.zkp --model " + dir_ + "/m.json --json");
  ASSERT_EQ(v.code, 0) << v.out;
  auto vj = nlohmann::json::parse(v.out);
  EXPECT_EQ(vj["predictions"], ej["predictions"]);
  EXPECT_EQ(vj["predictions"].size(), ej["rows"].get<size_t>());
}

TEST(PotAccuracyCliBench, InferenceBenchReportsBothSizes) {
  auto b = RunZektra("bench pot --inference --hidden 8 --batch 4 --json");
  ASSERT_EQ(b.code, 0) << b.out;
  auto j = nlohmann::json::parse(b.out);
  EXPECT_EQ(j["one_input"]["inputs"], 1);
  EXPECT_EQ(j["batch"]["inputs"], 4);
  for (const char* k : {"prove_seconds", "verify_seconds", "proof_bytes"}) {
    EXPECT_TRUE(j["one_input"].contains(k));
    EXPECT_TRUE(j["batch"].contains(k));
  }
}

}  // namespace
