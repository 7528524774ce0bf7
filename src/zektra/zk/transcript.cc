#include "zektra/zk/transcript.h"

#include <unordered_set>

#include "zektra/base/status.h"

namespace zektra {
namespace {

enum Kind : uint8_t { kBytes = 1, kU64 = 2, kDigest = 3, kFp = 4, kFp2 = 5, kFpVec = 6, kFp2Vec = 7 };

void PutU64(Sha256& h, uint64_t v) {
  uint8_t b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<uint8_t>(v >> (8 * i));
  h.Update(b, 8);
}

void PutLabel(Sha256& h, std::string_view label) {
  PutU64(h, label.size());
  h.Update(label.data(), label.size());
}

}  // namespace

Transcript::Transcript(std::string_view protocol) {
  Sha256 h;
  h.Update(AsBytes("zektra.transcript.v1"));
  PutLabel(h, protocol);
  state_ = h.Final();
}

void Transcript::Absorb(std::string_view label, uint8_t kind, ByteSpan data) {
  Sha256 h;
  h.Update(AsBytes("zektra.absorb"));
  h.Update(state_.data(), state_.size());
  PutLabel(h, label);
  h.Update(&kind, 1);
  PutU64(h, data.size());
  h.Update(data);
  state_ = h.Final();
}

void Transcript::AbsorbBytes(std::string_view label, ByteSpan data) { Absorb(label, kBytes, data); }

void Transcript::AbsorbU64(std::string_view label, uint64_t value) {
  uint8_t b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<uint8_t>(value >> (8 * i));
  Absorb(label, kU64, ByteSpan(b, 8));
}

void Transcript::AbsorbDigest(std::string_view label, const Digest& digest) {
  Absorb(label, kDigest, ByteSpan(digest.data(), digest.size()));
}

void Transcript::AbsorbFp(std::string_view label, Fp value) { AbsorbFps(label, std::span<const Fp>(&value, 1)); }

void Transcript::AbsorbFp2(std::string_view label, Fp2 value) {
  AbsorbFp2s(label, std::span<const Fp2>(&value, 1));
}

void Transcript::AbsorbFps(std::string_view label, std::span<const Fp> values) {
  static_assert(sizeof(Fp) == 8, "Fp must be a plain 64-bit value");
  Absorb(label, values.size() == 1 ? kFp : kFpVec,
         ByteSpan(reinterpret_cast<const uint8_t*>(values.data()), values.size() * 8));
}

void Transcript::AbsorbFp2s(std::string_view label, std::span<const Fp2> values) {
  static_assert(sizeof(Fp2) == 16, "Fp2 must be two plain 64-bit values");
  Absorb(label, values.size() == 1 ? kFp2 : kFp2Vec,
         ByteSpan(reinterpret_cast<const uint8_t*>(values.data()), values.size() * 16));
}

uint64_t Transcript::SqueezeU64(std::string_view label) {
  Sha256 h;
  h.Update(AsBytes("zektra.squeeze"));
  h.Update(state_.data(), state_.size());
  PutLabel(h, label);
  PutU64(h, counter_++);
  Digest out = h.Final();
  h.Update(state_.data(), state_.size()).Update(out.data(), out.size());
  state_ = h.Final();
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(out[i]) << (8 * i);
  return v;
}

Fp Transcript::ChallengeFp(std::string_view label) {
  for (;;) {
    uint64_t v = SqueezeU64(label);
    if (v < Fp::kModulus) return Fp::From(v);  // rejects with probability 2^-32
  }
}

Fp2 Transcript::ChallengeFp2(std::string_view label) {
  Fp a = ChallengeFp(label);
  Fp b = ChallengeFp(label);
  return Fp2(a, b);
}

std::vector<Fp2> Transcript::ChallengeFp2s(std::string_view label, size_t n) {
  std::vector<Fp2> out(n);
  for (auto& x : out) x = ChallengeFp2(label);
  return out;
}

uint64_t Transcript::ChallengeIndex(std::string_view label, uint64_t bound) {
  ZK_CHECK(bound >= 1, "challenge index bound must be positive");
  // Reject the top partial interval so every residue is equally likely.
  const uint64_t limit = UINT64_MAX - (UINT64_MAX % bound + 1) % bound;
  for (;;) {
    uint64_t v = SqueezeU64(label);
    if (v <= limit) return v % bound;
  }
}

std::vector<uint64_t> Transcript::ChallengeDistinctIndices(std::string_view label, uint64_t bound, size_t n) {
  ZK_CHECK(n <= bound, "more distinct indices than the range holds");
  std::vector<uint64_t> out;
  out.reserve(n);
  std::unordered_set<uint64_t> seen;
  while (out.size() < n) {
    uint64_t i = ChallengeIndex(label, bound);
    if (seen.insert(i).second) out.push_back(i);
  }
  return out;
}

}  // namespace zektra
