// Vaults end to end in the library: keys under a passphrase, add (validate, commit, encrypt,
// sign), list/show/export, grants, vault:// loading, and every refusal the issue asks for:
// flipped bytes in key file, manifest, data file and grant; truncated or reordered chunks;
// wrong passphrase; another recipient; an interrupted add.
#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "zektra/base/file_io.h"
#include "zektra/base/thread_pool.h"
#include "zektra/crypto/random.h"
#include "zektra/vault/vault.h"

namespace zektra::vault {
namespace {

const SecureBuffer& Pass() {
  static SecureBuffer p = SecureBuffer::CopyOf(AsBytes("correct horse battery staple"));
  return p;
}

std::string DataFile(const std::string& name) { return std::string(ZEKTRA_SOURCE_DIR) + "/examples/data/" + name; }

std::set<std::string> Entries(const std::string& dir) {
  std::set<std::string> out;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d)) out.insert(e->d_name);
    ::closedir(d);
  }
  return out;
}

bool Exists(const std::string& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0;
}

class VaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = ::testing::TempDir() + "/vault_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name();
    ::mkdir(root_.c_str(), 0700);
  }
  void TearDown() override { std::system(("rm -rf '" + root_ + "'").c_str()); }

  // Minimum Argon2id limits keep the tests fast; the format stores whatever was used.
  Vault MakeVault(const std::string& name, ByteSpan pass = Pass().view()) {
    const std::string dir = root_ + "/" + name;
    Status s = CreateVault(dir, pass, Argon2idLimits::Minimum());
    EXPECT_TRUE(s.ok()) << s.message();
    auto v = Vault::Open(dir, pass);
    EXPECT_TRUE(v.ok()) << v.status().message();
    return std::move(v).value();
  }
  Manifest AddBreastCancer(const Vault& v, uint32_t chunk_bytes = kDefaultChunkBytes) {
    AddOptions o;
    o.name = "bc";
    o.label = "benign";
    o.chunk_bytes = chunk_bytes;
    auto m = AddDataset(v, DataFile("breast_cancer.csv"), o);
    EXPECT_TRUE(m.ok()) << m.status().message();
    return std::move(m).value();
  }
  std::string root_;
};

TEST_F(VaultTest, PassphraseUnlocksAndWrongPassphraseIsRefused) {
  Vault v = MakeVault("a");
  auto pub = ReadVaultPublicKeys(v.dir());
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(pub->box_key, v.box().public_key);
  EXPECT_EQ(pub->sign_key, v.signer().public_key);
  auto wrong = Vault::Open(v.dir(), AsBytes("correct horse battery stapler"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), StatusCode::kRejected);
  EXPECT_NE(wrong.status().message().find("wrong passphrase"), std::string::npos);
  EXPECT_FALSE(CreateVault(v.dir(), Pass().view(), Argon2idLimits::Minimum()).ok()) << "refuses to overwrite";
  EXPECT_FALSE(CreateVault(root_ + "/empty", AsBytes(""), Argon2idLimits::Minimum()).ok());
  EXPECT_FALSE(Vault::Open(root_ + "/nowhere", Pass().view()).ok());
}

TEST_F(VaultTest, EveryFlippedByteOfTheKeyFileIsRefused) {
  Vault v = MakeVault("a");
  const std::string path = v.dir() + "/vault.key";
  Bytes original = *ReadFileBytes(path);
  for (size_t i = 0; i < original.size(); ++i) {
    Bytes bad = original;
    bad[i] ^= 0x04;
    ASSERT_TRUE(WriteFileAtomic(path, bad, 0600).ok());
    auto r = Vault::Open(v.dir(), Pass().view());
    EXPECT_FALSE(r.ok()) << "byte " << i;
  }
}

