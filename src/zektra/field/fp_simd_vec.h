// Internal: eight-lane Goldilocks vectors for the field kernels, one type per instruction
// set. Not part of the public API; include only from field/*.cc.
//
// Every type offers the same static operations on eight canonical elements (values in
// [0, p)), so an algorithm written once against `V` (see ntt_simd_body.inc) compiles for
// each instruction set:
//   Load / Store (unaligned), Broadcast, Add, Sub, Mul (all canonical in, canonical out),
//   Transpose8x8 (eight vectors as an 8×8 matrix), DupLo / DupHi (x0,x0,x1,x1,… from the
//   low / high four lanes), DeinterleavePairs (split lane pairs of two vectors into the
//   even and odd pairs), SwapPairs (swap the two lanes of each pair), DeinterleaveLanes
//   (split sixteen lanes into even- and odd-indexed ones), InterleaveLanes (its inverse),
//   ConcatLowHalves / ConcatHighHalves (the low or high four lanes of two vectors).
//
// Multiplication: the 64×64→128-bit product is built from four 32×32→64-bit partial
// products (the only wide multiply AVX2/AVX-512F have), then reduced with
// 2^64 ≡ 2^32 − 1 and 2^96 ≡ −1 (mod p), as Fp::Reduce128 does. No step branches on the
// values: lane selects use compare masks, so the kernels are as constant-time as Fp.
//
// The AVX2 and AVX-512 types are compiled with function-level target options, so this
// header builds without -mavx*; callers must check ActiveSimdLevel() before running them.
#pragma once

#include <cstdint>

#include "zektra/field/goldilocks.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define ZEKTRA_X86_SIMD 1
// GCC 12's AVX-512 shift intrinsics start from _mm512_undefined_epi32(), which trips a
// false -Wmaybe-uninitialized once inlined; the diagnostic state at the header's lines is
// what counts, so silence it just for the include.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
#else
#include <immintrin.h>
#endif
#endif

// Function-level target regions (GCC and Clang spell them differently).
#define ZK_SIMD_PRAGMA(x) _Pragma(#x)
#if defined(__clang__)
#define ZK_SIMD_BEGIN_TARGET(isa) \
  ZK_SIMD_PRAGMA(clang attribute push(__attribute__((target(isa))), apply_to = function))
#define ZK_SIMD_END_TARGET ZK_SIMD_PRAGMA(clang attribute pop)
#else
#define ZK_SIMD_BEGIN_TARGET(isa) ZK_SIMD_PRAGMA(GCC push_options) ZK_SIMD_PRAGMA(GCC target(isa))
#define ZK_SIMD_END_TARGET ZK_SIMD_PRAGMA(GCC pop_options)
#endif
#define ZK_SIMD_INLINE inline __attribute__((always_inline))

namespace zektra::simd {

inline constexpr uint64_t kP = Fp::kModulus;
inline constexpr uint64_t kEps = Fp::kEpsilon;

inline Fp AsFp(uint64_t canonical) {
  Fp f;
  f.v = canonical;
  return f;
}

// Portable reference lanes: plain Fp arithmetic, eight at a time.
struct ScalarVec {
  static constexpr int kLanes = 8;
  uint64_t lane[8];

