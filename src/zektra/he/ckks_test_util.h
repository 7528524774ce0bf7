// Shared fixtures for the CKKS tests: small parameter sets and slot-error helpers.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <random>
#include <vector>

#include "zektra/he/context.h"
#include "zektra/he/encoder.h"
#include "zektra/he/encryptor.h"
#include "zektra/he/evaluator.h"
#include "zektra/he/keys.h"

namespace zektra::he::testing {

// N = 2^13, Q = 60 + 2·40 bits, P = 60 bits: 200 ≤ 218.
inline CkksParameterSpec SmallSpec() {
  CkksParameterSpec s;
  s.log_n = 13;
  s.base_prime_bits = 60;
  s.scale_bits = 40;
  s.levels = 2;
  s.special_prime_bits = 60;
  s.dnum = 0;
  return s;
}

// N = 2^12, Q = 36 + 30 bits, P = 36 bits: 102 ≤ 109.
inline CkksParameterSpec TinySpec() {
  CkksParameterSpec s;
  s.log_n = 12;
  s.base_prime_bits = 36;
  s.scale_bits = 30;
  s.levels = 1;
  s.special_prime_bits = 36;
  s.dnum = 0;
  return s;
}

// N = 2^14, Q = 55 + 8·36 bits, P = 55 bits: 398 ≤ 438. Depth 8 needs 2^14 at 128 bits.
inline CkksParameterSpec Depth8Spec() {
  CkksParameterSpec s;
  s.log_n = 14;
  s.base_prime_bits = 55;
  s.scale_bits = 36;
  s.levels = 8;
  s.special_prime_bits = 55;
  s.dnum = 0;  // one digit per prime, P = one 55-bit prime
  return s;
}

inline HeContextPtr MakeContext(const CkksParameterSpec& spec) {
  auto params = MakeParameters(spec);
  EXPECT_TRUE(params.ok()) << params.status().message();
  auto context = HeContext::Create(*params);
  EXPECT_TRUE(context.ok()) << context.status().message();
  return *context;
}

inline std::vector<std::complex<double>> RandomSlots(size_t count, uint64_t seed,
                                                     double bound = 1.0) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> dist(-bound, bound);
  std::vector<std::complex<double>> out(count);
  for (auto& v : out) v = {dist(rng), dist(rng)};
  return out;
}

inline double MaxError(const std::vector<std::complex<double>>& got,
                       const std::vector<std::complex<double>>& want) {
  double worst = 0;
  for (size_t i = 0; i < want.size(); ++i) worst = std::max(worst, std::abs(got[i] - want[i]));
  return worst;
}

// Everything one test needs, built once per parameter set.
struct Rig {
  HeContextPtr context;
  Encoder encoder;
  KeyGenerator keygen;
  SecretKey sk;
  PublicKey pk;
  RelinKey rk;
  Encryptor encryptor;
  Decryptor decryptor;
  Evaluator evaluator;

  explicit Rig(HeContextPtr c)
      : context(c),
        encoder(c),
        keygen(c),
        sk(keygen.GenerateSecretKey()),
        pk(keygen.GeneratePublicKey(sk)),
        rk(keygen.GenerateRelinKey(sk)),
        encryptor(c, pk),
        decryptor(c, sk),
        evaluator(c) {}

  Ciphertext Encrypt(const std::vector<std::complex<double>>& values) {
    auto pt = encoder.Encode(values, context->default_scale(), context->max_level());
    EXPECT_TRUE(pt.ok()) << pt.status().message();
    auto ct = encryptor.Encrypt(*pt);
    EXPECT_TRUE(ct.ok()) << ct.status().message();
    return *ct;
  }
  std::vector<std::complex<double>> Decrypt(const Ciphertext& ct) {
    auto pt = decryptor.Decrypt(ct);
    EXPECT_TRUE(pt.ok()) << pt.status().message();
    auto values = encoder.Decode(*pt);
    EXPECT_TRUE(values.ok()) << values.status().message();
    return *values;
  }
};

}  // namespace zektra::he::testing