TEST_F(VaultTest, AddCommitsEncryptsAndDecryptsToTheSameBytes) {
  Vault v = MakeVault("a");
  Manifest m = AddBreastCancer(v);
  EXPECT_EQ(m.rows, 569u);
  EXPECT_EQ(m.feature_names.size(), 30u);
  EXPECT_EQ(m.label_name, "benign");
  Bytes csv = *ReadFileBytes(DataFile("breast_cancer.csv"));
  EXPECT_EQ(m.plaintext_bytes, csv.size());

  auto d = DecryptDataset(v, "bc");
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(Bytes(d->csv.data(), d->csv.data() + d->csv.size()), csv);
  // The vault keeps the commitment's seed: the commitment is reproducible from the data,
  // by the same construction as `zektra dataset commit`.
  ml::CsvOptions opts;
  opts.label = "benign";
  auto table = ml::LoadCsv(DataFile("breast_cancer.csv"), opts);
  ASSERT_TRUE(table.ok());
  auto recommitted = pot::CommitDataset(*table, d->secret);
  ASSERT_TRUE(recommitted.ok());
  EXPECT_EQ(recommitted->commitment.IdHex(), m.commitment.IdHex());
  EXPECT_EQ(recommitted->commitment, m.commitment);

  // The ciphertext does not contain the plaintext.
  Bytes zvd = *ReadFileBytes(v.dir() + "/datasets/bc.zvd");
  const std::string needle = "benign";
  EXPECT_EQ(std::search(zvd.begin(), zvd.end(), needle.begin(), needle.end()), zvd.end());

  AddOptions same;
  same.name = "bc";
  same.label = "benign";
  auto again = AddDataset(v, DataFile("breast_cancer.csv"), same);
  EXPECT_FALSE(again.ok()) << "a name is added once";
  AddOptions unknown_label;
  unknown_label.name = "bc2";
  unknown_label.label = "nope";
  auto bad_label = AddDataset(v, DataFile("breast_cancer.csv"), unknown_label);
  EXPECT_FALSE(bad_label.ok());
  EXPECT_FALSE(Exists(v.dir() + "/datasets/bc2.manifest"));
}

TEST_F(VaultTest, ListShowAndVaultUri) {
  Vault v = MakeVault("a");
  AddBreastCancer(v);
  AddOptions o;
  o.label = "progression";
  auto m2 = AddDataset(v, DataFile("diabetes_progression.csv"), o);
  ASSERT_TRUE(m2.ok()) << m2.status().message();
  EXPECT_EQ(m2->name, "diabetes_progression");
  auto list = ListDatasets(v.dir());
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "bc");
  EXPECT_TRUE((*list)[0].manifest.has_value());
  EXPECT_EQ((*list)[1].manifest->rows, 442u);
  auto shown = ShowDataset(v.dir(), "bc");
  ASSERT_TRUE(shown.ok());
  EXPECT_EQ(shown->commitment.rows, 569u);
  EXPECT_FALSE(ShowDataset(v.dir(), "missing").ok());
  EXPECT_FALSE(ShowDataset(v.dir(), "../escape").ok());

  // vault:// loads the same table as the CSV, with the seed that reproduces the commitment.
  int asked = 0;
  PassphraseFn pass = [&](const std::string&) -> Result<SecureBuffer> {
    ++asked;
    return SecureBuffer::CopyOf(Pass().view());
  };
  ml::CsvOptions opts;
  opts.label = "benign";
  pot::DatasetSecret secret;
  auto table = LoadDatasetFromVault("vault://" + v.dir() + "/bc", opts, pass, &secret);
  ASSERT_TRUE(table.ok()) << table.status().message();
  EXPECT_EQ(asked, 1);
  auto direct = ml::LoadCsv(DataFile("breast_cancer.csv"), opts);
  EXPECT_EQ(table->features, direct->features);
  EXPECT_EQ(table->labels, direct->labels);
  EXPECT_EQ(pot::CommitDataset(*table, secret)->commitment.Id(), shown->commitment.Id());
  ml::CsvOptions other_label;
  other_label.label = "mean_radius";
  EXPECT_EQ(LoadDatasetFromVault("vault://" + v.dir() + "/bc", other_label, pass, &secret).status().code(),
            StatusCode::kInvalidArgument);
  PassphraseFn wrong = [](const std::string&) -> Result<SecureBuffer> { return SecureBuffer::CopyOf(AsBytes("no")); };
  EXPECT_EQ(LoadDatasetFromVault("vault://" + v.dir() + "/bc", opts, wrong).status().code(), StatusCode::kRejected);

  auto u = ParseVaultUri("vault:///abs/dir/name");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->dir, "/abs/dir");
  EXPECT_EQ(u->name, "name");
  EXPECT_FALSE(ParseVaultUri("vault://name").ok());
  EXPECT_FALSE(ParseVaultUri("vault://dir/").ok());
  EXPECT_FALSE(ParseVaultUri("vault://dir/.hidden").ok());
  EXPECT_FALSE(IsVaultUri("data.csv"));
}

