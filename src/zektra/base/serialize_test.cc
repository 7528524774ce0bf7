#include "zektra/base/serialize.h"

#include <gtest/gtest.h>

#include "zektra/base/file_io.h"
#include "zektra/base/thread_pool.h"

namespace zektra {
namespace {

TEST(Serialize, RoundTrip) {
  ByteWriter w;
  w.U8(7);
  w.U32(0xdeadbeef);
  w.U64(1ULL << 60);
  w.String("hello");
  Bytes b = w.Take();
  ByteReader r(b);
  EXPECT_EQ(r.U8("a"), 7);
  EXPECT_EQ(r.U32("b"), 0xdeadbeefu);
  EXPECT_EQ(r.U64("c"), 1ULL << 60);
  EXPECT_EQ(r.String("d"), "hello");
  EXPECT_TRUE(r.Finish("test").ok());
}

TEST(Serialize, TruncationAndHugeLengthsAreErrorsNotCrashes) {
  ByteWriter w;
  w.U64(1ULL << 62);  // a blob claiming 2^62 bytes
  Bytes b = w.Take();
  ByteReader r(b);
  r.Blob("payload");
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("payload"), std::string::npos);
  ByteReader r2(ByteSpan(b.data(), 3));
  r2.U64("count");
  EXPECT_FALSE(r2.ok());
  ByteReader r3(b);
  EXPECT_EQ(r3.Count("items", 8), 0u);
  EXPECT_FALSE(r3.ok());
}

TEST(Serialize, TrailingBytesRejected) {
  Bytes b = {1, 2};
  ByteReader r(b);
  r.U8("x");
  EXPECT_FALSE(r.Finish("thing").ok());
}

TEST(Hex, RoundTripAndErrors) {
  Bytes b = {0x00, 0xab, 0xff};
  EXPECT_EQ(ToHex(b), "00abff");
  EXPECT_EQ(*FromHex("00ABff"), b);
  EXPECT_FALSE(FromHex("abc").ok());
  EXPECT_FALSE(FromHex("zz").ok());
}

TEST(FileIo, AtomicWriteAndRead) {
  std::string path = ::testing::TempDir() + "/zektra_file_io_test.bin";
  ASSERT_TRUE(WriteFileAtomic(path, std::string_view("abc")).ok());
  EXPECT_EQ(*ReadFileText(path), "abc");
  EXPECT_FALSE(ReadFileBytes(path + ".missing").ok());
  EXPECT_FALSE(WriteFileAtomic("/nonexistent-dir/x", std::string_view("a")).ok());
}

TEST(ThreadPool, CoversRangeExactlyOnce) {
  for (size_t n : {0, 1, 5, 1000, 100000}) {
    std::vector<std::atomic<int>> hits(n);
    ParallelFor(0, n, [&](size_t b, size_t e) {
      for (size_t i = b; i < e; ++i) hits[i]++;
    });
    for (size_t i = 0; i < n; ++i) ASSERT_EQ(hits[i].load(), 1);
  }
  // Nested loops run inline rather than deadlocking.
  std::atomic<int> total{0};
  ParallelFor(0, 4, [&](size_t b, size_t e) {
    for (size_t i = b; i < e; ++i) ParallelFor(0, 10, [&](size_t b2, size_t e2) { total += int(e2 - b2); });
  });
  EXPECT_EQ(total.load(), 40);
}

}  // namespace
}  // namespace zektra
