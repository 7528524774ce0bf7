// Model commitments: binding identity, hiding blinding half, reproducible from the seed, and
// file parsers that name the field at fault.
#include "zektra/pot/model_commitment.h"

#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>

#include "tests/fuzz_targets_model.h"

namespace zektra::pot {
namespace {

// A small hand-made mlp:4 over 3 features and 3 classes.
ml::Model SmallModel() {
  ml::Model m;
  auto spec = ml::ModelSpec::Parse("mlp:4");
  ZK_CHECK(spec.ok(), "spec");
  m.spec = *spec;
  m.task = ml::Task::kMulticlass;
  m.output = ml::OutputKind::kSoftmax;
  m.feature_names = {"a", "b", "c"};
  m.label_name = "y";
  m.classes = {0, 1, 2};
  m.standardizer.mean = {1, 2, 3};
  m.standardizer.stddev = {65536, 65536, 65536};
  m.standardizer.multiplier = {int64_t{1} << 32, int64_t{1} << 32, int64_t{1} << 32};
  ml::Layer l0{3, 4, {}, {}}, l1{4, 3, {}, {}};
  for (int i = 0; i < 12; ++i) {
    l0.weights.push_back(1000 * i - 5000);
    l1.weights.push_back(-700 * i + 3000);
  }
  l0.bias = {1, -2, 3, -4};
  l1.bias = {10, 20, -30};
  m.layers = {l0, l1};
  return m;
}

TEST(PotModelCommitment, LayoutPlacesEveryWeightAndBias) {
  auto layout = ModelLayout::For({{3, 4}, {4, 3}}, 16);
  ASSERT_TRUE(layout.ok());
  // (2·2 + 2)·16 = 96 revealed evaluations at most → 128 blinding entries.
  EXPECT_EQ(layout->log_real, 7);
  ml::Model m = SmallModel();
  std::vector<Fp> real = layout->RealHalf(m.layers);
  std::vector<Fp> pad = layout->PaddingSelector();
  uint64_t live = 0;
  for (uint64_t x = 0; x < layout->real_size(); ++x) live += pad[x] == Fp::Zero();
  EXPECT_EQ(live, 12u + 4u + 12u + 3u);
  // W_1[k=2][j=3] sits where WeightPoint says.
  const ModelBlock& b = layout->weights[1];
  EXPECT_EQ(real[b.offset + (2 << b.log_cols) + 3], Fp::FromSigned(m.layers[1].weights[2 * 4 + 3]));
  EXPECT_FALSE(ModelLayout::For({{3, 4}, {5, 3}}, 16).ok());  // not chained
  EXPECT_FALSE(ModelLayout::For({}, 16).ok());
}

TEST(PotModelCommitment, IdBindsWeightsAndIsReproducibleFromTheSeed) {
  ml::Model m = SmallModel();
  ModelSecret secret = ModelSecret::Fresh();
  auto a = CommitModel(m, secret);
  auto b = CommitModel(m, secret);
  ASSERT_TRUE(a.ok() && b.ok()) << a.status().message();
  EXPECT_EQ(a->commitment.IdHex(), b->commitment.IdHex());
  EXPECT_TRUE(CheckModelOpensCommitment(m, secret, a->commitment).ok());
  // Another seed: another commitment (hiding randomness), same public part.
  auto c = CommitModel(m, ModelSecret::Fresh());
  ASSERT_TRUE(c.ok());
  EXPECT_NE(a->commitment.IdHex(), c->commitment.IdHex());
  // One weight or one bias changed: another commitment, and the owner's check fails.
  ml::Model w = m;
  w.layers[1].weights[5] += 1;
  auto d = CommitModel(w, secret);
  ASSERT_TRUE(d.ok());
  EXPECT_NE(a->commitment.IdHex(), d->commitment.IdHex());
  EXPECT_EQ(CheckModelOpensCommitment(w, secret, a->commitment).code(), StatusCode::kRejected);
  ml::Model bias = m;
  bias.layers[0].bias[0] -= 1;
  EXPECT_FALSE(CheckModelOpensCommitment(bias, secret, a->commitment).ok());
  // A public field changed: the public-part check names it.
  ml::Model classes = m;
  classes.classes[2] = 7;
  Status s = CheckModelMatchesCommitmentPublicPart(classes, a->commitment);
  EXPECT_NE(s.message().find("classes"), std::string::npos) << s.message();
  // The blinding half is pseudo-random, not zero.
  const uint64_t half = a->layout.real_size();
  uint64_t zeros = 0;
  for (uint64_t x = half; x < 2 * half; ++x) zeros += a->vector[x] == Fp::Zero();
  EXPECT_LT(zeros, 2u);
}

TEST(PotModelCommitment, OutOfRangeWeightsAreRefusedUnlessUnchecked) {
  ml::Model m = SmallModel();
  m.layers[0].weights[3] = int64_t{1} << 24;
  auto a = CommitModel(m, ModelSecret::Fresh());
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("layer 0"), std::string::npos) << a.status().message();
  EXPECT_TRUE(CommitModelUnchecked(m, ModelSecret::Fresh()).ok());
}

TEST(PotModelCommitment, JsonRoundTripsAndNamesTheBadField) {
  ml::Model m = SmallModel();
  ModelSecret secret = ModelSecret::Fresh();
  auto a = CommitModel(m, secret);
  ASSERT_TRUE(a.ok());
  const std::string text = a->commitment.ToJson();
  auto back = ModelCommitment::FromJson(text, "m.commit");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, a->commitment);
  const nlohmann::json good = nlohmann::json::parse(text);
  struct Edit {
    std::function<void(nlohmann::json&)> f;
    std::string field;
  };
  std::vector<Edit> edits = {
      {[](nlohmann::json& j) { j["format"] = "zektra-dataset-commitment"; }, "'format'"},
      {[](nlohmann::json& j) { j["version"] = 9; }, "'version'"},
      {[](nlohmann::json& j) { j.erase("layers"); }, "'layers'"},
      {[](nlohmann::json& j) {
         j["layers"] = {{3, 4}, {5, 3}};
       },
       "'layers'"},
      {[](nlohmann::json& j) {
         j["layers"][0] = {3, 4, 5};
       },
       "'layers'"},
      {[](nlohmann::json& j) {
         j["mean"] = {1, 2};
       },
       "'mean'"},
      {[](nlohmann::json& j) { j["multiplier"] = "x"; }, "'multiplier'"},
      {[](nlohmann::json& j) { j["classes"] = {"a"}; }, "'classes'"},
      {[](nlohmann::json& j) { j["output"] = "tanh"; }, "'output'"},
      {[](nlohmann::json& j) { j["model"] = "cnn"; }, "'model'"},
      {[](nlohmann::json& j) { j["pcs_commitment"] = "zz"; }, "'pcs_commitment'"},
      {[](nlohmann::json& j) { j["pcs_commitment"] = "00"; }, "'pcs_commitment'"},
      {[](nlohmann::json& j) { j["feature_names"][0] = 5; }, "'feature_names'"},
      // An edited public field no longer matches the commitment id.
      {[](nlohmann::json& j) { j["mean"][0] = 99; }, "'commitment'"},
      {[](nlohmann::json& j) { j["label"] = "z"; }, "'commitment'"},
      {[](nlohmann::json& j) { j["commitment"] = std::string(64, '0'); }, "'commitment'"},
  };
  for (size_t e = 0; e < edits.size(); ++e) {
    nlohmann::json j = good;
    edits[e].f(j);
    auto r = ModelCommitment::FromJson(j.dump(), "m.commit");
    ASSERT_FALSE(r.ok()) << "edit " << e << " accepted";
    EXPECT_EQ(r.status().code(), StatusCode::kBadInput);
    EXPECT_NE(r.status().message().find(edits[e].field), std::string::npos)
        << "edit " << e << ": " << r.status().message();
    EXPECT_NE(r.status().message().find("m.commit"), std::string::npos);
  }
  EXPECT_FALSE(ModelCommitment::FromJson("not json", "m.commit").ok());
  EXPECT_FALSE(ModelCommitment::FromJson("[1,2]", "m.commit").ok());
}

