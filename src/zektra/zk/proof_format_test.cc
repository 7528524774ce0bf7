#include "zektra/zk/proof_format.h"

#include <gtest/gtest.h>

#include "tests/fuzz_targets.h"
#include "zektra/crypto/random.h"
#include "zektra/crypto/sha256.h"

namespace zektra {
namespace {

ProofContainer Sample() {
  ProofContainer c(ProofKind::kTrainingRun);
  c.Set(1, Bytes{1, 2, 3});
  c.Set(7, Bytes(100, 0xab));
  c.Set(3, Bytes{});
  return c;
}

TEST(ProofFormat, RoundTrip) {
  Bytes enc = Sample().Encode();
  auto parsed = ProofContainer::Parse(enc);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->kind(), ProofKind::kTrainingRun);
  EXPECT_EQ(parsed->sections(), Sample().sections());
  EXPECT_EQ(parsed->Encode(), enc);
  EXPECT_TRUE(parsed->Require(7, "x").ok());
  EXPECT_FALSE(parsed->Require(8, "weights").ok());
  EXPECT_NE(parsed->Require(8, "weights").status().message().find("weights"), std::string::npos);
}

// Re-seals a hand-edited body with a valid checksum, so the structural checks are reached.
Bytes Reseal(Bytes body) {
  Digest d = Sha256::Hash(body);
  body.insert(body.end(), d.begin(), d.end());
  return body;
}

TEST(ProofFormat, RejectsEveryStructuralDefect) {
  Bytes enc = Sample().Encode();
  Bytes body(enc.begin(), enc.end() - 32);
  auto expect_reject = [](const Bytes& b, const char* what) {
    auto r = ProofContainer::Parse(b);
    EXPECT_FALSE(r.ok()) << what;
    if (!r.ok()) {
      EXPECT_NE(r.status().message().find(what), std::string::npos) << r.status().message();
    }
  };
  {
    Bytes b = enc;
    b[0] = 'X';
    expect_reject(b, "magic");
  }
  {
    Bytes b = body;
    b[4] = 2;
    expect_reject(Reseal(b), "version");
  }
  {
    Bytes b = body;
    b[8] = 99;
    expect_reject(Reseal(b), "kind");
  }
  {
    Bytes b = body;
    b[12] = 200;
    expect_reject(Reseal(b), "sections");
  }
  {
    Bytes b = body;
    b[12] = 4;  // one section more than present
    expect_reject(Reseal(b), "truncated");
  }
  {
    Bytes b = body;
    b.push_back(0);
    expect_reject(Reseal(b), "trailing");
  }
  {
    // Second section's tag (3) lowered to 1: repeated tag.
    Bytes b = body;
    size_t second = 16 + 4 + 8 + 3;
    b[second] = 1;
    expect_reject(Reseal(b), "order");
  }
  {
    Bytes b = enc;
    b[20] ^= 1;
    expect_reject(b, "checksum");
  }
  expect_reject(Bytes{}, "shorter");
}

TEST(ProofFormat, FuzzTargetSurvivesRandomMutations) {
  // A short in-process run of the same target libFuzzer drives (fuzz/); the full
  // coverage-guided run is `make fuzz` and the fuzz_smoke ctest.
  Bytes seed = Sample().Encode();
  for (int i = 0; i < 20000; ++i) {
    Bytes b = seed;
    uint64_t rnd = RandomU64();
    int edits = 1 + static_cast<int>(rnd % 4);
    for (int e = 0; e < edits; ++e) {
      uint64_t x = RandomU64();
      switch (x % 4) {
        case 0:
          b[x % b.size()] ^= static_cast<uint8_t>(1 + ((x >> 8) % 255));
          break;
        case 1:
          b.resize(x % (b.size() + 1));
          break;
        case 2:
          b.insert(b.begin() + (x % (b.size() + 1)), static_cast<uint8_t>(x >> 16));
          break;
        default:
          b = Reseal(Bytes(b.begin(), b.end() - std::min<size_t>(32, b.size())));
      }
      if (b.empty()) b.push_back(0);
    }
    fuzz::ProofContainerTarget(b.data(), b.size());
  }
}

}  // namespace
}  // namespace zektra
