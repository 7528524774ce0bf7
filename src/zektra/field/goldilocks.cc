#include "zektra/field/goldilocks.h"

#include "zektra/base/status.h"

namespace zektra {

void BatchInverse(std::span<Fp> values) { BatchInverseGeneric(values); }

Fp InnerProduct(std::span<const Fp> a, std::span<const Fp> b) {
  ZK_CHECK(a.size() == b.size(), "inner product of vectors of different lengths");
  // Each product is < 2^128 - 2^65; summing two and reducing keeps the accumulator safe.
  Fp acc = Fp::Zero();
  size_t i = 0;
  for (; i + 1 < a.size(); i += 2) {
    unsigned __int128 p0 = static_cast<unsigned __int128>(a[i].v) * b[i].v;
    unsigned __int128 p1 = static_cast<unsigned __int128>(a[i + 1].v) * b[i + 1].v;
    acc += Fp::Reduce128(p0) + Fp::Reduce128(p1);
  }
  if (i < a.size()) acc += a[i] * b[i];
  return acc;
}

}  // namespace zektra
