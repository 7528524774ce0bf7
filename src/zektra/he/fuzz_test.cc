// In-process mutation run of the HE file parsers (tests/fuzz_targets_he.h): valid files of
// every kind, each with single-byte changes, truncations and random garbage. Any accepted
// mutation must re-serialize to itself; nothing may abort (ASan/UBSan catch bad reads).
#include <gtest/gtest.h>

#include <random>

#include "tests/fuzz_targets_he.h"
#include "zektra/he/encoder.h"
#include "zektra/he/encryptor.h"
#include "zektra/he/keys.h"

namespace zektra::he {
namespace {

using fuzz::HeFuzzParser;

struct ValidFile {
  HeFuzzParser parser;
  Bytes bytes;
};

std::vector<ValidFile> ValidFiles() {
  const HeContextPtr& ctx = fuzz::FuzzHeContext();
  KeyGenerator keygen(ctx);
  SecretKey sk = keygen.GenerateSecretKey();
  PublicKey pk = keygen.GeneratePublicKey(sk);
  RelinKey rk = keygen.GenerateRelinKey(sk);
  const int64_t steps[] = {1};
  GaloisKeys gk = keygen.GenerateGaloisKeys(sk, steps, false);
  Encoder encoder(ctx);
  std::vector<double> values(8, 0.25);
  auto pt = encoder.Encode(values);
  EXPECT_TRUE(pt.ok());
  Encryptor enc(ctx, pk);
  auto ct = enc.Encrypt(*pt);
  EXPECT_TRUE(ct.ok());
  train::EncryptedContainer container;
  container.meta = {{"rows", 1}};
  container.ciphertexts.push_back(*ct);
  return {
      {HeFuzzParser::kParameters, SerializeParameters(ctx->params())},
      {HeFuzzParser::kCiphertext, SerializeCiphertext(*ctx, *ct)},
      {HeFuzzParser::kPlaintext, SerializePlaintext(*ctx, *pt)},
      {HeFuzzParser::kPublicKey, SerializePublicKey(*ctx, pk)},
      {HeFuzzParser::kRelinKey, SerializeRelinKey(*ctx, rk)},
      {HeFuzzParser::kGaloisKeys, SerializeGaloisKeys(*ctx, gk)},
      {HeFuzzParser::kSecretKey, SerializeSecretKey(*ctx, sk)},
      {HeFuzzParser::kDatasetContainer, train::SerializeContainer(*ctx, container)},
  };
}

TEST(HeFuzz, ValidFilesRoundTrip) {
  for (const ValidFile& s : ValidFiles())
    EXPECT_TRUE(fuzz::ParseHeFile(s.parser, s.bytes)) << static_cast<int>(s.parser);
}

TEST(HeFuzz, MutatedFilesNeverCrash) {
  std::mt19937_64 rng(20261121);
  for (const ValidFile& s : ValidFiles()) {
    ASSERT_FALSE(s.bytes.empty());
    for (int k = 0; k < 150; ++k) {
      Bytes m = s.bytes;
      // Headers are where the structure lives: mutate them more often.
      const size_t span = (k % 2 == 0) ? std::min<size_t>(m.size(), 128) : m.size();
      const size_t at = rng() % span;
      m[at] ^= static_cast<uint8_t>(1 + rng() % 255);
      fuzz::ParseHeFile(s.parser, m);
      m.resize(rng() % (m.size() + 1));
      fuzz::ParseHeFile(s.parser, m);
    }
  }
  for (int k = 0; k < 300; ++k) {
    Bytes garbage(rng() % 512);
    for (auto& b : garbage) b = static_cast<uint8_t>(rng());
    garbage.insert(garbage.begin(), static_cast<uint8_t>(k));
    fuzz::HeFilesTarget(garbage.data(), garbage.size());
  }
}

}  // namespace
}  // namespace zektra::he
