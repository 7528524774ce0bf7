// The versioned binary container every Zektra proof file is written in.
//
// Layout (all integers little-endian):
//   magic      4 bytes  "ZKTP"
//   version    u32      kProofFormatVersion; a layout change bumps it
//   kind       u32      what the payload proves (ProofKind)
//   count      u32      number of sections (≤ kMaxSections)
//   sections   count ×  { tag u32, length u64, length bytes }
//   checksum   32 bytes SHA-256 of everything before it
// Tags are unique and strictly increasing, so one byte string has one meaning. The
// parser checks every length against what remains and never reads past the buffer;
// the checksum catches accidental corruption early with a clear message (soundness
// never relies on it — a forger can recompute it — the verifier's checks do that).
#pragma once

#include <map>
#include <optional>

#include "zektra/base/bytes.h"

namespace zektra {

inline constexpr uint32_t kProofFormatVersion = 1;
inline constexpr uint32_t kMaxSections = 64;
inline constexpr char kProofMagic[4] = {'Z', 'K', 'T', 'P'};

enum class ProofKind : uint32_t {
  kTest = 0,              // used by tests and fuzzing only
  kPcsOpening = 1,        // a standalone polynomial-commitment opening
  kTrainingRun = 2,       // proof of training
  kTestAccuracy = 3,      // proof of test accuracy
};

class ProofContainer {
 public:
  ProofContainer() = default;
  explicit ProofContainer(ProofKind kind) : kind_(kind) {}

  ProofKind kind() const { return kind_; }
  // Adds or replaces a section. Tags are written in increasing order.
  void Set(uint32_t tag, Bytes payload) { sections_[tag] = std::move(payload); }
  // The section with this tag, or nullptr.
  const Bytes* Find(uint32_t tag) const;
  // The section, or a BadInput status naming the missing tag.
  Result<ByteSpan> Require(uint32_t tag, const char* name) const;
  const std::map<uint32_t, Bytes>& sections() const { return sections_; }

  Bytes Encode() const;
  // Parses and validates: magic, version, kind, lengths, tag order, checksum, no trailing bytes.
  static Result<ProofContainer> Parse(ByteSpan bytes);

 private:
  ProofKind kind_ = ProofKind::kTest;
  std::map<uint32_t, Bytes> sections_;
};

const char* ProofKindName(ProofKind kind);

}  // namespace zektra
