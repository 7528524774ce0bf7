// The plain data types of the CKKS layer: RNS polynomials, plaintexts, ciphertexts.
//
// They are deliberately plain structs (no pointer to their context) so that upper layers
// (multiparty keys, encrypted training) can build, combine and ship them freely; every
// role object checks `context_id`, `level` and the limb count before using one, and
// returns a Status on mismatch.
//
// Representation: limb i of an RnsPoly holds the N residues modulo prime i of its basis.
// The basis of a plaintext or ciphertext at level l is q_0..q_l; key material is over
// q_0..q_L, p_0..p_{K-1}. Plaintexts and ciphertexts are always kept in NTT
// (evaluation) form, where products are slot-wise.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <utility>
#include <vector>

namespace zektra::he {

// An allocator whose value-less construct leaves words uninitialised, so that buffers
// about to be overwritten (every NTT, product and key-switch output) are not zeroed first.
template <typename T>
struct DefaultInitAllocator : std::allocator<T> {
  template <typename U>
  struct rebind {
    using other = DefaultInitAllocator<U>;
  };
  DefaultInitAllocator() = default;
  template <typename U>
  DefaultInitAllocator(const DefaultInitAllocator<U>&) noexcept {}
  template <typename U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

using Words = std::vector<uint64_t, DefaultInitAllocator<uint64_t>>;

struct RnsPoly {
  size_t n = 0;
  size_t limbs = 0;
  Words data;  // limbs · n words, limb-major

  RnsPoly() = default;
  // Zero polynomial.
  RnsPoly(size_t n_, size_t limbs_) : n(n_), limbs(limbs_), data(n_ * limbs_, 0) {}
  // Storage only, contents unspecified: for outputs that are fully overwritten.
  static RnsPoly Uninitialized(size_t n_, size_t limbs_) {
    RnsPoly p;
    p.n = n_;
    p.limbs = limbs_;
    p.data.resize(n_ * limbs_);
    return p;
  }
  // Overwrites the coefficients (secret material) before release.
  void Wipe();
  uint64_t* limb(size_t i) { return data.data() + i * n; }
  const uint64_t* limb(size_t i) const { return data.data() + i * n; }
  // Keeps the first `count` limbs (dropping the top primes of the chain).
  void Truncate(size_t count) {
    limbs = count;
    data.resize(n * count);
  }
};

struct Plaintext {
  RnsPoly poly;  // level + 1 limbs, NTT form
  size_t level = 0;
  double scale = 1.0;
  uint64_t context_id = 0;
};

struct Ciphertext {
  std::vector<RnsPoly> parts;  // (c0, c1) or (c0, c1, c2) before relinearisation
  size_t level = 0;
  double scale = 1.0;
  uint64_t context_id = 0;

  size_t size() const { return parts.size(); }
};

}  // namespace zektra::he
