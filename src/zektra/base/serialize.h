// Little-endian writer and a bounds-checked reader for every Zektra wire format.
//
// The reader never reads past its buffer: every accessor checks the remaining length
// first and latches a failure (with the field name and offset) instead of throwing.
// Callers read a whole structure, then check status() once.
#pragma once

#include <cstdint>
#include <string>

#include "zektra/base/bytes.h"

namespace zektra {

class ByteWriter {
 public:
  void U8(uint8_t v) { out_.push_back(v); }
  void U32(uint32_t v);
  void U64(uint64_t v);
  void Raw(ByteSpan bytes);
  // Length-prefixed (u64) byte string.
  void Blob(ByteSpan bytes) { U64(bytes.size()); Raw(bytes); }
  void String(std::string_view s) { Blob(AsBytes(s)); }
  size_t size() const { return out_.size(); }
  Bytes& bytes() { return out_; }
  Bytes Take() { return std::move(out_); }

 private:
  Bytes out_;
};

class ByteReader {
 public:
  explicit ByteReader(ByteSpan data) : data_(data) {}

  // Each returns 0 / empty after a failure; `what` names the field for the error.
  uint8_t U8(const char* what);
  uint32_t U32(const char* what);
  uint64_t U64(const char* what);
  ByteSpan Raw(size_t n, const char* what);
  ByteSpan Blob(const char* what);
  std::string String(const char* what);
  // A u64 count whose elements each take at least `min_element_bytes`; refuses counts
  // that could not fit in what remains, so a hostile length cannot trigger a huge allocation.
  uint64_t Count(const char* what, size_t min_element_bytes, uint64_t max_count = UINT64_MAX);

  void Fail(std::string why);
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  size_t offset() const { return offset_; }
  size_t remaining() const { return data_.size() - offset_; }
  // Fails unless every byte was consumed (trailing garbage is an error).
  Status Finish(const char* what);

 private:
  bool Need(size_t n, const char* what);
  ByteSpan data_;
  size_t offset_ = 0;
  Status status_;
};

}  // namespace zektra
