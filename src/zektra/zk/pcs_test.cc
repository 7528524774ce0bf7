#include "zektra/zk/pcs.h"

#include <gtest/gtest.h>

#include <random>

#include "zektra/crypto/random.h"
#include "zektra/field/ntt.h"
#include "zektra/zk/multilinear.h"

namespace zektra {
namespace {

constexpr std::string_view kProtocol = "pcs-test";

std::vector<Fp> RandomPoly(int log_size) {
  return RandomFpVector(size_t{1} << log_size);
}

std::vector<Fp2> RandomPoint(int n) {
  std::vector<Fp2> z(n);
  for (auto& x : z) x = RandomFp2();
  return z;
}

// Committed polynomials, their evaluations and a set of true claims.
struct Fixture {
  std::vector<std::vector<Fp>> evaluations;
  std::vector<PcsProverData> data;
  std::vector<PcsCommitment> commitments;
  std::vector<PcsClaim> claims;

  void Add(std::vector<Fp> f, const PcsParams& params) {
    data.push_back(PcsCommit(f, params));
    commitments.push_back(data.back().commitment());
    evaluations.push_back(std::move(f));
  }
  void Claim(size_t poly, std::vector<Fp2> point) {
    Fp2 y = EvaluateMultilinear(evaluations[poly], point);
    claims.push_back({poly, std::move(point), y});
  }
  std::vector<const PcsProverData*> Pointers() const {
    std::vector<const PcsProverData*> p;
    for (const auto& d : data) p.push_back(&d);
    return p;
  }
  PcsOpeningProof Open(std::string_view protocol = kProtocol) const {
    Transcript t(protocol);
    return PcsOpen(Pointers(), claims, t);
  }
  Status Verify(const PcsOpeningProof& proof, std::string_view protocol = kProtocol) const {
    return Verify(proof, claims, protocol);
  }
  Status Verify(const PcsOpeningProof& proof, const std::vector<PcsClaim>& cl,
                std::string_view protocol = kProtocol) const {
    Transcript t(protocol);
    return PcsVerify(commitments, cl, proof, t);
  }
};

// One polynomial, one random point.
Fixture Single(int log_size, bool hiding) {
  Fixture f;
  f.Add(RandomPoly(log_size), ChoosePcsParams(log_size, hiding));
  f.Claim(0, RandomPoint(log_size));
  return f;
}

void ExpectRejected(const Status& s, std::string_view fragment = "") {
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(s.code() == StatusCode::kRejected || s.code() == StatusCode::kBadInput)
      << s.message();
  if (!fragment.empty()) {
    EXPECT_NE(s.message().find(fragment), std::string::npos) << s.message();
  }
}

TEST(PcsParams, ChosenParametersAreValidAndSound) {
  for (int n : {0, 1, 4, 10, 16, 20, 24, 30}) {
    for (bool hiding : {false, true}) {
      PcsParams p = ChoosePcsParams(n, hiding);
      SCOPED_TRACE(testing::Message() << "n=" << n << " hiding=" << hiding);
      EXPECT_TRUE(ValidatePcsParams(p).ok()) << ValidatePcsParams(p).message();
      EXPECT_EQ(p.log_size, n);
      EXPECT_GE(PcsParamsSoundness(p).bits(), 100.0);
      EXPECT_LT(p.message_len(), p.codeword_len());
      if (hiding) {
        EXPECT_GE(p.padding, p.queries);
      } else {
        EXPECT_EQ(p.padding, 0u);
        EXPECT_EQ(p.codeword_len(), p.cols() * 2);  // blowup 2
      }
    }
  }
  // The shape used for 2^24 (see PROOF_SYSTEM.md): 2^9 rows of 2^15, blowup 2, 241 queries.
  PcsParams big = ChoosePcsParams(24, false);
  EXPECT_EQ(big.log_cols, 15);
  EXPECT_EQ(big.log_codeword_len, 16);
  EXPECT_EQ(big.queries, 241u);
  // More openings need more padding; a higher target needs more queries.
  EXPECT_GT(ChoosePcsParams(16, true, 100, 4).padding, ChoosePcsParams(16, true, 100, 1).padding);
  EXPECT_GT(ChoosePcsParams(16, false, 110).queries, ChoosePcsParams(16, false, 100).queries);
}

TEST(PcsParams, ValidationRejectsInconsistentParameters) {
  PcsParams good = ChoosePcsParams(12, true);
  ASSERT_TRUE(ValidatePcsParams(good).ok());
  auto bad = [&](auto mutate) {
    PcsParams p = good;
    mutate(p);
    return !ValidatePcsParams(p).ok();
  };
  EXPECT_TRUE(bad([](PcsParams& p) { p.log_size = 41; }));
  EXPECT_TRUE(bad([](PcsParams& p) { p.log_cols = p.log_size + 1; }));
  EXPECT_TRUE(bad([](PcsParams& p) { p.log_cols = -1; }));
  EXPECT_TRUE(bad([](PcsParams& p) { p.log_codeword_len = 27; }));
  EXPECT_TRUE(bad([](PcsParams& p) { p.log_codeword_len = p.log_cols; }));  // no redundancy
  EXPECT_TRUE(bad([](PcsParams& p) { p.queries = 0; }));
  EXPECT_TRUE(bad([](PcsParams& p) { p.padding = p.queries - 1; }));  // cannot hide t columns
  EXPECT_TRUE(bad([](PcsParams& p) { p.max_openings = 0; }));
  EXPECT_TRUE(bad([](PcsParams& p) { p.hiding = false; }));  // padding without hiding
}

TEST(PcsCommitment, SerializationRoundTripsAndRejectsGarbage) {
  Fixture f = Single(8, true);
  const PcsCommitment& c = f.commitments[0];
  Bytes bytes = c.Serialize();
  auto parsed = PcsCommitment::Parse(bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(*parsed, c);
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    EXPECT_FALSE(PcsCommitment::Parse(ByteSpan(bytes.data(), cut)).ok()) << cut;
  }
  Bytes trailing = bytes;
  trailing.push_back(0);
  EXPECT_FALSE(PcsCommitment::Parse(trailing).ok());
  Bytes magic = bytes;
  magic[0] = 'X';
  EXPECT_FALSE(PcsCommitment::Parse(magic).ok());
  Bytes version = bytes;
  version[4] = 2;  // version 2 needs its row count: the bytes end too early
  EXPECT_FALSE(PcsCommitment::Parse(version).ok());
  Bytes log_size = bytes;
  log_size[40] = 0xff;  // log_size field: 4 magic + 4 version + 32 root
  EXPECT_FALSE(PcsCommitment::Parse(log_size).ok());
}

TEST(Pcs, CommitKeepsRowsAndEncodesThem) {
  std::vector<Fp> f = RandomPoly(10);
  PcsParams params = ChoosePcsParams(10, false);
  PcsProverData d = PcsCommit(f, params);
  for (uint64_t r = 0; r < params.rows(); ++r) {
    auto row = d.message_row(r);
    ASSERT_EQ(row.size(), params.cols());
    EXPECT_TRUE(std::equal(row.begin(), row.end(), f.begin() + r * params.cols()));
  }
  // Deterministic without hiding; hiding commitments of the same data differ.
  EXPECT_EQ(PcsCommit(f, params).commitment(), d.commitment());
  PcsParams hp = ChoosePcsParams(10, true);
  EXPECT_NE(PcsCommit(f, hp).commitment().root, PcsCommit(f, hp).commitment().root);
}

TEST(Pcs, CompletenessSinglePolynomial) {
  for (bool hiding : {false, true}) {
    for (int n : {0, 1, 4, 7, 10, 13, 16}) {
      SCOPED_TRACE(testing::Message() << "n=" << n << " hiding=" << hiding);
      Fixture f = Single(n, hiding);
      PcsOpeningProof proof = f.Open();
      Status s = f.Verify(proof);
      EXPECT_TRUE(s.ok()) << s.message();
      // Round trip through bytes.
      auto parsed = ParsePcsOpeningProof(proof.Serialize());
      ASSERT_TRUE(parsed.ok()) << parsed.status().message();
      EXPECT_TRUE(f.Verify(*parsed).ok());
      EXPECT_EQ(parsed->Serialize(), proof.Serialize());
    }
  }
}

TEST(Pcs, CompletenessBatchOfPolynomialsAndPoints) {
  for (bool hiding : {false, true}) {
    SCOPED_TRACE(testing::Message() << "hiding=" << hiding);
    Fixture f;
    // Three polynomials of different sizes sharing one code shape (log_cols 6), and one of
    // another shape: two opening groups.
    f.Add(RandomPoly(10), MakePcsParams(10, 6, 1, hiding));
    f.Add(RandomPoly(12), MakePcsParams(12, 6, 1, hiding));
    f.Add(RandomPoly(6), MakePcsParams(6, 6, 1, hiding));
    f.Add(RandomPoly(11), ChoosePcsParams(11, hiding));
    std::vector<Fp2> shared_low = RandomPoint(6);
    auto with_low = [&](int n) {
      std::vector<Fp2> z = RandomPoint(n);
      std::copy(shared_low.begin(), shared_low.end(), z.begin());
      return z;
    };
    f.Claim(0, RandomPoint(10));
    f.Claim(0, RandomPoint(10));
    f.Claim(1, with_low(12));  // same low point: one combined evaluation row
    f.Claim(0, with_low(10));
    f.Claim(2, with_low(6));
    f.Claim(3, RandomPoint(11));
    f.Claim(1, RandomPoint(12));
    PcsOpeningProof proof = f.Open();
    ASSERT_EQ(proof.groups.size(), 2u);
    EXPECT_EQ(proof.groups[0].polys.size(), 3u);
    EXPECT_EQ(proof.groups[0].evaluation_rows.size(), 4u);  // 6 claims, 4 distinct low points
    Status s = f.Verify(proof);
    EXPECT_TRUE(s.ok()) << s.message();
    auto soundness = PcsOpeningSoundness(f.commitments, f.claims);
    ASSERT_TRUE(soundness.ok());
    EXPECT_GT(soundness->bits(), 98.9);  // two groups: about one bit below each group's 100
  }
}

TEST(Pcs, RejectsWrongClaims) {
  for (bool hiding : {false, true}) {
    Fixture f;
    f.Add(RandomPoly(9), MakePcsParams(9, 5, 1, hiding));
    f.Add(RandomPoly(8), MakePcsParams(8, 5, 1, hiding));
    f.Claim(0, RandomPoint(9));
    f.Claim(1, RandomPoint(8));
    PcsOpeningProof proof = f.Open();
    ASSERT_TRUE(f.Verify(proof).ok());
    for (size_t k = 0; k < f.claims.size(); ++k) {
      auto claims = f.claims;
      claims[k].value += Fp2::One();
      ExpectRejected(f.Verify(proof, claims), "does not match the claimed");
      claims = f.claims;
      claims[k].point[0] += Fp2::One();
      ExpectRejected(f.Verify(proof, claims));
      claims = f.claims;
      claims[k].point.pop_back();
      ExpectRejected(f.Verify(proof, claims), "coordinates");
    }
    auto claims = f.claims;
    std::swap(claims[0].value, claims[1].value);
    ExpectRejected(f.Verify(proof, claims));
    claims = f.claims;
    claims[1].poly_index = 7;
    ExpectRejected(f.Verify(proof, claims), "names polynomial");
    ExpectRejected(f.Verify(proof, std::vector<PcsClaim>{}), "no claims");
  }
}

TEST(Pcs, RejectsTamperedProofs) {
  for (bool hiding : {false, true}) {
    SCOPED_TRACE(testing::Message() << "hiding=" << hiding);
    Fixture f;
    f.Add(RandomPoly(10), MakePcsParams(10, 6, 1, hiding));
    f.Add(RandomPoly(8), MakePcsParams(8, 6, 1, hiding));
    f.Claim(0, RandomPoint(10));
    f.Claim(1, RandomPoint(8));
    f.Claim(0, RandomPoint(10));
    const PcsOpeningProof good = f.Open();
    ASSERT_TRUE(f.Verify(good).ok());
    auto tamper = [&](auto mutate, std::string_view fragment = "") {
      PcsOpeningProof bad = good;
      mutate(bad.groups[0]);
      ExpectRejected(f.Verify(bad), fragment);
    };
    // One column value of one polynomial (first, middle, last).
    for (size_t i : {size_t{0}, good.groups[0].polys[1].columns.size() / 2,
                     good.groups[0].polys[1].columns.size() - 1}) {
      tamper([&](PcsGroupProof& g) { g.polys[1].columns[i] += Fp::One(); }, "Merkle");
    }
    // One Merkle node.
    tamper([](PcsGroupProof& g) { g.polys[0].path.nodes[3][0] ^= 1; }, "Merkle");
    tamper([](PcsGroupProof& g) { g.polys[0].path.nodes.pop_back(); }, "Merkle");
    // One entry of the combined rows changed after the fact: the claim check fails, or the
    // transcript (and with it the queries) changes and the opened columns no longer fit.
    tamper([](PcsGroupProof& g) { g.proximity_row[5] += Fp2::One(); });
    tamper([](PcsGroupProof& g) { g.evaluation_rows[1][3] += Fp2::One(); });
    tamper([](PcsGroupProof& g) { g.evaluation_rows[0].back() += Fp2::One(); });
    // Shapes.
    tamper([](PcsGroupProof& g) { g.proximity_row.pop_back(); }, "entries");
    tamper([](PcsGroupProof& g) { g.evaluation_rows.pop_back(); });
    tamper([](PcsGroupProof& g) { g.polys.pop_back(); });
    tamper([](PcsGroupProof& g) { g.polys[0].columns.pop_back(); });
    tamper([](PcsGroupProof& g) { std::swap(g.polys[0], g.polys[1]); });
    tamper([](PcsGroupProof& g) { g.hiding = !g.hiding; });
    if (hiding) {
      tamper([](PcsGroupProof& g) { g.mask_evaluations[0] += Fp2::One(); });
      tamper([](PcsGroupProof& g) { g.mask_root[0] ^= 1; });
      tamper([](PcsGroupProof& g) { g.mask.columns[2] += Fp::One(); }, "mask tree");
      tamper([](PcsGroupProof& g) { g.polys[0].salts[0][0] ^= 1; }, "Merkle");
      tamper([](PcsGroupProof& g) { g.mask.salts.pop_back(); }, "salts");
    } else {
      tamper([](PcsGroupProof& g) { g.mask_evaluations.push_back(Fp2::One()); }, "mask");
    }
    // Proof and claims of another batch.
    PcsOpeningProof extra = good;
    extra.groups.push_back(good.groups[0]);
    ExpectRejected(f.Verify(extra), "groups");
  }
}

// A cheating prover changes a combined row before it is bound into the transcript, so the
// queries fit the altered row: only the column consistency check stands between it and a
// false acceptance.
TEST(Pcs, ColumnChecksCatchAlteredCombinedRows) {
  for (bool hiding : {false, true}) {
    SCOPED_TRACE(testing::Message() << "hiding=" << hiding);
    Fixture f;
    f.Add(RandomPoly(10), MakePcsParams(10, 6, 1, hiding, 100, /*max_openings=*/8));
    f.Claim(0, RandomPoint(10));
    auto cheat = [&](const std::function<void(size_t, PcsGroupProof&)>& alter,
                     const std::vector<PcsClaim>* claims = nullptr) {
      Transcript t(kProtocol);
      return PcsOpenCheatingForTest(f.Pointers(), claims ? *claims : f.claims, t, alter);
    };
    // Honest hook: accepted (the hook itself changes nothing).
    EXPECT_TRUE(f.Verify(cheat([](size_t, PcsGroupProof&) {})).ok());
    // One entry of the proximity row.
    ExpectRejected(
        f.Verify(cheat([](size_t, PcsGroupProof& g) { g.proximity_row[7] += Fp2::One(); })),
        "proximity row disagrees with opened column");
    // One entry of the evaluation row: in hiding mode a padding entry, which the claim check
    // does not see.
    if (hiding) {
      ExpectRejected(f.Verify(cheat([](size_t, PcsGroupProof& g) {
        g.evaluation_rows[0].back() += Fp2::One();
      })),
                     "evaluation row 0 disagrees with opened column");
    }
    // A change of the evaluation row that keeps ⟨eq(z_low), v⟩ — and thus the claim check —
    // intact: v += e_0·eq_1 - e_1·eq_0.
    std::vector<Fp2> eq_low = EqTable(std::span<const Fp2>(f.claims[0].point).first(6));
    ExpectRejected(f.Verify(cheat([&](size_t, PcsGroupProof& g) {
      g.evaluation_rows[0][0] += eq_low[1];
      g.evaluation_rows[0][1] -= eq_low[0];
    })),
                   "evaluation row 0 disagrees with opened column");
    if (!hiding) {
      // A false claim y+1 with the row forged to satisfy the claim check: the honest row has
      // ⟨eq_low, v⟩ = γ·y, so adding γ/eq_low[0] at entry 0 makes it γ·(y+1). The row is then
      // not the committed combination, and the columns expose it.
      std::vector<PcsClaim> wrong = f.claims;
      const Fp2 y = f.claims[0].value;
      wrong[0].value += Fp2::One();
      PcsOpeningProof forged = cheat(
          [&](size_t, PcsGroupProof& g) {
            Fp2 lhs = Fp2::Zero();
            for (size_t c = 0; c < eq_low.size(); ++c) lhs += eq_low[c] * g.evaluation_rows[0][c];
            const Fp2 gamma = lhs * y.Inverse();
            g.evaluation_rows[0][0] += gamma * eq_low[0].Inverse();
          },
          &wrong);
      ExpectRejected(f.Verify(forged, wrong), "evaluation row 0 disagrees with opened column");
      // Without the forgery the false claim fails the claim check.
      ExpectRejected(f.Verify(cheat([](size_t, PcsGroupProof&) {}, &wrong), wrong),
                     "does not match the claimed");
    }
  }
}

TEST(Pcs, RejectsOtherTranscriptsAndSwappedCommitments) {
  Fixture f;
  f.Add(RandomPoly(9), ChoosePcsParams(9, true));
  f.Add(RandomPoly(9), ChoosePcsParams(9, true));
  f.Claim(0, RandomPoint(9));
  f.Claim(1, RandomPoint(9));
  PcsOpeningProof proof = f.Open();
  ASSERT_TRUE(f.Verify(proof).ok());
  // The verifier's transcript is labelled differently, or has absorbed something else.
  ExpectRejected(f.Verify(proof, "pcs-test-other"));
  {
    Transcript t(kProtocol);
    t.AbsorbU64("statement", 1);
    ExpectRejected(PcsVerify(f.commitments, f.claims, proof, t));
  }
  // Commitment roots swapped, or one replaced by a commitment to other data.
  auto verify_with = [&](const std::vector<PcsCommitment>& commitments) {
    Transcript t(kProtocol);
    return PcsVerify(commitments, f.claims, proof, t);
  };
  std::vector<PcsCommitment> swapped = f.commitments;
  std::swap(swapped[0].root, swapped[1].root);
  ExpectRejected(verify_with(swapped));
  std::vector<PcsCommitment> other = f.commitments;
  other[1] = PcsCommit(RandomPoly(9), ChoosePcsParams(9, true)).commitment();
  ExpectRejected(verify_with(other));
}

TEST(Pcs, RejectsCommitmentsBelowTheSecurityFloor) {
  Fixture f = Single(8, false);
  // A prover who committed with too few queries cannot get the verifier to accept.
  PcsParams weak = f.commitments[0].params;
  weak.queries = 20;
  Fixture w;
  w.Add(f.evaluations[0], weak);
  w.claims = f.claims;
  PcsOpeningProof proof = w.Open();
  ExpectRejected(w.Verify(proof), "bits of soundness");
  // The same with a lower floor is fine (the proof itself is honest).
  Transcript t(kProtocol);
  EXPECT_TRUE(PcsVerify(w.commitments, w.claims, proof, t, 5).ok());
  // A commitment claiming an enormous query count is refused on the proof's shape, before
  // any work proportional to the count.
  std::vector<PcsCommitment> greedy = f.commitments;
  greedy[0].params.queries = static_cast<uint32_t>(greedy[0].params.codeword_len() - 1);
  Transcript t3(kProtocol);
  ExpectRejected(PcsVerify(greedy, f.claims, f.Open(), t3), "column values");
  // Invalid parameters in a commitment are bad input, not a crash.
  std::vector<PcsCommitment> invalid = f.commitments;
  invalid[0].params.log_codeword_len = 40;
  Transcript t2(kProtocol);
  Status s = PcsVerify(invalid, f.claims, f.Open(), t2);
  EXPECT_EQ(s.code(), StatusCode::kBadInput) << s.message();
}

TEST(Pcs, TruncatedAndGarbledProofsNeverCrash) {
  for (bool hiding : {false, true}) {
    Fixture f;
    f.Add(RandomPoly(6), ChoosePcsParams(6, hiding));
    f.Claim(0, RandomPoint(6));
    Bytes bytes = f.Open().Serialize();
    // Every truncation fails to parse.
    for (size_t cut = 0; cut < bytes.size(); cut += std::max<size_t>(1, bytes.size() / 300)) {
      EXPECT_FALSE(ParsePcsOpeningProof(ByteSpan(bytes.data(), cut)).ok()) << cut;
    }
    // Random byte flips: parse fails or verification rejects; never a crash or acceptance.
    std::mt19937_64 rng(hiding ? 11 : 12);
    for (int trial = 0; trial < 300; ++trial) {
      Bytes garbled = bytes;
      const int flips = 1 + static_cast<int>(rng() % 3);
      for (int k = 0; k < flips; ++k)
        garbled[rng() % garbled.size()] ^= static_cast<uint8_t>(1 + rng() % 255);
      auto parsed = ParsePcsOpeningProof(garbled);
      if (!parsed.ok()) continue;
      EXPECT_FALSE(f.Verify(*parsed).ok()) << "trial " << trial;
    }
    // Hostile lengths: a count of 2^62 elements is refused before allocating.
    Bytes hostile = bytes;
    hostile[8 + 7] = 0x40;  // the group count's top byte
    EXPECT_FALSE(ParsePcsOpeningProof(hostile).ok());
    // A non-canonical field element (≥ p) is refused at parse time.
    Bytes noncanonical = bytes;
    const size_t first_value = 4 + 4 + 8 + 1 + (hiding ? 32 + 8 + 16 : 0) + 8;
    for (size_t i = 0; i < 8; ++i) noncanonical[first_value + i] = 0xff;
    auto parsed = ParsePcsOpeningProof(noncanonical);
    ASSERT_FALSE(parsed.ok());
    EXPECT_NE(parsed.status().message().find("canonical"), std::string::npos)
        << parsed.status().message();
    Bytes trailing = bytes;
    trailing.push_back(1);
    EXPECT_FALSE(ParsePcsOpeningProof(trailing).ok());
  }
}

TEST(Pcs, HidingOpeningsOfTheSamePolynomialDiffer) {
  Fixture f;
  f.Add(RandomPoly(10), ChoosePcsParams(10, true, 100, 2));
  f.Claim(0, RandomPoint(10));
  PcsOpeningProof a = f.Open(), b = f.Open();
  ASSERT_TRUE(f.Verify(a).ok());
  ASSERT_TRUE(f.Verify(b).ok());
  EXPECT_NE(a.groups[0].mask_root, b.groups[0].mask_root);
  EXPECT_NE(a.groups[0].proximity_row, b.groups[0].proximity_row);
  EXPECT_NE(a.groups[0].evaluation_rows, b.groups[0].evaluation_rows);
  EXPECT_NE(a.groups[0].mask_evaluations, b.groups[0].mask_evaluations);
  EXPECT_EQ(f.data[0].openings_used(), 2u);

  // Without hiding the opening is a deterministic function of the statement.
  Fixture p = Single(10, false);
  EXPECT_EQ(p.Open().Serialize(), p.Open().Serialize());
}

TEST(Pcs, HidingRowsAreMaskedIndependentlyOfTheData) {
  // The revealed combined rows of a hiding opening of the zero polynomial are nonzero and
  // their padding part is random: the masks, not the data, decide what the verifier sees.
  Fixture f;
  f.Add(std::vector<Fp>(size_t{1} << 8), ChoosePcsParams(8, true));
  f.Claim(0, RandomPoint(8));
  PcsOpeningProof proof = f.Open();
  ASSERT_TRUE(f.Verify(proof).ok());
  const auto& u = proof.groups[0].proximity_row;
  size_t zeros = std::count(u.begin(), u.end(), Fp2::Zero());
  EXPECT_EQ(zeros, 0u);
  const auto& v = proof.groups[0].evaluation_rows[0];
  EXPECT_EQ(std::count(v.begin(), v.end(), Fp2::Zero()), 0);
  // Opened columns carry the row padding: not the zeros of the data encoding.
  const auto& cols = proof.groups[0].polys[0].columns;
  EXPECT_EQ(std::count(cols.begin(), cols.end(), Fp::Zero()), 0);
}

TEST(PcsDeathTest, HidingOpeningBudgetIsEnforced) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  Fixture f = Single(6, true);  // max_openings = 1
  PcsOpeningProof proof = f.Open();
  ASSERT_TRUE(f.Verify(proof).ok());
  EXPECT_DEATH(f.Open(), "max_openings");
}

TEST(PcsDeathTest, ProverRefusesFalseClaims) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  Fixture f = Single(6, false);
  f.claims[0].value += Fp2::One();
  EXPECT_DEATH(f.Open(), "false");
}

}  // namespace
}  // namespace zektra

