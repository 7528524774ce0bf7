#include "zektra/he/keys.h"

#include <string>

#include "zektra/base/thread_pool.h"
#include "zektra/crypto/random.h"
#include "zektra/he/poly_ops.h"

namespace zektra::he {

SecretKey& SecretKey::operator=(const SecretKey& other) {
  if (this != &other) {
    Wipe();
    coefficients = other.coefficients;
    ntt = other.ntt;
    context_id = other.context_id;
  }
  return *this;
}

SecretKey& SecretKey::operator=(SecretKey&& other) noexcept {
  if (this != &other) {
    Wipe();
    coefficients = std::move(other.coefficients);
    ntt = std::move(other.ntt);
    context_id = other.context_id;
  }
  return *this;
}

SecretKey::~SecretKey() {
  Wipe();
}

void SecretKey::Wipe() {
  if (!coefficients.empty()) SecureWipe(coefficients);
  if (!ntt.data.empty()) ntt.Wipe();
}

KeyGenerator::KeyGenerator(HeContextPtr context) : context_(std::move(context)) {}

SecretKey KeyGenerator::GenerateSecretKey() const {
  std::vector<int8_t> s = SampleTernary(context_->n());
  SecretKey sk = std::move(SecretKeyFromCoefficients(s).value());
  SecureWipe(s);
  return sk;
}

Result<SecretKey> KeyGenerator::SecretKeyFromCoefficients(
    std::span<const int8_t> coefficients) const {
  if (coefficients.size() != context_->n()) {
    return Status::BadInput("secret key has " + std::to_string(coefficients.size()) +
                            " coefficients, expected " + std::to_string(context_->n()));
  }
  for (size_t i = 0; i < coefficients.size(); ++i) {
    if (coefficients[i] < -1 || coefficients[i] > 1) {
      return Status::BadInput("secret key coefficient " + std::to_string(i) + " is not ternary");
    }
  }
  SecretKey sk;
  sk.coefficients.assign(coefficients.begin(), coefficients.end());
  sk.ntt = TernaryToNtt(*context_, FullBasis(*context_), coefficients);
  sk.context_id = context_->id();
  return sk;
}

RnsPoly KeyGenerator::CommonRandomPoly(const Seed& seed, std::string_view label, size_t index,
                                       bool over_q_and_p) const {
  Basis basis = over_q_and_p ? FullBasis(*context_) : LevelBasis(context_->max_level());
  std::vector<const Modulus*> moduli;
  for (size_t i : basis) moduli.push_back(&context_->modulus(i));
  std::string full_label = std::string(label) + "/" + std::to_string(index);
  return ExpandUniform(seed, full_label, context_->n(), moduli);
}

RnsPoly KeyGenerator::PublicKeyShare(const SecretKey& sk, const Seed& seed) const {
  ZK_CHECK(sk.context_id == context_->id(), "secret key from another context");
  const Basis basis = LevelBasis(context_->max_level());
  RnsPoly a = CommonRandomPoly(seed, "public key", 0, false);
  std::vector<int64_t> e = SampleGaussian(context_->n());
  RnsPoly b = SmallToNtt(*context_, basis, e);
  SecureWipe(e);
  RnsPoly as(context_->n(), basis.size());
  Mul(*context_, basis, a, sk.ntt, as);
  SubInPlace(*context_, basis, b, as);
  return b;
}

PublicKey KeyGenerator::GeneratePublicKey(const SecretKey& sk) const {
  return GeneratePublicKey(sk, RandomSeed());
}

PublicKey KeyGenerator::GeneratePublicKey(const SecretKey& sk, const Seed& seed) const {
  PublicKey pk;
  pk.seed = seed;
  pk.b = PublicKeyShare(sk, seed);
  pk.context_id = context_->id();
  ExpandPublicKey(pk);
  return pk;
}

void KeyGenerator::ExpandPublicKey(PublicKey& key) const {
  key.a = CommonRandomPoly(key.seed, "public key", 0, false);
}

void KeyGenerator::ExpandKeySwitchKey(KeySwitchKey& key) const {
  key.a.resize(context_->dnum());
  for (size_t j = 0; j < context_->dnum(); ++j) {
    key.a[j] = CommonRandomPoly(key.seed, "key switch", j, true);
  }
}

KeySwitchKey KeyGenerator::MakeKeySwitchKey(const SecretKey& sk, const RnsPoly& s_prime) const {
  ZK_CHECK(sk.context_id == context_->id(), "secret key from another context");
  const HeContext& c = *context_;
  const Basis basis = FullBasis(c);
  KeySwitchKey key;
  key.seed = RandomSeed();
  ExpandKeySwitchKey(key);
  key.b.resize(c.dnum());
  const size_t alpha = c.alpha();
  for (size_t j = 0; j < c.dnum(); ++j) {
    std::vector<int64_t> e = SampleGaussian(c.n());
    RnsPoly b = SmallToNtt(c, basis, e);
    SecureWipe(e);
    RnsPoly as(c.n(), basis.size());
    Mul(c, basis, key.a[j], sk.ntt, as);
    SubInPlace(c, basis, b, as);
    // + P·s' on the primes of digit j (P ≡ 0 mod the special primes).
    for (size_t i = j * alpha; i < std::min((j + 1) * alpha, c.num_q()); ++i) {
      const uint64_t q = c.modulus(i).value;
      const uint64_t w = c.PModQ(i), ws = ShoupPrecompute(w, q);
      uint64_t* out = b.limb(i);
      const uint64_t* sp = s_prime.limb(i);
      for (size_t t = 0; t < c.n(); ++t) out[t] = AddMod(out[t], MulShoup(sp[t], w, ws, q), q);
    }
    key.b[j] = std::move(b);
  }
  return key;
}

RelinKey KeyGenerator::GenerateRelinKey(const SecretKey& sk) const {
  const Basis basis = FullBasis(*context_);
  RnsPoly s_squared(context_->n(), basis.size());
  Mul(*context_, basis, sk.ntt, sk.ntt, s_squared);
  RelinKey rk;
  rk.key = MakeKeySwitchKey(sk, s_squared);
  rk.context_id = context_->id();
  s_squared.Wipe();
  return rk;
}

GaloisKeys KeyGenerator::GenerateGaloisKeys(const SecretKey& sk, std::span<const int64_t> steps,
                                            bool conjugation) const {
  std::vector<uint64_t> elements;
  for (int64_t step : steps) elements.push_back(context_->GaloisElementForStep(step));
  if (conjugation) elements.push_back(context_->ConjugationElement());
  GaloisKeys keys;
  keys.context_id = context_->id();
  for (uint64_t g : elements) {
    if (g == 1 || keys.Has(g)) continue;
    RnsPoly rotated;
    ApplyGalois(context_->GaloisPermutation(g), sk.ntt, rotated);
    keys.keys.emplace(g, MakeKeySwitchKey(sk, rotated));
    rotated.Wipe();
  }
  return keys;
}

GaloisKeys KeyGenerator::GeneratePowerOfTwoGaloisKeys(const SecretKey& sk, bool conjugation) const {
  std::vector<int64_t> steps;
  for (int64_t step = 1; step < static_cast<int64_t>(context_->slots()); step <<= 1) {
    steps.push_back(step);
    steps.push_back(-step);
  }
  return GenerateGaloisKeys(sk, steps, conjugation);
}

}  // namespace zektra::he
