// End to end through the `zektra` binary: dataset synth → train → predict → evaluate, the
// --json keys, and the exit codes (2 usage, 3 bad input).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/cli_runner.h"

namespace {

using zektra::cli_test::CliRun;

CliRun Zektra(const std::string& args) { return zektra::cli_test::RunZektra(args); }

nlohmann::json Json(const CliRun& r) { return nlohmann::json::parse(r.out); }

class CliMl : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = ::testing::TempDir() + "/cli_ml_" + std::to_string(::getpid()); ::mkdir(dir_.c_str(), 0700); }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  static std::string Data(const std::string& name) { return std::string(ZEKTRA_SOURCE_DIR) + "/examples/data/" + name; }
  std::string dir_;
};

TEST_F(CliMl, TrainPredictEvaluateClassification) {
  CliRun t = Zektra("train " + Data("breast_cancer.csv") + " --label benign --model logreg --out " + Path("m.json") + " --json");
  ASSERT_EQ(t.code, 0) << t.out;
  auto j = Json(t);
  for (const char* key : {"test_accuracy", "train_accuracy", "train_seconds", "epochs", "test_auc", "weights_sha256"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_GE(j["test_accuracy"].get<double>(), 0.95);

  CliRun e = Zektra("evaluate " + Path("m.json") + " " + Data("breast_cancer.csv") + " --label benign --json");
  ASSERT_EQ(e.code, 0);
  auto ej = Json(e);
  EXPECT_EQ(ej["rows"], 569);
  EXPECT_GE(ej["accuracy"].get<double>(), 0.95);
  EXPECT_TRUE(ej.contains("confusion_matrix"));

  CliRun p = Zektra("predict " + Path("m.json") + " " + Data("breast_cancer.csv") + " --out " + Path("p.csv") + " --json");
  ASSERT_EQ(p.code, 0);
  EXPECT_EQ(Json(p)["rows"], 569);
  std::ifstream f(Path("p.csv"));
  std::string header;
  std::getline(f, header);
  EXPECT_EQ(header, "prediction,p_0,p_1");
  size_t lines = 0;
  for (std::string line; std::getline(f, line);) ++lines;
  EXPECT_EQ(lines, 569u);
}

TEST_F(CliMl, RegressionAndFullTrainingSet) {
  CliRun t = Zektra("train " + Data("diabetes_progression.csv") + " --label progression --model linreg --test-split 0 --out " +
                 Path("r.json") + " --json");
  ASSERT_EQ(t.code, 0);
  auto j = Json(t);
  EXPECT_EQ(j["test_rows"], 0);
  EXPECT_FALSE(j.contains("test_r2"));
  EXPECT_TRUE(j.contains("train_r2"));
  CliRun e = Zektra("evaluate " + Path("r.json") + " " + Data("diabetes_progression.csv") + " --label progression --json");
  ASSERT_EQ(e.code, 0);
  auto ej = Json(e);
  EXPECT_GT(ej["r2"].get<double>(), 0.45);
  EXPECT_TRUE(ej.contains("mse"));
  EXPECT_EQ(ej["rows"], 442);
}

TEST_F(CliMl, SynthThenTrainMulticlass) {
  CliRun s = Zektra("dataset synth --rows 600 --features 7 --task classes:3 --seed 5 --out " + Path("s.csv") + " --json");
  ASSERT_EQ(s.code, 0);
  CliRun t = Zektra("train " + Path("s.csv") + " --label y --model mlp:8 --epochs 20 --out " + Path("s.json") + " --json");
  ASSERT_EQ(t.code, 0);
  EXPECT_GT(Json(t)["test_accuracy"].get<double>(), 0.6);
}

TEST_F(CliMl, ExitCodes) {
  const std::string data = Data("breast_cancer.csv");
  const std::string out = " --out " + Path("x.json");
  EXPECT_EQ(Zektra("train " + data + " --label benign --model svm" + out).code, 2);
  EXPECT_EQ(Zektra("train " + data + " --label benign --batch 24" + out).code, 2);
  EXPECT_EQ(Zektra("train " + data + " --label benign --test-split 1.5" + out).code, 2);
  EXPECT_EQ(Zektra("train " + data + out).code, 2);  // --label missing
  EXPECT_EQ(Zektra("dataset synth --rows 0 --features 3 --out " + Path("z.csv")).code, 2);
  EXPECT_EQ(Zektra("train " + data + " --label nope" + out).code, 3);
  EXPECT_EQ(Zektra("train " + Path("missing.csv") + " --label y" + out).code, 3);
  std::ofstream(Path("ragged.csv")) << "a,b,y\n1,2,0\n3,1\n";
  CliRun r = Zektra("train " + Path("ragged.csv") + " --label y --json" + out);
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(Json(r)["error"].get<std::string>().find("ragged.csv:3"), std::string::npos);
  std::ofstream(Path("bad.json")) << "{\"format\": \"zektra-model\", \"version\": 9}";
  EXPECT_EQ(Zektra("predict " + Path("bad.json") + " " + data).code, 3);
  EXPECT_EQ(Zektra("evaluate " + Path("bad.json") + " " + data + " --label benign").code, 3);
}

}  // namespace
