// Merkle trees over SHA-256 with batched multi-openings: the binding layer of the PCS.
//
// Hashing (domain-separated so a leaf can never be read as an inner node or back):
//   leaf  = SHA-256(0x00 || leaf bytes)          (field elements: 8 bytes little-endian each)
//   inner = SHA-256(0x01 || left || right)
// The number of leaves is a power of two. Nodes are numbered as a heap: node 1 is the root,
// node k has children 2k and 2k+1, leaf i is node leaf_count + i.
//
// Multi-opening: to open a set of leaves, the prover sends, bottom level first and in
// increasing node number within a level, exactly the sibling digests the verifier cannot
// compute itself — a node shared by two opened paths, or whose both children are known, is
// never sent. The verifier recomputes the root from the leaf hashes and those digests, and
// requires every digest to be consumed. The opened indices are not part of the proof: the
// verifier knows them (in the PCS they are Fiat–Shamir challenges).
//
// Cost: building hashes every leaf once and L-1 inner nodes (parallel for large trees);
// an opening of m leaves sends at most m·log2(L/m) digests. Leaves are hashed as given:
// a caller that needs hiding (zk/pcs.h) puts a random salt in each leaf.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "zektra/base/serialize.h"
#include "zektra/base/status.h"
#include "zektra/crypto/sha256.h"
#include "zektra/field/goldilocks.h"

namespace zektra {

// Reusable hasher (one SHA-256 context); one per thread.
class MerkleHasher {
 public:
  // Leaf over the concatenation of the parts (e.g. salt then column), with the leaf tag.
  Digest Leaf(ByteSpan part);
  Digest Leaf(ByteSpan first, ByteSpan second);
  Digest Node(const Digest& left, const Digest& right);

 private:
  Sha256 sha_;
};

Digest MerkleLeafHash(ByteSpan leaf);
Digest MerkleLeafHash(std::span<const Fp> leaf);
Digest MerkleNodeHash(const Digest& left, const Digest& right);

// Field elements as the little-endian bytes that leaves hash (zero-copy on this platform).
ByteSpan FpBytes(std::span<const Fp> values);

// The sibling digests of a multi-opening, in the canonical order described above.
struct MerkleMultiProof {
  std::vector<Digest> nodes;

  size_t ByteSize() const { return 8 + 32 * nodes.size(); }
  void Serialize(ByteWriter& out) const;
  static Result<MerkleMultiProof> Parse(ByteReader& in);
};

class MerkleTree {
 public:
  MerkleTree() = default;

  // leaf_hash(hasher, i) returns the digest of leaf i; called in parallel with one hasher
  // per thread. leaf_count must be a power of two.
  static MerkleTree Build(size_t leaf_count,
                          const std::function<Digest(MerkleHasher&, size_t)>& leaf_hash);
  static MerkleTree FromLeafHashes(std::vector<Digest> leaf_hashes);
  // Leaf i is flat[i·leaf_width, (i+1)·leaf_width).
  static MerkleTree FromFpLeaves(std::span<const Fp> flat, size_t leaf_width);
  static MerkleTree FromByteLeaves(ByteSpan flat, size_t leaf_bytes);

  const Digest& root() const { return nodes_[1]; }
  size_t leaf_count() const { return leaf_count_; }
  const Digest& leaf_hash(size_t i) const { return nodes_[leaf_count_ + i]; }

  // Indices must be < leaf_count; duplicates and order do not matter.
  MerkleMultiProof Open(std::span<const uint64_t> indices) const;

 private:
  void BuildInnerNodes();
  size_t leaf_count_ = 0;
  std::vector<Digest> nodes_;  // size 2·leaf_count; nodes_[0] unused
};

// Leaves whose bytes arrive in pieces, many leaves at once: a commitment that encodes its
// matrix a block of rows at a time appends each block's slice of every column to that
// column's leaf, so the column-major matrix never has to exist whole. Leaf i's digest is
// MerkleLeafHash(concatenation of its pieces, in order). Different leaves may be appended
// to from different threads concurrently; one leaf must not. ~112 bytes per leaf.
class MerkleLeafStreams {
 public:
  explicit MerkleLeafStreams(size_t leaf_count);  // a power of two

  size_t leaf_count() const { return lanes_.size(); }
  void Append(size_t leaf, ByteSpan piece) { lanes_.Update(leaf, piece.data(), piece.size()); }
  // The tree over the finished leaves; the streams are spent (they restart empty).
  MerkleTree Finish();

 private:
  Sha256Lanes lanes_;
};

// Checks that the leaves with these hashes sit at these indices under `root`. Indices may
// come in any order; a repeated index must carry the same hash. Returns Rejected with the
// reason on any mismatch (wrong root, missing or surplus digests, index out of range).
Status VerifyMerkleMultiProof(const Digest& root, uint64_t leaf_count,
                              std::span<const uint64_t> indices,
                              std::span<const Digest> leaf_hashes, const MerkleMultiProof& proof);

}  // namespace zektra
