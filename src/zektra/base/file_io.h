// Whole-file reads and atomic writes (temp file in the same directory, fsync, rename),
// so a crash or a full disk never leaves a half-written output behind.
#pragma once

#include <string>

#include "zektra/base/bytes.h"

namespace zektra {

Result<Bytes> ReadFileBytes(const std::string& path);
Result<std::string> ReadFileText(const std::string& path);
// `mode` is the new file's permission bits (0600 for secrets).
Status WriteFileAtomic(const std::string& path, ByteSpan contents, unsigned mode = 0644);
inline Status WriteFileAtomic(const std::string& path, std::string_view text, unsigned mode = 0644) {
  return WriteFileAtomic(path, AsBytes(text), mode);
}

}  // namespace zektra
