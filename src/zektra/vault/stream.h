// The encrypted data file of a vault dataset (".zvd"): a versioned header, then the
// plaintext cut into fixed-size chunks, each sealed with the XChaCha20-Poly1305
// secretstream (crypto/aead.h). Layout in docs/FORMATS_vault.md.
//
// Contract: OpenDataStream returns the whole plaintext or an error, never part of it; it
// refuses an altered byte anywhere (header included: the header is authenticated data of
// every chunk), reordered or duplicated chunks, a stream cut short or extended, and the wrong
// key, each with a reason naming the chunk. Cost: one pass at the AEAD's speed (about
// 1 GB/s per core); memory: the plaintext (callers that own a buffer use the *Into forms).
#pragma once

#include <cstdint>
#include <span>

#include "zektra/base/bytes.h"
#include "zektra/crypto/secure_buffer.h"

namespace zektra::vault {

inline constexpr char kDataMagic[4] = {'Z', 'K', 'V', 'D'};
inline constexpr uint32_t kDataVersion = 1;
inline constexpr size_t kDataHeaderBytes = 4 + 4 + 4 + 8 + 24;
inline constexpr uint32_t kDefaultChunkBytes = 1u << 20;
inline constexpr uint32_t kMaxChunkBytes = 64u << 20;

// Chunks in a stream of `plaintext_bytes` (at least one: an empty stream has one empty, final chunk).
uint64_t ChunkCount(uint64_t plaintext_bytes, uint32_t chunk_bytes);
// The exact size of the data file.
uint64_t DataFileBytes(uint64_t plaintext_bytes, uint32_t chunk_bytes);

// Encrypts under a 32-byte key into `out` (exactly DataFileBytes(...) bytes, no other copy made).
void SealDataStream(ByteSpan key, ByteSpan plaintext, uint32_t chunk_bytes, std::span<uint8_t> out);

// The plaintext size a data file declares, after checking magic, version, chunk size and that
// the file length matches the declared size exactly (names truncation / trailing bytes).
Result<uint64_t> DataStreamPlaintextBytes(ByteSpan file, const std::string& source);

// Decrypts into `out` (exactly DataStreamPlaintextBytes bytes). On failure `out` is zeroed.
Status OpenDataStreamInto(ByteSpan key, ByteSpan file, const std::string& source, std::span<uint8_t> out);
// Decrypts into a new secure buffer (wiped and freed on failure).
Result<SecureBuffer> OpenDataStream(ByteSpan key, ByteSpan file, const std::string& source);

}  // namespace zektra::vault
