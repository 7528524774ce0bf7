#include <gtest/gtest.h>

#include "zektra/he/ckks_test_util.h"
#include "zektra/he/poly_ops.h"

namespace zektra::he {
namespace {

using testing::MaxError;
using testing::RandomSlots;
using testing::Rig;

Rig& SmallRig() {
  static Rig* rig = new Rig(testing::MakeContext(testing::SmallSpec()));
  return *rig;
}

// ---------------------------------------------------------------- parameters

TEST(HeParams, SecurityTableIsEnforced) {
  EXPECT_EQ(MaxLogPQ(12, SecurityLevel::k128), 109);
  EXPECT_EQ(MaxLogPQ(16, SecurityLevel::k128), 1747);
  CkksParameterSpec spec = testing::SmallSpec();
  spec.levels = 3;  // 60 + 3·40 + 60 = 240 > 218
  auto params = MakeParameters(spec);
  ASSERT_FALSE(params.ok());
  EXPECT_NE(params.status().message().find("exceeds the 128-bit security bound of 218"),
            std::string::npos)
      << params.status().message();
  spec = testing::SmallSpec();
  spec.security = SecurityLevel::k192;  // 200 > 152
  EXPECT_FALSE(MakeParameters(spec).ok());
  spec.security = SecurityLevel::k256;
  EXPECT_FALSE(MakeParameters(spec).ok());
  EXPECT_TRUE(MakeParameters(testing::SmallSpec()).ok());
}

TEST(HeParams, BenchSetsAreWithinTheTable) {
  for (auto spec : {BenchSpecN14(), BenchSpecN16()}) {
    auto params = MakeParameters(spec);
    ASSERT_TRUE(params.ok()) << params.status().message();
    EXPECT_LE(TotalModulusBits(*params), MaxLogPQ(spec.log_n, SecurityLevel::k128));
  }
}

TEST(HeParams, RejectsMalformedSets) {
  auto good = MakeParameters(testing::SmallSpec());
  ASSERT_TRUE(good.ok());
  auto expect_reject = [](CkksParameters p, const std::string& needle) {
    Status s = ValidateParameters(p);
    EXPECT_FALSE(s.ok()) << needle;
    EXPECT_NE(s.message().find(needle), std::string::npos) << s.message();
    EXPECT_FALSE(HeContext::Create(p).ok());
  };
  CkksParameters p = *good;
  p.q[1] += 2;  // no longer prime (or not 1 mod 2N)
  expect_reject(p, "q[1]");
  p = *good;
  p.q[2] = p.q[1];
  expect_reject(p, "repeats");
  p = *good;
  p.log_n = 11;
  expect_reject(p, "outside 2^12..2^16");
  p = *good;
  p.dnum = 0;
  expect_reject(p, "dnum");
  p = *good;
  p.p = {FindNttPrimes(30, 1, 2 * p.n(), p.q)[0]};
  expect_reject(p, "smaller than key-switching digit");
  p = *good;
  p.scale = std::nan("");
  expect_reject(p, "scale");
  p = *good;
  p.q[1] = 1099511627776ULL + 1;  // 2^40 + 1 is not prime
  expect_reject(p, "not prime");
  CkksParameterSpec spec = testing::SmallSpec();
  spec.log_n = 17;
  EXPECT_FALSE(MakeParameters(spec).ok());
}

// ---------------------------------------------------------------- encoder

TEST(HeEncoder, KnownAnswers) {
  Rig& rig = SmallRig();
  const auto& c = *rig.context;
  const size_t n = c.n();
  const double scale = c.default_scale();
  // All slots 1: the constant polynomial Δ. All slots i: Δ·X^(N/2), since
  // ζ^(5^j·N/2) = i^(5^j) = i.
  for (int which = 0; which < 2; ++which) {
    std::vector<std::complex<double>> values(
        c.slots(), which == 0 ? std::complex<double>(1, 0) : std::complex<double>(0, 1));
    auto pt = rig.encoder.Encode(values, scale, 0);
    ASSERT_TRUE(pt.ok());
    std::vector<double> coeffs = rig.encoder.PolyToCoefficients(pt->poly, 0);
    for (size_t i = 0; i < n; ++i) {
      double want = (which == 0 && i == 0) || (which == 1 && i == n / 2) ? scale : 0.0;
      ASSERT_NEAR(coeffs[i], want, 1.0) << "which=" << which << " i=" << i;
    }
  }
  // Slot j of the polynomial X holds ζ^(5^j).
  std::vector<double> x_coeffs(n, 0.0);
  x_coeffs[1] = scale;
  RnsPoly poly;
  ASSERT_TRUE(rig.encoder.CoefficientsToPoly(x_coeffs, 1, &poly).ok());
  Plaintext pt{poly, 1, scale, c.id()};
  auto decoded = rig.encoder.Decode(pt);
  ASSERT_TRUE(decoded.ok());
  uint64_t power = 1;
  for (size_t j = 0; j < c.slots(); ++j) {
    double angle = M_PI * static_cast<double>(power) / static_cast<double>(n);
    ASSERT_NEAR((*decoded)[j].real(), std::cos(angle), 1e-9) << j;
    ASSERT_NEAR((*decoded)[j].imag(), std::sin(angle), 1e-9) << j;
    power = power * 5 % (2 * n);
  }
}

TEST(HeEncoder, RoundTripAndErrors) {
  Rig& rig = SmallRig();
  auto values = RandomSlots(rig.context->slots(), 1, 10.0);
  for (size_t level : {size_t{0}, rig.context->max_level()}) {
    auto pt = rig.encoder.Encode(values, rig.context->default_scale(), level);
    ASSERT_TRUE(pt.ok());
    auto back = rig.encoder.Decode(*pt);
    ASSERT_TRUE(back.ok());
    double err = MaxError(*back, values);
    EXPECT_LT(err, 1e-9) << "level " << level;
  }
  // A scale of 2^80 at the top level decodes exactly too (multi-word CRT).
  auto big = rig.encoder.Encode(values, std::ldexp(1.0, 80), rig.context->max_level());
  ASSERT_TRUE(big.ok());
  EXPECT_LT(MaxError(*rig.encoder.Decode(*big), values), 1e-9);
  std::vector<std::complex<double>> too_many(rig.context->slots() + 1);
  EXPECT_FALSE(rig.encoder.Encode(too_many, 1e6, 0).ok());
  std::vector<double> overflow = {1e30};
  auto r = rig.encoder.Encode(overflow, rig.context->default_scale(), 0);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("does not fit"), std::string::npos);
  std::vector<double> nan_value = {std::nan("")};
  EXPECT_FALSE(rig.encoder.Encode(nan_value, 1e6, 0).ok());
  EXPECT_FALSE(rig.encoder.Encode(values, std::ldexp(1.0, 70), 0).ok());  // scale > q0
}

// ---------------------------------------------------------------- operations

TEST(HeCkks, EncryptDecryptPublicAndSecretKey) {
  Rig& rig = SmallRig();
  auto values = RandomSlots(rig.context->slots(), 2);
  Ciphertext ct = rig.Encrypt(values);
  double err = MaxError(rig.Decrypt(ct), values);
  EXPECT_LT(err, 1e-6);
  std::printf("[precision] public-key encrypt/decrypt max slot error %.3g\n", err);
  Encryptor symmetric(rig.context, rig.sk);
  auto pt = rig.encoder.Encode(values, rig.context->default_scale(), 1);
  auto ct2 = symmetric.Encrypt(*pt);
  ASSERT_TRUE(ct2.ok());
  EXPECT_EQ(ct2->level, 1u);
  EXPECT_LT(MaxError(rig.Decrypt(*ct2), values), 1e-6);
  // Wrong key decrypts to noise.
  KeyGenerator keygen(rig.context);
  Decryptor wrong(rig.context, keygen.GenerateSecretKey());
  auto garbage = rig.encoder.Decode(*wrong.Decrypt(ct));
  EXPECT_GT(MaxError(*garbage, values), 1.0);
}

TEST(HeCkks, AdditiveAndPlainOperations) {
  Rig& rig = SmallRig();
  const size_t slots = rig.context->slots();
  auto x = RandomSlots(slots, 3), y = RandomSlots(slots, 4);
  Ciphertext cx = rig.Encrypt(x), cy = rig.Encrypt(y);
  auto& ev = rig.evaluator;
  std::vector<std::complex<double>> sum(slots), diff(slots), prod(slots), neg(slots), affine(slots);
  for (size_t i = 0; i < slots; ++i) {
    sum[i] = x[i] + y[i];
    diff[i] = x[i] - y[i];
    prod[i] = x[i] * y[i];
    neg[i] = -x[i];
    affine[i] = x[i] * 2.5 + 0.75;
  }
  EXPECT_LT(MaxError(rig.Decrypt(*ev.Add(cx, cy)), sum), 1e-6);
  EXPECT_LT(MaxError(rig.Decrypt(*ev.Sub(cx, cy)), diff), 1e-6);
  EXPECT_LT(MaxError(rig.Decrypt(*ev.Negate(cx)), neg), 1e-6);
  auto py = rig.encoder.Encode(y, rig.context->default_scale(), rig.context->max_level());
  EXPECT_LT(MaxError(rig.Decrypt(*ev.AddPlain(cx, *py)), sum), 1e-6);
  EXPECT_LT(MaxError(rig.Decrypt(*ev.SubPlain(cx, *py)), diff), 1e-6);
  auto pm = ev.MultiplyPlain(cx, *py);
  ASSERT_TRUE(pm.ok());
  auto pm_rescaled = ev.Rescale(*pm);
  ASSERT_TRUE(pm_rescaled.ok());
  double err = MaxError(rig.Decrypt(*pm_rescaled), prod);
  EXPECT_LT(err, 1e-5);
  std::printf("[precision] plaintext multiply + rescale max slot error %.3g\n", err);
  auto scaled = ev.MultiplyConst(cx, 2.5);
  ASSERT_TRUE(scaled.ok());
  auto scaled_rescaled = ev.Rescale(*scaled);
  ASSERT_TRUE(scaled_rescaled.ok());
  EXPECT_DOUBLE_EQ(scaled_rescaled->scale, cx.scale);  // constant at scale q_level
  auto shifted = ev.AddConst(*scaled_rescaled, 0.75);
  ASSERT_TRUE(shifted.ok());
  err = MaxError(rig.Decrypt(*shifted), affine);
  EXPECT_LT(err, 1e-5);
  std::printf("[precision] constant multiply + add max slot error %.3g\n", err);
}

TEST(HeCkks, MultiplyRelinearizeRescale) {
  Rig& rig = SmallRig();
  const size_t slots = rig.context->slots();
  auto x = RandomSlots(slots, 5), y = RandomSlots(slots, 6);
  Ciphertext cx = rig.Encrypt(x), cy = rig.Encrypt(y);
  std::vector<std::complex<double>> prod(slots);
  for (size_t i = 0; i < slots; ++i) prod[i] = x[i] * y[i];
  auto& ev = rig.evaluator;
  auto tensor = ev.Multiply(cx, cy);
  ASSERT_TRUE(tensor.ok());
  EXPECT_EQ(tensor->size(), 3u);
  double err3 = MaxError(rig.Decrypt(*tensor), prod);  // decrypts with s² directly
  EXPECT_LT(err3, 1e-5);
  auto relin = ev.Relinearize(*tensor, rig.rk);
  ASSERT_TRUE(relin.ok());
  EXPECT_EQ(relin->size(), 2u);
  double err_relin = MaxError(rig.Decrypt(*relin), prod);
  auto rescaled = ev.Rescale(*relin);
  ASSERT_TRUE(rescaled.ok());
  EXPECT_EQ(rescaled->level, rig.context->max_level() - 1);
  double err = MaxError(rig.Decrypt(*rescaled), prod);
  EXPECT_LT(err_relin, 1e-5);
  EXPECT_LT(err, 1e-5);
  std::printf("[precision] multiply %.3g, relinearize %.3g, rescale %.3g\n", err3, err_relin, err);
  // Errors instead of garbage.
  auto level_mismatch = ev.Add(*rescaled, cx);
  ASSERT_FALSE(level_mismatch.ok());
  EXPECT_NE(level_mismatch.status().message().find("level mismatch"), std::string::npos);
  auto lowered = ev.ModSwitchTo(cx, rescaled->level);
  ASSERT_TRUE(lowered.ok());
  auto scale_mismatch = ev.Add(*relin, cx);  // level equal, scale Δ² vs Δ
  ASSERT_FALSE(scale_mismatch.ok());
  EXPECT_NE(scale_mismatch.status().message().find("scale mismatch"), std::string::npos);
  auto no_room = ev.Multiply(*relin, *relin);  // Δ⁴ > Q
  ASSERT_FALSE(no_room.ok());
  EXPECT_NE(no_room.status().message().find("rescale first"), std::string::npos);
  EXPECT_FALSE(ev.Multiply(*tensor, cx).ok());  // three-part input
  auto bottom = ev.ModSwitchTo(cx, 0);
  ASSERT_FALSE(ev.Rescale(*bottom).ok());
  // AdjustScale brings x to the product's level and scale; the sum then decrypts.
  auto adjusted = ev.AdjustScale(cx, rescaled->level, rescaled->scale);
  ASSERT_TRUE(adjusted.ok()) << adjusted.status().message();
  auto total = ev.Add(*rescaled, *adjusted);
  ASSERT_TRUE(total.ok()) << total.status().message();
  std::vector<std::complex<double>> want(slots);
  for (size_t i = 0; i < slots; ++i) want[i] = prod[i] + x[i];
  EXPECT_LT(MaxError(rig.Decrypt(*total), want), 1e-5);
}

TEST(HeCkks, ForeignContextIsRefused) {
  Rig& rig = SmallRig();
  auto other = testing::MakeContext(testing::TinySpec());
  Evaluator other_ev(other);
  Ciphertext ct = rig.Encrypt(RandomSlots(4, 7));
  auto r = other_ev.Add(ct, ct);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("another context"), std::string::npos);
  Ciphertext broken = ct;
  broken.parts[1].Truncate(1);
  EXPECT_FALSE(rig.evaluator.Add(broken, ct).ok());
  EXPECT_FALSE(rig.decryptor.Decrypt(broken).ok());
}

