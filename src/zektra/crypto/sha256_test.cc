#include "zektra/crypto/sha256.h"

#include <gtest/gtest.h>

#include <vector>

namespace zektra {
namespace {

// FIPS 180-4 example vectors.
TEST(Sha256, KnownAnswers) {
  EXPECT_EQ(ToHex(Sha256::Hash(AsBytes(""))), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(ToHex(Sha256::Hash(AsBytes("abc"))), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(ToHex(Sha256::Hash(AsBytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, IncrementalMatchesOneShotAndResets) {
  Sha256 h;
  h.Update(AsBytes("ab")).Update(AsBytes("c"));
  EXPECT_EQ(h.Final(), Sha256::Hash(AsBytes("abc")));
  h.Update(AsBytes("abc"));
  EXPECT_EQ(h.Final(), Sha256::Hash(AsBytes("abc")));
  Digest l = Sha256::Hash(AsBytes("l")), r = Sha256::Hash(AsBytes("r"));
  Bytes cat(l.begin(), l.end());
  cat.insert(cat.end(), r.begin(), r.end());
  EXPECT_EQ(Sha256::HashPair(l, r), Sha256::Hash(cat));
}

// Lanes fed interleaved pieces of different lengths (crossing 64-byte block boundaries)
// hash exactly the concatenation of their own pieces, and restart after Final.
TEST(Sha256, LanesMatchOneShotOfTheirConcatenation) {
  constexpr size_t kLanes = 5;
  Sha256Lanes lanes(kLanes);
  ASSERT_EQ(lanes.size(), kLanes);
  std::vector<Bytes> whole(kLanes);
  for (size_t round = 0; round < 7; ++round) {
    for (size_t lane = 0; lane < kLanes; ++lane) {
      Bytes piece(round * 13 + lane * 29 + 1);
      for (size_t i = 0; i < piece.size(); ++i) piece[i] = static_cast<uint8_t>(i * 7 + lane + round);
      lanes.Update(lane, piece.data(), piece.size());
      whole[lane].insert(whole[lane].end(), piece.begin(), piece.end());
    }
  }
  for (size_t lane = 0; lane < kLanes; ++lane) EXPECT_EQ(lanes.Final(lane), Sha256::Hash(whole[lane]));
  lanes.Update(2, "abc", 3);
  EXPECT_EQ(lanes.Final(2), Sha256::Hash(AsBytes("abc")));
  EXPECT_EQ(lanes.Final(3), Sha256::Hash(AsBytes("")));
}

}  // namespace
}  // namespace zektra
