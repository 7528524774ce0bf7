#include "zektra/he/ntt.h"

#include <gtest/gtest.h>

#include <random>

#include "zektra/he/modarith.h"

namespace zektra::he {
namespace {

// Values computed by an independent Python script: a_j = (7919·j² + 3j + 1) mod q,
// output i = Σ_j a_j ψ^((2·bitrev4(i)+1)·j) mod q with ψ the smallest primitive 32nd root.
struct KnownAnswer {
  uint64_t q, psi;
  std::vector<uint64_t> out;
};

const std::vector<KnownAnswer>& KnownAnswers() {
  static const std::vector<KnownAnswer> kats = {
      {1125899906842273ULL,
       150844171873508ULL,
       {620010408109629ULL, 498686773233066ULL, 510290660255171ULL, 292160021116343ULL,
        875090007916639ULL, 144786310154013ULL, 807424543587192ULL, 757107203261645ULL,
        653597223123089ULL, 43243487069298ULL, 235404611554229ULL, 519545017654918ULL,
        773476527815687ULL, 908801121945729ULL, 75256091830006ULL, 166419339269273ULL}},
      {1152921504606845473ULL,
       3291845140097365ULL,
       {155840641428950832ULL, 778401799489972753ULL, 661169925814109730ULL, 1079057961503174252ULL,
        983787011040617524ULL, 538844543386389880ULL, 520963213709104825ULL, 368659823539781877ULL,
        937730192618972944ULL, 47017021304090487ULL, 1061800246847129651ULL, 412049307936662805ULL,
        545183856386054956ULL, 987505117910573185ULL, 943389433594926188ULL,
        354893444951097384ULL}},
  };
  return kats;
}

class PortableGuard {
 public:
  explicit PortableGuard(bool portable) : saved_(PortableKernelsOnly()) {
    SetPortableKernelsOnly(portable);
  }
  ~PortableGuard() { SetPortableKernelsOnly(saved_); }

 private:
  bool saved_;
};

TEST(HeNtt, PrimesAreNttFriendly) {
  auto primes = FindNttPrimes(50, 3, 1 << 13, {});
  ASSERT_EQ(primes.size(), 3u);
  for (uint64_t q : primes) {
    EXPECT_TRUE(IsPrime(q));
    EXPECT_EQ((q - 1) % (1 << 13), 0u);
    EXPECT_LT(q, uint64_t{1} << 50);
    EXPECT_GE(q, uint64_t{1} << 49);
  }
  EXPECT_FALSE(IsPrime(1125899906842625ULL));  // 5^... composite
  EXPECT_TRUE(IsPrime(1152921504606845473ULL));
}

TEST(HeNtt, ModArithMatchesBigInteger) {
  std::mt19937_64 rng(1);
  for (int bits : {30, 50, 60, 61}) {
    uint64_t q = FindNttPrimes(bits, 1, 64, {})[0];
    Modulus m(q);
    for (int i = 0; i < 2000; ++i) {
      uint64_t a = rng() % q, b = rng() % q;
      EXPECT_EQ(MulMod(a, b, m), static_cast<uint64_t>(static_cast<u128>(a) * b % q));
      u128 x = (static_cast<u128>(rng()) << 64) | rng();
      EXPECT_EQ(Reduce128(x, m), static_cast<uint64_t>(x % q));
      uint64_t ws = ShoupPrecompute(b, q);
      EXPECT_EQ(MulShoup(a, b, ws, q), MulMod(a, b, m));
    }
    EXPECT_EQ(MulMod(InvMod(12345, m), 12345, m), 1u);
  }
}

TEST(HeNtt, KnownAnswerBothKernels) {
  for (bool portable : {true, false}) {
    PortableGuard guard(portable);
    for (const auto& kat : KnownAnswers()) {
      NttTables tables(4, Modulus(kat.q));
      EXPECT_EQ(tables.root(), kat.psi);
      std::vector<uint64_t> a(16);
      for (uint64_t j = 0; j < 16; ++j) a[j] = (7919 * j * j + 3 * j + 1) % kat.q;
      std::vector<uint64_t> original = a;
      ForwardNtt(a.data(), tables);
      EXPECT_EQ(a, kat.out) << "q=" << kat.q << " portable=" << portable;
      InverseNtt(a.data(), tables);
      EXPECT_EQ(a, original);
    }
  }
}

// Forward output slot i is the evaluation at ψ^EvaluationExponent(i), checked naively.
TEST(HeNtt, MatchesNaiveEvaluation) {
  std::mt19937_64 rng(7);
  const int log_n = 6;
  const size_t n = 64;
  uint64_t q = FindNttPrimes(45, 1, 2 * n, {})[0];
  Modulus m(q);
  NttTables tables(log_n, m);
  std::vector<uint64_t> a(n);
  for (auto& x : a) x = rng() % q;
  std::vector<uint64_t> f = a;
  ForwardNtt(f.data(), tables);
  for (size_t i = 0; i < n; ++i) {
    uint64_t point = PowMod(tables.root(), EvaluationExponent(i, log_n), m);
    uint64_t acc = 0, power = 1;
    for (size_t j = 0; j < n; ++j) {
      acc = AddMod(acc, MulMod(a[j], power, m), q);
      power = MulMod(power, point, m);
    }
    EXPECT_EQ(f[i], acc) << i;
  }
}

// The IFMA and portable kernels agree on every size and prime class, and the product of
// transforms is the negacyclic product of the polynomials.
TEST(HeNtt, KernelsAgreeAndMultiplyNegacyclically) {
  std::mt19937_64 rng(3);
  for (int log_n : {4, 5, 10, 12}) {
    const size_t n = size_t{1} << log_n;
    for (int bits : {36, 50, 60}) {
      uint64_t q = FindNttPrimes(bits, 1, 2 * n, {})[0];
      Modulus m(q);
      NttTables tables(log_n, m);
      std::vector<uint64_t> a(n), b(n);
      for (size_t i = 0; i < n; ++i) {
        a[i] = rng() % q;
        b[i] = rng() % q;
      }
      std::vector<uint64_t> fa = a, fb = b, fa_portable = a;
      ForwardNtt(fa.data(), tables);
      {
        PortableGuard guard(true);
        ForwardNtt(fa_portable.data(), tables);
      }
      ASSERT_EQ(fa, fa_portable) << "log_n=" << log_n << " bits=" << bits;
      ForwardNtt(fb.data(), tables);
      std::vector<uint64_t> prod(n);
      for (size_t i = 0; i < n; ++i) prod[i] = MulMod(fa[i], fb[i], m);
      std::vector<uint64_t> prod_portable = prod;
      InverseNtt(prod.data(), tables);
      {
        PortableGuard guard(true);
        InverseNtt(prod_portable.data(), tables);
      }
      ASSERT_EQ(prod, prod_portable);
      if (log_n <= 10) {
        std::vector<uint64_t> expect(n, 0);
        for (size_t i = 0; i < n; ++i) {
          for (size_t j = 0; j < n; ++j) {
            uint64_t p = MulMod(a[i], b[j], m);
            size_t k = i + j;
            if (k >= n) {
              expect[k - n] = SubMod(expect[k - n], p, q);
            } else {
              expect[k] = AddMod(expect[k], p, q);
            }
          }
        }
        ASSERT_EQ(prod, expect) << "log_n=" << log_n << " bits=" << bits;
      }
    }
  }
}

}  // namespace
}  // namespace zektra::he
