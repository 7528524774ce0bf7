// The tamper harness every proof's tests share: single-bit flips spread over a proof file,
// random mutations fed to a fuzz target, and statement fields edited after proving. Each returns
// the list of mutations that the verifier ACCEPTED, so a test asserts it is empty and a failure
// names the culprit.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "zektra/base/serialize.h"
#include "zektra/crypto/sha256.h"
#include "zektra/zk/proof_format.h"

namespace zektra::testing {

using AcceptsFn = std::function<bool(const Bytes&)>;
inline const std::vector<std::string> kNoneAccepted;

// Flips bit k mod 8 of byte (k·7919 + k²·31) mod (n − 32) for k < count: positions spread over
// the whole file. The container checksum (the last 32 bytes) would catch every flip early, so
// each mutated file is re-sealed to reach the verifier's own checks.
inline std::vector<std::string> AcceptedByteFlips(const Bytes& proof, size_t count,
                                                  const AcceptsFn& accepts) {
  std::vector<std::string> accepted;
  const size_t n = proof.size();
  if (n <= 32) return {"proof too short to flip"};
  for (size_t k = 0; k < count; ++k) {
    Bytes m = proof;
    const size_t pos = (k * 7919 + k * k * 31) % (n - 32);
    m[pos] ^= static_cast<uint8_t>(1u << (k % 8));
    const Digest d = Sha256::Hash(ByteSpan(m.data(), n - 32));
    std::copy(d.begin(), d.end(), m.end() - 32);
    if (accepts(m)) accepted.push_back("flip of byte " + std::to_string(pos));
  }
  return accepted;
}

// `count` mutations from a fixed-seed generator, in turn: a truncation, 16 random bytes
// overwritten, 8 bytes inserted. Each is also fed to `fuzz_target` (which must not crash).
inline std::vector<std::string> AcceptedMutations(
    const Bytes& proof, uint64_t seed, int count,
    const std::function<void(const uint8_t*, size_t)>& fuzz_target, const AcceptsFn& accepts) {
  std::vector<std::string> accepted;
  uint64_t state = seed;
  auto next = [&] { return state = state * 6364136223846793005ULL + 1442695040888963407ULL; };
  for (int k = 0; k < count; ++k) {
    Bytes m = proof;
    switch (k % 3) {
      case 0:
        m.resize(next() % m.size());
        break;
      case 1:
        for (int b = 0; b < 16; ++b) m[next() % m.size()] = static_cast<uint8_t>(next());
        break;
      default: {
        const size_t at = next() % m.size();
        m.insert(m.begin() + static_cast<std::ptrdiff_t>(at), 8, static_cast<uint8_t>(next()));
      }
    }
    fuzz_target(m.data(), m.size());
    if (accepts(m)) accepted.push_back("mutation " + std::to_string(k));
  }
  return accepted;
}

// Re-encodes the proof with each edit applied to its statement (section `statement_tag`).
template <typename Statement>
std::vector<std::string> AcceptedStatementEdits(
    const ProofContainer& container, uint32_t statement_tag, const Statement& statement,
    const std::vector<std::function<void(Statement&)>>& edits, const AcceptsFn& accepts) {
  std::vector<std::string> accepted;
  for (size_t e = 0; e < edits.size(); ++e) {
    Statement edited = statement;
    edits[e](edited);
    ProofContainer c = container;
    c.Set(statement_tag, edited.Serialize());
    if (accepts(c.Encode())) accepted.push_back("edit " + std::to_string(e));
  }
  return accepted;
}

}  // namespace zektra::testing
