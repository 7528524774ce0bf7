// Authenticated encryption from libsodium: one-shot XChaCha20-Poly1305 (IETF) for small
// secrets, and the XChaCha20-Poly1305 secretstream for long data cut into chunks.
//
// secretstream: one random 24-byte header per stream; each chunk carries 17 bytes of
// overhead (tag byte + 16-byte MAC) and its authentication depends on every earlier chunk,
// so reordering, dropping or duplicating a chunk fails authentication, and the sender marks
// the last chunk FINAL so the receiver can tell a complete stream from a truncated one.
// Key material and stream state are wiped on destruction. Not thread-safe per object.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "zektra/base/bytes.h"

namespace zektra {

inline constexpr size_t kAeadKeyBytes = 32;
inline constexpr size_t kAeadNonceBytes = 24;
inline constexpr size_t kAeadTagBytes = 16;
inline constexpr size_t kStreamHeaderBytes = 24;
inline constexpr size_t kStreamChunkOverhead = 17;

// ciphertext = XChaCha20-Poly1305-IETF(key, nonce, plaintext, ad); out.size() must be
// plaintext.size() + kAeadTagBytes.
void AeadSeal(ByteSpan key, ByteSpan nonce, ByteSpan plaintext, ByteSpan ad, std::span<uint8_t> out);
// Rejected when the tag does not verify; `out` (ciphertext.size() − 16 bytes) is then zeroed.
Status AeadOpen(ByteSpan key, ByteSpan nonce, ByteSpan ciphertext, ByteSpan ad, std::span<uint8_t> out);

struct SecretStreamState;  // libsodium's state, kept out of this header

class StreamSealer {
 public:
  // Starts a stream under `key` and writes its header.
  StreamSealer(ByteSpan key, std::span<uint8_t, kStreamHeaderBytes> header_out);
  ~StreamSealer();
  StreamSealer(const StreamSealer&) = delete;
  StreamSealer& operator=(const StreamSealer&) = delete;
  // Encrypts one chunk into out (plaintext.size() + 17 bytes). `ad` is authenticated, not stored.
  void Push(ByteSpan plaintext, ByteSpan ad, bool final_chunk, uint8_t* out);

 private:
  SecretStreamState* state_;
};

class StreamOpener {
 public:
  StreamOpener();
  ~StreamOpener();
  StreamOpener(const StreamOpener&) = delete;
  StreamOpener& operator=(const StreamOpener&) = delete;
  Status Init(ByteSpan key, ByteSpan header);
  // Decrypts one chunk into out (ciphertext.size() − 17 bytes). Rejected when the chunk does
  // not authenticate (altered, reordered, wrong key, or another stream's chunk).
  Status Pull(ByteSpan ciphertext, ByteSpan ad, uint8_t* out, bool* final_chunk);

 private:
  SecretStreamState* state_;
  bool ready_ = false;
};

}  // namespace zektra
