// Byte buffers and hex, the currency of hashes, commitments and file formats.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "zektra/base/status.h"

namespace zektra {

using Bytes = std::vector<uint8_t>;
using ByteSpan = std::span<const uint8_t>;

std::string ToHex(ByteSpan bytes);
// Accepts upper or lower case; rejects odd length and non-hex characters with the position.
Result<Bytes> FromHex(std::string_view hex);

inline ByteSpan AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

}  // namespace zektra
