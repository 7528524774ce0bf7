// `zektra vault ...` end to end through the binary: init, add, list, show, export, grant,
// open-grant, vault:// for `train` and `dataset commit`; exit codes; no plaintext written when
// a check fails; the passphrase never printed.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace {

struct CliRun {
  int code;
  std::string out;  // stdout
  std::string all;  // stdout and stderr
};

CliRun Zektra(const std::string& env_and_args) {
  const std::string err = ::testing::TempDir() + "/cli_vault_stderr_" + std::to_string(::getpid());
  std::string cmd = env_and_args.substr(0, env_and_args.find("@@")) + std::string(ZEKTRA_CLI_PATH) + " " +
                    env_and_args.substr(env_and_args.find("@@") + 2) + " </dev/null 2>" + err;
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = pclose(p);
  std::ifstream f(err);
  std::stringstream ss;
  ss << f.rdbuf();
  std::remove(err.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out, out + ss.str()};
}

std::string Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

bool Exists(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0;
}

constexpr const char* kOwnerPass = "owner-passphrase-7d1f";
constexpr const char* kBobPass = "bob-passphrase-22aa";

class CliVault : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/cli_vault_" + std::to_string(::getpid());
    ::mkdir(dir_.c_str(), 0700);
    std::ofstream(Path("owner.pass")) << kOwnerPass << "\n";
    std::ofstream(Path("bob.pass")) << kBobPass << "\n";
    std::ofstream(Path("wrong.pass")) << "not-the-passphrase\n";
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  static std::string Data(const std::string& name) { return std::string(ZEKTRA_SOURCE_DIR) + "/examples/data/" + name; }
  // A vault with breast_cancer.csv added as "bc"; returns the add --json output.
  nlohmann::json MakeOwnerVault() {
    CliRun init = Zektra("@@vault init " + Path("owner") + " --passphrase-file " + Path("owner.pass") + " --json");
    EXPECT_EQ(init.code, 0) << init.all;
    CliRun add = Zektra("@@vault add " + Path("owner") + " " + Data("breast_cancer.csv") +
                     " --label benign --name bc --passphrase-file " + Path("owner.pass") + " --json");
    EXPECT_EQ(add.code, 0) << add.all;
    EXPECT_EQ(add.all.find(kOwnerPass), std::string::npos);
    return nlohmann::json::parse(add.out);
  }
  std::string dir_;
};