TEST_F(VaultTest, DatasetNames) {
  EXPECT_TRUE(ValidateDatasetName("bc-2024_v1.0").ok());
  for (const char* bad : {"", ".hidden", "a/b", "..", "x y", "-dash"}) EXPECT_FALSE(ValidateDatasetName(bad).ok()) << bad;
  EXPECT_FALSE(ValidateDatasetName(std::string(65, 'a')).ok());
  EXPECT_EQ(DefaultDatasetName("/x/y/breast cancer.csv"), "breast_cancer");
  EXPECT_EQ(DefaultDatasetName(".csv.csv"), "d.csv");
  EXPECT_TRUE(ValidateDatasetName(DefaultDatasetName("/tmp/_x")).ok());
}

TEST_F(VaultTest, EveryFlippedByteOfTheManifestIsRefused) {
  Vault v = MakeVault("a");
  AddBreastCancer(v);
  const std::string path = v.dir() + "/datasets/bc.manifest";
  const std::string out = root_ + "/export.csv";
  Bytes original = *ReadFileBytes(path);
  // Every byte through the decoder in memory; every 64th also through the files.
  for (size_t i = 0; i < original.size(); ++i) {
    Bytes bad = original;
    bad[i] ^= 0x01;
    EXPECT_FALSE(DecodeSignedManifest(bad, "m", &v.signer().public_key).ok()) << "byte " << i;
    if (i % 64 == 0) {
      ASSERT_TRUE(WriteFileAtomic(path, bad).ok());
      EXPECT_FALSE(ShowDataset(v.dir(), "bc").ok()) << "byte " << i;
      EXPECT_FALSE(ExportDataset(v, "bc", out).ok()) << "byte " << i;
      EXPECT_FALSE(Exists(out));
    }
  }
  ASSERT_TRUE(WriteFileAtomic(path, original).ok());
  EXPECT_TRUE(ShowDataset(v.dir(), "bc").ok());
  // A manifest signed by another vault's key is refused by this vault.
  Vault other = MakeVault("b");
  auto m = ShowDataset(v.dir(), "bc");
  Manifest forged = *m;
  forged.owner_sign_key = other.signer().public_key;
  ASSERT_TRUE(WriteFileAtomic(path, EncodeSignedManifest(forged, other.signer())).ok());
  auto r = ShowDataset(v.dir(), "bc");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not this vault's"), std::string::npos);
  auto list = ListDatasets(v.dir());
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_FALSE((*list)[0].manifest.has_value());
}

