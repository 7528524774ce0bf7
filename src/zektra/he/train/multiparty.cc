#include "zektra/he/train/multiparty.h"

#include <algorithm>
#include <set>

#include "zektra/base/serialize.h"
#include "zektra/crypto/random.h"
#include "zektra/he/modarith.h"
#include "zektra/he/poly_ops.h"
#include "zektra/he/serialization.h"
#include "zektra/he/train/logreg.h"
#include "zektra/he/train/wire.h"

namespace zektra::he::train {

namespace {
constexpr uint32_t kSessionMagic = wire::Magic("ZKMS");
constexpr uint32_t kSecretMagic = wire::Magic("ZKPS");
constexpr uint32_t kShare1Magic = wire::Magic("ZKS1");
constexpr uint32_t kRound1Magic = wire::Magic("ZKR1");
constexpr uint32_t kShare2Magic = wire::Magic("ZKS2");
constexpr uint32_t kDecryptMagic = wire::Magic("ZKDS");

Seed DeriveSeed(const Seed& common, std::string_view label, uint64_t index) {
  Sha256 h;
  h.Update(common.data(), common.size());
  h.Update(label.data(), label.size());
  uint8_t le[8];
  for (int i = 0; i < 8; ++i) le[i] = static_cast<uint8_t>(index >> (8 * i));
  h.Update(le, 8);
  return h.Final();
}

RnsPoly ErrorPoly(const HeContext& c, const Basis& basis) {
  std::vector<int64_t> e = SampleGaussian(c.n());
  RnsPoly p = SmallToNtt(c, basis, e);
  SecureWipe(e);
  return p;
}

// poly += P·g_j·s' on the primes of digit j (the hybrid key-switching gadget).
void AddGadget(const HeContext& c, size_t digit, const RnsPoly& s_prime, RnsPoly& poly) {
  const size_t alpha = c.alpha();
  for (size_t i = digit * alpha; i < std::min((digit + 1) * alpha, c.num_q()); ++i) {
    const uint64_t q = c.modulus(i).value;
    const uint64_t w = c.PModQ(i), ws = ShoupPrecompute(w, q);
    uint64_t* out = poly.limb(i);
    const uint64_t* sp = s_prime.limb(i);
    for (size_t t = 0; t < c.n(); ++t) out[t] = AddMod(out[t], MulShoup(sp[t], w, ws, q), q);
  }
}

// −a·x + e + gadget_j(y) over the full basis.
RnsPoly KeySwitchShareDigit(const HeContext& c, const RnsPoly& a, const RnsPoly& x, size_t digit,
                            const RnsPoly& y) {
  const Basis basis = FullBasis(c);
  RnsPoly out = ErrorPoly(c, basis);
  RnsPoly ax(c.n(), basis.size());
  Mul(c, basis, a, x, ax);
  SubInPlace(c, basis, out, ax);
  AddGadget(c, digit, y, out);
  return out;
}

std::string PartyName(uint32_t i) {
  return "party " + std::to_string(i);
}

// The membership rules shared by every combiner.
template <typename Share>
Status CheckMembers(const Session& session, const std::vector<Share>& shares, const char* what) {
  const Digest id = session.Id();
  std::set<uint32_t> seen;
  for (const Share& s : shares) {
    if (s.session_id != id) {
      return Status::BadInput(std::string(what) + " of " + PartyName(s.index) +
                              " belongs to another session (session id differs)");
    }
    if (s.index >= session.parties) {
      return Status::BadInput(std::string(what) + " from " + PartyName(s.index) +
                              ", which is not a member (parties 0.." +
                              std::to_string(session.parties - 1) + ")");
    }
    if (!seen.insert(s.index).second) {
      return Status::BadInput("two " + std::string(what) + "s from " + PartyName(s.index));
    }
  }
  for (uint32_t i = 0; i < session.parties; ++i) {
    if (!seen.count(i)) {
      return Status::BadInput("missing the " + std::string(what) + " of " + PartyName(i) +
                              " (all " + std::to_string(session.parties) +
                              " parties must contribute)");
    }
  }
  return Status::Ok();
}

void WriteSessionHeader(ByteWriter& w, uint32_t magic, const HeContext& c, const Digest& session_id,
                        uint32_t index) {
  wire::WriteHeader(w, magic, c);
  wire::WriteDigest(w, session_id);
  w.U32(index);
}

Status ReadSessionHeader(ByteReader& r, uint32_t magic, const HeContext& c, const std::string& what,
                         Digest* session_id, uint32_t* index) {
  ZK_RETURN_IF_ERROR(wire::ReadHeader(r, magic, c, what));
  *session_id = wire::ReadDigest(r, "session id");
  *index = r.U32("party index");
  if (!r.ok()) return Status::BadInput(what + ": truncated");
  return Status::Ok();
}

void WritePolys(ByteWriter& w, const std::vector<RnsPoly>& polys) {
  w.U32(static_cast<uint32_t>(polys.size()));
  for (const RnsPoly& p : polys) wire::WritePoly(w, p);
}

Status ReadPolys(ByteReader& r, const HeContext& c, size_t count, size_t limbs,
                 std::vector<RnsPoly>* out, const std::string& what) {
  const uint32_t got = r.U32("count");
  if (!r.ok()) return Status::BadInput(what + ": truncated");
  if (got != count) {
    return Status::BadInput(what + ": " + std::to_string(got) + " polynomials, expected " +
                            std::to_string(count));
  }
  out->resize(count);
  for (size_t i = 0; i < count; ++i)
    ZK_RETURN_IF_ERROR(wire::ReadPoly(r, c, limbs, &(*out)[i], what));
  return Status::Ok();
}

Status Done(ByteReader& r, const std::string& what) {
  if (!r.ok()) return Status::BadInput(what + ": truncated");
  if (r.remaining() != 0) return Status::BadInput(what + ": trailing bytes");
  return Status::Ok();
}

}  // namespace

Digest Session::Id() const {
  return Sha256::Hash(SerializeSession(*this));
}

Bytes SerializeSession(const Session& s) {
  ByteWriter w;
  w.U32(kSessionMagic);
  w.U32(1);
  w.Blob(SerializeParameters(s.params));
  w.Raw(s.common_seed);
  w.U32(s.parties);
  w.U32(static_cast<uint32_t>(s.iterations));
  return w.Take();
}

Result<Session> ParseSession(ByteSpan bytes, const std::string& where) {
  ByteReader r(bytes);
  const std::string what = where + " (session)";
  if (r.U32("magic") != kSessionMagic || !r.ok())
    return Status::BadInput(what + ": not a session file (bad magic)");
  const uint32_t version = r.U32("version");
  if (!r.ok() || version != 1) return Status::BadInput(what + ": unknown version");
  Session s;
  ByteSpan params = r.Blob("parameters");
  if (!r.ok()) return Status::BadInput(what + ": truncated");
  auto p = ParseParameters(params);
  if (!p.ok()) return p.status().WithContext(what);
  s.params = *p;
  ByteSpan seed = r.Raw(32, "seed");
  s.parties = r.U32("parties");
  s.iterations = static_cast<int>(r.U32("iterations"));
  ZK_RETURN_IF_ERROR(Done(r, what));
  std::copy(seed.begin(), seed.end(), s.common_seed.begin());
  if (s.parties < 2 || s.parties > 64)
    return Status::BadInput(what + ": parties must lie in 2..64");
  if (s.iterations < 1 || s.iterations > 64)
    return Status::BadInput(what + ": iterations out of range");
  return s;
}

Result<Session> NewSession(uint32_t parties, int iterations) {
  if (parties < 2 || parties > 64) return Status::InvalidArgument("parties must lie in 2..64");
  Session s;
  ZK_ASSIGN_OR_RETURN(s.params, TrainingParameters(iterations));
  s.common_seed = RandomSeed();
  s.parties = parties;
  s.iterations = iterations;
  return s;
}

Bytes SerializePartySecret(const HeContext& c, const Digest& session_id, const PartySecret& p) {
  ByteWriter w;
  WriteSessionHeader(w, kSecretMagic, c, session_id, p.index);
  Bytes s = SerializeSecretKey(c, p.s), u = SerializeSecretKey(c, p.u);
  w.Blob(s);
  w.Blob(u);
  SecureWipe(s.data(), s.size());
  SecureWipe(u.data(), u.size());
  return w.Take();
}

Result<PartySecret> ParsePartySecret(const HeContextPtr& c, const Digest& session_id,
                                     ByteSpan bytes, const std::string& where) {
  ByteReader r(bytes);
  const std::string what = where + " (party secret)";
  PartySecret p;
  Digest id{};
  ZK_RETURN_IF_ERROR(ReadSessionHeader(r, kSecretMagic, *c, what, &id, &p.index));
  if (id != session_id) return Status::BadInput(what + ": belongs to another session");
  ByteSpan s = r.Blob("s"), u = r.Blob("u");
  ZK_RETURN_IF_ERROR(Done(r, what));
  auto sk = ParseSecretKey(c, s);
  if (!sk.ok()) return sk.status().WithContext(what);
  auto uk = ParseSecretKey(c, u);
  if (!uk.ok()) return uk.status().WithContext(what);
  p.s = std::move(*sk);
  p.u = std::move(*uk);
  return p;
}

Party::Party(HeContextPtr context, const Session& session)
    : context_(std::move(context)), session_(session), session_id_(session.Id()) {}

KeyShare Party::GenerateKeyShare(uint32_t index, const std::vector<int64_t>& rotation_steps,
                                 PartySecret* secret) const {
  const HeContext& c = *context_;
  KeyGenerator keygen(context_);
  secret->index = index;
  secret->s = keygen.GenerateSecretKey();
  secret->u = keygen.GenerateSecretKey();
  const SecretKey& s = secret->s;
  KeyShare share;
  share.session_id = session_id_;
  share.index = index;
  share.public_key = keygen.PublicKeyShare(s, DeriveSeed(session_.common_seed, "public key", 0));

  KeySwitchKey relin_a;
  relin_a.seed = DeriveSeed(session_.common_seed, "relinearisation", 0);
  keygen.ExpandKeySwitchKey(relin_a);
  const Basis basis = FullBasis(c);
  for (size_t j = 0; j < c.dnum(); ++j) {
    share.relin_h0.push_back(KeySwitchShareDigit(c, relin_a.a[j], secret->u.ntt, j, s.ntt));
    RnsPoly h1 = ErrorPoly(c, basis);
    MulAccumulate(c, basis, h1, relin_a.a[j], s.ntt);
    share.relin_h1.push_back(std::move(h1));
  }
  for (int64_t step : rotation_steps) {
    const uint64_t g = c.GaloisElementForStep(step);
    if (g == 1 || share.galois.count(g)) continue;
    KeySwitchKey ga;
    ga.seed = DeriveSeed(session_.common_seed, "galois", g);
    keygen.ExpandKeySwitchKey(ga);
    RnsPoly rotated;
    ApplyGalois(c.GaloisPermutation(g), s.ntt, rotated);
    std::vector<RnsPoly> digits;
    for (size_t j = 0; j < c.dnum(); ++j)
      digits.push_back(KeySwitchShareDigit(c, ga.a[j], s.ntt, j, rotated));
    rotated.Wipe();
    share.galois.emplace(g, std::move(digits));
  }
  return share;
}

Result<RelinShare> Party::GenerateRelinShare(const PartySecret& secret,
                                             const RelinRound1& round1) const {
  const HeContext& c = *context_;
  if (round1.session_id != session_id_)
    return Status::BadInput("relinearisation round 1 belongs to another session");
  if (round1.h0.size() != c.dnum() || round1.h1.size() != c.dnum()) {
    return Status::BadInput("relinearisation round 1: wrong number of digits");
  }
  const Basis basis = FullBasis(c);
  RnsPoly u_minus_s = secret.u.ntt;
  SubInPlace(c, basis, u_minus_s, secret.s.ntt);
  RelinShare share;
  share.session_id = session_id_;
  share.index = secret.index;
  for (size_t j = 0; j < c.dnum(); ++j) {
    RnsPoly h0 = ErrorPoly(c, basis);
    MulAccumulate(c, basis, h0, round1.h0[j], secret.s.ntt);
    RnsPoly h1 = ErrorPoly(c, basis);
    MulAccumulate(c, basis, h1, round1.h1[j], u_minus_s);
    share.h0.push_back(std::move(h0));
    share.h1.push_back(std::move(h1));
  }
  u_minus_s.Wipe();
  return share;
}

double SmudgingLog2Sigma(const Ciphertext& ct) {
  return std::log2(ct.scale) - 20;
}

Digest CiphertextDigest(const HeContext& c, const Ciphertext& ct) {
  return Sha256::Hash(SerializeCiphertext(c, ct));
}

Result<DecryptionShare> Party::DecryptShare(const PartySecret& secret, const Ciphertext& ct,
                                            double log2_sigma) const {
  const HeContext& c = *context_;
  ZK_RETURN_IF_ERROR(c.CheckCiphertext(ct, "decryption share"));
  if (ct.size() != 2)
    return Status::InvalidArgument("decryption share: ciphertext must be relinearised");
  if (!(log2_sigma >= 0) || log2_sigma + 4 >= c.LogModulus(ct.level)) {
    return Status::InvalidArgument("decryption share: smudging width does not fit the modulus");
  }
  const Basis basis = LevelBasis(ct.level);
  DecryptionShare share;
  share.session_id = session_id_;
  share.index = secret.index;
  share.ciphertext_digest = CiphertextDigest(c, ct);
  share.level = ct.level;
  std::vector<double> noise = SampleWideGaussian(c.n(), log2_sigma);
  std::vector<int64_t> integers(noise.begin(), noise.end());
  SecureWipe(noise);
  share.d = SignedToNtt(c, basis, integers);
  SecureWipe(integers);
  MulAccumulate(c, basis, share.d, ct.parts[1], secret.s.ntt);
  return share;
}

Result<CollectiveKeys> CombineKeyShares(const HeContextPtr& context, const Session& session,
                                        const std::vector<KeyShare>& shares) {
  ZK_RETURN_IF_ERROR(CheckMembers(session, shares, "key share"));
  const HeContext& c = *context;
  KeyGenerator keygen(context);
  CollectiveKeys out;
  const Basis qbasis = LevelBasis(c.max_level()), full = FullBasis(c);
  for (const KeyShare& s : shares) {
    if (s.galois.size() != shares[0].galois.size() ||
        !std::equal(s.galois.begin(), s.galois.end(), shares[0].galois.begin(),
                    [](const auto& a, const auto& b) { return a.first == b.first; })) {
      return Status::BadInput("key share of " + PartyName(s.index) +
                              " covers other rotations than " + PartyName(shares[0].index) + "'s");
    }
  }
  out.public_key.seed = DeriveSeed(session.common_seed, "public key", 0);
  out.public_key.b = shares[0].public_key;
  out.round1.session_id = session.Id();
  out.round1.h0 = shares[0].relin_h0;
  out.round1.h1 = shares[0].relin_h1;
  out.galois.context_id = c.id();
  for (const auto& [g, digits] : shares[0].galois) {
    KeySwitchKey key;
    key.seed = DeriveSeed(session.common_seed, "galois", g);
    key.b = digits;
    out.galois.keys.emplace(g, std::move(key));
  }
  for (size_t i = 1; i < shares.size(); ++i) {
    const KeyShare& s = shares[i];
    AddInPlace(c, qbasis, out.public_key.b, s.public_key);
    for (size_t j = 0; j < c.dnum(); ++j) {
      AddInPlace(c, full, out.round1.h0[j], s.relin_h0[j]);
      AddInPlace(c, full, out.round1.h1[j], s.relin_h1[j]);
    }
    for (const auto& [g, digits] : s.galois) {
      KeySwitchKey& key = out.galois.keys.at(g);
      for (size_t j = 0; j < c.dnum(); ++j) AddInPlace(c, full, key.b[j], digits[j]);
    }
  }
  out.public_key.context_id = c.id();
  keygen.ExpandPublicKey(out.public_key);
  for (auto& [g, key] : out.galois.keys) keygen.ExpandKeySwitchKey(key);
  return out;
}

Result<RelinKey> CombineRelinShares(const HeContextPtr& context, const Session& session,
                                    const RelinRound1& round1,
                                    const std::vector<RelinShare>& shares) {
  ZK_RETURN_IF_ERROR(CheckMembers(session, shares, "relinearisation share"));
  if (round1.session_id != session.Id())
    return Status::BadInput("relinearisation round 1 belongs to another session");
  const HeContext& c = *context;
  const Basis full = FullBasis(c);
  RelinKey key;
  key.context_id = c.id();
  for (size_t j = 0; j < c.dnum(); ++j) {
    RnsPoly b(c.n(), full.size());
    for (const RelinShare& s : shares) {
      AddInPlace(c, full, b, s.h0[j]);
      AddInPlace(c, full, b, s.h1[j]);
    }
    key.key.b.push_back(std::move(b));
    key.key.a.push_back(round1.h1[j]);
  }
  return key;
}

Plaintext AddDecryptionShares(const HeContext& c, const Ciphertext& ct,
                              const std::vector<DecryptionShare>& shares) {
  Plaintext pt;
  pt.level = ct.level;
  pt.scale = ct.scale;
  pt.context_id = c.id();
  pt.poly = ct.parts[0];
  const Basis basis = LevelBasis(ct.level);
  for (const DecryptionShare& s : shares) AddInPlace(c, basis, pt.poly, s.d);
  return pt;
}

Result<Plaintext> CombineDecryption(const HeContextPtr& context, const Session& session,
                                    const Ciphertext& ct,
                                    const std::vector<DecryptionShare>& shares) {
  ZK_RETURN_IF_ERROR(CheckMembers(session, shares, "decryption share"));
  ZK_RETURN_IF_ERROR(context->CheckCiphertext(ct, "combine decryption"));
  const Digest digest = CiphertextDigest(*context, ct);
  for (const DecryptionShare& s : shares) {
    if (s.ciphertext_digest != digest || s.level != ct.level) {
      return Status::BadInput("decryption share of " + PartyName(s.index) +
                              " decrypts another ciphertext");
    }
  }
  return AddDecryptionShares(*context, ct, shares);
}

// ---- files ----

uint32_t FileMagic(ByteSpan bytes) {
  if (bytes.size() < 4) return 0;
  return static_cast<uint32_t>(bytes[0]) | static_cast<uint32_t>(bytes[1]) << 8 |
         static_cast<uint32_t>(bytes[2]) << 16 | static_cast<uint32_t>(bytes[3]) << 24;
}
uint32_t KeyShareMagic() {
  return kShare1Magic;
}
uint32_t RelinShareMagic() {
  return kShare2Magic;
}

Bytes SerializeKeyShare(const HeContext& c, const KeyShare& s) {
  ByteWriter w;
  WriteSessionHeader(w, kShare1Magic, c, s.session_id, s.index);
  wire::WritePoly(w, s.public_key);
  WritePolys(w, s.relin_h0);
  WritePolys(w, s.relin_h1);
  w.U32(static_cast<uint32_t>(s.galois.size()));
  for (const auto& [g, digits] : s.galois) {
    w.U64(g);
    WritePolys(w, digits);
  }
  return w.Take();
}

Result<KeyShare> ParseKeyShare(const HeContext& c, ByteSpan bytes, const std::string& where) {
  ByteReader r(bytes);
  const std::string what = where + " (key share)";
  KeyShare s;
  ZK_RETURN_IF_ERROR(ReadSessionHeader(r, kShare1Magic, c, what, &s.session_id, &s.index));
  ZK_RETURN_IF_ERROR(wire::ReadPoly(r, c, c.num_q(), &s.public_key, what));
  ZK_RETURN_IF_ERROR(ReadPolys(r, c, c.dnum(), c.num_moduli(), &s.relin_h0, what));
  ZK_RETURN_IF_ERROR(ReadPolys(r, c, c.dnum(), c.num_moduli(), &s.relin_h1, what));
  const uint32_t count = r.U32("galois count");
  if (!r.ok() || count > 64) return Status::BadInput(what + ": bad rotation key count");
  for (uint32_t i = 0; i < count; ++i) {
    const uint64_t g = r.U64("galois element");
    if (!r.ok()) return Status::BadInput(what + ": truncated");
    if (g % 2 == 0 || g >= 2 * c.n() || s.galois.count(g)) {
      return Status::BadInput(what + ": bad or repeated Galois element " + std::to_string(g));
    }
    std::vector<RnsPoly> digits;
    ZK_RETURN_IF_ERROR(ReadPolys(r, c, c.dnum(), c.num_moduli(), &digits, what));
    s.galois.emplace(g, std::move(digits));
  }
  ZK_RETURN_IF_ERROR(Done(r, what));
  return s;
}

Bytes SerializeRelinShare(const HeContext& c, const RelinShare& s) {
  ByteWriter w;
  WriteSessionHeader(w, kShare2Magic, c, s.session_id, s.index);
  WritePolys(w, s.h0);
  WritePolys(w, s.h1);
  return w.Take();
}

Result<RelinShare> ParseRelinShare(const HeContext& c, ByteSpan bytes, const std::string& where) {
  ByteReader r(bytes);
  const std::string what = where + " (relinearisation share)";
  RelinShare s;
  ZK_RETURN_IF_ERROR(ReadSessionHeader(r, kShare2Magic, c, what, &s.session_id, &s.index));
  ZK_RETURN_IF_ERROR(ReadPolys(r, c, c.dnum(), c.num_moduli(), &s.h0, what));
  ZK_RETURN_IF_ERROR(ReadPolys(r, c, c.dnum(), c.num_moduli(), &s.h1, what));
  ZK_RETURN_IF_ERROR(Done(r, what));
  return s;
}

Bytes SerializeRelinRound1(const HeContext& c, const RelinRound1& s) {
  ByteWriter w;
  WriteSessionHeader(w, kRound1Magic, c, s.session_id, 0);
  WritePolys(w, s.h0);
  WritePolys(w, s.h1);
  return w.Take();
}

Result<RelinRound1> ParseRelinRound1(const HeContext& c, ByteSpan bytes, const std::string& where) {
  ByteReader r(bytes);
  const std::string what = where + " (relinearisation round 1)";
  RelinRound1 s;
  uint32_t unused = 0;
  ZK_RETURN_IF_ERROR(ReadSessionHeader(r, kRound1Magic, c, what, &s.session_id, &unused));
  ZK_RETURN_IF_ERROR(ReadPolys(r, c, c.dnum(), c.num_moduli(), &s.h0, what));
  ZK_RETURN_IF_ERROR(ReadPolys(r, c, c.dnum(), c.num_moduli(), &s.h1, what));
  ZK_RETURN_IF_ERROR(Done(r, what));
  return s;
}

Bytes SerializeDecryptionShare(const HeContext& c, const DecryptionShare& s) {
  ByteWriter w;
  WriteSessionHeader(w, kDecryptMagic, c, s.session_id, s.index);
  wire::WriteDigest(w, s.ciphertext_digest);
  w.U32(static_cast<uint32_t>(s.level));
  wire::WritePoly(w, s.d);
  return w.Take();
}

Result<DecryptionShare> ParseDecryptionShare(const HeContext& c, ByteSpan bytes,
                                             const std::string& where) {
  ByteReader r(bytes);
  const std::string what = where + " (decryption share)";
  DecryptionShare s;
  ZK_RETURN_IF_ERROR(ReadSessionHeader(r, kDecryptMagic, c, what, &s.session_id, &s.index));
  s.ciphertext_digest = wire::ReadDigest(r, "ciphertext digest");
  const uint32_t level = r.U32("level");
  if (!r.ok()) return Status::BadInput(what + ": truncated");
  if (level > c.max_level())
    return Status::BadInput(what + ": level " + std::to_string(level) + " above the chain");
  s.level = level;
  ZK_RETURN_IF_ERROR(wire::ReadPoly(r, c, level + 1, &s.d, what));
  ZK_RETURN_IF_ERROR(Done(r, what));
  return s;
}

}  // namespace zektra::he::train