  static ZK_SIMD_INLINE ScalarVec Load(const uint64_t* p) {
    ScalarVec r;
    for (int i = 0; i < 8; ++i) r.lane[i] = p[i];
    return r;
  }
  static ZK_SIMD_INLINE void Store(uint64_t* p, const ScalarVec& x) {
    for (int i = 0; i < 8; ++i) p[i] = x.lane[i];
  }
  static ZK_SIMD_INLINE ScalarVec Broadcast(uint64_t x) {
    ScalarVec r;
    for (int i = 0; i < 8; ++i) r.lane[i] = x;
    return r;
  }
  static ZK_SIMD_INLINE ScalarVec Add(const ScalarVec& a, const ScalarVec& b) {
    ScalarVec r;
    for (int i = 0; i < 8; ++i) r.lane[i] = Fp::Add(AsFp(a.lane[i]), AsFp(b.lane[i])).v;
    return r;
  }
  static ZK_SIMD_INLINE ScalarVec Sub(const ScalarVec& a, const ScalarVec& b) {
    ScalarVec r;
    for (int i = 0; i < 8; ++i) r.lane[i] = Fp::Sub(AsFp(a.lane[i]), AsFp(b.lane[i])).v;
    return r;
  }
  static ZK_SIMD_INLINE ScalarVec Mul(const ScalarVec& a, const ScalarVec& b) {
    ScalarVec r;
    for (int i = 0; i < 8; ++i) r.lane[i] = Fp::Mul(AsFp(a.lane[i]), AsFp(b.lane[i])).v;
    return r;
  }
  static ZK_SIMD_INLINE void Transpose8x8(ScalarVec* rows) {
    for (int i = 0; i < 8; ++i)
      for (int j = i + 1; j < 8; ++j) {
        uint64_t t = rows[i].lane[j];
        rows[i].lane[j] = rows[j].lane[i];
        rows[j].lane[i] = t;
      }
  }
  static ZK_SIMD_INLINE ScalarVec DupLo(const ScalarVec& x) {
    ScalarVec r;
    for (int i = 0; i < 8; ++i) r.lane[i] = x.lane[i / 2];
    return r;
  }
  static ZK_SIMD_INLINE ScalarVec DupHi(const ScalarVec& x) {
    ScalarVec r;
    for (int i = 0; i < 8; ++i) r.lane[i] = x.lane[4 + i / 2];
    return r;
  }
  // x = (p0,p1,p2,p3), y = (p4,…,p7) as lane pairs → even = (p0,p2,p4,p6), odd = (p1,p3,p5,p7).
  static ZK_SIMD_INLINE void DeinterleavePairs(const ScalarVec& x, const ScalarVec& y,
                                               ScalarVec& even, ScalarVec& odd) {
    for (int k = 0; k < 2; ++k) {
      even.lane[k] = x.lane[k];
      odd.lane[k] = x.lane[2 + k];
      even.lane[2 + k] = x.lane[4 + k];
      odd.lane[2 + k] = x.lane[6 + k];
      even.lane[4 + k] = y.lane[k];
      odd.lane[4 + k] = y.lane[2 + k];
      even.lane[6 + k] = y.lane[4 + k];
      odd.lane[6 + k] = y.lane[6 + k];
    }
  }
  static ZK_SIMD_INLINE ScalarVec SwapPairs(const ScalarVec& x) {
    ScalarVec r;
    for (int i = 0; i < 8; ++i) r.lane[i] = x.lane[i ^ 1];
    return r;
  }
  // (x, y) as sixteen lanes → even = lanes 0, 2, …, 14; odd = lanes 1, 3, …, 15.
  static ZK_SIMD_INLINE void DeinterleaveLanes(const ScalarVec& x, const ScalarVec& y,
                                               ScalarVec& even, ScalarVec& odd) {
    for (int i = 0; i < 4; ++i) {
      even.lane[i] = x.lane[2 * i];
      odd.lane[i] = x.lane[2 * i + 1];
      even.lane[4 + i] = y.lane[2 * i];
      odd.lane[4 + i] = y.lane[2 * i + 1];
    }
  }
  // lo = (a0, b0, a1, b1, …, a3, b3), hi = (a4, b4, …, a7, b7).
  static ZK_SIMD_INLINE void InterleaveLanes(const ScalarVec& a, const ScalarVec& b, ScalarVec& lo,
                                             ScalarVec& hi) {
    for (int i = 0; i < 4; ++i) {
      lo.lane[2 * i] = a.lane[i];
      lo.lane[2 * i + 1] = b.lane[i];
      hi.lane[2 * i] = a.lane[4 + i];
      hi.lane[2 * i + 1] = b.lane[4 + i];
    }
  }
  // (a0..a3, b0..b3) and (a4..a7, b4..b7).
  static ZK_SIMD_INLINE ScalarVec ConcatLowHalves(const ScalarVec& a, const ScalarVec& b) {
    ScalarVec r;
    for (int i = 0; i < 4; ++i) {
      r.lane[i] = a.lane[i];
      r.lane[4 + i] = b.lane[i];
    }
    return r;
  }
  static ZK_SIMD_INLINE ScalarVec ConcatHighHalves(const ScalarVec& a, const ScalarVec& b) {
    ScalarVec r;
    for (int i = 0; i < 4; ++i) {
      r.lane[i] = a.lane[4 + i];
      r.lane[4 + i] = b.lane[4 + i];
    }
    return r;
  }
};

#if defined(ZEKTRA_X86_SIMD)

ZK_SIMD_BEGIN_TARGET("avx2")

// Four lanes per 256-bit register; unsigned 64-bit compares by flipping the sign bit.
ZK_SIMD_INLINE __m256i Avx2LessThanU64(__m256i a, __m256i b) {
  const __m256i sign = _mm256_set1_epi64x(static_cast<long long>(1ULL << 63));
  return _mm256_cmpgt_epi64(_mm256_xor_si256(b, sign), _mm256_xor_si256(a, sign));
}

ZK_SIMD_INLINE __m256i Avx2AddFp(__m256i a, __m256i b) {
  const __m256i p = _mm256_set1_epi64x(static_cast<long long>(kP));
  __m256i neg_b = _mm256_sub_epi64(p, b);  // in (0, p]
  __m256i d = _mm256_sub_epi64(a, neg_b);  // a + b - p, wrapped when a + b < p
  return _mm256_add_epi64(d, _mm256_and_si256(Avx2LessThanU64(a, neg_b), p));
}

ZK_SIMD_INLINE __m256i Avx2SubFp(__m256i a, __m256i b) {
  const __m256i p = _mm256_set1_epi64x(static_cast<long long>(kP));
  __m256i d = _mm256_sub_epi64(a, b);
  return _mm256_add_epi64(d, _mm256_and_si256(Avx2LessThanU64(a, b), p));
}

ZK_SIMD_INLINE __m256i Avx2MulFp(__m256i a, __m256i b) {
  const __m256i p = _mm256_set1_epi64x(static_cast<long long>(kP));
  const __m256i eps = _mm256_set1_epi64x(static_cast<long long>(kEps));
  __m256i a_hi = _mm256_srli_epi64(a, 32), b_hi = _mm256_srli_epi64(b, 32);
  __m256i ll = _mm256_mul_epu32(a, b);
  __m256i lh = _mm256_mul_epu32(a, b_hi);
  __m256i hl = _mm256_mul_epu32(a_hi, b);
  __m256i hh = _mm256_mul_epu32(a_hi, b_hi);
  // Column sums cannot overflow: hl + (ll >> 32) ≤ 2^64 − 2^32, lh + 32 bits likewise.
  __m256i t = _mm256_add_epi64(hl, _mm256_srli_epi64(ll, 32));
  __m256i u = _mm256_add_epi64(lh, _mm256_and_si256(t, eps));
  __m256i lo = _mm256_blend_epi32(_mm256_slli_epi64(u, 32), ll, 0x55);
  __m256i hi =
      _mm256_add_epi64(hh, _mm256_add_epi64(_mm256_srli_epi64(t, 32), _mm256_srli_epi64(u, 32)));
  // lo + hi_lo·2^64 + hi_hi·2^96 ≡ lo − hi_hi + hi_lo·(2^32 − 1).
  __m256i hi_hi = _mm256_srli_epi64(hi, 32);
  __m256i t0 = _mm256_sub_epi64(lo, hi_hi);
  t0 = _mm256_sub_epi64(t0, _mm256_and_si256(Avx2LessThanU64(lo, hi_hi), eps));
  __m256i hi_shift = _mm256_slli_epi64(hi, 32);
  __m256i t1 = _mm256_sub_epi64(hi_shift, _mm256_srli_epi64(hi_shift, 32));
  __m256i t2 = _mm256_add_epi64(t0, t1);
  t2 = _mm256_add_epi64(t2, _mm256_and_si256(Avx2LessThanU64(t2, t1), eps));
  return _mm256_sub_epi64(t2, _mm256_andnot_si256(Avx2LessThanU64(t2, p), p));
}

// 4×4 transpose of 64-bit lanes.
ZK_SIMD_INLINE void Avx2Transpose4x4(__m256i& r0, __m256i& r1, __m256i& r2, __m256i& r3) {
  __m256i t0 = _mm256_unpacklo_epi64(r0, r1);  // r0[0] r1[0] r0[2] r1[2]
  __m256i t1 = _mm256_unpackhi_epi64(r0, r1);  // r0[1] r1[1] r0[3] r1[3]
  __m256i t2 = _mm256_unpacklo_epi64(r2, r3);
  __m256i t3 = _mm256_unpackhi_epi64(r2, r3);
  r0 = _mm256_permute2x128_si256(t0, t2, 0x20);
  r1 = _mm256_permute2x128_si256(t1, t3, 0x20);
  r2 = _mm256_permute2x128_si256(t0, t2, 0x31);
  r3 = _mm256_permute2x128_si256(t1, t3, 0x31);
}

struct Avx2Vec {
  static constexpr int kLanes = 8;
  __m256i lo, hi;  // lanes 0..3, 4..7

