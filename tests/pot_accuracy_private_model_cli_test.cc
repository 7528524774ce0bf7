// `zektra model commit` / `zektra evaluate --prove --private-model` → `verify
// --model-commitment` / `inspect` through the binary: the "model <id>" and "k/n correct" lines,
// --json keys, the 0600 key file, reuse of a commitment, and rejection (exit 1) against
// another model's commitment.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/cli_runner.h"

namespace {

using zektra::cli_test::RunZektra;

class PotAccuracyPrivateModelCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/pot_privmodel_cli_" + std::to_string(::getpid());
    ::mkdir(dir_.c_str(), 0700);
    const std::string data = std::string(ZEKTRA_SOURCE_DIR) + "/examples/data/breast_cancer.csv";
    zektra::cli_test::WriteEveryFifthRow(data, dir_ + "/test.csv");
    for (const char* name : {"m", "m2"}) {
      auto train = RunZektra("train " + data + " --label benign --model logreg --epochs " +
                             (std::string(name) == "m" ? "3" : "2") + " --out " + dir_ + "/" +
                             name + ".json --json");
      ASSERT_EQ(train.code, 0) << train.out;
    }
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }
  std::string dir_;
};

TEST_F(PotAccuracyPrivateModelCli, CommitEvaluateVerifyInspect) {
  // Committed on the fly, next to the proof.
  auto ev = RunZektra("evaluate " + dir_ + "/m.json " + dir_ + "/test.csv --label benign --prove " +
                      dir_ + "/acc.zkp --private-model --json");
  ASSERT_EQ(ev.code, 0) << ev.out;
  auto ej = nlohmann::json::parse(ev.out);
  ASSERT_TRUE(ej.contains("model_commitment")) << ev.out;
  const std::string id = ej["model_commitment"];
  EXPECT_EQ(ej["model_commitment_file"], dir_ + "/acc.zkp.model.commit");
  struct stat key_stat {};
  ASSERT_EQ(::stat((dir_ + "/acc.zkp.model.commit.key").c_str(), &key_stat), 0);
  EXPECT_EQ(key_stat.st_mode & 0777, 0600u);

  auto text =
      RunZektra("verify " + dir_ + "/acc.zkp --model-commitment " + dir_ + "/acc.zkp.model.commit");
  EXPECT_EQ(text.code, 0) << text.out;
  EXPECT_NE(text.out.find("model " + id), std::string::npos) << text.out;
  const std::string line = std::to_string(ej["correct"].get<uint64_t>()) + "/" +
                           std::to_string(ej["total"].get<uint64_t>()) + " correct on test set " +
                           ej["test_set_commitment"].get<std::string>();
  EXPECT_NE(text.out.find(line), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("ACCEPT"), std::string::npos);

  auto vj = nlohmann::json::parse(RunZektra("verify " + dir_ + "/acc.zkp --json").out);
  EXPECT_TRUE(vj["accepted"].get<bool>());
  EXPECT_EQ(vj["model_commitment"], id);
  EXPECT_FALSE(vj["statement"].contains("weights_sha256"));

  auto ij = nlohmann::json::parse(RunZektra("inspect " + dir_ + "/acc.zkp --json").out);
  EXPECT_EQ(ij["statement"]["model_commitment"], id);
  auto ic = RunZektra("inspect " + dir_ + "/acc.zkp.model.commit --json");
  ASSERT_EQ(ic.code, 0) << ic.out;
  auto icj = nlohmann::json::parse(ic.out);
  EXPECT_EQ(icj["type"], "model commitment");
  EXPECT_EQ(icj["commitment"], id);

  // `model commit`, then a proof that reuses that commitment.
  auto mc = RunZektra("model commit " + dir_ + "/m.json --out " + dir_ + "/m.commit --json");
  ASSERT_EQ(mc.code, 0) << mc.out;
  const std::string id2 = nlohmann::json::parse(mc.out)["model_commitment"];
  EXPECT_NE(id2, id);  // a fresh seed: another commitment to the same weights
  auto ev2 =
      RunZektra("evaluate " + dir_ + "/m.json " + dir_ + "/test.csv --label benign --prove " +
                dir_ + "/acc2.zkp --private-model --model-commitment " + dir_ + "/m.commit --json");
  ASSERT_EQ(ev2.code, 0) << ev2.out;
  EXPECT_EQ(nlohmann::json::parse(ev2.out)["model_commitment"], id2);
  EXPECT_EQ(RunZektra("verify " + dir_ + "/acc2.zkp --model-commitment " + dir_ + "/m.commit").code,
            0);
  // Rejected (exit 1) against another model's commitment, with the reason.
  auto wrong =
      RunZektra("verify " + dir_ + "/acc.zkp --model-commitment " + dir_ + "/m.commit --json");
  EXPECT_EQ(wrong.code, 1) << wrong.out;
  EXPECT_NE(nlohmann::json::parse(wrong.out)["reason"].get<std::string>().find(id2),
            std::string::npos);
  // Another model file cannot be proven against m's commitment (exit 3, before proving).
  auto other =
      RunZektra("evaluate " + dir_ + "/m2.json " + dir_ + "/test.csv --label benign --prove " +
                dir_ + "/acc3.zkp --private-model --model-commitment " + dir_ + "/m.commit");
  EXPECT_EQ(other.code, 3) << other.out;
  // A corrupted commitment file names the field.
  std::ofstream(dir_ + "/bad.commit")
      << "{\"format\": \"zektra-model-commitment\", \"version\": 1}";
  auto bad = RunZektra("verify " + dir_ + "/acc.zkp --model-commitment " + dir_ + "/bad.commit",
                       /*with_stderr=*/true);
  EXPECT_EQ(bad.code, 3) << bad.out;
  EXPECT_NE(bad.out.find("'model'"), std::string::npos) << bad.out;
  // Usage: --model-commitment without --private-model.
  EXPECT_EQ(RunZektra("evaluate " + dir_ + "/m.json " + dir_ + "/test.csv --label benign --prove " +
                      dir_ + "/acc4.zkp --model-commitment " + dir_ + "/m.commit")
                .code,
            2);
}

}  // namespace