TEST(HeCkks, RotateConjugateAndHoisted) {
  Rig& rig = SmallRig();
  const size_t slots = rig.context->slots();
  std::vector<int64_t> steps = {1, 2, 5, -1, -7, 100, static_cast<int64_t>(slots) - 3};
  GaloisKeys keys = rig.keygen.GenerateGaloisKeys(rig.sk, steps, true);
  auto x = RandomSlots(slots, 8);
  Ciphertext cx = rig.Encrypt(x);
  auto rotated_want = [&](int64_t step) {
    std::vector<std::complex<double>> want(slots);
    for (size_t i = 0; i < slots; ++i) {
      want[i] = x[((static_cast<int64_t>(i) + step) % static_cast<int64_t>(slots) + slots) % slots];
    }
    return want;
  };
  double worst = 0;
  for (int64_t step : steps) {
    auto r = rig.evaluator.Rotate(cx, step, keys);
    ASSERT_TRUE(r.ok()) << r.status().message();
    double err = MaxError(rig.Decrypt(*r), rotated_want(step));
    worst = std::max(worst, err);
    EXPECT_LT(err, 1e-5) << step;
  }
  std::printf("[precision] rotate max slot error %.3g\n", worst);
  auto hoisted = rig.evaluator.RotateHoisted(cx, steps, keys);
  ASSERT_TRUE(hoisted.ok());
  for (size_t k = 0; k < steps.size(); ++k) {
    EXPECT_LT(MaxError(rig.Decrypt((*hoisted)[k]), rotated_want(steps[k])), 1e-5) << steps[k];
  }
  auto conj = rig.evaluator.Conjugate(cx, keys);
  ASSERT_TRUE(conj.ok());
  std::vector<std::complex<double>> conj_want(slots);
  for (size_t i = 0; i < slots; ++i) conj_want[i] = std::conj(x[i]);
  EXPECT_LT(MaxError(rig.Decrypt(*conj), conj_want), 1e-5);
  // A step without a key (and no power-of-two keys to compose) is refused.
  auto missing = rig.evaluator.Rotate(cx, 4, keys);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("no Galois key"), std::string::npos);
  const int64_t bad_step[] = {4};
  EXPECT_FALSE(rig.evaluator.RotateHoisted(cx, bad_step, keys).ok());
}

