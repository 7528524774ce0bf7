#include "zektra/field/kernels.h"

#include <cstdint>

#include "zektra/base/status.h"
#include "zektra/field/field_simd.h"
#include "zektra/field/fp_simd_vec.h"

namespace zektra {
namespace {

static_assert(sizeof(Fp) == sizeof(uint64_t) && sizeof(Fp2) == 2 * sizeof(uint64_t),
              "kernels treat Fp arrays as words and Fp2 arrays as word pairs");

namespace kernels_scalar {
using V = simd::ScalarVec;
#include "zektra/field/kernels_simd_body.inc"
}  // namespace kernels_scalar

#if defined(ZEKTRA_X86_SIMD)
ZK_SIMD_BEGIN_TARGET("avx2")
namespace kernels_avx2 {
using V = simd::Avx2Vec;
#include "zektra/field/kernels_simd_body.inc"
}  // namespace kernels_avx2
ZK_SIMD_END_TARGET

ZK_SIMD_BEGIN_TARGET("avx512f")
namespace kernels_avx512 {
using V = simd::Avx512Vec;
#include "zektra/field/kernels_simd_body.inc"
}  // namespace kernels_avx512
ZK_SIMD_END_TARGET
#endif

// Calls NAME from the namespace of the active instruction set.
#if defined(ZEKTRA_X86_SIMD)
#define ZK_DISPATCH(NAME, ...)                  \
  switch (ActiveSimdLevel()) {                  \
    case SimdLevel::kAvx512:                    \
      return kernels_avx512::NAME(__VA_ARGS__); \
    case SimdLevel::kAvx2:                      \
      return kernels_avx2::NAME(__VA_ARGS__);   \
    default:                                    \
      return kernels_scalar::NAME(__VA_ARGS__); \
  }
#else
#define ZK_DISPATCH(NAME, ...) return kernels_scalar::NAME(__VA_ARGS__);
#endif

const uint64_t* Words(std::span<const Fp> v) {
  return reinterpret_cast<const uint64_t*>(v.data());
}
uint64_t* Words(std::span<Fp> v) {
  return reinterpret_cast<uint64_t*>(v.data());
}
const uint64_t* Words(std::span<const Fp2> v) {
  return reinterpret_cast<const uint64_t*>(v.data());
}
uint64_t* Words(std::span<Fp2> v) {
  return reinterpret_cast<uint64_t*>(v.data());
}

void CheckSameLength(size_t a, size_t b, size_t out) {
  ZK_CHECK(a == b && b == out, "vector kernel on arrays of different lengths");
}

}  // namespace

void AddVectors(std::span<const Fp> a, std::span<const Fp> b, std::span<Fp> out) {
  CheckSameLength(a.size(), b.size(), out.size());
  ZK_DISPATCH(AddArrays, Words(a), Words(b), Words(out), out.size());
}

void SubVectors(std::span<const Fp> a, std::span<const Fp> b, std::span<Fp> out) {
  CheckSameLength(a.size(), b.size(), out.size());
  ZK_DISPATCH(SubArrays, Words(a), Words(b), Words(out), out.size());
}

void MulVectors(std::span<const Fp> a, std::span<const Fp> b, std::span<Fp> out) {
  CheckSameLength(a.size(), b.size(), out.size());
  ZK_DISPATCH(MulArrays, Words(a), Words(b), Words(out), out.size());
}

void Axpy(Fp c, std::span<const Fp> x, std::span<Fp> y) {
  CheckSameLength(x.size(), y.size(), y.size());
  ZK_DISPATCH(AxpyBase, c.v, Words(x), Words(y), y.size());
}

void Axpy(Fp2 c, std::span<const Fp> x, std::span<Fp2> y) {
  CheckSameLength(x.size(), y.size(), y.size());
  ZK_DISPATCH(AxpyExtension, c, Words(x), Words(y), y.size());
}

void Axpy(Fp2 c, std::span<const Fp2> x, std::span<Fp2> y) {
  CheckSameLength(x.size(), y.size(), y.size());
  ZK_DISPATCH(AxpyExtensionPairs, c, Words(x), Words(y), y.size());
}

Fp DotProduct(std::span<const Fp> a, std::span<const Fp> b) {
  CheckSameLength(a.size(), b.size(), b.size());
  ZK_DISPATCH(DotBase, Words(a), Words(b), a.size());
}

Fp2 DotProduct(std::span<const Fp> a, std::span<const Fp2> b) {
  CheckSameLength(a.size(), b.size(), b.size());
  ZK_DISPATCH(DotMixed, Words(a), Words(b), a.size());
}

void FoldPairs(std::span<const Fp2> f, Fp2 r, std::span<Fp2> out) {
  ZK_CHECK(f.size() % 2 == 0, "FoldPairs needs an even number of values");
  ZK_CHECK(out.size() == f.size() / 2, "FoldPairs output must be half the input");
  ZK_DISPATCH(FoldExtension, Words(f), r, Words(out), f.size());
}

void FoldPairs(std::span<const Fp> f, Fp2 r, std::span<Fp2> out) {
  ZK_CHECK(f.size() % 2 == 0, "FoldPairs needs an even number of values");
  ZK_CHECK(out.size() == f.size() / 2, "FoldPairs output must be half the input");
  ZK_DISPATCH(FoldBase, Words(f), r, Words(out), f.size());
}

static void CheckSecondFold(size_t in, size_t out) {
  ZK_CHECK(in % 4 == 0, "FoldSecondVariable needs a multiple of four values");
  ZK_CHECK(out == in / 2, "FoldSecondVariable output must be half the input");
}

void FoldSecondVariable(std::span<const Fp2> f, Fp2 r, std::span<Fp2> out) {
  CheckSecondFold(f.size(), out.size());
  ZK_DISPATCH(FoldSecondExtension, Words(f), r, Words(out), f.size());
}

namespace reference {

void AddVectors(std::span<const Fp> a, std::span<const Fp> b, std::span<Fp> out) {
  CheckSameLength(a.size(), b.size(), out.size());
  for (size_t i = 0; i < out.size(); ++i) out[i] = a[i] + b[i];
}

void SubVectors(std::span<const Fp> a, std::span<const Fp> b, std::span<Fp> out) {
  CheckSameLength(a.size(), b.size(), out.size());
  for (size_t i = 0; i < out.size(); ++i) out[i] = a[i] - b[i];
}

void MulVectors(std::span<const Fp> a, std::span<const Fp> b, std::span<Fp> out) {
  CheckSameLength(a.size(), b.size(), out.size());
  for (size_t i = 0; i < out.size(); ++i) out[i] = a[i] * b[i];
}

void Axpy(Fp c, std::span<const Fp> x, std::span<Fp> y) {
  CheckSameLength(x.size(), y.size(), y.size());
  for (size_t i = 0; i < y.size(); ++i) y[i] += c * x[i];
}

void Axpy(Fp2 c, std::span<const Fp> x, std::span<Fp2> y) {
  CheckSameLength(x.size(), y.size(), y.size());
  for (size_t i = 0; i < y.size(); ++i) y[i] += c * x[i];
}

void Axpy(Fp2 c, std::span<const Fp2> x, std::span<Fp2> y) {
  CheckSameLength(x.size(), y.size(), y.size());
  for (size_t i = 0; i < y.size(); ++i) y[i] += c * x[i];
}

Fp DotProduct(std::span<const Fp> a, std::span<const Fp> b) {
  CheckSameLength(a.size(), b.size(), b.size());
  Fp sum;
  for (size_t i = 0; i < a.size(); ++i) sum += a[i] * b[i];
  return sum;
}

Fp2 DotProduct(std::span<const Fp> a, std::span<const Fp2> b) {
  CheckSameLength(a.size(), b.size(), b.size());
  Fp2 sum;
  for (size_t i = 0; i < a.size(); ++i) sum += a[i] * b[i];
  return sum;
}

void FoldPairs(std::span<const Fp2> f, Fp2 r, std::span<Fp2> out) {
  ZK_CHECK(f.size() % 2 == 0, "FoldPairs needs an even number of values");
  ZK_CHECK(out.size() == f.size() / 2, "FoldPairs output must be half the input");
  for (size_t k = 0; k < out.size(); ++k) out[k] = f[2 * k] + r * (f[2 * k + 1] - f[2 * k]);
}

void FoldPairs(std::span<const Fp> f, Fp2 r, std::span<Fp2> out) {
  ZK_CHECK(f.size() % 2 == 0, "FoldPairs needs an even number of values");
  ZK_CHECK(out.size() == f.size() / 2, "FoldPairs output must be half the input");
  for (size_t k = 0; k < out.size(); ++k) out[k] = Fp2(f[2 * k]) + r * (f[2 * k + 1] - f[2 * k]);
}

void FoldSecondVariable(std::span<const Fp2> f, Fp2 r, std::span<Fp2> out) {
  CheckSecondFold(f.size(), out.size());
  for (size_t i = 0; i < f.size() / 4; ++i) {
    for (size_t j = 0; j < 2; ++j)
      out[2 * i + j] = f[4 * i + j] + r * (f[4 * i + 2 + j] - f[4 * i + j]);
  }
}

}  // namespace reference
}  // namespace zektra
