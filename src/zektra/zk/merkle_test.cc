#include "zektra/zk/merkle.h"

#include <gtest/gtest.h>

#include <random>

#include "zektra/base/thread_pool.h"
#include "zektra/crypto/random.h"

namespace zektra {
namespace {

Digest HashOf(std::initializer_list<ByteSpan> parts) {
  Bytes all;
  for (ByteSpan p : parts) all.insert(all.end(), p.begin(), p.end());
  return Sha256::Hash(all);
}

ByteSpan D(const Digest& d) {
  return ByteSpan(d.data(), d.size());
}

std::vector<Fp> Columns(size_t leaves, size_t width, uint64_t seed) {
  std::vector<Fp> flat(leaves * width);
  for (size_t i = 0; i < flat.size(); ++i) flat[i] = Fp::From(seed * 1000003 + i * 7919);
  return flat;
}

// Known answer: the root of a 4-leaf tree whose leaves are the columns {i, 100+i} (two field
// elements each), recomputed here by hand from SHA-256 with the documented framing.
TEST(Merkle, KnownAnswerRootOfSmallTree) {
  std::vector<Fp> flat;
  for (uint64_t i = 0; i < 4; ++i) {
    flat.push_back(Fp::From(i));
    flat.push_back(Fp::From(100 + i));
  }
  const uint8_t leaf_tag[1] = {0x00}, node_tag[1] = {0x01};
  Digest leaf[4];
  for (int i = 0; i < 4; ++i) {
    uint8_t bytes[16] = {};
    bytes[0] = static_cast<uint8_t>(i);        // u64 little-endian i
    bytes[8] = static_cast<uint8_t>(100 + i);  // u64 little-endian 100+i
    leaf[i] = HashOf({ByteSpan(leaf_tag, 1), ByteSpan(bytes, 16)});
  }
  Digest n2 = HashOf({ByteSpan(node_tag, 1), D(leaf[0]), D(leaf[1])});
  Digest n3 = HashOf({ByteSpan(node_tag, 1), D(leaf[2]), D(leaf[3])});
  Digest root = HashOf({ByteSpan(node_tag, 1), D(n2), D(n3)});

  MerkleTree tree = MerkleTree::FromFpLeaves(flat, 2);
  EXPECT_EQ(tree.leaf_count(), 4u);
  EXPECT_EQ(tree.root(), root);
  EXPECT_EQ(tree.leaf_hash(2), leaf[2]);
  EXPECT_EQ(MerkleLeafHash(std::span<const Fp>(flat).subspan(6, 2)), leaf[3]);
  // And the value computed independently (Python hashlib, same framing), so a change of
  // framing is caught even if this test's hand computation moved with the code.
  EXPECT_EQ(ToHex(D(tree.root())),
            "c2f5e8023b822033493e10cd2f2eb0a5a10558309c01b97d3c9e97ddbbe1e4c3");
}

TEST(Merkle, LeafAndNodeHashesAreDomainSeparated) {
  Digest a = Sha256::Hash(AsBytes("a")), b = Sha256::Hash(AsBytes("b"));
  Bytes cat(a.begin(), a.end());
  cat.insert(cat.end(), b.begin(), b.end());
  EXPECT_NE(MerkleLeafHash(cat), MerkleNodeHash(a, b));
  EXPECT_NE(MerkleNodeHash(a, b), Sha256::HashPair(a, b));
}

TEST(Merkle, SingleLeafTreeRootIsLeafHash) {
  std::vector<Fp> flat = Columns(1, 3, 9);
  MerkleTree tree = MerkleTree::FromFpLeaves(flat, 3);
  EXPECT_EQ(tree.root(), MerkleLeafHash(flat));
  std::vector<uint64_t> idx = {0};
  MerkleMultiProof proof = tree.Open(idx);
  EXPECT_TRUE(proof.nodes.empty());
  std::vector<Digest> leaves = {tree.leaf_hash(0)};
  EXPECT_TRUE(VerifyMerkleMultiProof(tree.root(), 1, idx, leaves, proof).ok());
}

TEST(Merkle, ParallelBuildMatchesSequential) {
  std::vector<Fp> flat = Columns(1 << 12, 5, 3);
  size_t saved = ThreadCount();
  SetThreadCount(1);
  MerkleTree one = MerkleTree::FromFpLeaves(flat, 5);
  SetThreadCount(4);
  MerkleTree four = MerkleTree::FromFpLeaves(flat, 5);
  SetThreadCount(saved);
  EXPECT_EQ(one.root(), four.root());
  // Byte leaves over the same memory give the same tree.
  MerkleTree bytes = MerkleTree::FromByteLeaves(FpBytes(flat), 5 * 8);
  EXPECT_EQ(bytes.root(), one.root());
  std::vector<Digest> hashes;
  for (size_t i = 0; i < one.leaf_count(); ++i) hashes.push_back(one.leaf_hash(i));
  EXPECT_EQ(MerkleTree::FromLeafHashes(hashes).root(), one.root());
}

// Leaves streamed in uneven pieces (element by element for some, in runs for others) give
// the same tree as leaves hashed whole.
TEST(Merkle, StreamedLeavesMatchWholeLeaves) {
  constexpr size_t kLeaves = 64, kWidth = 11;
  std::vector<Fp> flat = Columns(kLeaves, kWidth, 9);
  MerkleLeafStreams streams(kLeaves);
  ASSERT_EQ(streams.leaf_count(), kLeaves);
  for (size_t start = 0; start < kWidth;) {
    const size_t run = std::min<size_t>(kWidth - start, 1 + start % 4);
    for (size_t leaf = 0; leaf < kLeaves; ++leaf) {
      streams.Append(leaf, FpBytes(std::span<const Fp>(flat).subspan(leaf * kWidth + start, run)));
    }
    start += run;
  }
  MerkleTree streamed = streams.Finish();
  MerkleTree whole = MerkleTree::FromFpLeaves(flat, kWidth);
  EXPECT_EQ(streamed.root(), whole.root());
  for (size_t i = 0; i < kLeaves; ++i) EXPECT_EQ(streamed.leaf_hash(i), whole.leaf_hash(i));
}

struct Opened {
  std::vector<uint64_t> indices;
  std::vector<Digest> leaves;
  MerkleMultiProof proof;
};

Opened OpenSome(const MerkleTree& tree, std::vector<uint64_t> indices) {
  Opened o;
  o.indices = std::move(indices);
  for (uint64_t i : o.indices) o.leaves.push_back(tree.leaf_hash(i));
  o.proof = tree.Open(o.indices);
  return o;
}

TEST(Merkle, MultiOpeningVerifiesAndSharesNodes) {
  const size_t n = 256;
  std::vector<Fp> flat = Columns(n, 4, 1);
  MerkleTree tree = MerkleTree::FromFpLeaves(flat, 4);
  std::mt19937_64 rng(5);
  for (size_t m : {1, 2, 7, 40, 256}) {
    std::vector<uint64_t> idx;
    for (size_t k = 0; k < m; ++k) idx.push_back(rng() % n);
    Opened o = OpenSome(tree, idx);
    EXPECT_TRUE(VerifyMerkleMultiProof(tree.root(), n, o.indices, o.leaves, o.proof).ok()) << m;
  }
  // Depth 8: one leaf needs 8 siblings; two sibling leaves only the 7 above their parent;
  // all leaves none.
  EXPECT_EQ(tree.Open(std::vector<uint64_t>{10, 11}).nodes.size(), 7u);
  EXPECT_EQ(tree.Open(std::vector<uint64_t>{10}).nodes.size(), 8u);
  std::vector<uint64_t> all(n);
  for (size_t i = 0; i < n; ++i) all[i] = i;
  EXPECT_TRUE(tree.Open(all).nodes.empty());
  // Order and repetition of the requested indices do not change the proof.
  EXPECT_EQ(tree.Open(std::vector<uint64_t>{5, 200, 5, 31}).nodes,
            tree.Open(std::vector<uint64_t>{31, 5, 200}).nodes);
}

TEST(Merkle, TamperedOpeningsAreRejected) {
  const size_t n = 64;
  std::vector<Fp> flat = Columns(n, 3, 2);
  MerkleTree tree = MerkleTree::FromFpLeaves(flat, 3);
  Opened o = OpenSome(tree, {3, 17, 18, 40});
  ASSERT_TRUE(VerifyMerkleMultiProof(tree.root(), n, o.indices, o.leaves, o.proof).ok());

  // One changed leaf (a column value changed by one).
  {
    std::vector<Fp> column(flat.begin() + 17 * 3, flat.begin() + 18 * 3);
    column[1] += Fp::One();
    Opened bad = o;
    bad.leaves[1] = MerkleLeafHash(column);
    EXPECT_FALSE(VerifyMerkleMultiProof(tree.root(), n, bad.indices, bad.leaves, bad.proof).ok());
  }
  // One changed authentication node (every position).
  for (size_t k = 0; k < o.proof.nodes.size(); ++k) {
    Opened bad = o;
    bad.proof.nodes[k][k % 32] ^= 1;
    EXPECT_FALSE(VerifyMerkleMultiProof(tree.root(), n, bad.indices, bad.leaves, bad.proof).ok())
        << k;
  }
  // Wrong index.
  {
    Opened bad = o;
    bad.indices[0] = 2;
    EXPECT_FALSE(VerifyMerkleMultiProof(tree.root(), n, bad.indices, bad.leaves, bad.proof).ok());
    bad.indices[0] = n;  // out of range
    Status s = VerifyMerkleMultiProof(tree.root(), n, bad.indices, bad.leaves, bad.proof);
    EXPECT_EQ(s.code(), StatusCode::kRejected);
    EXPECT_NE(s.message().find("outside"), std::string::npos) << s.message();
  }
  // Swapped leaves (same set of hashes, wrong positions).
  {
    Opened bad = o;
    std::swap(bad.leaves[0], bad.leaves[3]);
    EXPECT_FALSE(VerifyMerkleMultiProof(tree.root(), n, bad.indices, bad.leaves, bad.proof).ok());
  }
  // Wrong counts: a node missing, a surplus node, a leaf missing, wrong tree size.
  {
    Opened bad = o;
    bad.proof.nodes.pop_back();
    Status s = VerifyMerkleMultiProof(tree.root(), n, bad.indices, bad.leaves, bad.proof);
    EXPECT_NE(s.message().find("missing"), std::string::npos) << s.message();
  }
  {
    Opened bad = o;
    bad.proof.nodes.push_back(bad.proof.nodes[0]);
    Status s = VerifyMerkleMultiProof(tree.root(), n, bad.indices, bad.leaves, bad.proof);
    EXPECT_NE(s.message().find("surplus"), std::string::npos) << s.message();
  }
  {
    Opened bad = o;
    bad.leaves.pop_back();
    EXPECT_FALSE(VerifyMerkleMultiProof(tree.root(), n, bad.indices, bad.leaves, bad.proof).ok());
    bad.indices.pop_back();  // consistent but fewer leaves: the proof no longer fits
    EXPECT_FALSE(VerifyMerkleMultiProof(tree.root(), n, bad.indices, bad.leaves, bad.proof).ok());
  }
  EXPECT_FALSE(VerifyMerkleMultiProof(tree.root(), n * 2, o.indices, o.leaves, o.proof).ok());
  EXPECT_FALSE(VerifyMerkleMultiProof(tree.root(), n - 1, o.indices, o.leaves, o.proof).ok());
  EXPECT_FALSE(VerifyMerkleMultiProof(tree.root(), n, {}, {}, MerkleMultiProof{}).ok());
  // A repeated index must carry one value.
  {
    Opened dup = o;
    dup.indices.push_back(17);
    dup.leaves.push_back(o.leaves[1]);
    EXPECT_TRUE(VerifyMerkleMultiProof(tree.root(), n, dup.indices, dup.leaves, dup.proof).ok());
    dup.leaves.back()[0] ^= 1;
    EXPECT_FALSE(VerifyMerkleMultiProof(tree.root(), n, dup.indices, dup.leaves, dup.proof).ok());
  }
}

TEST(Merkle, MultiProofSerializationRoundTripsAndRejectsHostileLengths) {
  std::vector<Fp> flat = Columns(128, 2, 4);
  MerkleTree tree = MerkleTree::FromFpLeaves(flat, 2);
  Opened o = OpenSome(tree, {1, 60, 61, 99});
  ByteWriter w;
  o.proof.Serialize(w);
  EXPECT_EQ(w.size(), o.proof.ByteSize());
  Bytes bytes = w.Take();
  {
    ByteReader r(bytes);
    auto parsed = MerkleMultiProof::Parse(r);
    ASSERT_TRUE(parsed.ok());
    EXPECT_TRUE(r.Finish("proof").ok());
    EXPECT_EQ(parsed->nodes, o.proof.nodes);
    EXPECT_TRUE(VerifyMerkleMultiProof(tree.root(), 128, o.indices, o.leaves, *parsed).ok());
  }
  // Truncated anywhere: a clean error, never a crash.
  for (size_t cut = 0; cut < bytes.size(); cut += 7) {
    ByteReader r(ByteSpan(bytes.data(), cut));
    EXPECT_FALSE(MerkleMultiProof::Parse(r).ok()) << cut;
  }
  // A count claiming 2^60 nodes is refused before any allocation.
  Bytes hostile = bytes;
  hostile[7] = 0x10;
  ByteReader r(hostile);
  auto parsed = MerkleMultiProof::Parse(r);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), StatusCode::kBadInput);
}

}  // namespace
}  // namespace zektra
