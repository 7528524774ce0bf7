#include "zektra/he/serialization.h"

#include <gtest/gtest.h>

#include <cstring>

#include "zektra/he/ckks_test_util.h"

namespace zektra::he {
namespace {

using testing::MaxError;
using testing::RandomSlots;

TEST(HeSerialization, ParametersRoundTripAndRejection) {
  auto params = MakeParameters(testing::SmallSpec());
  ASSERT_TRUE(params.ok());
  Bytes bytes = SerializeParameters(*params);
  auto back = ParseParameters(bytes);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->q, params->q);
  EXPECT_EQ(back->p, params->p);
  EXPECT_EQ(SerializeParameters(*back), bytes);
  Bytes bad = bytes;
  bad[0] ^= 1;
  EXPECT_FALSE(ParseParameters(bad).ok());
  bad = bytes;
  bad[4] = 9;  // version
  EXPECT_FALSE(ParseParameters(bad).ok());
  bad = bytes;
  bad.pop_back();
  EXPECT_FALSE(ParseParameters(bad).ok());
  // A parameter file pushed above the security bound (more levels) is refused.
  CkksParameters weak = *params;
  weak.q.push_back(FindNttPrimes(40, 1, 2 * weak.n(), [&] {
    std::vector<uint64_t> used = weak.q;
    used.insert(used.end(), weak.p.begin(), weak.p.end());
    return used;
  }())[0]);
  weak.dnum = static_cast<uint32_t>(weak.q.size());
  auto refused = ParseParameters(SerializeParameters(weak));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("security bound"), std::string::npos);
}

TEST(HeSerialization, KeysAndCiphertextsRoundTrip) {
  testing::Rig rig(testing::MakeContext(testing::SmallSpec()));
  const auto& ctx = rig.context;
  auto x = RandomSlots(ctx->slots(), 21);
  Ciphertext ct = rig.Encrypt(x);

  auto ct_back = ParseCiphertext(*ctx, SerializeCiphertext(*ctx, ct));
  ASSERT_TRUE(ct_back.ok()) << ct_back.status().message();
  EXPECT_EQ(ct_back->parts[0].data, ct.parts[0].data);
  EXPECT_LT(MaxError(rig.Decrypt(*ct_back), x), 1e-6);

  auto sk_back = ParseSecretKey(ctx, SerializeSecretKey(*ctx, rig.sk));
  ASSERT_TRUE(sk_back.ok());
  EXPECT_EQ(sk_back->ntt.data, rig.sk.ntt.data);

  auto pk_back = ParsePublicKey(ctx, SerializePublicKey(*ctx, rig.pk));
  ASSERT_TRUE(pk_back.ok());
  EXPECT_EQ(pk_back->a.data, rig.pk.a.data);  // re-expanded from the seed
  Encryptor enc(ctx, *pk_back);
  auto pt = rig.encoder.Encode(x, ctx->default_scale(), ctx->max_level());
  EXPECT_LT(MaxError(rig.Decrypt(*enc.Encrypt(*pt)), x), 1e-6);

  auto rk_back = ParseRelinKey(ctx, SerializeRelinKey(*ctx, rig.rk));
  ASSERT_TRUE(rk_back.ok());
  auto sq = rig.evaluator.MultiplyRelin(ct, ct, *rk_back);
  ASSERT_TRUE(sq.ok());
  std::vector<std::complex<double>> want(x.size());
  for (size_t i = 0; i < x.size(); ++i) want[i] = x[i] * x[i];
  EXPECT_LT(MaxError(rig.Decrypt(*sq), want), 1e-5);

  const int64_t steps[] = {1, -2};
  GaloisKeys gk = rig.keygen.GenerateGaloisKeys(rig.sk, steps, true);
  auto gk_back = ParseGaloisKeys(ctx, SerializeGaloisKeys(*ctx, gk));
  ASSERT_TRUE(gk_back.ok()) << gk_back.status().message();
  EXPECT_EQ(gk_back->keys.size(), 3u);
  auto rot = rig.evaluator.Rotate(ct, 1, *gk_back);
  ASSERT_TRUE(rot.ok());
  std::vector<std::complex<double>> rot_want(x.size());
  for (size_t i = 0; i < x.size(); ++i) rot_want[i] = x[(i + 1) % x.size()];
  EXPECT_LT(MaxError(rig.Decrypt(*rot), rot_want), 1e-5);

  auto pt_back = ParsePlaintext(*ctx, SerializePlaintext(*ctx, *pt));
  ASSERT_TRUE(pt_back.ok());
  EXPECT_EQ(pt_back->poly.data, pt->poly.data);
}