TEST_F(VaultTest, DataFileTamperingTruncationAndReorderAreRefusedWithoutOutput) {
  Vault v = MakeVault("a");
  Manifest m = AddBreastCancer(v, /*chunk_bytes=*/4096);
  const std::string path = v.dir() + "/datasets/bc.zvd";
  const std::string out = root_ + "/export.csv";
  Bytes original = *ReadFileBytes(path);
  ASSERT_GT(original.size(), 10u * 4096);
  for (size_t i = 0; i < original.size(); i += (i < 64 ? 1 : 997)) {
    Bytes bad = original;
    bad[i] ^= 0x80;
    ASSERT_TRUE(WriteFileAtomic(path, bad).ok());
    auto r = ExportDataset(v, "bc", out);
    ASSERT_FALSE(r.ok()) << "byte " << i;
    EXPECT_EQ(r.status().code(), StatusCode::kRejected);
    EXPECT_FALSE(Exists(out));
  }
  Bytes cut(original.begin(), original.end() - 100);
  ASSERT_TRUE(WriteFileAtomic(path, cut).ok());
  auto r = ExportDataset(v, "bc", out);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("truncated"), std::string::npos) << r.status().message();
  EXPECT_FALSE(Exists(out));

  // Reordered chunks, with the manifest re-signed to match (an attacker holding the signing
  // key but not the data key): the AEAD still refuses, naming the chunk.
  const size_t c = 4096 + 17;
  Bytes swapped = original;
  std::swap_ranges(swapped.begin() + kDataHeaderBytes + c, swapped.begin() + kDataHeaderBytes + 2 * c,
                   swapped.begin() + kDataHeaderBytes + 2 * c);
  ASSERT_TRUE(WriteFileAtomic(path, swapped).ok());
  r = ExportDataset(v, "bc", out);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("SHA-256"), std::string::npos);
  Manifest resigned = m;
  resigned.ciphertext_sha256 = Sha256::Hash(swapped);
  ASSERT_TRUE(WriteFileAtomic(v.dir() + "/datasets/bc.manifest", EncodeSignedManifest(resigned, v.signer())).ok());
  r = ExportDataset(v, "bc", out);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("chunk 1 of"), std::string::npos) << r.status().message();
  EXPECT_FALSE(Exists(out));

  ASSERT_TRUE(WriteFileAtomic(v.dir() + "/datasets/bc.manifest", EncodeSignedManifest(m, v.signer())).ok());
  ASSERT_TRUE(WriteFileAtomic(path, original).ok());
  ASSERT_TRUE(ExportDataset(v, "bc", out).ok());
  EXPECT_EQ(*ReadFileBytes(out), *ReadFileBytes(DataFile("breast_cancer.csv")));
}

TEST_F(VaultTest, InterruptedAddLeavesTheVaultAsItWas) {
  Vault v = MakeVault("a");
  AddBreastCancer(v);
  const std::string datasets = v.dir() + "/datasets";
  const std::set<std::string> before = Entries(datasets);
  for (const char* stage : {"encrypted", "data_written"}) {
    AddOptions o;
    o.name = "second";
    o.label = "progression";
    o.fault_hook = [stage](std::string_view at) {
      return at == stage ? Status::IoError(std::string("injected fault at ") + stage) : Status::Ok();
    };
    auto r = AddDataset(v, DataFile("diabetes_progression.csv"), o);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("injected"), std::string::npos);
    EXPECT_EQ(Entries(datasets), before) << stage;
    EXPECT_EQ(ListDatasets(v.dir())->size(), 1u);
  }
  // A crash (the process dies) after the data file is in place: no dataset appears, and the
  // name can be added afterwards.
  AddOptions crash;
  crash.name = "second";
  crash.label = "progression";
  crash.fault_hook = [](std::string_view at) {
    if (at == "data_written") ::_exit(42);
    return Status::Ok();
  };
  // The child is a fork of this process, writing into this test's vault. Its thread pool's
  // workers do not survive the fork, so it runs single-threaded.
  GTEST_FLAG_SET(death_test_style, "fast");
  const size_t threads = ThreadCount();
  SetThreadCount(1);
  EXPECT_EXIT((void)AddDataset(v, DataFile("diabetes_progression.csv"), crash), ::testing::ExitedWithCode(42), "");
  SetThreadCount(threads);
  EXPECT_TRUE(Exists(datasets + "/second.zvd")) << "the child crashed after writing the data file";
  auto list = ListDatasets(v.dir());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].name, "bc");
  EXPECT_FALSE(Exists(datasets + "/second.manifest"));
  AddOptions retry;
  retry.name = "second";
  retry.label = "progression";
  ASSERT_TRUE(AddDataset(v, DataFile("diabetes_progression.csv"), retry).ok());
  EXPECT_EQ(ListDatasets(v.dir())->size(), 2u);
  EXPECT_TRUE(DecryptDataset(v, "second").ok());
}

