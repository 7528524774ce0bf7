// End to end through the `zektra` binary: he keygen → encrypt → train (in a directory that
// holds no secret) → decrypt → evaluate; the three-owner flow with party shares; and the
// refusals (another key set, a truncated file, a missing share, a non-member's share).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/cli_runner.h"
#include <sstream>

namespace {

using zektra::cli_test::CliRun;

CliRun Zektra(const std::string& args, const std::string& cwd = "") {
  return zektra::cli_test::RunZektra(args, /*with_stderr=*/true, cwd);
}

nlohmann::json Json(const CliRun& r) {
  return nlohmann::json::parse(r.out);
}

class CliHe : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/cli_he_" + std::to_string(::getpid());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  static std::string Data(const std::string& name) {
    return std::string(ZEKTRA_SOURCE_DIR) + "/examples/data/" + name;
  }
  std::string dir_;
};

bool HoldsSecret(const std::string& dir) {
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    const std::string name = e.path().string();
    if (name.find("secret") != std::string::npos || name.find(".zkps") != std::string::npos)
      return true;
  }
  return false;
}

TEST_F(CliHe, SingleOwnerEndToEnd) {
  CliRun k = Zektra("he keygen --out " + Path("keys") + " --iters 2 --json");
  ASSERT_EQ(k.code, 0) << k.out;
  EXPECT_GE(Json(k)["max_iterations"].get<int>(), 2);
  struct stat st {};
  ASSERT_EQ(::stat(Path("keys/secret/secret_key.zkhe").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  CliRun e = Zektra("he encrypt " + Data("breast_cancer.csv") + " --label benign --keys " +
                    Path("keys/public") + " --test-split 0.25 --seed 0 --test-out " +
                    Path("test.csv") + " --out " + Path("data.zkct") + " --json");
  ASSERT_EQ(e.code, 0) << e.out;
  EXPECT_EQ(Json(e)["rows"], 427);

  // The compute node: only the public directory and the ciphertexts.
  std::filesystem::create_directories(Path("node"));
  std::filesystem::copy(Path("keys/public"), Path("node/public"));
  std::filesystem::copy(Path("data.zkct"), Path("node/data.zkct"));
  ASSERT_FALSE(HoldsSecret(Path("node")));
  CliRun t =
      Zektra("he train data.zkct --keys public --model logreg --iters 2 --out model.zkct --json",
             Path("node"));
  ASSERT_EQ(t.code, 0) << t.out;
  auto tj = Json(t);
  EXPECT_EQ(tj["rows"], 427);
  EXPECT_TRUE(tj.contains("train_seconds"));
  ASSERT_FALSE(HoldsSecret(Path("node")));

  CliRun d = Zektra("he decrypt " + Path("node/model.zkct") + " --secret " + Path("keys") +
                    " --out " + Path("model.json") + " --json");
  ASSERT_EQ(d.code, 0) << d.out;
  CliRun ev =
      Zektra("evaluate " + Path("model.json") + " " + Path("test.csv") + " --label benign --json");
  ASSERT_EQ(ev.code, 0) << ev.out;
  EXPECT_EQ(Json(ev)["rows"], 142);
  EXPECT_GE(Json(ev)["accuracy"].get<double>(), 0.9);

  // More iterations than the keys' depth: refused with the reason.
  CliRun deep = Zektra("he train data.zkct --keys public --iters 5 --out m2.zkct", Path("node"));
  EXPECT_EQ(deep.code, 2) << deep.out;
  EXPECT_NE(deep.out.find("levels"), std::string::npos) << deep.out;

  // A dataset encrypted under another key set.
  ASSERT_EQ(Zektra("he keygen --out " + Path("keys2") + " --iters 2").code, 0);
  CliRun other =
      Zektra("he train data.zkct --keys " + Path("keys2/public") + " --out m3.zkct", Path("node"));
  EXPECT_EQ(other.code, 3) << other.out;
  EXPECT_NE(other.out.find("another key set"), std::string::npos) << other.out;
  CliRun other_dec = Zektra("he decrypt " + Path("node/model.zkct") + " --secret " + Path("keys2") +
                            " --out " + Path("m3.json"));
  EXPECT_EQ(other_dec.code, 3) << other_dec.out;
  EXPECT_NE(other_dec.out.find("another key set"), std::string::npos) << other_dec.out;

  // A truncated dataset.
  std::filesystem::copy_file(Path("data.zkct"), Path("cut.zkct"));
  std::filesystem::resize_file(Path("cut.zkct"),
                               std::filesystem::file_size(Path("data.zkct")) - 1000);
  CliRun cut = Zektra("he train " + Path("cut.zkct") + " --keys " + Path("keys/public") +
                      " --out " + Path("m4.zkct"));
  EXPECT_EQ(cut.code, 3) << cut.out;
  EXPECT_NE(cut.out.find("truncated"), std::string::npos) << cut.out;
}

TEST_F(CliHe, ThreeOwnersWithShares) {
  // Three owners' CSVs: rows of breast_cancer dealt round-robin.
  std::ifstream in(Data("breast_cancer.csv"));
  std::string header, line;
  std::getline(in, header);
  std::vector<std::ofstream> owners;
  for (int i = 0; i < 3; ++i) owners.emplace_back(Path("owner" + std::to_string(i) + ".csv"));
  for (auto& o : owners) o << header << "\n";
  for (int r = 0; std::getline(in, line); ++r) owners[r % 3] << line << "\n";
  for (auto& o : owners) o.close();

  const std::string session = " --session " + Path("session.zkms");
  ASSERT_EQ(Zektra("he party-init --parties 3 --iters 2 --out " + Path("session.zkms")).code, 0);
  std::string shares1, shares2;
  for (int i = 0; i < 3; ++i) {
    const std::string p = Path("party" + std::to_string(i));
    CliRun s =
        Zektra("he party-keyshare" + session + " --index " + std::to_string(i) + " --out " + p);
    ASSERT_EQ(s.code, 0) << s.out;
    shares1 += " " + p + "/keyshare.zks1";
  }
  EXPECT_EQ(Zektra("he party-keyshare" + session + " --index 3 --out " + Path("party3")).code, 2);
  CliRun c1 = Zektra("he combine-keys" + session + shares1 + " --out " + Path("public"));
  ASSERT_EQ(c1.code, 0) << c1.out;
  for (int i = 0; i < 3; ++i) {
    const std::string p = Path("party" + std::to_string(i));
    CliRun s = Zektra("he party-relin-share" + session + " --secret " + p + " --round1 " +
                      Path("public") + " --out " + p + "/relin.zks2");
    ASSERT_EQ(s.code, 0) << s.out;
    shares2 += " " + p + "/relin.zks2";
  }
  CliRun c2 = Zektra("he combine-keys" + session + shares2 + " --out " + Path("public"));
  ASSERT_EQ(c2.code, 0) << c2.out;

  std::string datasets;
  for (int i = 0; i < 3; ++i) {
    const std::string owner = Path("owner" + std::to_string(i) + ".csv");
    const std::string pre = i == 0 ? " --preprocessing-out " + Path("pre.json")
                                   : " --preprocessing " + Path("pre.json");
    CliRun e = Zektra("he encrypt " + owner + " --label benign --keys " + Path("public") + pre +
                      " --out " + Path("d" + std::to_string(i) + ".zkct"));
    ASSERT_EQ(e.code, 0) << e.out;
    datasets += " " + Path("d" + std::to_string(i) + ".zkct");
  }
  std::filesystem::create_directories(Path("node"));
  std::filesystem::copy(Path("public"), Path("node/public"));
  ASSERT_FALSE(HoldsSecret(Path("node")));
  CliRun t = Zektra("he train" + datasets + " --keys public --iters 2 --out model.zkct --json",
                    Path("node"));
  ASSERT_EQ(t.code, 0) << t.out;
  EXPECT_EQ(Json(t)["rows"], 569);

  std::string dshares;
  for (int i = 0; i < 3; ++i) {
    const std::string p = Path("party" + std::to_string(i));
    CliRun s = Zektra("he party-decrypt-share " + Path("node/model.zkct") + session + " --secret " +
                      p + " --out " + p + "/dec.zkds");
    ASSERT_EQ(s.code, 0) << s.out;
    dshares += " " + p + "/dec.zkds";
  }
  CliRun ok = Zektra("he combine-decrypt " + Path("node/model.zkct") + dshares + session +
                     " --out " + Path("model.json"));
  ASSERT_EQ(ok.code, 0) << ok.out;
  CliRun ev = Zektra("evaluate " + Path("model.json") + " " + Data("breast_cancer.csv") +
                     " --label benign --json");
  ASSERT_EQ(ev.code, 0) << ev.out;
  EXPECT_GE(Json(ev)["accuracy"].get<double>(), 0.9);

  // Two shares only.
  CliRun two =
      Zektra("he combine-decrypt " + Path("node/model.zkct") + " " + Path("party0/dec.zkds") + " " +
             Path("party1/dec.zkds") + session + " --out " + Path("m2.json"));
  EXPECT_EQ(two.code, 3) << two.out;
  EXPECT_NE(two.out.find("missing the decryption share of party 2"), std::string::npos) << two.out;
  // A share whose party index (bytes 72..75) names a non-member.
  std::filesystem::copy_file(Path("party2/dec.zkds"), Path("stranger.zkds"));
  {
    std::fstream f(Path("stranger.zkds"), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(72);
    const char seven[4] = {7, 0, 0, 0};
    f.write(seven, 4);
  }
  CliRun stranger = Zektra("he combine-decrypt " + Path("node/model.zkct") + " " +
                           Path("party0/dec.zkds") + " " + Path("party1/dec.zkds") + " " +
                           Path("stranger.zkds") + session + " --out " + Path("m3.json"));
  EXPECT_EQ(stranger.code, 3) << stranger.out;
  EXPECT_NE(stranger.out.find("not a member"), std::string::npos) << stranger.out;
}

}  // namespace