TEST(HeSerialization, CorruptedCiphertextsAreRefusedWithAReason) {
  testing::Rig rig(testing::MakeContext(testing::SmallSpec()));
  const auto& ctx = rig.context;
  Ciphertext ct = rig.Encrypt(RandomSlots(8, 22));
  const Bytes good = SerializeCiphertext(*ctx, ct);
  auto expect_refused = [&](const Bytes& bytes, const std::string& needle) {
    auto r = ParseCiphertext(*ctx, bytes);
    ASSERT_FALSE(r.ok()) << needle;
    EXPECT_EQ(r.status().code(), StatusCode::kBadInput);
    EXPECT_NE(r.status().message().find(needle), std::string::npos) << r.status().message();
  };
  Bytes b = good;
  b[0] ^= 0xff;
  expect_refused(b, "magic");
  b = good;
  b[4] = 2;
  expect_refused(b, "version");
  b = good;
  b[8] = static_cast<uint8_t>(HeObjectKind::kPlaintext);
  expect_refused(b, "kind");
  b = good;
  b[9] ^= 1;
  expect_refused(b, "different parameters");
  // Header 41 bytes, then level (u32), scale (u64), parts (u32).
  b = good;
  b[41] = 7;
  expect_refused(b, "level 7");
  b = good;
  std::memset(&b[45], 0xff, 8);  // scale = NaN
  expect_refused(b, "scale");
  b = good;
  b[53] = 4;
  expect_refused(b, "parts");
  b = good;
  b[57] = 1;  // first part limb count
  expect_refused(b, "limbs");
  b = good;
  std::memset(&b[61], 0xff, 8);  // first coefficient ≥ q
  expect_refused(b, "not reduced");
  b = good;
  b.resize(b.size() - 100);
  expect_refused(b, "truncated");
  b = good;
  b.push_back(0);
  expect_refused(b, "trailing");
  // Same bytes under another context: refused by the fingerprint.
  auto other = testing::MakeContext(testing::TinySpec());
  auto r = ParseCiphertext(*other, good);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("different parameters"), std::string::npos);
  // Every single-byte truncation point fails cleanly (no crash, no accept).
  for (size_t cut = 0; cut < 80; ++cut) {
    EXPECT_FALSE(ParseCiphertext(*ctx, ByteSpan(good.data(), cut)).ok());
  }
}

TEST(HeSerialization, CorruptedKeysAreRefused) {
  testing::Rig rig(testing::MakeContext(testing::SmallSpec()));
  const auto& ctx = rig.context;
  Bytes sk = SerializeSecretKey(*ctx, rig.sk);
  sk[45] = 3;  // first coefficient byte, not in {0,1,2}
  auto r = ParseSecretKey(ctx, sk);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not ternary"), std::string::npos);
  Bytes rk = SerializeRelinKey(*ctx, rig.rk);
  rk[41 + 32] = 1;  // digit count
  EXPECT_FALSE(ParseRelinKey(ctx, rk).ok());
  Bytes pk = SerializePublicKey(*ctx, rig.pk);
  pk.pop_back();
  EXPECT_FALSE(ParsePublicKey(ctx, pk).ok());
  const int64_t steps[] = {1};
  Bytes gk = SerializeGaloisKeys(*ctx, rig.keygen.GenerateGaloisKeys(rig.sk, steps, false));
  gk[45] = 2;  // Galois element becomes even
  auto g = ParseGaloisKeys(ctx, gk);
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.status().message().find("invalid Galois element"), std::string::npos);
}

