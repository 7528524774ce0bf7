// `zektra dataset commit` → `train --prove --commitment` → `verify` / `inspect` through the
// binary: --json keys, the model file's proof hash, and exit codes (0 accept, 1 reject, 3 unreadable).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "tests/cli_runner.h"

namespace {

using PotCliRun = zektra::cli_test::CliRun;

PotCliRun PotZektra(const std::string& args) { return zektra::cli_test::RunZektra(args); }

TEST(PotCli, CommitTrainProveVerifyInspect) {
  const std::string dir = ::testing::TempDir() + "/pot_cli_" + std::to_string(::getpid());
  ::mkdir(dir.c_str(), 0700);
  const std::string data = std::string(ZEKTRA_SOURCE_DIR) + "/examples/data/breast_cancer.csv";
  ASSERT_EQ(PotZektra("dataset commit " + data + " --label benign --out " + dir + "/bc.commit --json").code, 0);
  auto train = PotZektra("train " + data + " --label benign --model logreg --epochs 2 --batch 32 --out " + dir +
                         "/m.json --prove " + dir + "/run.zkp --commitment " + dir + "/bc.commit --json");
  ASSERT_EQ(train.code, 0) << train.out;
  auto tj = nlohmann::json::parse(train.out);
  EXPECT_GT(tj["proof_bytes"].get<size_t>(), 0u);
  EXPECT_TRUE(tj.contains("prove_seconds"));

  auto v = PotZektra("verify " + dir + "/run.zkp --model " + dir + "/m.json --commitment " + dir + "/bc.commit --json");
  EXPECT_EQ(v.code, 0) << v.out;
  auto vj = nlohmann::json::parse(v.out);
  EXPECT_TRUE(vj["accepted"].get<bool>());
  EXPECT_TRUE(vj.contains("verify_seconds"));
  EXPECT_EQ(vj["statement"]["model"], "logreg");

  std::ifstream in(dir + "/m.json");
  auto model = nlohmann::json::parse(in);
  EXPECT_EQ(model["proof_hash"], tj["proof_sha256"]);

  // A corrupted proof is rejected (1); a missing file is unreadable (3).
  std::ifstream pin(dir + "/run.zkp", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(pin)), std::istreambuf_iterator<char>());
  bytes[bytes.size() / 2] ^= 1;
  std::ofstream(dir + "/bad.zkp", std::ios::binary) << bytes;
  EXPECT_EQ(PotZektra("verify " + dir + "/bad.zkp --json").code, 1);
  EXPECT_EQ(PotZektra("verify " + dir + "/missing.zkp").code, 3);

  auto i = PotZektra("inspect " + dir + "/run.zkp --json");
  EXPECT_EQ(i.code, 0);
  EXPECT_EQ(nlohmann::json::parse(i.out)["statement"]["epochs"], 2);
  std::system(("rm -rf " + dir).c_str());
}

}  // namespace