TEST_F(CliVault, AddListShowExportAndVaultUris) {
  nlohmann::json added = MakeOwnerVault();
  const std::string commitment = added["commitment"];
  EXPECT_EQ(commitment.size(), 64u);
  EXPECT_EQ(added["rows"], 569);

  CliRun list = Zektra("@@vault list " + Path("owner") + " --json");
  ASSERT_EQ(list.code, 0) << list.all;
  auto lj = nlohmann::json::parse(list.out);
  ASSERT_EQ(lj["datasets"].size(), 1u);
  EXPECT_EQ(lj["datasets"][0]["commitment"], commitment);

  CliRun show = Zektra("@@vault show " + Path("owner") + " bc --json --commitment-out " + Path("bc.commit"));
  ASSERT_EQ(show.code, 0) << show.all;
  auto sj = nlohmann::json::parse(show.out);
  EXPECT_EQ(sj["commitment"], commitment);
  EXPECT_EQ(sj["signature_valid"], true);
  EXPECT_NE(Slurp(Path("bc.commit")).find(commitment), std::string::npos);

  // `dataset commit vault://` reproduces the vault's commitment (same seed, same data).
  CliRun commit = Zektra("ZEKTRA_PASSPHRASE_FILE=" + Path("owner.pass") + " @@dataset commit vault://" + Path("owner") +
                      "/bc --label benign --out " + Path("again.commit") + " --json");
  ASSERT_EQ(commit.code, 0) << commit.all;
  EXPECT_EQ(nlohmann::json::parse(commit.out)["commitment"], commitment);

  CliRun train = Zektra("ZEKTRA_PASSPHRASE=" + std::string(kOwnerPass) + " @@train vault://" + Path("owner") +
                     "/bc --label benign --model logreg --out " + Path("m.json") + " --json");
  ASSERT_EQ(train.code, 0) << train.all;
  EXPECT_GE(nlohmann::json::parse(train.out)["test_accuracy"].get<double>(), 0.9);

  CliRun exported = Zektra("@@vault export " + Path("owner") + " bc --out " + Path("bc.csv") + " --passphrase-file " +
                        Path("owner.pass") + " --json");
  ASSERT_EQ(exported.code, 0) << exported.all;
  EXPECT_EQ(Slurp(Path("bc.csv")), Slurp(Data("breast_cancer.csv")));
  struct stat st {};
  ::stat(Path("bc.csv").c_str(), &st);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(CliVault, RefusalsWriteNoPlaintext) {
  MakeOwnerVault();
  CliRun wrong = Zektra("@@vault export " + Path("owner") + " bc --out " + Path("x.csv") + " --passphrase-file " +
                     Path("wrong.pass") + " --json");
  EXPECT_EQ(wrong.code, 1) << wrong.all;
  EXPECT_NE(nlohmann::json::parse(wrong.out)["error"].get<std::string>().find("wrong passphrase"), std::string::npos);
  EXPECT_FALSE(Exists(Path("x.csv")));
  EXPECT_EQ(wrong.all.find("not-the-passphrase"), std::string::npos);

  CliRun none = Zektra("@@vault export " + Path("owner") + " bc --out " + Path("x.csv"));
  EXPECT_EQ(none.code, 2) << none.all;
  CliRun train_none = Zektra("@@train vault://" + Path("owner") + "/bc --label benign --out " + Path("m.json"));
  EXPECT_EQ(train_none.code, 2) << train_none.all;

  // One flipped byte in the middle of the encrypted data.
  const std::string zvd = Path("owner/datasets/bc.zvd");
  std::string bytes = Slurp(zvd);
  bytes[bytes.size() / 2] ^= 1;
  std::ofstream(zvd, std::ios::binary) << bytes;
  CliRun tampered = Zektra("@@vault export " + Path("owner") + " bc --out " + Path("x.csv") + " --passphrase-file " +
                        Path("owner.pass"));
  EXPECT_EQ(tampered.code, 1) << tampered.all;
  EXPECT_FALSE(Exists(Path("x.csv")));
  CliRun train = Zektra("ZEKTRA_PASSPHRASE=" + std::string(kOwnerPass) + " @@train vault://" + Path("owner") +
                     "/bc --label benign --model logreg --out " + Path("m.json"));
  EXPECT_EQ(train.code, 1) << train.all;
  EXPECT_FALSE(Exists(Path("m.json")));

  CliRun missing = Zektra("@@vault show " + Path("owner") + " nope");
  EXPECT_EQ(missing.code, 3);
  for (const char* cmd : {"init", "add", "list", "show", "export", "grant", "open-grant"}) {
    EXPECT_EQ(Zektra(std::string("@@vault ") + cmd + " --help").code, 0) << cmd;
  }
}

TEST_F(CliVault, GrantOpensOnlyForItsRecipient) {
  nlohmann::json added = MakeOwnerVault();
  CliRun bob = Zektra("@@vault init " + Path("bob") + " --passphrase-file " + Path("bob.pass") + " --json");
  ASSERT_EQ(bob.code, 0) << bob.all;
  const std::string bob_key = nlohmann::json::parse(bob.out)["recipient_key"];
  ASSERT_EQ(Zektra("@@vault init " + Path("eve") + " --passphrase-file " + Path("wrong.pass")).code, 0);

  CliRun grant = Zektra("@@vault grant " + Path("owner") + " bc --to " + bob_key + " --out " + Path("bc.grant") +
                     " --passphrase-file " + Path("owner.pass") + " --json");
  ASSERT_EQ(grant.code, 0) << grant.all;

  CliRun opened = Zektra("@@vault open-grant " + Path("bc.grant") + " --vault " + Path("bob") + " --out " +
                      Path("bob.csv") + " --passphrase-file " + Path("bob.pass") + " --json");
  ASSERT_EQ(opened.code, 0) << opened.all;
  auto oj = nlohmann::json::parse(opened.out);
  EXPECT_EQ(oj["commitment"], added["commitment"]);
  EXPECT_EQ(oj["commitment_verified"], true);
  EXPECT_EQ(Slurp(Path("bob.csv")), Slurp(Data("breast_cancer.csv")));

  CliRun eve = Zektra("@@vault open-grant " + Path("bc.grant") + " --vault " + Path("eve") + " --out " + Path("eve.csv") +
                   " --passphrase-file " + Path("wrong.pass") + " --json");
  EXPECT_EQ(eve.code, 1) << eve.all;
  EXPECT_NE(nlohmann::json::parse(eve.out)["error"].get<std::string>().find("is for recipient"), std::string::npos);
  EXPECT_FALSE(Exists(Path("eve.csv")));

  std::string g = Slurp(Path("bc.grant"));
  g[40] ^= 1;
  std::ofstream(Path("bad.grant"), std::ios::binary) << g;
  CliRun bad = Zektra("@@vault open-grant " + Path("bad.grant") + " --vault " + Path("bob") + " --out " + Path("bad.csv") +
                   " --passphrase-file " + Path("bob.pass"));
  EXPECT_NE(bad.code, 0) << bad.all;
  EXPECT_FALSE(Exists(Path("bad.csv")));
}

}  // namespace