// Every rotation step of a 2^12 ring, composed from power-of-two keys.
TEST(HeCkks, RotationsOfEveryStep) {
  Rig rig(testing::MakeContext(testing::TinySpec()));
  const size_t slots = rig.context->slots();
  GaloisKeys keys = rig.keygen.GeneratePowerOfTwoGaloisKeys(rig.sk, false);
  std::vector<std::complex<double>> x(slots);
  for (size_t i = 0; i < slots; ++i) x[i] = {static_cast<double>(i % 97) / 97.0, 0.0};
  Ciphertext cx = rig.Encrypt(x);
  double worst = 0;
  for (size_t step = 1; step < slots; ++step) {
    auto r = rig.evaluator.Rotate(cx, static_cast<int64_t>(step), keys);
    ASSERT_TRUE(r.ok()) << step << ": " << r.status().message();
    auto got = rig.Decrypt(*r);
    double err = 0;
    for (size_t i = 0; i < slots; ++i)
      err = std::max(err, std::abs(got[i] - x[(i + step) % slots]));
    worst = std::max(worst, err);
    ASSERT_LT(err, 5e-3) << "step " << step;
  }
  std::printf("[precision] all %zu rotation steps (2^30 scale) max slot error %.3g\n", slots - 1,
              worst);
}

