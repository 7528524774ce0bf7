#include "zektra/field/row_kernels.h"

#include <type_traits>

#include "zektra/field/field_simd.h"
#include "zektra/field/fp_simd_vec.h"
#include "zektra/field/lazy_sum.h"

namespace zektra {
namespace {

static_assert(sizeof(Fp) == sizeof(uint64_t) && sizeof(Fp2) == 2 * sizeof(uint64_t),
              "row kernels treat Fp arrays as words and Fp2 arrays as word pairs");

namespace rows_scalar {
using V = simd::ScalarVec;
#include "zektra/field/row_kernels_body.inc"
}  // namespace rows_scalar

#if defined(ZEKTRA_X86_SIMD)
ZK_SIMD_BEGIN_TARGET("avx2")
namespace rows_avx2 {
using V = simd::Avx2Vec;
#include "zektra/field/row_kernels_body.inc"
}  // namespace rows_avx2
ZK_SIMD_END_TARGET

ZK_SIMD_BEGIN_TARGET("avx512f")
namespace rows_avx512 {
using V = simd::Avx512Vec;
#include "zektra/field/row_kernels_body.inc"
}  // namespace rows_avx512
ZK_SIMD_END_TARGET
#endif

#if defined(ZEKTRA_X86_SIMD)
#define ZK_ROW_DISPATCH(NAME, ...)           \
  switch (ActiveSimdLevel()) {               \
    case SimdLevel::kAvx512:                 \
      return rows_avx512::NAME(__VA_ARGS__); \
    case SimdLevel::kAvx2:                   \
      return rows_avx2::NAME(__VA_ARGS__);   \
    default:                                 \
      return rows_scalar::NAME(__VA_ARGS__); \
  }
#else
#define ZK_ROW_DISPATCH(NAME, ...) return rows_scalar::NAME(__VA_ARGS__);
#endif

Fp SumLanes(const uint64_t* lanes) {
  Fp sum = Fp::Zero();
  for (size_t i = 0; i < kRowLanes; ++i) sum += simd::AsFp(lanes[i]);
  return sum;
}

}  // namespace

void NodeRows(const Fp* pairs, size_t count, size_t degree, uint64_t* rows, size_t stride) {
  ZK_ROW_DISPATCH(NodeRowsBase, reinterpret_cast<const uint64_t*>(pairs), count, degree, rows,
                  stride);
}

void NodeRows(const Fp2* pairs, size_t count, size_t degree, uint64_t* rows, size_t stride) {
  ZK_ROW_DISPATCH(NodeRowsExtension, reinterpret_cast<const uint64_t*>(pairs), count, degree, rows,
                  stride);
}

void MulRows(const uint64_t* a, const uint64_t* b, uint64_t* out, size_t n) {
  ZK_ROW_DISPATCH(MulRowsBase, a, b, out, n);
}

void MulRows(const uint64_t* a0, const uint64_t* a1, const uint64_t* b, uint64_t* out0,
             uint64_t* out1, size_t n) {
  ZK_ROW_DISPATCH(MulRowsMixed, a0, a1, b, out0, out1, n);
}

void MulRows(const uint64_t* a0, const uint64_t* a1, const uint64_t* b0, const uint64_t* b1,
             uint64_t* out0, uint64_t* out1, size_t n) {
  ZK_ROW_DISPATCH(MulRowsExtension, a0, a1, b0, b1, out0, out1, n);
}

void AccumulateRow(const uint64_t* a, size_t n, RowAccumulator& acc) {
  ZK_ROW_DISPATCH(AccumulateBase, a, n, acc.lanes[0]);
}

void AccumulateRowProduct(const uint64_t* a, const uint64_t* b, size_t n, RowAccumulator& acc) {
  ZK_ROW_DISPATCH(AccumulateBaseProduct, a, b, n, acc.lanes[0]);
}

void AccumulateRow(const uint64_t* a0, const uint64_t* a1, size_t n, RowAccumulator& acc) {
  ZK_ROW_DISPATCH(AccumulatePair, a0, a1, n, acc.lanes[0], acc.lanes[1]);
}

void AccumulateRowProduct(const uint64_t* a0, const uint64_t* a1, const uint64_t* b, size_t n,
                          RowAccumulator& acc) {
  ZK_ROW_DISPATCH(AccumulateMixedProduct, a0, a1, b, n, acc.lanes[0], acc.lanes[1]);
}

void AccumulateRowProduct(const uint64_t* a0, const uint64_t* a1, const uint64_t* b0,
                          const uint64_t* b1, size_t n, RowAccumulator& acc) {
  ZK_ROW_DISPATCH(AccumulateExtensionProduct, a0, a1, b0, b1, n, acc.lanes[0], acc.lanes[1],
                  acc.lanes[2]);
}

Fp2 ReduceBase(const RowAccumulator& acc) {
  return Fp2(SumLanes(acc.lanes[0]));
}

Fp2 ReducePair(const RowAccumulator& acc) {
  return Fp2(SumLanes(acc.lanes[0]), SumLanes(acc.lanes[1]));
}

Fp2 ReduceKaratsuba(const RowAccumulator& acc) {
  const Fp real = SumLanes(acc.lanes[0]), non_residue = SumLanes(acc.lanes[1]);
  const Fp cross = SumLanes(acc.lanes[2]);
  return Fp2(real + Fp2::MulByNonResidue(non_residue), cross - real - non_residue);
}

}  // namespace zektra
