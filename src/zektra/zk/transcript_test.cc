#include "zektra/zk/transcript.h"

#include <gtest/gtest.h>

#include <set>

namespace zektra {
namespace {

TEST(Transcript, DeterministicForSameInputs) {
  Transcript a("test"), b("test");
  a.AbsorbU64("n", 5);
  b.AbsorbU64("n", 5);
  EXPECT_EQ(a.ChallengeFp2("r"), b.ChallengeFp2("r"));
}

TEST(Transcript, EveryInputChangesTheChallenge) {
  auto challenge = [](std::string_view proto, std::string_view label, uint64_t v, std::string_view clabel) {
    Transcript t(proto);
    t.AbsorbU64(label, v);
    return t.ChallengeFp2(clabel);
  };
  Fp2 base = challenge("p", "n", 5, "r");
  EXPECT_NE(base, challenge("q", "n", 5, "r"));  // protocol (domain separation)
  EXPECT_NE(base, challenge("p", "m", 5, "r"));  // absorb label
  EXPECT_NE(base, challenge("p", "n", 6, "r"));  // value
  EXPECT_NE(base, challenge("p", "n", 5, "s"));  // challenge label
}

TEST(Transcript, LengthFramingSeparatesSplits) {
  Transcript a("p"), b("p");
  a.AbsorbBytes("x", AsBytes("ab"));
  a.AbsorbBytes("x", AsBytes("c"));
  b.AbsorbBytes("x", AsBytes("a"));
  b.AbsorbBytes("x", AsBytes("bc"));
  EXPECT_NE(a.ChallengeFp("r"), b.ChallengeFp("r"));
  Transcript c("p"), d("p");
  Fp one = Fp::One();
  c.AbsorbFp("v", one);
  d.AbsorbFps("v", std::vector<Fp>{one});
  EXPECT_EQ(c.ChallengeFp("r"), d.ChallengeFp("r"));  // one element is one element
}

TEST(Transcript, SuccessiveChallengesDifferAndCloneForks) {
  Transcript t("p");
  Fp2 a = t.ChallengeFp2("r");
  Transcript fork = t.Clone();
  Fp2 b = t.ChallengeFp2("r");
  EXPECT_NE(a, b);
  EXPECT_EQ(fork.ChallengeFp2("r"), b);
  static_assert(!std::is_copy_constructible_v<Transcript>);
}

TEST(Transcript, IndicesAreInRangeDistinctAndRoughlyUniform) {
  Transcript t("p");
  auto idx = t.ChallengeDistinctIndices("q", 100, 100);
  std::set<uint64_t> s(idx.begin(), idx.end());
  EXPECT_EQ(s.size(), 100u);
  EXPECT_EQ(*s.rbegin(), 99u);
  std::vector<int> counts(10);
  for (int i = 0; i < 10000; ++i) counts[t.ChallengeIndex("u", 10)]++;
  for (int c : counts) {
    EXPECT_GT(c, 850);
    EXPECT_LT(c, 1150);
  }
}

}  // namespace
}  // namespace zektra