// A depth-8 circuit: x ↦ x^256 by eight squarings, and a degree-8 polynomial by a chain
// of products with fresh inputs, each followed by relinearise + rescale.
TEST(HeCkks, Depth8Circuits) {
  Rig rig(testing::MakeContext(testing::Depth8Spec()));
  const size_t slots = rig.context->slots();
  ASSERT_EQ(rig.context->max_level(), 8u);
  // Values near 1 so that x^256 stays O(1).
  std::vector<std::complex<double>> x(slots);
  std::mt19937_64 rng(9);
  std::uniform_real_distribution<double> dist(0.995, 1.003);
  for (auto& v : x) v = {dist(rng), 0.0};
  Ciphertext ct = rig.Encrypt(x);
  std::vector<std::complex<double>> want = x;
  for (int depth = 1; depth <= 8; ++depth) {
    auto sq = rig.evaluator.MultiplyRelin(ct, ct, rig.rk);
    ASSERT_TRUE(sq.ok()) << sq.status().message();
    auto rs = rig.evaluator.Rescale(*sq);
    ASSERT_TRUE(rs.ok());
    ct = *rs;
    for (auto& v : want) v *= v;
    double err = MaxError(rig.Decrypt(ct), want);
    std::printf("[precision] squaring depth %d: max slot error %.3g\n", depth, err);
    // Squaring doubles the relative error each time (d(x^2)/x^2 = 2 dx/x): the bound
    // is twice the fresh-encryption error at scale 2^36 (≈ 2^-18) times 2^depth.
    ASSERT_LT(err, std::ldexp(1.0, depth - 16)) << "depth " << depth;
  }
  EXPECT_EQ(ct.level, 0u);
  // Product of eight independent vectors (balanced tree would use depth 3; a chain uses 8
  // levels on the running product).
  Ciphertext acc = rig.Encrypt(RandomSlots(slots, 100));
  std::vector<std::complex<double>> acc_want = RandomSlots(slots, 100);
  for (int depth = 1; depth <= 8; ++depth) {
    auto v = RandomSlots(slots, 100 + depth);
    auto pv = rig.encoder.Encode(v, rig.context->default_scale(), acc.level);
    auto cv = rig.encryptor.Encrypt(*pv);
    auto prod = rig.evaluator.MultiplyRelin(acc, *cv, rig.rk);
    ASSERT_TRUE(prod.ok()) << prod.status().message();
    auto rs = rig.evaluator.Rescale(*prod);
    ASSERT_TRUE(rs.ok());
    acc = *rs;
    for (size_t i = 0; i < slots; ++i) acc_want[i] *= v[i];
  }
  double err = MaxError(rig.Decrypt(acc), acc_want);
  std::printf("[precision] depth-8 product chain: max slot error %.3g\n", err);
  EXPECT_LT(err, 1e-4);
}

