#include "zektra/zk/sumcheck_zk.h"

#include <gtest/gtest.h>

#include "zektra/crypto/sha256.h"
#include "zektra/zk/multilinear.h"
#include "zektra/zk/sumcheck_zk_pcs.h"

namespace zektra {
namespace {

// A binding commitment for tests: a SHA-256 Merkle tree over salted leaves H(salt || value).
// An opening reveals the committed vectors with their salts, and the verifier recomputes
// the roots and evaluates the claims itself. Binding (collision resistance), but neither
// hiding nor succinct: it exercises the masked sumcheck's soundness logic end to end; zero
// knowledge needs the hiding PCS (zk/pcs.h).
class MerkleTestCommitment {
 public:
  using Commitment = Digest;
  struct ProverData {
    std::vector<Fp> values;
    std::vector<Digest> salts;
    Digest root;
  };
  struct OpeningProof {
    std::vector<std::vector<Fp>> values;
    std::vector<std::vector<Digest>> salts;
  };

  static Digest Root(std::span<const Fp> values, std::span<const Digest> salts) {
    std::vector<Digest> level(values.size());
    Sha256 h;
    for (size_t i = 0; i < values.size(); ++i) {
      uint64_t v = values[i].v;
      h.Update(salts[i].data(), salts[i].size()).Update(&v, sizeof v);
      level[i] = h.Final();
    }
    while (level.size() > 1) {
      std::vector<Digest> up(level.size() / 2);
      for (size_t i = 0; i < up.size(); ++i) up[i] = Sha256::HashPair(level[2 * i], level[2 * i + 1]);
      level.swap(up);
    }
    return level[0];
  }

  ProverData Commit(std::span<const Fp> evaluations) const {
    ProverData data{{evaluations.begin(), evaluations.end()}, std::vector<Digest>(evaluations.size()), {}};
    for (auto& s : data.salts) RandomBytes(s.data(), s.size());
    data.root = Root(data.values, data.salts);
    return data;
  }
  Digest CommitmentOf(const ProverData& data) const { return data.root; }
  void AbsorbCommitment(const Digest& c, Transcript& t) const { t.AbsorbDigest("test_pcs.commitment", c); }

  OpeningProof Open(std::span<const ProverData* const> polys, std::span<const CommittedEvaluationClaim> claims,
                    Transcript& t) const {
    OpeningProof proof;
    for (const ProverData* p : polys) {
      proof.values.push_back(p->values);
      proof.salts.push_back(p->salts);
    }
    for (const auto& c : claims) t.AbsorbFp2("test_pcs.claim", c.value);
    return proof;
  }

  Status Verify(std::span<const Digest> commitments, std::span<const CommittedEvaluationClaim> claims,
                const OpeningProof& proof, Transcript& t) const {
    if (proof.values.size() != commitments.size() || proof.salts.size() != commitments.size()) {
      return Status::BadInput("test commitment: wrong number of opened polynomials");
    }
    for (size_t i = 0; i < commitments.size(); ++i) {
      const size_t n = proof.values[i].size();
      if (n == 0 || (n & (n - 1)) != 0 || proof.salts[i].size() != n) {
        return Status::BadInput("test commitment: malformed opening");
      }
      if (Root(proof.values[i], proof.salts[i]) != commitments[i]) {
        return Status::Rejected("test commitment: opened values do not match the commitment");
      }
    }
    for (const auto& c : claims) {
      if (c.poly_index >= commitments.size()) return Status::BadInput("test commitment: bad poly index");
      const auto& values = proof.values[c.poly_index];
      if ((size_t{1} << c.point.size()) != values.size()) return Status::BadInput("test commitment: point size");
      if (EvaluateMultilinear(values, c.point) != c.value) {
        return Status::Rejected("test commitment: claimed evaluation is wrong");
      }
      t.AbsorbFp2("test_pcs.claim", c.value);
    }
    return Status::Ok();
  }

