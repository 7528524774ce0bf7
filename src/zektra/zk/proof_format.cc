#include "zektra/zk/proof_format.h"

#include <cstring>

#include "zektra/base/serialize.h"
#include "zektra/crypto/sha256.h"

namespace zektra {

const Bytes* ProofContainer::Find(uint32_t tag) const {
  auto it = sections_.find(tag);
  return it == sections_.end() ? nullptr : &it->second;
}

Result<ByteSpan> ProofContainer::Require(uint32_t tag, const char* name) const {
  const Bytes* b = Find(tag);
  if (b == nullptr) {
    return Status::BadInput(std::string("proof has no '") + name + "' section (tag " + std::to_string(tag) + ")");
  }
  return ByteSpan(*b);
}

Bytes ProofContainer::Encode() const {
  ByteWriter w;
  w.Raw(ByteSpan(reinterpret_cast<const uint8_t*>(kProofMagic), 4));
  w.U32(kProofFormatVersion);
  w.U32(static_cast<uint32_t>(kind_));
  w.U32(static_cast<uint32_t>(sections_.size()));
  for (const auto& [tag, payload] : sections_) {
    w.U32(tag);
    w.Blob(payload);
  }
  Digest checksum = Sha256::Hash(w.bytes());
  w.Raw(checksum);
  return w.Take();
}

const char* ProofKindName(ProofKind kind) {
  switch (kind) {
    case ProofKind::kTest:
      return "test";
    case ProofKind::kPcsOpening:
      return "polynomial-commitment opening";
    case ProofKind::kTrainingRun:
      return "proof of training";
    case ProofKind::kTestAccuracy:
      return "proof of test accuracy";
  }
  return "unknown";
}

Result<ProofContainer> ProofContainer::Parse(ByteSpan bytes) {
  if (bytes.size() < 4 + 4 + 4 + 4 + 32) {
    return Status::BadInput("not a Zektra proof: " + std::to_string(bytes.size()) + " bytes is shorter than the header");
  }
  if (std::memcmp(bytes.data(), kProofMagic, 4) != 0) {
    return Status::BadInput("not a Zektra proof: bad magic (expected \"ZKTP\")");
  }
  ByteSpan body = bytes.first(bytes.size() - 32);
  Digest expected = Sha256::Hash(body);
  if (std::memcmp(expected.data(), bytes.data() + body.size(), 32) != 0) {
    return Status::BadInput("proof checksum mismatch: the file is corrupted or was edited");
  }
  ByteReader r(body);
  r.Raw(4, "magic");
  uint32_t version = r.U32("version");
  if (version != kProofFormatVersion) {
    return Status::BadInput("unsupported proof format version " + std::to_string(version) + " (this build reads " +
                            std::to_string(kProofFormatVersion) + ")");
  }
  uint32_t kind = r.U32("kind");
  if (kind > static_cast<uint32_t>(ProofKind::kTestAccuracy)) {
    return Status::BadInput("unknown proof kind " + std::to_string(kind));
  }
  ProofContainer out(static_cast<ProofKind>(kind));
  uint32_t count = r.U32("section count");
  if (r.ok() && count > kMaxSections) {
    return Status::BadInput("proof claims " + std::to_string(count) + " sections (limit " +
                            std::to_string(kMaxSections) + ")");
  }
  int64_t last_tag = -1;
  for (uint32_t i = 0; i < count && r.ok(); ++i) {
    uint32_t tag = r.U32("section tag");
    ByteSpan payload = r.Blob("section payload");
    if (!r.ok()) break;
    if (static_cast<int64_t>(tag) <= last_tag) {
      return Status::BadInput("section tags out of order or repeated at section " + std::to_string(i));
    }
    last_tag = tag;
    out.sections_[tag] = Bytes(payload.begin(), payload.end());
  }
  ZK_RETURN_IF_ERROR(r.Finish("the last section"));
  return out;
}

}  // namespace zektra
