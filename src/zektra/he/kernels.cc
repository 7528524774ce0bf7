#include "zektra/he/kernels.h"

// GCC 12 warns inside its own AVX-512 headers (_mm512_undefined_* in set1/permute).
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#include "zektra/he/ntt.h"

namespace zektra::he {
namespace {

#define ZK_AVX512 __attribute__((target("avx512f,avx512dq,avx512ifma")))

bool UseIfma(const Modulus& m) {
  return m.value < (uint64_t{1} << 50) && CpuHasIfma() && !PortableKernelsOnly();
}

struct VecModulus {
  __m512i q;
  __m512d inv_q;
  __m512i mask52;
  __m512i half_range;  // 2^51: residues at or above it are negative
};

ZK_AVX512 inline VecModulus MakeVec(const Modulus& m) {
  VecModulus v;
  v.q = _mm512_set1_epi64(m.value);
  v.inv_q = _mm512_set1_pd(1.0 / static_cast<double>(m.value));
  v.mask52 = _mm512_set1_epi64((uint64_t{1} << 52) - 1);
  v.half_range = _mm512_set1_epi64(uint64_t{1} << 51);
  return v;
}

// a·b mod q for a, b < q < 2^50.
ZK_AVX512 inline __m512i MulModV(__m512i a, __m512i b, const VecModulus& v) {
  const __m512i zero = _mm512_setzero_si512();
  __m512i lo = _mm512_madd52lo_epu64(zero, a, b);
  __m512d estimate =
      _mm512_mul_pd(_mm512_mul_pd(_mm512_cvtepu64_pd(a), _mm512_cvtepu64_pd(b)), v.inv_q);
  __m512i quotient = _mm512_cvttpd_epu64(estimate);  // true quotient − 1 .. + 1
  __m512i r =
      _mm512_and_si512(_mm512_sub_epi64(lo, _mm512_madd52lo_epu64(zero, quotient, v.q)), v.mask52);
  // r ∈ (−q, 2q) modulo 2^52: bring negatives up, then subtract q when r ≥ q.
  __mmask8 negative = _mm512_cmpge_epu64_mask(r, v.half_range);
  r = _mm512_mask_add_epi64(r, negative, r, v.q);
  r = _mm512_and_si512(r, v.mask52);
  return _mm512_min_epu64(r, _mm512_sub_epi64(r, v.q));
}

ZK_AVX512 inline __m512i AddModV(__m512i a, __m512i b, const VecModulus& v) {
  __m512i s = _mm512_add_epi64(a, b);
  return _mm512_min_epu64(s, _mm512_sub_epi64(s, v.q));
}

ZK_AVX512 void MulModIfma(const uint64_t* a, const uint64_t* b, uint64_t* out, size_t n,
                          const Modulus& m) {
  const VecModulus v = MakeVec(m);
  for (size_t i = 0; i < n; i += 8) {
    _mm512_storeu_si512(out + i, MulModV(_mm512_loadu_si512(a + i), _mm512_loadu_si512(b + i), v));
  }
}

ZK_AVX512 void MulAddModIfma(uint64_t* acc, const uint64_t* a, const uint64_t* b, size_t n,
                             const Modulus& m) {
  const VecModulus v = MakeVec(m);
  for (size_t i = 0; i < n; i += 8) {
    __m512i p = MulModV(_mm512_loadu_si512(a + i), _mm512_loadu_si512(b + i), v);
    _mm512_storeu_si512(acc + i, AddModV(_mm512_loadu_si512(acc + i), p, v));
  }
}

ZK_AVX512 void TensorIfma(const uint64_t* a0, const uint64_t* a1, const uint64_t* b0,
                          const uint64_t* b1, uint64_t* d0, uint64_t* d1, uint64_t* d2, size_t n,
                          const Modulus& m) {
  const VecModulus v = MakeVec(m);
  for (size_t i = 0; i < n; i += 8) {
    __m512i x0 = _mm512_loadu_si512(a0 + i), x1 = _mm512_loadu_si512(a1 + i);
    __m512i y0 = _mm512_loadu_si512(b0 + i), y1 = _mm512_loadu_si512(b1 + i);
    _mm512_storeu_si512(d0 + i, MulModV(x0, y0, v));
    _mm512_storeu_si512(d1 + i, AddModV(MulModV(x0, y1, v), MulModV(x1, y0, v), v));
    _mm512_storeu_si512(d2 + i, MulModV(x1, y1, v));
  }
}

}  // namespace

void MulModLimb(const uint64_t* a, const uint64_t* b, uint64_t* out, size_t n, const Modulus& m) {
  if (UseIfma(m) && n % 8 == 0) return MulModIfma(a, b, out, n, m);
  for (size_t i = 0; i < n; ++i) out[i] = MulMod(a[i], b[i], m);
}

void MulAddModLimb(uint64_t* acc, const uint64_t* a, const uint64_t* b, size_t n,
                   const Modulus& m) {
  if (UseIfma(m) && n % 8 == 0) return MulAddModIfma(acc, a, b, n, m);
  for (size_t i = 0; i < n; ++i) acc[i] = AddMod(acc[i], MulMod(a[i], b[i], m), m.value);
}

void TensorLimb(const uint64_t* a0, const uint64_t* a1, const uint64_t* b0, const uint64_t* b1,
                uint64_t* d0, uint64_t* d1, uint64_t* d2, size_t n, const Modulus& m) {
  if (UseIfma(m) && n % 8 == 0) return TensorIfma(a0, a1, b0, b1, d0, d1, d2, n, m);
  for (size_t j = 0; j < n; ++j) {
    d0[j] = MulMod(a0[j], b0[j], m);
    d1[j] = AddMod(MulMod(a0[j], b1[j], m), MulMod(a1[j], b0[j], m), m.value);
    d2[j] = MulMod(a1[j], b1[j], m);
  }
}

}  // namespace zektra::he
