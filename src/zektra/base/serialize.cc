#include "zektra/base/serialize.h"

#include <cstring>

namespace zektra {

void ByteWriter::U32(uint32_t v) {
  for (int i = 0; i < 4; ++i) out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void ByteWriter::U64(uint64_t v) {
  for (int i = 0; i < 8; ++i) out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

void ByteWriter::Raw(ByteSpan bytes) {
  if (bytes.empty()) return;
  const size_t at = out_.size();
  out_.resize(at + bytes.size());
  std::memcpy(out_.data() + at, bytes.data(), bytes.size());
}

void ByteReader::Fail(std::string why) {
  if (status_.ok()) status_ = Status::BadInput(std::move(why));
}

bool ByteReader::Need(size_t n, const char* what) {
  if (!status_.ok()) return false;
  if (n > remaining()) {
    Fail(std::string("truncated ") + what + " at byte " + std::to_string(offset_) + ": need " +
         std::to_string(n) + " bytes, " + std::to_string(remaining()) + " remain");
    return false;
  }
  return true;
}

uint8_t ByteReader::U8(const char* what) {
  if (!Need(1, what)) return 0;
  return data_[offset_++];
}

uint32_t ByteReader::U32(const char* what) {
  if (!Need(4, what)) return 0;
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(data_[offset_ + i]) << (8 * i);
  offset_ += 4;
  return v;
}

uint64_t ByteReader::U64(const char* what) {
  if (!Need(8, what)) return 0;
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(data_[offset_ + i]) << (8 * i);
  offset_ += 8;
  return v;
}

ByteSpan ByteReader::Raw(size_t n, const char* what) {
  if (!Need(n, what)) return {};
  ByteSpan out = data_.subspan(offset_, n);
  offset_ += n;
  return out;
}

ByteSpan ByteReader::Blob(const char* what) {
  uint64_t n = U64(what);
  if (!ok()) return {};
  if (n > remaining()) {
    Fail(std::string(what) + " claims " + std::to_string(n) + " bytes but only " + std::to_string(remaining()) +
         " remain");
    return {};
  }
  return Raw(static_cast<size_t>(n), what);
}

std::string ByteReader::String(const char* what) {
  ByteSpan b = Blob(what);
  return std::string(b.begin(), b.end());
}

uint64_t ByteReader::Count(const char* what, size_t min_element_bytes, uint64_t max_count) {
  uint64_t n = U64(what);
  if (!ok()) return 0;
  if (n > max_count) {
    Fail(std::string(what) + " = " + std::to_string(n) + " exceeds the limit " + std::to_string(max_count));
    return 0;
  }
  if (min_element_bytes > 0 && n > remaining() / min_element_bytes) {
    Fail(std::string(what) + " = " + std::to_string(n) + " cannot fit in the " + std::to_string(remaining()) +
         " bytes that remain");
    return 0;
  }
  return n;
}

Status ByteReader::Finish(const char* what) {
  if (!status_.ok()) return status_;
  if (remaining() != 0) {
    return Status::BadInput(std::to_string(remaining()) + " trailing bytes after " + what);
  }
  return Status::Ok();
}

}  // namespace zektra