TEST(HeKeys, SecretKeyIsWipedOnDestruction) {
  auto ctx = testing::MakeContext(testing::TinySpec());
  KeyGenerator keygen(ctx);
  SecretKey sk = keygen.GenerateSecretKey();
  SecretKey copy = sk;
  copy.Wipe();
  EXPECT_TRUE(copy.coefficients.empty());
  EXPECT_TRUE(copy.ntt.data.empty());
  EXPECT_FALSE(sk.coefficients.empty());
  // Ternary distribution: all three values occur in roughly equal numbers.
  size_t counts[3] = {0, 0, 0};
  for (int8_t c : sk.coefficients) counts[c + 1]++;
  for (size_t c : counts) EXPECT_GT(c, ctx->n() / 4);
}

TEST(HeKeys, GaussianSamplerHasTheRightSpread) {
  std::vector<int64_t> e = SampleGaussian(1 << 16);
  double sum = 0, sum_sq = 0;
  int64_t max_abs = 0;
  for (int64_t v : e) {
    sum += static_cast<double>(v);
    sum_sq += static_cast<double>(v * v);
    max_abs = std::max<int64_t>(max_abs, v < 0 ? -v : v);
  }
  double mean = sum / e.size(), sigma = std::sqrt(sum_sq / e.size() - mean * mean);
  EXPECT_NEAR(mean, 0.0, 0.1);
  EXPECT_NEAR(sigma, kErrorSigma, 0.1);
  EXPECT_LE(max_abs, kErrorBound);
}

TEST(HeKeys, CollectivePublicKeyFromShares) {
  // Two parties, one common random polynomial: the sum of shares is a public key for
  // s1 + s2 (the building block of the later multiparty issue).
  auto ctx = testing::MakeContext(testing::SmallSpec());
  KeyGenerator keygen(ctx);
  SecretKey s1 = keygen.GenerateSecretKey(), s2 = keygen.GenerateSecretKey();
  Seed crs = RandomSeed();
  RnsPoly b = keygen.PublicKeyShare(s1, crs);
  RnsPoly b2 = keygen.PublicKeyShare(s2, crs);
  for (size_t k = 0; k < ctx->num_q(); ++k) {
    for (size_t j = 0; j < ctx->n(); ++j) {
      b.limb(k)[j] = AddMod(b.limb(k)[j], b2.limb(k)[j], ctx->modulus(k).value);
    }
  }
  PublicKey pk;
  pk.seed = crs;
  pk.b = b;
  pk.context_id = ctx->id();
  keygen.ExpandPublicKey(pk);
  Encryptor enc(ctx, pk);
  Encoder encoder(ctx);
  auto x = RandomSlots(ctx->slots(), 23);
  auto ct = enc.Encrypt(*encoder.Encode(x, ctx->default_scale(), ctx->max_level()));
  ASSERT_TRUE(ct.ok());
  Plaintext pt;
  pt.level = ct->level;
  pt.scale = ct->scale;
  pt.context_id = ctx->id();
  pt.poly = ct->parts[0];
  for (size_t k = 0; k <= ct->level; ++k) {
    const Modulus& m = ctx->modulus(k);
    for (size_t j = 0; j < ctx->n(); ++j) {
      uint64_t s = AddMod(s1.ntt.limb(k)[j], s2.ntt.limb(k)[j], m.value);
      pt.poly.limb(k)[j] =
          AddMod(pt.poly.limb(k)[j], MulMod(ct->parts[1].limb(k)[j], s, m), m.value);
    }
  }
  EXPECT_LT(MaxError(*encoder.Decode(pt), x), 1e-6);
}

}  // namespace
}  // namespace zektra::he
