#include "zektra/ml/kernels.h"

namespace zektra::ml {

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__)
#define ZK_ML_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define ZK_ML_CLONES
#endif

ZK_ML_CLONES int64_t DotI32(const int32_t* a, const int32_t* b, size_t n) {
  int64_t sum = 0;
  for (size_t i = 0; i < n; ++i) sum += static_cast<int64_t>(a[i]) * static_cast<int64_t>(b[i]);
  return sum;
}

ZK_ML_CLONES void AxpyI32(int64_t* acc, int32_t s, const int32_t* x, size_t n) {
  const int64_t s64 = s;
  for (size_t i = 0; i < n; ++i) acc[i] += s64 * static_cast<int64_t>(x[i]);
}

// Floating-point sums are not associative, so the compiler keeps one accumulator unless we
// split it: eight independent partial sums vectorise and are still a fixed evaluation order.
ZK_ML_CLONES double DotF32F64(const float* a, const double* b, size_t n) {
  double part[8] = {};
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (size_t l = 0; l < 8; ++l) part[l] += static_cast<double>(a[i + l]) * b[i + l];
  }
  double sum = ((part[0] + part[1]) + (part[2] + part[3])) + ((part[4] + part[5]) + (part[6] + part[7]));
  for (; i < n; ++i) sum += static_cast<double>(a[i]) * b[i];
  return sum;
}

ZK_ML_CLONES double DotF64(const double* a, const double* b, size_t n) {
  double part[8] = {};
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (size_t l = 0; l < 8; ++l) part[l] += a[i + l] * b[i + l];
  }
  double sum = ((part[0] + part[1]) + (part[2] + part[3])) + ((part[4] + part[5]) + (part[6] + part[7]));
  for (; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

ZK_ML_CLONES void AxpyF64F32(double* acc, double s, const float* x, size_t n) {
  for (size_t i = 0; i < n; ++i) acc[i] += s * static_cast<double>(x[i]);
}

ZK_ML_CLONES void AxpyF64(double* acc, double s, const double* x, size_t n) {
  for (size_t i = 0; i < n; ++i) acc[i] += s * x[i];
}

}  // namespace zektra::ml
