// Whole-file reads and atomic writes (temp file in the same directory, fsync, rename),
// so a crash or a full disk never leaves a half-written output behind.
#pragma once

#include <string>

#include "zektra/base/bytes.h"

namespace zektra {

Result<Bytes> ReadFileBytes(const std::string& path);
Result<std::string> ReadFileText(const std::string& path);
Status WriteFileAtomic(const std::string& path, ByteSpan contents);
inline Status WriteFileAtomic(const std::string& path, std::string_view text) {
  return WriteFileAtomic(path, AsBytes(text));
}

}  // namespace zektra
