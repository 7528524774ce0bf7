#include "zektra/zk/merkle.h"

#include <algorithm>
#include <bit>
#include <utility>

#include "zektra/base/thread_pool.h"

namespace zektra {
namespace {

constexpr uint8_t kLeafTag = 0x00;
constexpr uint8_t kNodeTag = 0x01;

// Below this many hashes per worker a level is hashed inline: thread hand-off costs more.
constexpr size_t kMinLeavesPerThread = 64;
constexpr size_t kMinNodesPerThread = 4096;

// The leaves (as heap node numbers) with their digests, sorted and de-duplicated.
struct KnownNode {
  uint64_t position;
  Digest digest;
};

}  // namespace

static_assert(std::endian::native == std::endian::little,
              "leaf bytes are the in-memory little-endian representation");

Digest MerkleHasher::Leaf(ByteSpan part) {
  sha_.Update(&kLeafTag, 1).Update(part);
  return sha_.Final();
}

Digest MerkleHasher::Leaf(ByteSpan first, ByteSpan second) {
  sha_.Update(&kLeafTag, 1).Update(first).Update(second);
  return sha_.Final();
}

Digest MerkleHasher::Node(const Digest& left, const Digest& right) {
  uint8_t buf[65];
  buf[0] = kNodeTag;
  std::copy(left.begin(), left.end(), buf + 1);
  std::copy(right.begin(), right.end(), buf + 33);
  sha_.Update(buf, sizeof(buf));
  return sha_.Final();
}

ByteSpan FpBytes(std::span<const Fp> values) {
  static_assert(sizeof(Fp) == 8);
  return ByteSpan(reinterpret_cast<const uint8_t*>(values.data()), values.size() * sizeof(Fp));
}

Digest MerkleLeafHash(ByteSpan leaf) {
  MerkleHasher h;
  return h.Leaf(leaf);
}

Digest MerkleLeafHash(std::span<const Fp> leaf) {
  return MerkleLeafHash(FpBytes(leaf));
}

Digest MerkleNodeHash(const Digest& left, const Digest& right) {
  MerkleHasher h;
  return h.Node(left, right);
}

void MerkleMultiProof::Serialize(ByteWriter& out) const {
  out.U64(nodes.size());
  for (const Digest& d : nodes) out.Raw(ByteSpan(d.data(), d.size()));
}

Result<MerkleMultiProof> MerkleMultiProof::Parse(ByteReader& in) {
  MerkleMultiProof proof;
  uint64_t count = in.Count("merkle node count", 32);
  if (!in.ok()) return in.status();
  proof.nodes.resize(count);
  for (Digest& d : proof.nodes) {
    ByteSpan raw = in.Raw(32, "merkle node");
    if (!in.ok()) return in.status();
    std::copy(raw.begin(), raw.end(), d.begin());
  }
  return proof;
}

MerkleTree MerkleTree::Build(size_t leaf_count,
                             const std::function<Digest(MerkleHasher&, size_t)>& leaf_hash) {
  ZK_CHECK(leaf_count >= 1 && std::has_single_bit(leaf_count),
           "Merkle leaf count must be a power of two");
  MerkleTree tree;
  tree.leaf_count_ = leaf_count;
  tree.nodes_.resize(2 * leaf_count);
  ParallelFor(
      0, leaf_count,
      [&](size_t begin, size_t end) {
        MerkleHasher hasher;
        for (size_t i = begin; i < end; ++i) tree.nodes_[leaf_count + i] = leaf_hash(hasher, i);
      },
      kMinLeavesPerThread);
  tree.BuildInnerNodes();
  return tree;
}

MerkleTree MerkleTree::FromLeafHashes(std::vector<Digest> leaf_hashes) {
  const size_t n = leaf_hashes.size();
  ZK_CHECK(n >= 1 && std::has_single_bit(n), "Merkle leaf count must be a power of two");
  MerkleTree tree;
  tree.leaf_count_ = n;
  tree.nodes_.resize(2 * n);
  std::copy(leaf_hashes.begin(), leaf_hashes.end(), tree.nodes_.begin() + n);
  tree.BuildInnerNodes();
  return tree;
}

MerkleTree MerkleTree::FromFpLeaves(std::span<const Fp> flat, size_t leaf_width) {
  ZK_CHECK(leaf_width >= 1 && flat.size() % leaf_width == 0, "leaves must have equal width");
  return Build(flat.size() / leaf_width, [&](MerkleHasher& h, size_t i) {
    return h.Leaf(FpBytes(flat.subspan(i * leaf_width, leaf_width)));
  });
}

MerkleTree MerkleTree::FromByteLeaves(ByteSpan flat, size_t leaf_bytes) {
  ZK_CHECK(leaf_bytes >= 1 && flat.size() % leaf_bytes == 0, "leaves must have equal size");
  return Build(flat.size() / leaf_bytes, [&](MerkleHasher& h, size_t i) {
    return h.Leaf(flat.subspan(i * leaf_bytes, leaf_bytes));
  });
}

MerkleLeafStreams::MerkleLeafStreams(size_t leaf_count) : lanes_(leaf_count) {
  ZK_CHECK(leaf_count >= 1 && std::has_single_bit(leaf_count),
           "Merkle leaf count must be a power of two");
  for (size_t i = 0; i < leaf_count; ++i) lanes_.Update(i, &kLeafTag, 1);
}

MerkleTree MerkleLeafStreams::Finish() {
  return MerkleTree::Build(leaf_count(), [&](MerkleHasher&, size_t i) { return lanes_.Final(i); });
}

void MerkleTree::BuildInnerNodes() {
  // Level by level from the leaves up; each level is hashed in parallel when large.
  for (size_t level_begin = leaf_count_ / 2; level_begin >= 1; level_begin /= 2) {
    ParallelFor(
        level_begin, 2 * level_begin,
        [&](size_t begin, size_t end) {
          MerkleHasher hasher;
          for (size_t k = begin; k < end; ++k)
            nodes_[k] = hasher.Node(nodes_[2 * k], nodes_[2 * k + 1]);
        },
        kMinNodesPerThread);
  }
}

MerkleMultiProof MerkleTree::Open(std::span<const uint64_t> indices) const {
  std::vector<uint64_t> level;
  level.reserve(indices.size());
  for (uint64_t i : indices) {
    ZK_CHECK(i < leaf_count_, "Merkle opening index out of range");
    level.push_back(leaf_count_ + i);
  }
  std::sort(level.begin(), level.end());
  level.erase(std::unique(level.begin(), level.end()), level.end());
  MerkleMultiProof proof;
  // Mirror of the verifier's walk: a node's sibling is sent unless it is itself known.
  while (!level.empty() && level[0] > 1) {
    std::vector<uint64_t> parents;
    parents.reserve(level.size());
    for (size_t i = 0; i < level.size(); ++i) {
      const uint64_t pos = level[i];
      if ((pos & 1) == 0 && i + 1 < level.size() && level[i + 1] == pos + 1) {
        ++i;  // both children known
      } else {
        proof.nodes.push_back(nodes_[pos ^ 1]);
      }
      parents.push_back(pos >> 1);
    }
    level = std::move(parents);
  }
  return proof;
}

Status VerifyMerkleMultiProof(const Digest& root, uint64_t leaf_count,
                              std::span<const uint64_t> indices,
                              std::span<const Digest> leaf_hashes, const MerkleMultiProof& proof) {
  if (leaf_count == 0 || !std::has_single_bit(leaf_count)) {
    return Status::Rejected("Merkle tree size " + std::to_string(leaf_count) +
                            " is not a power of two");
  }
  if (indices.size() != leaf_hashes.size()) {
    return Status::Rejected("Merkle opening has " + std::to_string(indices.size()) +
                            " indices but " + std::to_string(leaf_hashes.size()) + " leaves");
  }
  if (indices.empty()) return Status::Rejected("Merkle opening of no leaves");
  std::vector<KnownNode> level;
  level.reserve(indices.size());
  for (size_t i = 0; i < indices.size(); ++i) {
    if (indices[i] >= leaf_count) {
      return Status::Rejected("Merkle leaf index " + std::to_string(indices[i]) +
                              " is outside a tree of " + std::to_string(leaf_count) + " leaves");
    }
    level.push_back({leaf_count + indices[i], leaf_hashes[i]});
  }
  std::sort(level.begin(), level.end(),
            [](const KnownNode& a, const KnownNode& b) { return a.position < b.position; });
  // Deduplicate; one index opened twice must carry one value.
  size_t kept = 0;
  for (size_t i = 0; i < level.size(); ++i) {
    if (kept > 0 && level[kept - 1].position == level[i].position) {
      if (level[kept - 1].digest != level[i].digest) {
        return Status::Rejected("Merkle leaf " + std::to_string(level[i].position - leaf_count) +
                                " is opened twice with different contents");
      }
      continue;
    }
    level[kept++] = level[i];
  }
  level.resize(kept);

  MerkleHasher hasher;
  size_t next = 0;
  while (level[0].position > 1) {
    std::vector<KnownNode> parents;
    parents.reserve(level.size());
    for (size_t i = 0; i < level.size(); ++i) {
      const uint64_t pos = level[i].position;
      Digest parent;
      if ((pos & 1) == 0 && i + 1 < level.size() && level[i + 1].position == pos + 1) {
        parent = hasher.Node(level[i].digest, level[i + 1].digest);
        ++i;
      } else {
        if (next >= proof.nodes.size()) {
          return Status::Rejected("Merkle multi-proof is missing nodes (has " +
                                  std::to_string(proof.nodes.size()) + ")");
        }
        const Digest& sibling = proof.nodes[next++];
        parent = (pos & 1) == 0 ? hasher.Node(level[i].digest, sibling)
                                : hasher.Node(sibling, level[i].digest);
      }
      parents.push_back({pos >> 1, parent});
    }
    level = std::move(parents);
  }
  if (next != proof.nodes.size()) {
    return Status::Rejected("Merkle multi-proof has " + std::to_string(proof.nodes.size() - next) +
                            " surplus nodes");
  }
  if (level[0].digest != root) return Status::Rejected("Merkle root mismatch");
  return Status::Ok();
}

}  // namespace zektra