TEST_F(VaultTest, GrantsOpenOnlyForTheirRecipientAndRefuseTampering) {
  Vault owner = MakeVault("owner");
  Vault bob = MakeVault("bob", AsBytes("bob's passphrase"));
  Vault eve = MakeVault("eve", AsBytes("eve's passphrase"));
  Manifest m = AddBreastCancer(owner, 4096);
  auto grant = CreateGrant(owner, "bc", bob.box().public_key);
  ASSERT_TRUE(grant.ok()) << grant.status().message();

  auto opened = OpenGrant(*grant, "g", bob);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  EXPECT_EQ(Bytes(opened->csv.data(), opened->csv.data() + opened->csv.size()),
            *ReadFileBytes(DataFile("breast_cancer.csv")));
  EXPECT_EQ(opened->manifest.commitment.Id(), m.commitment.Id());
  EXPECT_EQ(opened->secret.seed, DecryptDataset(owner, "bc")->secret.seed);
  EXPECT_EQ(*GrantOwner(*grant, "g"), owner.signer().public_key);

  auto by_eve = OpenGrant(*grant, "g", eve);
  ASSERT_FALSE(by_eve.ok());
  EXPECT_EQ(by_eve.status().code(), StatusCode::kRejected);
  EXPECT_NE(by_eve.status().message().find("is for recipient"), std::string::npos);

  // Every byte up to the encrypted data, then a sample of the data.
  const size_t data_len = ReadFileBytes(owner.dir() + "/datasets/bc.zvd")->size();
  const size_t head = grant->size() - data_len;
  for (size_t i = 0; i < grant->size(); i += (i < head ? 1 : 1009)) {
    Bytes bad = *grant;
    bad[i] ^= 0x10;
    EXPECT_FALSE(OpenGrant(bad, "g", bob).ok()) << "byte " << i;
  }
  Bytes truncated(grant->begin(), grant->end() - 1);
  EXPECT_FALSE(OpenGrant(truncated, "g", bob).ok());

  EXPECT_TRUE(ParseRecipient(ToHex(bob.box().public_key)).ok());
  EXPECT_EQ(*ParseRecipient(bob.dir()), bob.box().public_key);
  EXPECT_FALSE(ParseRecipient("zz").ok());
}

}  // namespace
}  // namespace zektra::vault

#include "tests/fuzz_targets.h"

namespace zektra::vault {
namespace {

TEST_F(VaultTest, FuzzTargetSurvivesMutationsOfRealFiles) {
  Vault v = MakeVault("fz");
  AddBreastCancer(v);
  std::vector<Bytes> seeds = {*ReadFileBytes(v.dir() + "/datasets/bc.manifest"),
                              *ReadFileBytes(v.dir() + "/datasets/bc.zvd")};
  for (const Bytes& seed : seeds) {
    for (int i = 0; i < 1500; ++i) {
      Bytes b = seed;
      uint64_t x = RandomU64();
      if (x % 4 == 0) {
        b.resize(x % b.size());
      } else {
        b[(x >> 8) % b.size()] ^= static_cast<uint8_t>(1 + (x >> 40) % 255);
      }
      fuzz::VaultFilesTarget(b.data(), b.size());
    }
  }
}

}  // namespace
}  // namespace zektra::vault