  void WriteCommitment(const Digest& c, ByteWriter& w) const { w.Raw(ByteSpan(c.data(), c.size())); }
  Result<Digest> ReadCommitment(ByteReader& r) const {
    ByteSpan s = r.Raw(32, "test commitment");
    if (!r.ok()) return r.status();
    Digest d;
    std::copy(s.begin(), s.end(), d.begin());
    return d;
  }
  void WriteProof(const OpeningProof& p, ByteWriter& w) const {
    w.U64(p.values.size());
    for (size_t i = 0; i < p.values.size(); ++i) {
      w.U64(p.values[i].size());
      for (size_t j = 0; j < p.values[i].size(); ++j) {
        WriteFp(w, p.values[i][j]);
        w.Raw(ByteSpan(p.salts[i][j].data(), 32));
      }
    }
  }
  Result<OpeningProof> ReadProof(ByteReader& r) const {
    OpeningProof p;
    uint64_t polys = r.Count("test opening polys", 8, 16);
    for (uint64_t i = 0; i < polys && r.ok(); ++i) {
      uint64_t n = r.Count("test opening values", 40, 1 << 20);
      p.values.emplace_back();
      p.salts.emplace_back();
      for (uint64_t j = 0; j < n && r.ok(); ++j) {
        p.values.back().push_back(ReadFp(r, "test opening value"));
        ByteSpan s = r.Raw(32, "test opening salt");
        Digest d{};
        if (r.ok()) std::copy(s.begin(), s.end(), d.begin());
        p.salts.back().push_back(d);
      }
    }
    if (!r.ok()) return r.status();
    return p;
  }
};
static_assert(PolynomialCommitmentScheme<MerkleTestCommitment>);

std::vector<Fp2> RandomPoint(size_t n) {
  std::vector<Fp2> r(n);
  for (auto& x : r) x = RandomFp2();
  return r;
}

TEST(SumcheckMask, TableOpensToEachUnivariateAndSumIsTheHypercubeSum) {
  for (size_t degree : {1, 2, 3, 4}) {
    for (size_t n : {1, 3, 5}) {
      auto mask = SumcheckMask::Random(n, degree);
      ASSERT_EQ(mask.table().size(), size_t{1} << MaskTableLog(n, degree));
      for (size_t k = 0; k < n; ++k) {
        Fp2 r = RandomFp2();
        EXPECT_EQ(EvaluateMultilinear(mask.table(), MaskOpeningPoint(n, degree, k, r)), mask.Evaluate(k, r));
      }
      Fp2 brute = Fp2::Zero();
      for (size_t b = 0; b < (size_t{1} << n); ++b) {
        for (size_t k = 0; k < n; ++k) brute += mask.Evaluate(k, Fp2::From((b >> k) & 1));
      }
      EXPECT_EQ(mask.Sum(), brute);
      // Round 0's message sums to G over {0, 1}.
      auto m0 = mask.RoundMessage(0, Fp2::Zero());
      Fp2 at1 = Fp2::From(uint64_t{1} << (n - 1)) * mask.Evaluate(0, Fp2::One()) +
                (mask.Sum() - Fp2::From(uint64_t{1} << (n - 1)) * (mask.Evaluate(0, Fp2::Zero()) + mask.Evaluate(0, Fp2::One()))) *
                    Fp2::From(2).Inverse();
      EXPECT_EQ(m0[0] + at1, mask.Sum());
    }
  }
}

struct Instance {
  std::vector<Fp2> tau, eq;
  std::vector<Fp> a, b, c;
  SumOfProducts shape;
  Fp2 sum;
  std::vector<MultilinearRef> refs() const { return {eq, a, b, c}; }
};

// Σ_b eq(τ,b)·(a·b − c), the zero-check form, with a witness that does not satisfy it.
Instance MakeInstance(size_t n) {
  Instance inst;
  inst.tau = RandomPoint(n);
  inst.eq = EqTable(inst.tau);
  inst.a = RandomFpVector(size_t{1} << n);
  inst.b = RandomFpVector(size_t{1} << n);
  inst.c = RandomFpVector(size_t{1} << n);
  inst.shape.num_variables = n;
  inst.shape.num_multilinears = 4;
  inst.shape.terms = {{Fp2::One(), {0, 1, 2}}, {-Fp2::One(), {0, 3}}};
  inst.sum = SumOverHypercube(inst.shape, inst.refs());
  return inst;
}

using Proof = MaskedSumcheckProof<MerkleTestCommitment>;

TEST(MaskedSumcheck, CompleteForSeveralShapes) {
  MerkleTestCommitment pcs;
  for (size_t n : {1, 2, 7}) {
    auto inst = MakeInstance(n);
    Transcript pt("zk"), vt("zk");
    SumcheckClaim prover_claim;
    auto proof = ProveMaskedSumcheck(pcs, inst.shape, inst.refs(), inst.sum, pt, &prover_claim);
    auto claim = VerifyMaskedSumcheck(pcs, inst.shape, inst.sum, proof, vt);
    ASSERT_TRUE(claim.ok()) << claim.status().message();
    EXPECT_EQ(claim->point, prover_claim.point);
    EXPECT_EQ(claim->values[1], EvaluateMultilinear(inst.a, claim->point));
    EXPECT_EQ(claim->values[3], EvaluateMultilinear(inst.c, claim->point));
    EXPECT_EQ(claim->values[0], EqEval(inst.tau, claim->point));
  }
  // Degree 4 (product of four base columns).
  std::vector<std::vector<Fp>> cols(4);
  std::vector<MultilinearRef> refs;
  for (auto& col : cols) col = RandomFpVector(32);
  for (auto& col : cols) refs.emplace_back(col);
  auto shape = SumOfProducts::Product(5, 4);
  Fp2 sum = SumOverHypercube(shape, refs);
  Transcript pt("zk"), vt("zk");
  auto proof = ProveMaskedSumcheck(pcs, shape, refs, sum, pt);
  EXPECT_TRUE(VerifyMaskedSumcheck(pcs, shape, sum, proof, vt).ok());
}

class MaskedSumcheckTamper : public ::testing::Test {
 protected:
  void SetUp() override {
    inst_ = MakeInstance(5);
    Transcript pt("zk");
    proof_ = ProveMaskedSumcheck(pcs_, inst_.shape, inst_.refs(), inst_.sum, pt);
  }
  Status Verify(const Proof& proof, Fp2 sum, std::string_view domain = "zk") {
    Transcript vt(domain);
    return VerifyMaskedSumcheck(pcs_, inst_.shape, sum, proof, vt).status();
  }
  MerkleTestCommitment pcs_;
  Instance inst_;
  Proof proof_;
};

TEST_F(MaskedSumcheckTamper, HonestVerifiesAndMessagesAreMasked) {
  EXPECT_TRUE(Verify(proof_, inst_.sum).ok());
  // The same transcript prefix with the plain prover gives different round-0 values: the
  // mask is really applied (a zero mask would make them equal only if ρ·g vanished).
  SumcheckProver plain(inst_.shape, inst_.refs());
  EXPECT_NE(plain.RoundMessage(), proof_.round_messages[0]);
}

TEST_F(MaskedSumcheckTamper, RejectsWrongClaimAndAlteredMessages) {
  EXPECT_EQ(Verify(proof_, inst_.sum + Fp2::One()).code(), StatusCode::kRejected);
  for (size_t round = 0; round < 5; ++round) {
    auto bad = proof_;
    bad.round_messages[round][1] += Fp2::One();
    EXPECT_FALSE(Verify(bad, inst_.sum).ok()) << round;
  }
  auto bad = proof_;
  bad.mask_sum += Fp2::One();
  EXPECT_FALSE(Verify(bad, inst_.sum).ok());
  bad = proof_;
  bad.final_values[2] += Fp2::One();
  EXPECT_EQ(Verify(bad, inst_.sum).code(), StatusCode::kRejected);
  EXPECT_FALSE(Verify(proof_, inst_.sum, "zK").ok());
}

TEST_F(MaskedSumcheckTamper, MaskValuesAreBoundByTheCommitment) {
  // Shifting two mask values by ±δ keeps Σ_k g_k(r_k) and so passes the final check; the
  // opening of the committed mask must catch it.
  auto bad = proof_;
  bad.mask_values[0] += Fp2::One();
  bad.mask_values[3] -= Fp2::One();
  Status s = Verify(bad, inst_.sum);
  EXPECT_EQ(s.code(), StatusCode::kRejected);
  EXPECT_NE(s.message().find("mask opening"), std::string::npos) << s.message();
  // A different committed mask (the opening then does not match the commitment).
  bad = proof_;
  bad.mask_commitment[5] ^= 1;
  EXPECT_FALSE(Verify(bad, inst_.sum).ok());
  bad = proof_;
  bad.mask_opening.values[0][3] += Fp::One();
  EXPECT_FALSE(Verify(bad, inst_.sum).ok());
  bad = proof_;
  bad.mask_values.pop_back();
  EXPECT_EQ(Verify(bad, inst_.sum).code(), StatusCode::kBadInput);
}

TEST_F(MaskedSumcheckTamper, SerializationRoundTripsAndFailsCleanly) {
  ByteWriter w;
  proof_.Write(pcs_, w);
  Bytes bytes = w.Take();
  {
    ByteReader r(bytes);
    auto back = Proof::Read(pcs_, r);
    ASSERT_TRUE(back.ok()) << back.status().message();
    ASSERT_TRUE(r.Finish("masked sumcheck").ok());
    EXPECT_TRUE(Verify(*back, inst_.sum).ok());
  }
  for (size_t cut = 0; cut < bytes.size(); cut += 97) {
    ByteReader r(ByteSpan(bytes.data(), cut));
    auto back = Proof::Read(pcs_, r);
    EXPECT_TRUE(!back.ok() || !r.Finish("masked sumcheck").ok());
  }
  for (size_t at = 0; at < 32 + 16 + 8 + 5 * (8 + 3 * 16) + 8 + 4 * 16; at += 5) {
    Bytes bad = bytes;
    bad[at] ^= 0x08;
    ByteReader r(bad);
    auto back = Proof::Read(pcs_, r);
    if (back.ok() && r.Finish("p").ok()) {
      EXPECT_FALSE(Verify(*back, inst_.sum).ok()) << at;
    }
  }
}

}  // namespace
}  // namespace zektra

