// A std::vector whose resize() leaves new elements uninitialised, for field tables that are
// written in full right after they are sized (sumcheck folds, lookup tables).
//
// Why: Fp and Fp2 zero themselves in their default constructors, so std::vector<Fp2>::resize
// runs a memset over the new elements, on one thread, before the parallel kernel overwrites
// them. For multi-GB tables that pass costs as much as the kernel and touches every page twice.
// UninitAllocator::construct() without arguments does nothing; construct with arguments (push_back,
// resize(n, value), assign) behaves as usual.
//
// Contract: only for trivially copyable, trivially destructible element types (checked), whose
// every bit pattern is read only after being written: the caller must write each element before
// reading it. Nothing is wiped on release; secret contents need SecureWipe first.
#pragma once

#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

namespace zektra {

template <typename T>
class UninitAllocator : public std::allocator<T> {
 public:
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>,
                "uninitialised storage only for plain values");
  using value_type = T;
  template <typename U>
  struct rebind {
    using other = UninitAllocator<U>;
  };
  UninitAllocator() noexcept = default;
  template <typename U>
  UninitAllocator(const UninitAllocator<U>&) noexcept {}  // NOLINT: allocator rebinding

  // Default construction: leave the bytes as they are (the caller overwrites them).
  template <typename U>
  void construct(U*) noexcept {}
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

template <typename T, typename U>
bool operator==(const UninitAllocator<T>&, const UninitAllocator<U>&) noexcept {
  return true;
}

template <typename T>
using UninitVector = std::vector<T, UninitAllocator<T>>;

}  // namespace zektra
