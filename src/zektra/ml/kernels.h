// Vector kernels of the trainers: int32 × int32 → int64 dot products and updates (fixed point)
// and their double counterparts (float reference).
//
// Integer sums are exact and associative, so the fixed-point results do not depend on how work
// is split across threads or SIMD lanes: the trainer is bit-for-bit reproducible whatever the
// machine. The kernels are compiled for AVX-512, AVX2 and baseline x86-64 and picked at load
// time (GCC target_clones), so a default build still uses the CPU's widest vectors.
// Callers keep |a|, |b| < 2^28 and n small enough that sums stay below 2^63 (fixed_point.h).
#pragma once

#include <cstddef>
#include <cstdint>

namespace zektra::ml {

// Σ a[i]·b[i], exact.
int64_t DotI32(const int32_t* a, const int32_t* b, size_t n);
// acc[i] += s·x[i].
void AxpyI32(int64_t* acc, int32_t s, const int32_t* x, size_t n);

// Σ a[i]·b[i] in double, left to right per lane block (deterministic for a given build).
double DotF32F64(const float* a, const double* b, size_t n);
double DotF64(const double* a, const double* b, size_t n);
void AxpyF64F32(double* acc, double s, const float* x, size_t n);
void AxpyF64(double* acc, double s, const double* x, size_t n);

}  // namespace zektra::ml
