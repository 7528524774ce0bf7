// Wire helpers shared by the encrypted-training file formats (internal to he/train).
#pragma once

#include <string>

#include "zektra/base/serialize.h"
#include "zektra/crypto/sha256.h"
#include "zektra/he/context.h"

namespace zektra::he::train::wire {

// u32 magic, u32 version, 32-byte parameters fingerprint.
void WriteHeader(ByteWriter& w, uint32_t magic, const HeContext& context);
// Names the file kind (`what`) in every refusal: wrong magic, unknown version, other parameters.
Status ReadHeader(ByteReader& r, uint32_t magic, const HeContext& context, const std::string& what);

void WriteDigest(ByteWriter& w, const Digest& d);
Digest ReadDigest(ByteReader& r, const char* what);

// u32 limb count, then limbs × N residues.
void WritePoly(ByteWriter& w, const RnsPoly& poly);
// Refuses a limb count other than `limbs` and any residue ≥ its prime (limb k is prime k).
Status ReadPoly(ByteReader& r, const HeContext& context, size_t limbs, RnsPoly* out,
                const std::string& what);

inline constexpr uint32_t Magic(const char (&s)[5]) {
  return static_cast<uint32_t>(static_cast<uint8_t>(s[0])) |
         static_cast<uint32_t>(static_cast<uint8_t>(s[1])) << 8 |
         static_cast<uint32_t>(static_cast<uint8_t>(s[2])) << 16 |
         static_cast<uint32_t>(static_cast<uint8_t>(s[3])) << 24;
}

}  // namespace zektra::he::train::wire