  static ZK_SIMD_INLINE Avx2Vec Load(const uint64_t* p) {
    return {_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)),
            _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 4))};
  }
  static ZK_SIMD_INLINE void Store(uint64_t* p, Avx2Vec x) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), x.lo);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(p + 4), x.hi);
  }
  static ZK_SIMD_INLINE Avx2Vec Broadcast(uint64_t x) {
    __m256i v = _mm256_set1_epi64x(static_cast<long long>(x));
    return {v, v};
  }
  static ZK_SIMD_INLINE Avx2Vec Add(Avx2Vec a, Avx2Vec b) {
    return {Avx2AddFp(a.lo, b.lo), Avx2AddFp(a.hi, b.hi)};
  }
  static ZK_SIMD_INLINE Avx2Vec Sub(Avx2Vec a, Avx2Vec b) {
    return {Avx2SubFp(a.lo, b.lo), Avx2SubFp(a.hi, b.hi)};
  }
  static ZK_SIMD_INLINE Avx2Vec Mul(Avx2Vec a, Avx2Vec b) {
    return {Avx2MulFp(a.lo, b.lo), Avx2MulFp(a.hi, b.hi)};
  }
  // [[A B] [C D]] → [[Aᵀ Cᵀ] [Bᵀ Dᵀ]] with 4×4 blocks.
  static ZK_SIMD_INLINE void Transpose8x8(Avx2Vec* r) {
    Avx2Transpose4x4(r[0].lo, r[1].lo, r[2].lo, r[3].lo);  // Aᵀ
    Avx2Transpose4x4(r[0].hi, r[1].hi, r[2].hi, r[3].hi);  // Bᵀ
    Avx2Transpose4x4(r[4].lo, r[5].lo, r[6].lo, r[7].lo);  // Cᵀ
    Avx2Transpose4x4(r[4].hi, r[5].hi, r[6].hi, r[7].hi);  // Dᵀ
    for (int i = 0; i < 4; ++i) {
      __m256i b = r[i].hi;
      r[i].hi = r[i + 4].lo;
      r[i + 4].lo = b;
    }
  }
  static ZK_SIMD_INLINE Avx2Vec DupLo(Avx2Vec x) {
    return {_mm256_permute4x64_epi64(x.lo, 0x50), _mm256_permute4x64_epi64(x.lo, 0xFA)};
  }
  static ZK_SIMD_INLINE Avx2Vec DupHi(Avx2Vec x) {
    return {_mm256_permute4x64_epi64(x.hi, 0x50), _mm256_permute4x64_epi64(x.hi, 0xFA)};
  }
  static ZK_SIMD_INLINE void DeinterleavePairs(Avx2Vec x, Avx2Vec y, Avx2Vec& even, Avx2Vec& odd) {
    even = {_mm256_permute2x128_si256(x.lo, x.hi, 0x20),
            _mm256_permute2x128_si256(y.lo, y.hi, 0x20)};
    odd = {_mm256_permute2x128_si256(x.lo, x.hi, 0x31),
           _mm256_permute2x128_si256(y.lo, y.hi, 0x31)};
  }
  static ZK_SIMD_INLINE Avx2Vec SwapPairs(Avx2Vec x) {
    return {_mm256_shuffle_epi32(x.lo, 0x4E), _mm256_shuffle_epi32(x.hi, 0x4E)};
  }
  static ZK_SIMD_INLINE void DeinterleaveLanes(Avx2Vec x, Avx2Vec y, Avx2Vec& even, Avx2Vec& odd) {
    // unpack gives (x0, x4, x2, x6); the 0xD8 permute puts it in order (x0, x2, x4, x6).
    even = {_mm256_permute4x64_epi64(_mm256_unpacklo_epi64(x.lo, x.hi), 0xD8),
            _mm256_permute4x64_epi64(_mm256_unpacklo_epi64(y.lo, y.hi), 0xD8)};
    odd = {_mm256_permute4x64_epi64(_mm256_unpackhi_epi64(x.lo, x.hi), 0xD8),
           _mm256_permute4x64_epi64(_mm256_unpackhi_epi64(y.lo, y.hi), 0xD8)};
  }
  static ZK_SIMD_INLINE void InterleaveLanes(Avx2Vec a, Avx2Vec b, Avx2Vec& lo, Avx2Vec& hi) {
    __m256i l0 = _mm256_unpacklo_epi64(a.lo, b.lo), h0 = _mm256_unpackhi_epi64(a.lo, b.lo);
    __m256i l1 = _mm256_unpacklo_epi64(a.hi, b.hi), h1 = _mm256_unpackhi_epi64(a.hi, b.hi);
    lo = {_mm256_permute2x128_si256(l0, h0, 0x20), _mm256_permute2x128_si256(l0, h0, 0x31)};
    hi = {_mm256_permute2x128_si256(l1, h1, 0x20), _mm256_permute2x128_si256(l1, h1, 0x31)};
  }
  static ZK_SIMD_INLINE Avx2Vec ConcatLowHalves(Avx2Vec a, Avx2Vec b) { return {a.lo, b.lo}; }
  static ZK_SIMD_INLINE Avx2Vec ConcatHighHalves(Avx2Vec a, Avx2Vec b) { return {a.hi, b.hi}; }
};