// ---- on the real (hiding) Ligero PCS ----

namespace zektra {
namespace {

using LigeroProof = MaskedSumcheckProof<LigeroCommitmentScheme>;

TEST(MaskedSumcheckLigero, CompleteAndRejectsTampering) {
  LigeroCommitmentScheme pcs;
  auto inst = MakeInstance(6);
  Transcript pt("zk");
  auto proof = ProveMaskedSumcheck(pcs, inst.shape, inst.refs(), inst.sum, pt);
  auto verify = [&](const LigeroProof& p, Fp2 sum) {
    Transcript vt("zk");
    return VerifyMaskedSumcheck(pcs, inst.shape, sum, p, vt);
  };
  auto claim = verify(proof, inst.sum);
  ASSERT_TRUE(claim.ok()) << claim.status().message();
  EXPECT_EQ(claim->values[2], EvaluateMultilinear(inst.b, claim->point));
  EXPECT_EQ(claim->values[0], EqEval(inst.tau, claim->point));
  EXPECT_FALSE(verify(proof, inst.sum + Fp2::One()).ok());

  auto bad = proof;
  bad.mask_values[1] += Fp2::One();
  bad.mask_values[4] -= Fp2::One();  // Σ unchanged: only the PCS opening can catch it
  Status s = verify(bad, inst.sum).status();
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("mask opening"), std::string::npos) << s.message();
  bad = proof;
  bad.round_messages[3][0] += Fp2::One();
  EXPECT_FALSE(verify(bad, inst.sum).ok());
  bad = proof;
  bad.mask_commitment.root[0] ^= 1;
  EXPECT_FALSE(verify(bad, inst.sum).ok());

