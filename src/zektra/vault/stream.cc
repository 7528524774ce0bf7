#include "zektra/vault/stream.h"

#include <algorithm>
#include <cstring>

#include "zektra/base/serialize.h"
#include "zektra/crypto/aead.h"
#include "zektra/crypto/random.h"

namespace zektra::vault {
namespace {

// Magic, version, chunk size, plaintext size (the stream header follows).
constexpr size_t kFixedHeaderBytes = kDataHeaderBytes - kStreamHeaderBytes;

void WriteU32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
void WriteU64(uint8_t* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

}  // namespace

uint64_t ChunkCount(uint64_t plaintext_bytes, uint32_t chunk_bytes) {
  ZK_CHECK(chunk_bytes > 0, "chunk size must be positive");
  return plaintext_bytes == 0 ? 1 : (plaintext_bytes + chunk_bytes - 1) / chunk_bytes;
}

uint64_t DataFileBytes(uint64_t plaintext_bytes, uint32_t chunk_bytes) {
  return kDataHeaderBytes + plaintext_bytes + ChunkCount(plaintext_bytes, chunk_bytes) * kStreamChunkOverhead;
}

void SealDataStream(ByteSpan key, ByteSpan plaintext, uint32_t chunk_bytes, std::span<uint8_t> out) {
  ZK_CHECK(chunk_bytes > 0 && chunk_bytes <= kMaxChunkBytes, "chunk size out of range");
  ZK_CHECK(out.size() == DataFileBytes(plaintext.size(), chunk_bytes), "data stream output size");
  uint8_t* p = out.data();
  std::memcpy(p, kDataMagic, 4);
  WriteU32(p + 4, kDataVersion);
  WriteU32(p + 8, chunk_bytes);
  WriteU64(p + 12, plaintext.size());
  StreamSealer sealer(key, std::span<uint8_t, kStreamHeaderBytes>(p + kFixedHeaderBytes, kStreamHeaderBytes));
  // Every chunk authenticates the whole file header, so no header field can be changed.
  const ByteSpan ad(p, kDataHeaderBytes);
  const uint64_t chunks = ChunkCount(plaintext.size(), chunk_bytes);
  size_t in = 0, at = kDataHeaderBytes;
  for (uint64_t i = 0; i < chunks; ++i) {
    const size_t n = std::min<size_t>(chunk_bytes, plaintext.size() - in);
    sealer.Push(plaintext.subspan(in, n), ad, i + 1 == chunks, p + at);
    in += n;
    at += n + kStreamChunkOverhead;
  }
}

Result<uint64_t> DataStreamPlaintextBytes(ByteSpan file, const std::string& source) {
  auto bad = [&](const std::string& why) { return Status::BadInput(source + ": " + why); };
  if (file.size() < kDataHeaderBytes) {
    return bad("truncated: " + std::to_string(file.size()) + " bytes, shorter than the " +
               std::to_string(kDataHeaderBytes) + "-byte header");
  }
  if (std::memcmp(file.data(), kDataMagic, 4) != 0) return bad("not a Zektra vault data file (bad magic)");
  ByteReader r(file.subspan(4, kFixedHeaderBytes - 4));
  const uint32_t version = r.U32("version");
  const uint32_t chunk_bytes = r.U32("chunk_bytes");
  const uint64_t plaintext_bytes = r.U64("plaintext_bytes");
  if (!r.ok()) return r.status().WithContext(source);
  if (version != kDataVersion) {
    return bad("unsupported data file version " + std::to_string(version) + " (this build reads 1)");
  }
  if (chunk_bytes == 0 || chunk_bytes > kMaxChunkBytes) {
    return bad("chunk size " + std::to_string(chunk_bytes) + " out of range");
  }
  if (plaintext_bytes > file.size()) {
    return bad("truncated: declares " + std::to_string(plaintext_bytes) + " plaintext bytes but holds " +
               std::to_string(file.size()) + " bytes in all");
  }
  const uint64_t expected = DataFileBytes(plaintext_bytes, chunk_bytes);
  if (file.size() < expected) {
    return bad("chunk stream truncated: " + std::to_string(file.size()) + " bytes, the header declares " +
               std::to_string(expected));
  }
  if (file.size() > expected) {
    return bad(std::to_string(file.size() - expected) + " unexpected bytes after the final chunk");
  }
  return plaintext_bytes;
}

Status OpenDataStreamInto(ByteSpan key, ByteSpan file, const std::string& source, std::span<uint8_t> out) {
  ZK_ASSIGN_OR_RETURN(const uint64_t plaintext_bytes, DataStreamPlaintextBytes(file, source));
  ZK_CHECK(out.size() == plaintext_bytes, "OpenDataStreamInto output size");
  ByteReader r(file.subspan(8, 4));
  const uint32_t chunk_bytes = r.U32("chunk_bytes");
  StreamOpener opener;
  ZK_RETURN_IF_ERROR(opener.Init(key, file.subspan(kFixedHeaderBytes, kStreamHeaderBytes)).WithContext(source));
  const ByteSpan ad = file.subspan(0, kDataHeaderBytes);
  const uint64_t chunks = ChunkCount(plaintext_bytes, chunk_bytes);
  uint8_t empty_chunk_out[1];
  size_t written = 0, at = kDataHeaderBytes;
  auto fail = [&](const std::string& why) {
    SecureWipe(out.data(), out.size());
    return Status::Rejected(source + ": " + why);
  };
  for (uint64_t i = 0; i < chunks; ++i) {
    const size_t n = std::min<size_t>(chunk_bytes, plaintext_bytes - written);
    bool final_chunk = false;
    uint8_t* dst = n == 0 ? empty_chunk_out : out.data() + written;
    Status s = opener.Pull(file.subspan(at, n + kStreamChunkOverhead), ad, dst, &final_chunk);
    const std::string where = "chunk " + std::to_string(i) + " of " + std::to_string(chunks);
    if (!s.ok()) {
      return fail(where + " failed authentication (altered, reordered, from another stream, or the wrong key)");
    }
    if (final_chunk && i + 1 != chunks) return fail(where + " is marked final but more chunks follow");
    if (!final_chunk && i + 1 == chunks) return fail("chunk stream truncated: the last chunk is not marked final");
    written += n;
    at += n + kStreamChunkOverhead;
  }
  return Status::Ok();
}

Result<SecureBuffer> OpenDataStream(ByteSpan key, ByteSpan file, const std::string& source) {
  ZK_ASSIGN_OR_RETURN(const uint64_t plaintext_bytes, DataStreamPlaintextBytes(file, source));
  ZK_ASSIGN_OR_RETURN(SecureBuffer out, SecureBuffer::Allocate(plaintext_bytes));
  ZK_RETURN_IF_ERROR(OpenDataStreamInto(key, file, source, out.span()));
  return out;
}

}  // namespace zektra::vault
