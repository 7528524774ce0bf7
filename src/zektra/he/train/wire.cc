#include "zektra/he/train/wire.h"

#include <algorithm>

#include "zektra/he/train/files.h"

namespace zektra::he::train::wire {

void WriteHeader(ByteWriter& w, uint32_t magic, const HeContext& context) {
  w.U32(magic);
  w.U32(kTrainFormatVersion);
  w.Raw(context.fingerprint());
}

Status ReadHeader(ByteReader& r, uint32_t magic, const HeContext& context,
                  const std::string& what) {
  const uint32_t got = r.U32("magic");
  if (!r.ok()) return Status::BadInput(what + ": truncated (no header)");
  if (got != magic) return Status::BadInput(what + ": not this kind of file (bad magic)");
  const uint32_t version = r.U32("version");
  if (!r.ok()) return Status::BadInput(what + ": truncated header");
  if (version != kTrainFormatVersion) {
    return Status::BadInput(what + ": unknown format version " + std::to_string(version));
  }
  ByteSpan fp = r.Raw(32, "fingerprint");
  if (!r.ok()) return Status::BadInput(what + ": truncated header");
  if (!std::equal(fp.begin(), fp.end(), context.fingerprint().begin())) {
    return Status::BadInput(what + ": made under other CKKS parameters (fingerprint differs)");
  }
  return Status::Ok();
}

void WriteDigest(ByteWriter& w, const Digest& d) {
  w.Raw(d);
}

Digest ReadDigest(ByteReader& r, const char* what) {
  Digest d{};
  ByteSpan s = r.Raw(32, what);
  if (r.ok()) std::copy(s.begin(), s.end(), d.begin());
  return d;
}

void WritePoly(ByteWriter& w, const RnsPoly& poly) {
  w.U32(static_cast<uint32_t>(poly.limbs));
  for (size_t i = 0; i < poly.limbs * poly.n; ++i) w.U64(poly.data[i]);
}

Status ReadPoly(ByteReader& r, const HeContext& context, size_t limbs, RnsPoly* out,
                const std::string& what) {
  const uint32_t got = r.U32("limb count");
  if (!r.ok()) return Status::BadInput(what + ": truncated");
  if (got != limbs) {
    return Status::BadInput(what + ": polynomial has " + std::to_string(got) + " limbs, expected " +
                            std::to_string(limbs));
  }
  const size_t n = context.n();
  if (r.remaining() / 8 < limbs * n) return Status::BadInput(what + ": truncated polynomial");
  *out = RnsPoly::Uninitialized(n, limbs);
  for (size_t k = 0; k < limbs; ++k) {
    const uint64_t q = context.modulus(k).value;
    uint64_t* dst = out->limb(k);
    for (size_t i = 0; i < n; ++i) {
      dst[i] = r.U64("residue");
      if (dst[i] >= q) {
        return Status::BadInput(what + ": residue " + std::to_string(i) + " of limb " +
                                std::to_string(k) + " is not below its prime");
      }
    }
  }
  if (!r.ok()) return Status::BadInput(what + ": truncated polynomial");
  return Status::Ok();
}

}  // namespace zektra::he::train::wire