ZK_SIMD_END_TARGET

ZK_SIMD_BEGIN_TARGET("avx512f")

struct Avx512Vec {
  static constexpr int kLanes = 8;
  __m512i v;

  static ZK_SIMD_INLINE Avx512Vec Load(const uint64_t* p) { return {_mm512_loadu_si512(p)}; }
  static ZK_SIMD_INLINE void Store(uint64_t* p, Avx512Vec x) { _mm512_storeu_si512(p, x.v); }
  static ZK_SIMD_INLINE Avx512Vec Broadcast(uint64_t x) {
    return {_mm512_set1_epi64(static_cast<long long>(x))};
  }
  static ZK_SIMD_INLINE Avx512Vec Add(Avx512Vec a, Avx512Vec b) {
    const __m512i p = _mm512_set1_epi64(static_cast<long long>(kP));
    __m512i neg_b = _mm512_sub_epi64(p, b.v);  // in (0, p]
    __m512i d = _mm512_sub_epi64(a.v, neg_b);  // a + b − p, wrapped when a + b < p
    return {_mm512_mask_add_epi64(d, _mm512_cmplt_epu64_mask(a.v, neg_b), d, p)};
  }
  static ZK_SIMD_INLINE Avx512Vec Sub(Avx512Vec a, Avx512Vec b) {
    const __m512i p = _mm512_set1_epi64(static_cast<long long>(kP));
    __m512i d = _mm512_sub_epi64(a.v, b.v);
    return {_mm512_mask_add_epi64(d, _mm512_cmplt_epu64_mask(a.v, b.v), d, p)};
  }
  static ZK_SIMD_INLINE Avx512Vec Mul(Avx512Vec a, Avx512Vec b) {
    const __m512i p = _mm512_set1_epi64(static_cast<long long>(kP));
    const __m512i eps = _mm512_set1_epi64(static_cast<long long>(kEps));
    __m512i a_hi = _mm512_srli_epi64(a.v, 32), b_hi = _mm512_srli_epi64(b.v, 32);
    __m512i ll = _mm512_mul_epu32(a.v, b.v);
    __m512i lh = _mm512_mul_epu32(a.v, b_hi);
    __m512i hl = _mm512_mul_epu32(a_hi, b.v);
    __m512i hh = _mm512_mul_epu32(a_hi, b_hi);
    // Column sums cannot overflow: hl + (ll >> 32) ≤ 2^64 − 2^32, lh + 32 bits likewise.
    __m512i t = _mm512_add_epi64(hl, _mm512_srli_epi64(ll, 32));
    __m512i u = _mm512_add_epi64(lh, _mm512_and_si512(t, eps));
    __m512i lo = _mm512_mask_blend_epi32(0x5555, _mm512_slli_epi64(u, 32), ll);
    __m512i hi =
        _mm512_add_epi64(hh, _mm512_add_epi64(_mm512_srli_epi64(t, 32), _mm512_srli_epi64(u, 32)));
    // lo + hi_lo·2^64 + hi_hi·2^96 ≡ lo − hi_hi + hi_lo·(2^32 − 1).
    __m512i hi_hi = _mm512_srli_epi64(hi, 32);
    __m512i t0 = _mm512_sub_epi64(lo, hi_hi);
    t0 = _mm512_mask_sub_epi64(t0, _mm512_cmplt_epu64_mask(lo, hi_hi), t0, eps);
    __m512i hi_shift = _mm512_slli_epi64(hi, 32);
    __m512i t1 = _mm512_sub_epi64(hi_shift, _mm512_srli_epi64(hi_shift, 32));
    __m512i t2 = _mm512_add_epi64(t0, t1);
    t2 = _mm512_mask_add_epi64(t2, _mm512_cmplt_epu64_mask(t2, t1), t2, eps);
    // t2 − p wraps above t2 exactly when t2 < p, so the minimum is the canonical value.
    return {_mm512_min_epu64(t2, _mm512_sub_epi64(t2, p))};
  }
  static ZK_SIMD_INLINE void Transpose8x8(Avx512Vec* r) {
    __m512i t[8];
    for (int i = 0; i < 4; ++i) {
      t[2 * i] = _mm512_unpacklo_epi64(r[2 * i].v, r[2 * i + 1].v);
      t[2 * i + 1] = _mm512_unpackhi_epi64(r[2 * i].v, r[2 * i + 1].v);
    }
    // t[0] = r0[0] r1[0] r0[2] r1[2] r0[4] r1[4] r0[6] r1[6]; t[1] the odd columns.
    const __m512i pick_even = _mm512_setr_epi64(0, 1, 8, 9, 4, 5, 12, 13);
    const __m512i pick_odd = _mm512_setr_epi64(2, 3, 10, 11, 6, 7, 14, 15);
    __m512i u[8];
    for (int half = 0; half < 2; ++half) {
      __m512i* s = t + 4 * half;
      u[4 * half + 0] = _mm512_permutex2var_epi64(s[0], pick_even, s[2]);  // columns 0, 4
      u[4 * half + 1] = _mm512_permutex2var_epi64(s[1], pick_even, s[3]);  // columns 1, 5
      u[4 * half + 2] = _mm512_permutex2var_epi64(s[0], pick_odd, s[2]);   // columns 2, 6
      u[4 * half + 3] = _mm512_permutex2var_epi64(s[1], pick_odd, s[3]);   // columns 3, 7
    }
    const __m512i low_halves = _mm512_setr_epi64(0, 1, 2, 3, 8, 9, 10, 11);
    const __m512i high_halves = _mm512_setr_epi64(4, 5, 6, 7, 12, 13, 14, 15);
    for (int c = 0; c < 4; ++c) {
      r[c].v = _mm512_permutex2var_epi64(u[c], low_halves, u[4 + c]);
      r[c + 4].v = _mm512_permutex2var_epi64(u[c], high_halves, u[4 + c]);
    }
  }
  static ZK_SIMD_INLINE Avx512Vec DupLo(Avx512Vec x) {
    return {_mm512_permutexvar_epi64(_mm512_setr_epi64(0, 0, 1, 1, 2, 2, 3, 3), x.v)};
  }
  static ZK_SIMD_INLINE Avx512Vec DupHi(Avx512Vec x) {
    return {_mm512_permutexvar_epi64(_mm512_setr_epi64(4, 4, 5, 5, 6, 6, 7, 7), x.v)};
  }
  static ZK_SIMD_INLINE void DeinterleavePairs(Avx512Vec x, Avx512Vec y, Avx512Vec& even,
                                               Avx512Vec& odd) {
    even.v = _mm512_permutex2var_epi64(x.v, _mm512_setr_epi64(0, 1, 4, 5, 8, 9, 12, 13), y.v);
    odd.v = _mm512_permutex2var_epi64(x.v, _mm512_setr_epi64(2, 3, 6, 7, 10, 11, 14, 15), y.v);
  }
  static ZK_SIMD_INLINE Avx512Vec SwapPairs(Avx512Vec x) {
    return {_mm512_shuffle_epi32(x.v, _MM_PERM_BADC)};
  }
  static ZK_SIMD_INLINE void DeinterleaveLanes(Avx512Vec x, Avx512Vec y, Avx512Vec& even,
                                               Avx512Vec& odd) {
    even.v = _mm512_permutex2var_epi64(x.v, _mm512_setr_epi64(0, 2, 4, 6, 8, 10, 12, 14), y.v);
    odd.v = _mm512_permutex2var_epi64(x.v, _mm512_setr_epi64(1, 3, 5, 7, 9, 11, 13, 15), y.v);
  }
  static ZK_SIMD_INLINE void InterleaveLanes(Avx512Vec a, Avx512Vec b, Avx512Vec& lo,
                                             Avx512Vec& hi) {
    lo.v = _mm512_permutex2var_epi64(a.v, _mm512_setr_epi64(0, 8, 1, 9, 2, 10, 3, 11), b.v);
    hi.v = _mm512_permutex2var_epi64(a.v, _mm512_setr_epi64(4, 12, 5, 13, 6, 14, 7, 15), b.v);
  }
  static ZK_SIMD_INLINE Avx512Vec ConcatLowHalves(Avx512Vec a, Avx512Vec b) {
    return {_mm512_shuffle_i64x2(a.v, b.v, 0x44)};  // 128-bit lanes a0, a1, b0, b1
  }
  static ZK_SIMD_INLINE Avx512Vec ConcatHighHalves(Avx512Vec a, Avx512Vec b) {
    return {_mm512_shuffle_i64x2(a.v, b.v, 0xEE)};  // a2, a3, b2, b3
  }
};

ZK_SIMD_END_TARGET

#endif  // ZEKTRA_X86_SIMD

}  // namespace zektra::simd