TEST(PotModelCommitment, KeyFileBelongsToItsCommitment) {
  ml::Model m = SmallModel();
  ModelSecret secret = ModelSecret::Fresh();
  auto a = CommitModel(m, secret);
  auto other = CommitModel(m, ModelSecret::Fresh());
  ASSERT_TRUE(a.ok() && other.ok());
  const std::string key = secret.ToJson(a->commitment);
  auto back = ModelSecret::FromJson(key, "m.key", a->commitment);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->seed, secret.seed);
  auto wrong = ModelSecret::FromJson(key, "m.key", other->commitment);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("another model commitment"), std::string::npos);
  EXPECT_FALSE(ModelSecret::FromJson("{}", "m.key", a->commitment).ok());
}

TEST(PotModelCommitment, FuzzTargetSurvivesMutations) {
  auto a = CommitModel(SmallModel(), ModelSecret::Fresh());
  ASSERT_TRUE(a.ok());
  const std::string text = a->commitment.ToJson();
  fuzz::ModelCommitmentTarget(reinterpret_cast<const uint8_t*>(text.data()), text.size());
  uint64_t state = 99;
  auto next = [&] { return state = state * 6364136223846793005ULL + 1442695040888963407ULL; };
  for (int k = 0; k < 300; ++k) {
    std::string m = text;
    if (k % 2) {
      m.resize(next() % m.size());
    } else {
      for (int b = 0; b < 3; ++b) m[next() % m.size()] = static_cast<char>(next());
    }
    fuzz::ModelCommitmentTarget(reinterpret_cast<const uint8_t*>(m.data()), m.size());
  }
}

}  // namespace
}  // namespace zektra::pot
