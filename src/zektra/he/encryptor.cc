#include "zektra/he/encryptor.h"

#include <cmath>

#include "zektra/crypto/random.h"
#include "zektra/he/encoder.h"
#include "zektra/he/poly_ops.h"

namespace zektra::he {

Encryptor::Encryptor(HeContextPtr context, const PublicKey& public_key)
    : context_(std::move(context)), public_key_(public_key) {
  ZK_CHECK(public_key.context_id == context_->id(), "public key from another context");
}

Encryptor::Encryptor(HeContextPtr context, const SecretKey& secret_key)
    : context_(std::move(context)), secret_key_(secret_key) {
  ZK_CHECK(secret_key.context_id == context_->id(), "secret key from another context");
}

Result<Ciphertext> Encryptor::Encrypt(const Plaintext& plaintext) const {
  ZK_RETURN_IF_ERROR(context_->CheckPlaintext(plaintext, "plaintext"));
  const HeContext& c = *context_;
  const size_t level = plaintext.level;
  const Basis basis = LevelBasis(level);
  const size_t n = c.n();
  Ciphertext ct;
  ct.level = level;
  ct.scale = plaintext.scale;
  ct.context_id = c.id();
  ct.parts.assign(2, RnsPoly(n, level + 1));
  if (public_key_) {
    std::vector<int8_t> v = SampleTernary(n);
    RnsPoly v_ntt = TernaryToNtt(c, basis, v);
    SecureWipe(v);
    std::vector<int64_t> e0 = SampleGaussian(n), e1 = SampleGaussian(n);
    ct.parts[0] = SmallToNtt(c, basis, e0);
    ct.parts[1] = SmallToNtt(c, basis, e1);
    SecureWipe(e0);
    SecureWipe(e1);
    MulAccumulate(c, basis, ct.parts[0], v_ntt, public_key_->b);
    MulAccumulate(c, basis, ct.parts[1], v_ntt, public_key_->a);
    v_ntt.Wipe();
  } else {
    RnsPoly a = ExpandUniform(RandomSeed(), "symmetric", n, [&] {
      std::vector<const Modulus*> m;
      for (size_t i : basis) m.push_back(&c.modulus(i));
      return m;
    }());
    std::vector<int64_t> e = SampleGaussian(n);
    ct.parts[0] = SmallToNtt(c, basis, e);
    SecureWipe(e);
    RnsPoly as(n, level + 1);
    Mul(c, basis, a, secret_key_->ntt, as);
    SubInPlace(c, basis, ct.parts[0], as);
    ct.parts[1] = std::move(a);
  }
  AddInPlace(c, basis, ct.parts[0], plaintext.poly);
  return ct;
}

Decryptor::Decryptor(HeContextPtr context, const SecretKey& secret_key)
    : context_(std::move(context)), secret_key_(secret_key) {
  ZK_CHECK(secret_key.context_id == context_->id(), "secret key from another context");
}

Result<Plaintext> Decryptor::Decrypt(const Ciphertext& ct) const {
  ZK_RETURN_IF_ERROR(context_->CheckCiphertext(ct, "ciphertext"));
  const HeContext& c = *context_;
  const Basis basis = LevelBasis(ct.level);
  Plaintext pt;
  pt.level = ct.level;
  pt.scale = ct.scale;
  pt.context_id = c.id();
  pt.poly = ct.parts[0];
  // s restricted to the level's primes: the first level+1 limbs of the full-basis key.
  RnsPoly s = secret_key_.ntt;
  s.Truncate(ct.level + 1);
  MulAccumulate(c, basis, pt.poly, ct.parts[1], s);
  if (ct.size() == 3) {
    RnsPoly s2(c.n(), ct.level + 1);
    Mul(c, basis, s, s, s2);
    MulAccumulate(c, basis, pt.poly, ct.parts[2], s2);
    s2.Wipe();
  }
  s.Wipe();
  return pt;
}

Result<Plaintext> Decryptor::DecryptWithFlooding(const Ciphertext& ct, double log2_sigma) const {
  // Box–Muller outputs stay below 9σ, so σ ≤ 2^56 keeps every sample inside int64.
  if (!(log2_sigma >= 0 && log2_sigma <= 56)) {
    return Status::InvalidArgument("flooding width must be 2^0 .. 2^56");
  }
  ZK_ASSIGN_OR_RETURN(Plaintext pt, Decrypt(ct));
  if (log2_sigma + 4 >= context_->LogModulus(ct.level) - 1) {
    return Status::OutOfRange("flooding noise 2^" + std::to_string(log2_sigma) +
                              " does not fit the modulus at level " + std::to_string(ct.level));
  }
  std::vector<double> noise = SampleWideGaussian(context_->n(), log2_sigma);
  std::vector<int64_t> integers(noise.begin(), noise.end());
  SecureWipe(noise);
  RnsPoly flood = SignedToNtt(*context_, LevelBasis(ct.level), integers);
  SecureWipe(integers);
  AddInPlace(*context_, LevelBasis(ct.level), pt.poly, flood);
  return pt;
}

Result<double> Decryptor::MeasureNoiseBits(const Ciphertext& ct, const Plaintext& expected) const {
  ZK_ASSIGN_OR_RETURN(Plaintext pt, Decrypt(ct));
  ZK_RETURN_IF_ERROR(context_->CheckPlaintext(expected, "expected plaintext"));
  if (expected.level != ct.level)
    return Status::InvalidArgument("expected plaintext level differs");
  SubInPlace(*context_, LevelBasis(ct.level), pt.poly, expected.poly);
  Encoder encoder(context_);
  std::vector<double> diff = encoder.PolyToCoefficients(pt.poly, ct.level);
  double max_abs = 0;
  for (double d : diff) max_abs = std::max(max_abs, std::fabs(d));
  return std::log2(std::max(max_abs, 1.0));
}

}  // namespace zektra::he