namespace zektra {
namespace {

// The documented commitment, built here the plain way: each row (evaluations, then the
// seed's padding) coset-encoded whole, the column-major matrix stored, each column hashed
// whole as a leaf (after its salt, in hiding mode). The stream names of the deterministic
// generator (row r pads from stream r, salts from stream 2^62) are part of the format.
Digest ReferenceRoot(const std::vector<Fp>& f, const PcsParams& p, const Digest& seed) {
  const uint64_t R = p.rows(), C = p.cols(), L = p.codeword_len();
  std::vector<Fp> column_major(L * R);
  for (uint64_t r = 0; r < R; ++r) {
    std::vector<Fp> row(L, Fp::Zero());
    std::copy_n(f.begin() + r * C, C, row.begin());
    if (p.padding > 0) DeterministicFps(seed, r, std::span<Fp>(row).subspan(C, p.padding));
    CosetNtt(row, Fp::From(Fp::kGenerator));
    for (uint64_t j = 0; j < L; ++j) column_major[j * R + r] = row[j];
  }
  if (!p.hiding) return MerkleTree::FromFpLeaves(column_major, R).root();
  std::vector<Digest> salts(L);
  DeterministicBytes(seed, uint64_t{1} << 62, salts.data(), L * sizeof(Digest));
  return MerkleTree::Build(L, [&](MerkleHasher& h, size_t j) {
           return h.Leaf(ByteSpan(salts[j].data(), salts[j].size()),
                         FpBytes(std::span<const Fp>(column_major).subspan(j * R, R)));
         }).root();
}

// Commit streams row blocks into per-column hashes; with or without the codeword matrix
// kept, the root is the reference one (shapes with one row, fewer rows than a block, many
// blocks, narrow and wide codewords), and a prover that re-encodes at opening time sends
// byte-identical openings (non-hiding: no fresh randomness) that verify.
TEST(PcsSeeded, StreamedCommitMatchesReferenceKeptBorrowedOrNeither) {
  const uint64_t saved = PcsCodewordCacheBytes();
  Digest seed{};
  RandomBytes(seed.data(), seed.size());
  const std::pair<int, int> shapes[] = {{0, 0}, {3, 3}, {6, 2}, {10, 5}, {12, 3}, {11, 9}};
  for (bool hiding : {false, true}) {
    for (auto [log_size, log_cols] : shapes) {
      SCOPED_TRACE(testing::Message() << "log_size=" << log_size << " log_cols=" << log_cols
                                      << " hiding=" << hiding);
      std::vector<Fp> evals = RandomFpVector(size_t{1} << log_size);
      PcsParams params = MakePcsParams(log_size, log_cols, 1, hiding, 100, 2);
      const Digest reference = ReferenceRoot(evals, params, seed);
      SetPcsCodewordCacheBytes(kPcsDefaultCodewordCacheBytes);
      PcsProverData kept = PcsCommit(evals, params, seed);
      SetPcsCodewordCacheBytes(0);
      PcsProverData streamed = PcsCommit(evals, params, seed);
      // Borrowed evaluations and no kept codewords: the leanest prover.
      PcsProverData borrowing = PcsCommitBorrowing(evals, params, &seed);
      SetPcsCodewordCacheBytes(saved);
      EXPECT_TRUE(kept.keeps_codewords());
      EXPECT_FALSE(streamed.keeps_codewords());
      EXPECT_FALSE(kept.borrows_evaluations());
      EXPECT_TRUE(borrowing.borrows_evaluations());
      EXPECT_EQ(borrowing.evaluations().data(), evals.data());
      EXPECT_EQ(kept.commitment().root, reference);
      EXPECT_EQ(streamed.commitment(), kept.commitment());
      EXPECT_EQ(borrowing.commitment(), kept.commitment());
      // Message rows are the evaluations then the seed's padding, however they are held.
      const uint64_t last = params.rows() - 1;
      EXPECT_EQ(borrowing.message_row(last), kept.message_row(last));
      EXPECT_TRUE(std::equal(evals.end() - params.cols(), evals.end(), kept.message_row(last).begin()));

      std::vector<Fp2> point(log_size);
      for (auto& x : point) x = RandomFp2();
      std::vector<PcsClaim> claims = {{0, point, EvaluateMultilinear(evals, point)}};
      PcsCommitment commitments[] = {kept.commitment()};
      Bytes proofs[3];
      int k = 0;
      for (const PcsProverData* d : {&kept, &streamed, &borrowing}) {
        const PcsProverData* polys[] = {d};
        Transcript tp("streamed"), tv("streamed");
        PcsOpeningProof proof = PcsOpen(polys, claims, tp);
        Status s = PcsVerify(commitments, claims, proof, tv);
        EXPECT_TRUE(s.ok()) << s.message();
        proofs[k++] = proof.Serialize();
      }
      if (!hiding) {
        EXPECT_EQ(proofs[0], proofs[1]);
        EXPECT_EQ(proofs[0], proofs[2]);
      }
    }
  }
}

TEST(PcsSeeded, SameSeedSameRootAndOpensAcrossRebuilds) {
  const int log_size = 10;
  std::vector<Fp> evals = RandomFpVector(size_t{1} << log_size);
  PcsParams params = ChoosePcsParams(log_size, /*hiding=*/true, 100, /*max_openings=*/2);
  Digest seed{}, other{};
  RandomBytes(seed.data(), seed.size());
  RandomBytes(other.data(), other.size());
  PcsProverData a = PcsCommit(evals, params, seed);
  PcsProverData b = PcsCommit(evals, params, seed);
  PcsProverData c = PcsCommit(evals, params, other);
  EXPECT_EQ(a.commitment(), b.commitment());
  EXPECT_NE(a.commitment().root, c.commitment().root);
  // A rebuilt commitment opens and verifies against the original root.
  std::vector<Fp2> point(log_size);
  for (auto& x : point) x = RandomFp2();
  std::vector<PcsClaim> claims = {{0, point, EvaluateMultilinear(evals, point)}};
  const PcsProverData* polys[] = {&b};
  Transcript tp("seeded"), tv("seeded");
  PcsOpeningProof proof = PcsOpen(polys, claims, tp);
  PcsCommitment commitments[] = {a.commitment()};
  EXPECT_TRUE(PcsVerify(commitments, claims, proof, tv).ok());
}

// A polynomial whose evaluations end in zeros, committed over its first rows only
// (PcsParamsWithZeroTail): the root is the reference root of those rows, kept or streamed, the
// row count need not be a multiple of the commit's row block, and openings at random points
// (which see the zero rows through eq(z_high)) verify; a false value is rejected.
TEST(PcsZeroTail, CommitsTheLiveRowsOnlyAndOpensLikeTheWholePolynomial) {
  const uint64_t saved = PcsCodewordCacheBytes();
  Digest seed{};
  RandomBytes(seed.data(), seed.size());
  struct Shape {
    int log_size, log_cols;
    uint64_t live;
  };
  const Shape shapes[] = {{6, 2, 1}, {10, 5, 21 * 32 + 7}, {12, 3, (45 << 3) - 1}, {12, 6, 4095}};
  for (bool hiding : {false, true}) {
    for (const Shape& sh : shapes) {
      SCOPED_TRACE(testing::Message() << "log_size=" << sh.log_size << " live=" << sh.live
                                      << " hiding=" << hiding);
      std::vector<Fp> evals = RandomFpVector(size_t{1} << sh.log_size);
      std::fill(evals.begin() + static_cast<std::ptrdiff_t>(sh.live), evals.end(), Fp::Zero());
      const PcsParams params =
          PcsParamsWithZeroTail(MakePcsParams(sh.log_size, sh.log_cols, 1, hiding, 100, 2), sh.live);
      EXPECT_EQ(params.rows(), (sh.live + params.cols() - 1) / params.cols());
      EXPECT_TRUE(ValidatePcsParams(params).ok());
      SetPcsCodewordCacheBytes(kPcsDefaultCodewordCacheBytes);
      PcsProverData kept = PcsCommit(evals, params, seed);
      SetPcsCodewordCacheBytes(0);
      PcsProverData streamed = PcsCommitBorrowing(evals, params, &seed);
      SetPcsCodewordCacheBytes(saved);
      EXPECT_EQ(kept.commitment().root, ReferenceRoot(evals, params, seed));
      EXPECT_EQ(streamed.commitment(), kept.commitment());
      for (const PcsProverData* d : {&kept, &streamed}) {
        std::vector<Fp2> a(sh.log_size), b(sh.log_size);
        for (auto& x : a) x = RandomFp2();
        for (auto& x : b) x = RandomFp2();
        std::vector<PcsClaim> claims = {{0, a, EvaluateMultilinear(evals, a)},
                                        {0, b, EvaluateMultilinear(evals, b)}};
        const PcsProverData* polys[] = {d};
        PcsCommitment commitments[] = {d->commitment()};
        Transcript tp("zero-tail"), tv("zero-tail");
        PcsOpeningProof proof = PcsOpen(polys, claims, tp);
        Status ok = PcsVerify(commitments, claims, proof, tv);
        EXPECT_TRUE(ok.ok()) << ok.message();
        claims[1].value += Fp2::One();
        Transcript tw("zero-tail");
        ExpectRejected(PcsVerify(commitments, claims, proof, tw));
      }
    }
  }
}

// A full commitment keeps its version-1 bytes (dataset commitments' identities do not move);
// a zero-tail one is version 2 with its row count, parsed back exactly; a version 2 that names
// every row, no row or more rows than there are is refused.
TEST(PcsZeroTail, SerializationIsCanonical) {
  const PcsParams full = MakePcsParams(10, 5, 1, true, 100, 1);
  PcsCommitment c{Digest{}, full};
  Bytes v1 = c.Serialize();
  EXPECT_EQ(v1[4], 1);
  ASSERT_TRUE(PcsCommitment::Parse(v1).ok());
  c.params = PcsParamsWithZeroTail(full, 5 * 32 + 1);
  ASSERT_EQ(c.params.rows(), 6u);
  Bytes v2 = c.Serialize();
  EXPECT_EQ(v2[4], 2);
  EXPECT_EQ(v2.size(), v1.size() + 8);
  auto parsed = PcsCommitment::Parse(v2);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(*parsed, c);
  auto with_rows = [&](uint64_t rows) {
    Bytes b = v2;
    for (int i = 0; i < 8; ++i) b[b.size() - 8 + i] = static_cast<uint8_t>(rows >> (8 * i));
    return b;
  };
  ASSERT_TRUE(PcsCommitment::Parse(with_rows(6)).ok());  // the encoding is little-endian
  EXPECT_FALSE(PcsCommitment::Parse(with_rows(32)).ok());
  EXPECT_FALSE(PcsCommitment::Parse(with_rows(0)).ok());
  EXPECT_FALSE(PcsCommitment::Parse(with_rows(33)).ok());
  EXPECT_FALSE(PcsCommitment::Parse(with_rows(~uint64_t{0})).ok());
  Bytes version3 = v2;
  version3[4] = 3;
  EXPECT_FALSE(PcsCommitment::Parse(version3).ok());
}

// A verifier handed the commitment with another row count than the prover used rejects (the
// transcript and the opened columns' length both differ), and never crashes.
TEST(PcsZeroTail, AnEditedRowCountIsRejected) {
  const int log_size = 10;
  std::vector<Fp> evals = RandomFpVector(size_t{1} << log_size);
  std::fill(evals.begin() + 300, evals.end(), Fp::Zero());
  const PcsParams params = PcsParamsWithZeroTail(MakePcsParams(log_size, 4, 1, true, 100, 1), 300);
  PcsProverData data = PcsCommit(evals, params);
  std::vector<Fp2> point(log_size);
  for (auto& x : point) x = RandomFp2();
  std::vector<PcsClaim> claims = {{0, point, EvaluateMultilinear(evals, point)}};
  const PcsProverData* polys[] = {&data};
  Transcript tp("edit");
  PcsOpeningProof proof = PcsOpen(polys, claims, tp);
  for (uint64_t rows : {params.rows() - 1, params.rows() + 1, params.full_rows()}) {
    PcsCommitment edited = data.commitment();
    edited.params.committed_rows = rows;
    PcsCommitment commitments[] = {edited};
    Transcript tv("edit");
    ExpectRejected(PcsVerify(commitments, claims, proof, tv));
  }
}

TEST(PcsZeroTailDeathTest, CommitRefusesANonzeroTail) {
  std::vector<Fp> evals = RandomFpVector(size_t{1} << 8);
  const PcsParams params = PcsParamsWithZeroTail(MakePcsParams(8, 4, 1, false, 100, 1), 100);
  EXPECT_DEATH(PcsCommit(evals, params), "beyond committed_rows");
}

}  // namespace
}  // namespace zektra

#include "tests/fuzz_targets.h"

namespace zektra {
namespace {

TEST(PcsFuzz, ParserSurvivesRandomMutationsOfARealProof) {
  const int log_size = 8;
  std::vector<Fp> evals = RandomFpVector(size_t{1} << log_size);
  PcsParams params = ChoosePcsParams(log_size, /*hiding=*/true);
  PcsProverData data = PcsCommit(evals, params);
  std::vector<Fp2> point(log_size, Fp2::From(3));
  std::vector<PcsClaim> claims = {{0, point, EvaluateMultilinear(evals, point)}};
  const PcsProverData* polys[] = {&data};
  Transcript t("fuzz");
  Bytes seed = PcsOpen(polys, claims, t).Serialize();
  fuzz::PcsOpeningProofTarget(seed.data(), seed.size());
  for (int i = 0; i < 3000; ++i) {
    Bytes b = seed;
    uint64_t x = RandomU64();
    if (x % 3 == 0) {
      b.resize(x % b.size());
    } else {
      b[(x >> 8) % b.size()] ^= static_cast<uint8_t>(1 + (x >> 40) % 255);
    }
    fuzz::PcsOpeningProofTarget(b.data(), b.size());
  }
}

}  // namespace
}  // namespace zektra