  ByteWriter w;
  proof.Write(pcs, w);
  ByteReader r(w.bytes());
  auto back = LigeroProof::Read(pcs, r);
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_TRUE(r.Finish("masked sumcheck").ok());
  EXPECT_TRUE(verify(*back, inst.sum).ok());
  Bytes cut(w.bytes().begin(), w.bytes().end() - 3);
  ByteReader rc(cut);
  auto truncated = LigeroProof::Read(pcs, rc);
  EXPECT_TRUE(!truncated.ok() || !rc.Finish("masked sumcheck").ok());
}

TEST(MaskedSumcheckLigero, RejectsMaskCommittedWithWrongDimension) {
  // A mask table with one variable too many: its opening points do not fit the commitment.
  LigeroCommitmentScheme pcs;
  auto inst = MakeInstance(3);
  Transcript pt("zk");
  auto proof = ProveMaskedSumcheck(pcs, inst.shape, inst.refs(), inst.sum, pt);
  std::vector<Fp> wide(size_t{2} << MaskTableLog(3, 3), Fp::One());
  auto other = pcs.Commit(wide);
  proof.mask_commitment = other.commitment();
  Transcript vt("zk");
  EXPECT_FALSE(VerifyMaskedSumcheck(pcs, inst.shape, inst.sum, proof, vt).ok());
}

}  // namespace
}  // namespace zektra
