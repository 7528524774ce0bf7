// The vault data file (vault/stream.h): round trips at chunk boundaries, and refusal — with no
// plaintext released — of every flipped byte, every truncation, reordered, duplicated or
// foreign chunks, trailing bytes and the wrong key.
#include <gtest/gtest.h>

#include <array>

#include "zektra/crypto/aead.h"
#include "zektra/crypto/random.h"
#include "zektra/vault/stream.h"

namespace zektra::vault {
namespace {

std::array<uint8_t, 32> Key() {
  std::array<uint8_t, 32> k{};
  RandomBytes(k.data(), k.size());
  return k;
}

Bytes Seal(const std::array<uint8_t, 32>& key, const Bytes& plain, uint32_t chunk) {
  Bytes out(DataFileBytes(plain.size(), chunk));
  SealDataStream(key, plain, chunk, out);
  return out;
}

Bytes Plain(size_t n) {
  Bytes p(n);
  for (size_t i = 0; i < n; ++i) p[i] = static_cast<uint8_t>('a' + i % 26);
  return p;
}

TEST(VaultStream, RoundTripAtChunkBoundaries) {
  const uint32_t chunk = 64;
  for (size_t n : {size_t{0}, size_t{1}, size_t{63}, size_t{64}, size_t{65}, size_t{192}, size_t{1000}}) {
    auto key = Key();
    Bytes plain = Plain(n);
    Bytes file = Seal(key, plain, chunk);
    EXPECT_EQ(file.size(), kDataHeaderBytes + n + ChunkCount(n, chunk) * kStreamChunkOverhead);
    auto out = OpenDataStream(key, file, "t");
    ASSERT_TRUE(out.ok()) << n << ": " << out.status().message();
    EXPECT_EQ(Bytes(out->data(), out->data() + out->size()), plain) << n;
  }
}

TEST(VaultStream, EveryFlippedByteIsRefused) {
  auto key = Key();
  Bytes plain = Plain(300);
  Bytes file = Seal(key, plain, 64);
  Bytes out(plain.size());
  for (size_t i = 0; i < file.size(); ++i) {
    Bytes bad = file;
    bad[i] ^= 0x20;
    std::fill(out.begin(), out.end(), 0xAA);
    Status s = [&] {
      auto declared = DataStreamPlaintextBytes(bad, "t");
      if (!declared.ok()) return declared.status();
      if (*declared != out.size()) return Status::BadInput("size changed");
      return OpenDataStreamInto(key, bad, "t", out);
    }();
    EXPECT_FALSE(s.ok()) << "flipped byte " << i << " accepted";
    if (s.code() == StatusCode::kRejected) {
      EXPECT_EQ(out, Bytes(out.size(), 0)) << "partial plaintext left after byte " << i;
    }
  }
}

TEST(VaultStream, TruncationsAndTrailingBytesAreRefused) {
  auto key = Key();
  Bytes file = Seal(key, Plain(300), 64);
  for (size_t len = 0; len < file.size(); ++len) {
    Bytes cut(file.begin(), file.begin() + len);
    auto r = OpenDataStream(key, cut, "t");
    ASSERT_FALSE(r.ok()) << len;
    EXPECT_NE(r.status().message().find("truncated"), std::string::npos) << r.status().message();
  }
  Bytes longer = file;
  longer.push_back(0);
  auto r = OpenDataStream(key, longer, "t");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("after the final chunk"), std::string::npos);
}

TEST(VaultStream, ReorderedDuplicatedAndForeignChunksAreRefused) {
  const uint32_t chunk = 64;
  const size_t c = chunk + kStreamChunkOverhead;
  auto key = Key();
  Bytes file = Seal(key, Plain(4 * chunk), chunk);  // four full chunks
  auto chunk_at = [&](Bytes& f, size_t i) { return f.begin() + static_cast<ptrdiff_t>(kDataHeaderBytes + i * c); };

  Bytes swapped = file;
  std::swap_ranges(chunk_at(swapped, 1), chunk_at(swapped, 2), chunk_at(swapped, 2));
  auto r = OpenDataStream(key, swapped, "t");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kRejected);
  EXPECT_NE(r.status().message().find("chunk 1 of 4 failed authentication"), std::string::npos) << r.status().message();

  Bytes duplicated = file;
  std::copy(chunk_at(file, 0), chunk_at(file, 1), chunk_at(duplicated, 1));
  EXPECT_FALSE(OpenDataStream(key, duplicated, "t").ok());

  // The same key and plaintext sealed again: a chunk from that other stream does not fit.
  Bytes other = Seal(key, Plain(4 * chunk), chunk);
  Bytes spliced = file;
  std::copy(chunk_at(other, 2), chunk_at(other, 3), chunk_at(spliced, 2));
  r = OpenDataStream(key, spliced, "t");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("chunk 2 of 4"), std::string::npos);

  // Dropping the last chunk and shrinking the declared size to match: the header is
  // authenticated by every chunk, and chunk 2 is not marked final.
  Bytes shortened(file.begin(), chunk_at(file, 3));
  const uint64_t pt = 3 * chunk;
  for (int i = 0; i < 8; ++i) shortened[12 + i] = static_cast<uint8_t>(pt >> (8 * i));
  EXPECT_FALSE(OpenDataStream(key, shortened, "t").ok());
}

TEST(VaultStream, WrongKeyAndBadHeaderAreRefused) {
  auto key = Key();
  Bytes file = Seal(key, Plain(100), 64);
  auto r = OpenDataStream(Key(), file, "t");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("chunk 0 of 2 failed authentication"), std::string::npos);
  Bytes bad_magic = file;
  bad_magic[0] = 'X';
  EXPECT_NE(OpenDataStream(key, bad_magic, "t").status().message().find("bad magic"), std::string::npos);
  Bytes bad_version = file;
  bad_version[4] = 2;
  EXPECT_NE(OpenDataStream(key, bad_version, "t").status().message().find("version"), std::string::npos);
}

}  // namespace
}  // namespace zektra::vault
