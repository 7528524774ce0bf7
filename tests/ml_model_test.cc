// Model files: round trip, and refusal of corrupted or unknown-version files.
#include <gtest/gtest.h>
#include <unistd.h>

#include "zektra/base/file_io.h"
#include "zektra/ml/pipeline.h"

namespace zektra::ml {
namespace {

TrainOutcome TrainSmall(const std::string& model, Task task, int classes) {
  auto t = GenerateSynthetic({200, 5, task, classes, 4});
  TrainRequest r;
  r.spec = *ModelSpec::Parse(model);
  r.hyper.epochs = 5;
  auto out = TrainOnTable(*t, r);
  ZK_CHECK(out.ok(), "training");
  return std::move(out).value();
}

TEST(MlModelFile, RoundTripKeepsEveryBitAndPrediction) {
  std::string path = ::testing::TempDir() + "/ml_model_" + std::to_string(::getpid()) + ".json";
  for (auto [model, task, k] : {std::tuple{"logreg", Task::kBinary, 2}, std::tuple{"linreg", Task::kRegression, 2},
                                std::tuple{"mlp:6,4", Task::kMulticlass, 3}, std::tuple{"softmax", Task::kMulticlass, 4}}) {
    TrainOutcome o = TrainSmall(model, task, k);
    o.model.dataset_commitment = "ab12";
    ASSERT_TRUE(SaveModel(o.model, path).ok());
    auto back = LoadModel(path);
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(back->WeightsDigestHex(), o.model.WeightsDigestHex());
    EXPECT_EQ(back->standardizer.multiplier, o.model.standardizer.multiplier);
    EXPECT_EQ(back->classes, o.model.classes);
    EXPECT_EQ(back->dataset_commitment, "ab12");
    EXPECT_TRUE(back->proof_hash.empty());
    EXPECT_EQ(back->hyper.epochs, o.model.hyper.epochs);
    auto t = GenerateSynthetic({50, 5, task, k, 99});
    auto a = PrepareForModel(o.model, *t), b = PrepareForModel(*back, *t);
    EXPECT_EQ(*PredictReal(o.model, *a), *PredictReal(*back, *b)) << model;
  }
  std::remove(path.c_str());
}

TEST(MlModelFile, RejectsCorruptedAndUnknownVersions) {
  TrainOutcome o = TrainSmall("mlp:4", Task::kBinary, 2);
  const nlohmann::json good = ModelToJson(o.model);
  ASSERT_TRUE(ModelFromJson(good).ok());
  auto expect_bad = [&](const std::function<void(nlohmann::json&)>& corrupt, const std::string& reason) {
    nlohmann::json j = good;
    corrupt(j);
    auto m = ModelFromJson(j);
    ASSERT_FALSE(m.ok()) << reason;
    EXPECT_EQ(m.status().code(), StatusCode::kBadInput);
    EXPECT_NE(m.status().message().find(reason), std::string::npos) << m.status().message();
  };
  expect_bad([](auto& j) { j["version"] = 2; }, "unsupported version 2");
  expect_bad([](auto& j) { j["format"] = "other"; }, "not a Zektra model");
  expect_bad([](auto& j) { j.erase("layers"); }, "missing field 'layers'");
  expect_bad([](auto& j) { j["layers"][0]["weights_fixed"][0] = j["layers"][0]["weights_fixed"][0].template get<int64_t>() + 1; },
             "does not match its fixed-point integer");
  expect_bad([](auto& j) {
    int64_t w = j["layers"][0]["weights_fixed"][0].template get<int64_t>() + 1;
    j["layers"][0]["weights_fixed"][0] = w;
    j["layers"][0]["weights"][0] = static_cast<double>(w) / 65536.0;
  }, "weights_sha256 does not match");
  expect_bad([](auto& j) { j["layers"][1]["weights_fixed"][0] = int64_t{1} << 30; }, "outside the fixed-point range");
  expect_bad([](auto& j) { j["layers"][0]["bias_fixed"].erase(0); }, "shapes do not match");
  expect_bad([](auto& j) { j["features"].push_back("extra"); }, "lengths do not match");
  expect_bad([](auto& j) { j["model"] = "mlp:4,4"; }, "wrong number of layers");
  expect_bad([](auto& j) { j["classes"] = {1.0}; }, "'classes' must be");
  expect_bad([](auto& j) { j["fixed_point"]["fraction_bits"] = 60; }, "fraction bits");
  expect_bad([](auto& j) { j["layers"] = 3; }, "not an array");
  expect_bad([](auto& j) { j["version"] = "one"; }, "has the wrong type");

  std::string path = ::testing::TempDir() + "/ml_bad_" + std::to_string(::getpid()) + ".json";
  ASSERT_TRUE(WriteFileAtomic(path, std::string_view("{\"format\": \"zektra-model\", ")).ok());
  auto m = LoadModel(path);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("not valid JSON"), std::string::npos);
  std::remove(path.c_str());
  EXPECT_EQ(LoadModel(path).status().code(), StatusCode::kIoError);
}

}  // namespace
}  // namespace zektra::ml
