#include "zektra/field/goldilocks.h"

#include <gtest/gtest.h>

#include "zektra/crypto/random.h"
#include "zektra/field/extension.h"

namespace zektra {
namespace {

// Reference arithmetic through 128-bit division, independent of the fast reduction.
uint64_t RefMul(uint64_t a, uint64_t b) {
  return static_cast<uint64_t>((static_cast<unsigned __int128>(a) * b) % Fp::kModulus);
}

TEST(Goldilocks, MatchesReferenceOnRandomAndEdgeInputs) {
  std::vector<uint64_t> edge = {0, 1, 2, Fp::kModulus - 1, Fp::kModulus - 2, Fp::kEpsilon, 1ULL << 32,
                                (1ULL << 63), Fp::kModulus / 2};
  for (int i = 0; i < 2000; ++i) edge.push_back(RandomFp().v);
  for (size_t i = 0; i < edge.size(); ++i) {
    uint64_t a = edge[i], b = edge[(i * 7 + 3) % edge.size()];
    Fp fa = Fp::From(a), fb = Fp::From(b);
    EXPECT_EQ((fa * fb).v, RefMul(a, b));
    EXPECT_EQ((fa + fb).v, static_cast<uint64_t>((static_cast<unsigned __int128>(a) + b) % Fp::kModulus));
    EXPECT_EQ((fa - fb).v, static_cast<uint64_t>((static_cast<unsigned __int128>(a) + Fp::kModulus - b) % Fp::kModulus));
  }
}

TEST(Goldilocks, Reduce128OfExtremes) {
  unsigned __int128 max = ~static_cast<unsigned __int128>(0);
  EXPECT_EQ(Fp::Reduce128(max).v, static_cast<uint64_t>(max % Fp::kModulus));
  EXPECT_EQ(Fp::From(UINT64_MAX).v, UINT64_MAX - Fp::kModulus);
}

TEST(Goldilocks, FieldLaws) {
  for (int i = 0; i < 500; ++i) {
    Fp a = RandomFp(), b = RandomFp(), c = RandomFp();
    EXPECT_EQ(a + b, b + a);
    EXPECT_EQ(a * b, b * a);
    EXPECT_EQ((a + b) + c, a + (b + c));
    EXPECT_EQ((a * b) * c, a * (b * c));
    EXPECT_EQ(a * (b + c), a * b + a * c);
    EXPECT_EQ(a - a, Fp::Zero());
    EXPECT_EQ(a + (-a), Fp::Zero());
    if (a != Fp::Zero()) {
      EXPECT_EQ(a * a.Inverse(), Fp::One());
    }
  }
  EXPECT_EQ(Fp::Zero().Inverse(), Fp::Zero());
}

TEST(Goldilocks, SignedEmbeddingRoundTrips) {
  for (int64_t x : {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{123456789}, int64_t{-987654321},
                    INT64_C(1) << 62, -(INT64_C(1) << 62)}) {
    EXPECT_EQ(Fp::FromSigned(x).ToSigned(), x) << x;
  }
  EXPECT_EQ(Fp::FromSigned(-5) + Fp::From(5), Fp::Zero());
  EXPECT_EQ(Fp::FromSigned(INT64_MIN).v, Fp::kModulus - (1ULL << 63));
}

TEST(Goldilocks, KnownRootOfUnity) {
  // The primitive 2^32-nd root 7^((p-1)/2^32), a published constant for this field.
  Fp w = Fp::RootOfUnity(32);
  EXPECT_EQ(w.v, 1753635133440165772ULL);
  EXPECT_EQ(w.Pow(1ULL << 32), Fp::One());
  EXPECT_NE(w.Pow(1ULL << 31), Fp::One());
  EXPECT_EQ(w.Pow(1ULL << 31), -Fp::One());
  EXPECT_EQ(Fp::RootOfUnity(1).v, Fp::kModulus - 1);
}

TEST(Goldilocks, GeneratorHasFullOrder) {
  // p - 1 = 2^32 · 3 · 5 · 17 · 257 · 65537: g is a generator iff g^((p-1)/q) ≠ 1 for each prime q.
  Fp g = Fp::From(Fp::kGenerator);
  for (uint64_t q : {2ULL, 3ULL, 5ULL, 17ULL, 257ULL, 65537ULL}) {
    EXPECT_NE(g.Pow((Fp::kModulus - 1) / q), Fp::One()) << q;
  }
}

TEST(Goldilocks, BatchInverseMatchesSingle) {
  std::vector<Fp> v = RandomFpVector(257);
  v[3] = Fp::Zero();
  std::vector<Fp> inv = v;
  BatchInverse(inv);
  for (size_t i = 0; i < v.size(); ++i) EXPECT_EQ(inv[i], v[i].Inverse());
}

TEST(Goldilocks, InnerProductMatchesNaive) {
  for (size_t n : {0, 1, 2, 7, 100}) {
    auto a = RandomFpVector(n), b = RandomFpVector(n);
    Fp naive = Fp::Zero();
    for (size_t i = 0; i < n; ++i) naive += a[i] * b[i];
    EXPECT_EQ(InnerProduct(a, b), naive);
  }
}

TEST(Extension, NonResidueIsNotASquare) {
  // Euler's criterion: 7^((p-1)/2) = -1 means 7 has no square root, so X^2 - 7 is irreducible.
  EXPECT_EQ(Fp::From(Fp2::kNonResidue).Pow((Fp::kModulus - 1) / 2), -Fp::One());
}

TEST(Extension, FieldLaws) {
  for (int i = 0; i < 300; ++i) {
    Fp2 a = RandomFp2(), b = RandomFp2(), c = RandomFp2();
    EXPECT_EQ(a * b, b * a);
    EXPECT_EQ((a * b) * c, a * (b * c));
    EXPECT_EQ(a * (b + c), a * b + a * c);
    if (a != Fp2::Zero()) {
      EXPECT_EQ(a * a.Inverse(), Fp2::One());
    }
    // Frobenius is the p-th power and a field automorphism.
    EXPECT_EQ(a.Conjugate() * b.Conjugate(), (a * b).Conjugate());
    EXPECT_EQ(a.Norm(), (a * a.Conjugate()).c0);
    Fp s = RandomFp();
    EXPECT_EQ(a * s, a * Fp2(s));
  }
  Fp2 x(Fp::Zero(), Fp::One());
  EXPECT_EQ(x * x, Fp2::From(7));
  EXPECT_EQ(x.Pow(Fp::kModulus), -x);  // X^p = -X
}

TEST(Extension, BatchInverse) {
  std::vector<Fp2> v(50);
  for (auto& x : v) x = RandomFp2();
  v[10] = Fp2::Zero();
  auto inv = v;
  BatchInverse(std::span<Fp2>(inv));
  for (size_t i = 0; i < v.size(); ++i) EXPECT_EQ(inv[i], v[i].Inverse());
}

}  // namespace
}  // namespace zektra
