// Fuzz targets shared by the libFuzzer binaries (fuzz/*_fuzz.cc) and the in-process
// mutation tests. Each target parses untrusted bytes and must never crash, hang or
// leak; parse results are re-encoded to check round-trip stability.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "zektra/zk/proof_format.h"

namespace zektra::fuzz {

inline void ProofContainerTarget(const uint8_t* data, size_t size) {
  auto parsed = ProofContainer::Parse(ByteSpan(data, size));
  if (!parsed.ok()) return;
  // Anything accepted must re-encode to exactly the same bytes (one meaning per byte string).
  Bytes again = parsed->Encode();
  if (again.size() != size || !std::equal(again.begin(), again.end(), data)) std::abort();
}

}  // namespace zektra::fuzz
