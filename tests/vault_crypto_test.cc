// The libsodium wrappers the vault is built on: round trips, and refusal of every altered
// byte, wrong key, wrong recipient and forged signature.
#include <gtest/gtest.h>

#include <array>

#include "zektra/crypto/aead.h"
#include "zektra/crypto/kdf.h"
#include "zektra/crypto/keys.h"
#include "zektra/crypto/random.h"
#include "zektra/crypto/secure_buffer.h"
#include "zektra/crypto/sign.h"

namespace zektra {
namespace {

Bytes RandomVec(size_t n) {
  Bytes b(n);
  if (n) RandomBytes(b.data(), n);
  return b;
}

TEST(VaultCrypto, SecureBufferBasics) {
  SecureBuffer b = SecureBuffer::CopyOf(AsBytes("secret"));
  EXPECT_EQ(b.text(), "secret");
  SecureBuffer moved = std::move(b);
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(moved.text(), "secret");
  moved.Truncate(3);
  EXPECT_EQ(moved.text(), "sec");
  EXPECT_TRUE(SecureBuffer::Allocate(0)->empty());
  EXPECT_TRUE(ConstantTimeEqual(AsBytes("abc"), AsBytes("abc")));
  EXPECT_FALSE(ConstantTimeEqual(AsBytes("abc"), AsBytes("abd")));
  EXPECT_FALSE(ConstantTimeEqual(AsBytes("abc"), AsBytes("ab")));
}

TEST(VaultCrypto, AeadRoundTripAndTamper) {
  Bytes key = RandomVec(kAeadKeyBytes), nonce = RandomVec(kAeadNonceBytes), msg = RandomVec(100);
  Bytes ad = {1, 2, 3};
  Bytes ct(msg.size() + kAeadTagBytes);
  AeadSeal(key, nonce, msg, ad, ct);
  Bytes out(msg.size());
  ASSERT_TRUE(AeadOpen(key, nonce, ct, ad, out).ok());
  EXPECT_EQ(out, msg);
  for (size_t i = 0; i < ct.size(); ++i) {
    Bytes bad = ct;
    bad[i] ^= 0x01;
    Status s = AeadOpen(key, nonce, bad, ad, out);
    EXPECT_EQ(s.code(), StatusCode::kRejected) << i;
    EXPECT_EQ(out, Bytes(msg.size(), 0)) << "plaintext must be wiped on failure";
  }
  Bytes bad_ad = {1, 2, 4};
  EXPECT_FALSE(AeadOpen(key, nonce, ct, bad_ad, out).ok());
  Bytes other_key = RandomVec(kAeadKeyBytes);
  EXPECT_FALSE(AeadOpen(other_key, nonce, ct, ad, out).ok());
}

TEST(VaultCrypto, SecretStreamOrderAndFinal) {
  Bytes key = RandomVec(kAeadKeyBytes);
  std::array<uint8_t, kStreamHeaderBytes> header{};
  Bytes a = RandomVec(50), b = RandomVec(50);
  Bytes ca(a.size() + kStreamChunkOverhead), cb(b.size() + kStreamChunkOverhead);
  {
    StreamSealer sealer(key, header);
    sealer.Push(a, {}, false, ca.data());
    sealer.Push(b, {}, true, cb.data());
  }
  Bytes out(50);
  bool final_chunk = true;
  StreamOpener in_order;
  ASSERT_TRUE(in_order.Init(key, header).ok());
  ASSERT_TRUE(in_order.Pull(ca, {}, out.data(), &final_chunk).ok());
  EXPECT_FALSE(final_chunk);
  EXPECT_EQ(out, a);
  ASSERT_TRUE(in_order.Pull(cb, {}, out.data(), &final_chunk).ok());
  EXPECT_TRUE(final_chunk);
  EXPECT_EQ(out, b);
  StreamOpener swapped;
  ASSERT_TRUE(swapped.Init(key, header).ok());
  EXPECT_EQ(swapped.Pull(cb, {}, out.data(), &final_chunk).code(), StatusCode::kRejected);
}

TEST(VaultCrypto, Argon2idDeterministicAndSaltSensitive) {
  Bytes salt = RandomVec(kKdfSaltBytes), salt2 = RandomVec(kKdfSaltBytes);
  std::array<uint8_t, 32> k1{}, k2{}, k3{}, k4{};
  auto lim = Argon2idLimits::Minimum();
  ASSERT_TRUE(DeriveKeyArgon2id(AsBytes("pass"), salt, lim, k1).ok());
  ASSERT_TRUE(DeriveKeyArgon2id(AsBytes("pass"), salt, lim, k2).ok());
  ASSERT_TRUE(DeriveKeyArgon2id(AsBytes("Pass"), salt, lim, k3).ok());
  ASSERT_TRUE(DeriveKeyArgon2id(AsBytes("pass"), salt2, lim, k4).ok());
  EXPECT_EQ(k1, k2);
  EXPECT_NE(k1, k3);
  EXPECT_NE(k1, k4);
  Argon2idLimits huge{3, uint64_t{64} << 30};
  EXPECT_FALSE(huge.Validate().ok());
  EXPECT_FALSE(DeriveKeyArgon2id(AsBytes("pass"), salt, huge, k1).ok());
  EXPECT_TRUE(Argon2idLimits::Named("moderate").ok());
  EXPECT_FALSE(Argon2idLimits::Named("weak").ok());
}

TEST(VaultCrypto, SealedBoxOnlyForItsRecipient) {
  BoxKeyPair alice = BoxKeyPair::Generate(), bob = BoxKeyPair::Generate();
  Bytes msg = RandomVec(64);
  Bytes sealed = SealToRecipient(alice.public_key, msg);
  auto opened = OpenSealed(alice, sealed);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(Bytes(opened->data(), opened->data() + opened->size()), msg);
  EXPECT_EQ(OpenSealed(bob, sealed).status().code(), StatusCode::kRejected);
  sealed[10] ^= 1;
  EXPECT_FALSE(OpenSealed(alice, sealed).ok());
  auto rebuilt = BoxKeyPair::FromSecretKey(alice.secret_key.view());
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_EQ(rebuilt->public_key, alice.public_key);
}

TEST(VaultCrypto, SignaturesVerifyAndRejectTampering) {
  SignKeyPair k = SignKeyPair::Generate();
  Bytes msg = RandomVec(40);
  Signature sig = SignMessage(k, msg);
  EXPECT_TRUE(VerifySignature(k.public_key, msg, sig));
  Bytes bad = msg;
  bad[0] ^= 1;
  EXPECT_FALSE(VerifySignature(k.public_key, bad, sig));
  Signature bad_sig = sig;
  bad_sig[5] ^= 1;
  EXPECT_FALSE(VerifySignature(k.public_key, msg, bad_sig));
  EXPECT_FALSE(VerifySignature(SignKeyPair::Generate().public_key, msg, sig));
  auto again = SignKeyPair::FromSeed(k.Seed().view());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->public_key, k.public_key);
  EXPECT_EQ(SignMessage(*again, msg), sig);  // Ed25519 is deterministic
}

}  // namespace
}  // namespace zektra