TEST(HeCkks, PortableKernelsGiveTheSameResults) {
  Rig& rig = SmallRig();
  const size_t slots = rig.context->slots();
  auto x = RandomSlots(slots, 11), y = RandomSlots(slots, 12);
  Ciphertext cx = rig.Encrypt(x), cy = rig.Encrypt(y);
  const int64_t steps[] = {3};
  GaloisKeys keys = rig.keygen.GenerateGaloisKeys(rig.sk, steps, false);
  auto run = [&] {
    auto prod = rig.evaluator.MultiplyRelin(cx, cy, rig.rk);
    auto rs = rig.evaluator.Rescale(*prod);
    return *rig.evaluator.Rotate(*rs, 3, keys);
  };
  const bool saved = PortableKernelsOnly();
  SetPortableKernelsOnly(true);
  Ciphertext portable = run();
  SetPortableKernelsOnly(false);
  Ciphertext fast = run();
  SetPortableKernelsOnly(saved);
  // Deterministic evaluation: identical ciphertexts whichever kernel ran.
  ASSERT_EQ(portable.parts.size(), fast.parts.size());
  for (size_t k = 0; k < portable.parts.size(); ++k)
    EXPECT_EQ(portable.parts[k].data, fast.parts[k].data);
}

TEST(HeCkks, NoiseFlooding) {
  Rig& rig = SmallRig();
  auto x = RandomSlots(rig.context->slots(), 13);
  Ciphertext ct = rig.Encrypt(x);
  auto expected = rig.encoder.Encode(x, ct.scale, ct.level);
  auto noise_bits = rig.decryptor.MeasureNoiseBits(ct, *expected);
  ASSERT_TRUE(noise_bits.ok());
  EXPECT_LT(*noise_bits, 12.0);  // fresh noise: a few bits
  auto flooded = rig.decryptor.DecryptWithFlooding(ct, *noise_bits + 20);
  ASSERT_TRUE(flooded.ok());
  auto values = rig.encoder.Decode(*flooded);
  double err = MaxError(*values, x);
  std::printf("[precision] fresh noise 2^%.1f, flooded at 2^%.1f: max slot error %.3g\n",
              *noise_bits, *noise_bits + 20, err);
  // Flooding costs precision: slot error ≈ sqrt(N)·σ_flood / Δ (here about 2^-2).
  const double sigma = std::exp2(*noise_bits + 20);
  EXPECT_LT(err, 8 * std::sqrt(static_cast<double>(rig.context->n())) * sigma / ct.scale);
  // The flooding really moved the coefficients by ≈ 2^(noise+20).
  auto plain = rig.decryptor.Decrypt(ct);
  Basis basis = LevelBasis(ct.level);
  RnsPoly diff = flooded->poly;
  for (size_t k = 0; k < basis.size(); ++k) {
    const uint64_t q = rig.context->modulus(k).value;
    for (size_t j = 0; j < diff.n; ++j)
      diff.limb(k)[j] = SubMod(diff.limb(k)[j], plain->poly.limb(k)[j], q);
  }
  auto coeffs = rig.encoder.PolyToCoefficients(diff, ct.level);
  double max_abs = 0;
  for (double c : coeffs) max_abs = std::max(max_abs, std::fabs(c));
  EXPECT_GT(std::log2(max_abs), *noise_bits + 20);
  EXPECT_FALSE(rig.decryptor.DecryptWithFlooding(ct, 200).ok());
}

}  // namespace
}  // namespace zektra::he
