// Files of encrypted training: round trips, and every refusal the issue lists (another
// key set, another kind, truncation, trailing bytes, corrupted residues), plus the key
// directory layout (secret key 0600, public directory without secrets).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "zektra/base/file_io.h"
#include "zektra/he/train/workflow.h"

namespace zektra::he::train {
namespace {

class HeTrainFiles : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto k = GenerateOwnerKeys(1);
    ASSERT_TRUE(k.ok());
    keys_ = new OwnerKeys(std::move(*k));
    ml::SynthSpec spec;
    spec.rows = 100;
    spec.features = 5;
    spec.seed = 3;
    table_ = new ml::Table(*ml::GenerateSynthetic(spec));
  }
  static void TearDownTestSuite() {
    delete keys_;
    delete table_;
  }
  static std::vector<uint64_t> AllRows() {
    std::vector<uint64_t> r;
    for (uint64_t i = 0; i < table_->rows; ++i) r.push_back(i);
    return r;
  }
  static OwnerKeys* keys_;
  static ml::Table* table_;
};
OwnerKeys* HeTrainFiles::keys_ = nullptr;
ml::Table* HeTrainFiles::table_ = nullptr;

TEST_F(HeTrainFiles, ContainerRoundTripAndRefusals) {
  PublicMaterial pub = PublicMaterialOf(*keys_);
  auto pre = FitPreprocessing(*table_, AllRows());
  ASSERT_TRUE(pre.ok());
  auto data = EncryptRows(pub, *pre, *table_, AllRows());
  ASSERT_TRUE(data.ok()) << data.status().message();
  const HeContext& c = *keys_->context;
  Bytes bytes = SerializeContainer(c, *data);
  auto back = ParseContainer(c, bytes, ContainerKind::kDataset, &pub.key_set_id, "d");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->meta, data->meta);
  ASSERT_EQ(back->ciphertexts.size(), data->ciphertexts.size());
  EXPECT_EQ(back->ciphertexts[0].parts[1].data, data->ciphertexts[0].parts[1].data);

  auto expect_refused = [&](ByteSpan b, ContainerKind kind, const Digest* ks,
                            const std::string& needle) {
    auto r = ParseContainer(c, b, kind, ks, "d");
    ASSERT_FALSE(r.ok()) << needle;
    EXPECT_NE(r.status().message().find(needle), std::string::npos) << r.status().message();
  };
  Digest other = pub.key_set_id;
  other[0] ^= 1;
  expect_refused(bytes, ContainerKind::kDataset, &other, "another key set");
  expect_refused(bytes, ContainerKind::kModel, &pub.key_set_id, "not a model");
  for (size_t cut : {size_t{3}, size_t{50}, bytes.size() / 2, bytes.size() - 1}) {
    expect_refused(ByteSpan(bytes.data(), cut), ContainerKind::kDataset, &pub.key_set_id,
                   "truncated");
  }
  Bytes trailing = bytes;
  trailing.push_back(0);
  expect_refused(trailing, ContainerKind::kDataset, &pub.key_set_id, "trailing");
  Bytes magic = bytes;
  magic[0] ^= 1;
  expect_refused(magic, ContainerKind::kDataset, &pub.key_set_id, "bad magic");
  Bytes version = bytes;
  version[4] = 9;
  expect_refused(version, ContainerKind::kDataset, &pub.key_set_id, "version");
  Bytes params = bytes;
  params[10] ^= 1;
  expect_refused(params, ContainerKind::kDataset, &pub.key_set_id, "other CKKS parameters");
  // A residue pushed to all-ones (≥ every prime) in the last ciphertext.
  Bytes residue = bytes;
  for (int i = 1; i <= 8; ++i) residue[residue.size() - 8 * 100 - i] = 0xff;
  expect_refused(residue, ContainerKind::kDataset, &pub.key_set_id, "ciphertext");

  // Model metadata from a file is untrusted: wrong types are refused, not thrown.
  EncryptedContainer fake;
  fake.kind = ContainerKind::kModel;
  fake.meta = {{"preprocessing", PreprocessingToJson(*pre)},
               {"rows", "many"},
               {"features", 6},
               {"config", TrainConfigToJson(DefaultTrainConfig())}};
  std::vector<double> beta(6, 0.1);
  EXPECT_FALSE(ModelFromWeights(fake, beta).ok());
  fake.meta["rows"] = 100;
  EXPECT_TRUE(ModelFromWeights(fake, beta).ok());
  fake.meta["config"]["iterations"] = "five";
  EXPECT_FALSE(ModelFromWeights(fake, beta).ok());
  fake.meta = nlohmann::json::array();
  EXPECT_FALSE(ModelFromWeights(fake, beta).ok());
  EXPECT_FALSE(ModelFromWeights(fake, {}).ok());

  // Training refuses a dataset of another key set even when handed over in memory.
  PublicMaterial wrong = pub;
  wrong.key_set_id = other;
  auto t = TrainOnEncrypted(wrong, {*data}, TrainConfig{1, 0.3, 8});
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("another key set"), std::string::npos);
  // ...and more iterations than the keys allow.
  auto deep = TrainOnEncrypted(pub, {*data}, TrainConfig{3, 0.3, 8});
  ASSERT_FALSE(deep.ok());
  EXPECT_NE(deep.status().message().find("levels"), std::string::npos);
}

TEST_F(HeTrainFiles, KeyDirectoryLayout) {
  const std::string dir = ::testing::TempDir() + "/he_keys_" + std::to_string(::getpid());
  ASSERT_TRUE(WriteKeyDirectory(dir, *keys_).ok());
  struct stat st {};
  ASSERT_EQ(::stat((dir + "/secret/secret_key.zkhe").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  for (const auto& e : std::filesystem::directory_iterator(dir + "/public")) {
    EXPECT_EQ(e.path().string().find("secret"), std::string::npos);
  }
  auto pub = LoadPublicMaterial(dir + "/public", true);
  ASSERT_TRUE(pub.ok()) << pub.status().message();
  EXPECT_EQ(pub->key_set_id, PublicMaterialOf(*keys_).key_set_id);
  EXPECT_EQ(pub->relin.key.a[0].data, keys_->relin.key.a[0].data);
  auto sk = LoadSecretKeyFile(dir + "/secret/secret_key.zkhe", pub->context);
  ASSERT_TRUE(sk.ok());
  EXPECT_EQ(sk->coefficients, keys_->secret_key.coefficients);
  // A truncated relinearisation key file.
  auto rk = ReadFileBytes(dir + "/public/relin_key.zkrk");
  ASSERT_TRUE(rk.ok());
  rk->resize(rk->size() - 9);
  auto bad = ParseRelinKeyFull(pub->context, *rk);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("truncated"), std::string::npos) << bad.status().message();
  // Missing public files are named.
  std::filesystem::remove(dir + "/public/galois_keys.zkhe");
  auto missing = LoadPublicMaterial(dir + "/public", true);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("rotation keys"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace zektra::he::train
