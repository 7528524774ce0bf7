#include "zektra/he/ntt.h"

// GCC 12 warns inside its own AVX-512 headers (_mm512_undefined_* in set1/permute).
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>

#include <atomic>
#include <cstdlib>
#include <cstring>

#include "zektra/base/status.h"

namespace zektra::he {
namespace {

std::atomic<int> g_portable_only{-1};  // -1: not yet read from the environment

constexpr uint64_t kMask52 = (uint64_t{1} << 52) - 1;

uint64_t ShoupPrecompute52(uint64_t w, uint64_t q) {
  return static_cast<uint64_t>((static_cast<u128>(w) << 52) / q);
}

// ---------------------------------------------------------------- portable kernels

void ForwardPortable(uint64_t* a, const NttTables& t) {
  const size_t n = t.n();
  const uint64_t q = t.modulus().value, two_q = 2 * q;
  size_t gap = n;
  for (size_t m = 1; m < n; m <<= 1) {
    gap >>= 1;
    for (size_t i = 0; i < m; ++i) {
      const uint64_t w = t.psi_rev[m + i], ws = t.psi_rev_shoup[m + i];
      uint64_t* x = a + 2 * i * gap;
      uint64_t* y = x + gap;
      for (size_t j = 0; j < gap; ++j) {
        uint64_t u = CondSub(x[j], two_q);
        uint64_t v = MulShoupLazy(y[j], w, ws, q);
        x[j] = u + v;
        y[j] = u - v + two_q;
      }
    }
  }
  for (size_t j = 0; j < n; ++j) a[j] = CondSub(CondSub(a[j], two_q), q);
}

void InversePortable(uint64_t* a, const NttTables& t) {
  const size_t n = t.n();
  const uint64_t q = t.modulus().value, two_q = 2 * q;
  size_t gap = 1;
  for (size_t m = n >> 1; m >= 1; m >>= 1) {
    for (size_t i = 0; i < m; ++i) {
      const uint64_t w = t.psi_inv_rev[m + i], ws = t.psi_inv_rev_shoup[m + i];
      uint64_t* x = a + 2 * i * gap;
      uint64_t* y = x + gap;
      for (size_t j = 0; j < gap; ++j) {
        uint64_t u = x[j], v = y[j];
        x[j] = CondSub(u + v, two_q);
        y[j] = MulShoupLazy(u - v + two_q, w, ws, q);
      }
    }
    gap <<= 1;
  }
  for (size_t j = 0; j < n; ++j) a[j] = MulShoup(a[j], t.n_inv, t.n_inv_shoup, q);
}

// ---------------------------------------------------------------- AVX-512 IFMA kernels

#define ZK_AVX512 __attribute__((target("avx512f,avx512dq,avx512ifma")))

// x·w mod q in [0, 2q) by Shoup with 52-bit halves (IFMA), for q < 2^50.
struct Shoup52 {
  ZK_AVX512 static inline __m512i Lazy(__m512i x, __m512i w, __m512i ws, __m512i q) {
    const __m512i zero = _mm512_setzero_si512();
    __m512i hi = _mm512_madd52hi_epu64(zero, x, ws);
    __m512i lo = _mm512_madd52lo_epu64(zero, x, w);
    __m512i hq = _mm512_madd52lo_epu64(zero, hi, q);
    return _mm512_and_si512(_mm512_sub_epi64(lo, hq), _mm512_set1_epi64(kMask52));
  }
  static const uint64_t* Forward(const NttTables& t) { return t.psi_rev_shoup52.data(); }
  static const uint64_t* Inverse(const NttTables& t) { return t.psi_inv_rev_shoup52.data(); }
  static uint64_t NInv(const NttTables& t) { return t.n_inv_shoup52; }
};

// x·w mod q in [0, 2q) by 64-bit Shoup, the high word from four 32×32 products; for
// the 51..61-bit primes the IFMA path cannot take.
struct Shoup64 {
  ZK_AVX512 static inline __m512i MulHi(__m512i a, __m512i b) {
    const __m512i low32 = _mm512_set1_epi64(0xffffffffULL);
    __m512i a_hi = _mm512_srli_epi64(a, 32), b_hi = _mm512_srli_epi64(b, 32);
    __m512i p00 = _mm512_mul_epu32(a, b);
    __m512i p01 = _mm512_mul_epu32(a, b_hi);
    __m512i p10 = _mm512_mul_epu32(a_hi, b);
    __m512i p11 = _mm512_mul_epu32(a_hi, b_hi);
    __m512i mid = _mm512_add_epi64(_mm512_srli_epi64(p00, 32), _mm512_and_si512(p01, low32));
    mid = _mm512_add_epi64(mid, _mm512_and_si512(p10, low32));
    __m512i hi = _mm512_add_epi64(p11, _mm512_srli_epi64(p01, 32));
    hi = _mm512_add_epi64(hi, _mm512_srli_epi64(p10, 32));
    return _mm512_add_epi64(hi, _mm512_srli_epi64(mid, 32));
  }
  ZK_AVX512 static inline __m512i Lazy(__m512i x, __m512i w, __m512i ws, __m512i q) {
    __m512i hi = MulHi(x, ws);
    return _mm512_sub_epi64(_mm512_mullo_epi64(x, w), _mm512_mullo_epi64(hi, q));
  }
  static const uint64_t* Forward(const NttTables& t) { return t.psi_rev_shoup.data(); }
  static const uint64_t* Inverse(const NttTables& t) { return t.psi_inv_rev_shoup.data(); }
  static uint64_t NInv(const NttTables& t) { return t.n_inv_shoup; }
};

ZK_AVX512 inline __m512i CondSubV(__m512i x, __m512i bound) {
  return _mm512_min_epu64(x, _mm512_sub_epi64(x, bound));
}

template <typename Mul>
ZK_AVX512 inline void ForwardButterfly(__m512i& x, __m512i& y, __m512i w, __m512i ws, __m512i q,
                                       __m512i two_q) {
  __m512i u = CondSubV(x, two_q);
  __m512i v = Mul::Lazy(y, w, ws, q);
  x = _mm512_add_epi64(u, v);
  y = _mm512_add_epi64(_mm512_sub_epi64(u, v), two_q);
}

template <typename Mul>
ZK_AVX512 inline void InverseButterfly(__m512i& x, __m512i& y, __m512i w, __m512i ws, __m512i q,
                                       __m512i two_q) {
  __m512i sum = CondSubV(_mm512_add_epi64(x, y), two_q);
  __m512i diff = _mm512_add_epi64(_mm512_sub_epi64(x, y), two_q);
  x = sum;
  y = Mul::Lazy(diff, w, ws, q);
}

// Lane shuffles for the last three stages, where a butterfly's two inputs sit in the
// same 8-word vector. Pair (x, y) gathers from (v0, v1); back scatters.
struct SmallGapShuffle {
  __m512i x_idx, y_idx, back0, back1, w_idx;
};

ZK_AVX512 SmallGapShuffle ShuffleFor(size_t gap) {
  SmallGapShuffle s;
  if (gap == 4) {
    s.x_idx = _mm512_setr_epi64(0, 1, 2, 3, 8, 9, 10, 11);
    s.y_idx = _mm512_setr_epi64(4, 5, 6, 7, 12, 13, 14, 15);
    s.back0 = _mm512_setr_epi64(0, 1, 2, 3, 8, 9, 10, 11);
    s.back1 = _mm512_setr_epi64(4, 5, 6, 7, 12, 13, 14, 15);
    s.w_idx = _mm512_setr_epi64(0, 0, 0, 0, 1, 1, 1, 1);
  } else if (gap == 2) {
    s.x_idx = _mm512_setr_epi64(0, 1, 4, 5, 8, 9, 12, 13);
    s.y_idx = _mm512_setr_epi64(2, 3, 6, 7, 10, 11, 14, 15);
    s.back0 = _mm512_setr_epi64(0, 1, 8, 9, 2, 3, 10, 11);
    s.back1 = _mm512_setr_epi64(4, 5, 12, 13, 6, 7, 14, 15);
    s.w_idx = _mm512_setr_epi64(0, 0, 1, 1, 2, 2, 3, 3);
  } else {
    s.x_idx = _mm512_setr_epi64(0, 2, 4, 6, 8, 10, 12, 14);
    s.y_idx = _mm512_setr_epi64(1, 3, 5, 7, 9, 11, 13, 15);
    s.back0 = _mm512_setr_epi64(0, 8, 1, 9, 2, 10, 3, 11);
    s.back1 = _mm512_setr_epi64(4, 12, 5, 13, 6, 14, 7, 15);
    s.w_idx = _mm512_setr_epi64(0, 1, 2, 3, 4, 5, 6, 7);
  }
  return s;
}

template <typename Mul>
ZK_AVX512 void ForwardVector(uint64_t* a, const NttTables& t) {
  const size_t n = t.n();
  const uint64_t* w_shoup = Mul::Forward(t);
  const __m512i q = _mm512_set1_epi64(t.modulus().value);
  const __m512i two_q = _mm512_set1_epi64(2 * t.modulus().value);
  size_t gap = n;
  size_t m = 1;
  for (; m < n; m <<= 1) {
    gap >>= 1;
    if (gap < 8) break;
    for (size_t i = 0; i < m; ++i) {
      const __m512i w = _mm512_set1_epi64(t.psi_rev[m + i]);
      const __m512i ws = _mm512_set1_epi64(w_shoup[m + i]);
      uint64_t* x = a + 2 * i * gap;
      uint64_t* y = x + gap;
      for (size_t j = 0; j < gap; j += 8) {
        __m512i vx = _mm512_loadu_si512(x + j), vy = _mm512_loadu_si512(y + j);
        ForwardButterfly<Mul>(vx, vy, w, ws, q, two_q);
        _mm512_storeu_si512(x + j, vx);
        _mm512_storeu_si512(y + j, vy);
      }
    }
  }
  for (; m < n; m <<= 1, gap >>= 1) {
    const SmallGapShuffle s = ShuffleFor(gap);
    for (size_t base = 0; base < n; base += 16) {
      const size_t block = base / (2 * gap);
      __m512i w = _mm512_permutexvar_epi64(s.w_idx, _mm512_loadu_si512(&t.psi_rev[m + block]));
      __m512i ws = _mm512_permutexvar_epi64(s.w_idx, _mm512_loadu_si512(&w_shoup[m + block]));
      __m512i v0 = _mm512_loadu_si512(a + base), v1 = _mm512_loadu_si512(a + base + 8);
      __m512i vx = _mm512_permutex2var_epi64(v0, s.x_idx, v1);
      __m512i vy = _mm512_permutex2var_epi64(v0, s.y_idx, v1);
      ForwardButterfly<Mul>(vx, vy, w, ws, q, two_q);
      if (gap == 1) {  // last stage: also bring [0, 4q) down to [0, q)
        vx = CondSubV(CondSubV(vx, two_q), q);
        vy = CondSubV(CondSubV(vy, two_q), q);
      }
      _mm512_storeu_si512(a + base, _mm512_permutex2var_epi64(vx, s.back0, vy));
      _mm512_storeu_si512(a + base + 8, _mm512_permutex2var_epi64(vx, s.back1, vy));
    }
  }
}

template <typename Mul>
ZK_AVX512 void InverseVector(uint64_t* a, const NttTables& t) {
  const size_t n = t.n();
  const uint64_t* w_shoup = Mul::Inverse(t);
  const __m512i q = _mm512_set1_epi64(t.modulus().value);
  const __m512i two_q = _mm512_set1_epi64(2 * t.modulus().value);
  size_t gap = 1;
  size_t m = n >> 1;
  for (; gap < 8; gap <<= 1, m >>= 1) {
    const SmallGapShuffle s = ShuffleFor(gap);
    for (size_t base = 0; base < n; base += 16) {
      const size_t block = base / (2 * gap);
      __m512i w = _mm512_permutexvar_epi64(s.w_idx, _mm512_loadu_si512(&t.psi_inv_rev[m + block]));
      __m512i ws = _mm512_permutexvar_epi64(s.w_idx, _mm512_loadu_si512(&w_shoup[m + block]));
      __m512i v0 = _mm512_loadu_si512(a + base), v1 = _mm512_loadu_si512(a + base + 8);
      __m512i vx = _mm512_permutex2var_epi64(v0, s.x_idx, v1);
      __m512i vy = _mm512_permutex2var_epi64(v0, s.y_idx, v1);
      InverseButterfly<Mul>(vx, vy, w, ws, q, two_q);
      _mm512_storeu_si512(a + base, _mm512_permutex2var_epi64(vx, s.back0, vy));
      _mm512_storeu_si512(a + base + 8, _mm512_permutex2var_epi64(vx, s.back1, vy));
    }
  }
  for (; m >= 1; m >>= 1, gap <<= 1) {
    for (size_t i = 0; i < m; ++i) {
      const __m512i w = _mm512_set1_epi64(t.psi_inv_rev[m + i]);
      const __m512i ws = _mm512_set1_epi64(w_shoup[m + i]);
      uint64_t* x = a + 2 * i * gap;
      uint64_t* y = x + gap;
      for (size_t j = 0; j < gap; j += 8) {
        __m512i vx = _mm512_loadu_si512(x + j), vy = _mm512_loadu_si512(y + j);
        InverseButterfly<Mul>(vx, vy, w, ws, q, two_q);
        _mm512_storeu_si512(x + j, vx);
        _mm512_storeu_si512(y + j, vy);
      }
    }
  }
  const __m512i ninv = _mm512_set1_epi64(t.n_inv), ninv_s = _mm512_set1_epi64(Mul::NInv(t));
  for (size_t j = 0; j < n; j += 8) {
    __m512i v = _mm512_loadu_si512(a + j);
    v = CondSubV(Mul::Lazy(v, ninv, ninv_s, q), q);
    _mm512_storeu_si512(a + j, v);
  }
}

}  // namespace

bool CpuHasIfma() {
  static const bool has = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512ifma");
  return has;
}

void SetPortableKernelsOnly(bool portable) {
  g_portable_only.store(portable ? 1 : 0);
}

bool PortableKernelsOnly() {
  int v = g_portable_only.load(std::memory_order_relaxed);
  if (v < 0) {
    const char* env = std::getenv("ZEKTRA_HE_PORTABLE");
    v = (env != nullptr && std::strcmp(env, "0") != 0 && env[0] != '\0') ? 1 : 0;
    g_portable_only.store(v);
  }
  return v == 1;
}

NttTables::NttTables(int log_n, const Modulus& modulus) : log_n_(log_n), modulus_(modulus) {
  ZK_CHECK(log_n >= 4 && log_n <= 17, "NTT size out of range");
  const size_t n = size_t{1} << log_n;
  const uint64_t q = modulus.value;
  psi_ = MinimalPrimitiveRoot(2 * n, modulus);
  const uint64_t psi_inv = InvMod(psi_, modulus);
  psi_rev.resize(n);
  psi_inv_rev.resize(n);
  uint64_t power = 1, inv_power = 1;
  std::vector<uint64_t> powers(n), inv_powers(n);
  for (size_t i = 0; i < n; ++i) {
    powers[i] = power;
    inv_powers[i] = inv_power;
    power = MulMod(power, psi_, modulus);
    inv_power = MulMod(inv_power, psi_inv, modulus);
  }
  for (size_t i = 0; i < n; ++i) {
    psi_rev[i] = powers[BitReverse(i, log_n)];
    psi_inv_rev[i] = inv_powers[BitReverse(i, log_n)];
  }
  psi_rev_shoup.resize(n);
  psi_inv_rev_shoup.resize(n);
  for (size_t i = 0; i < n; ++i) {
    psi_rev_shoup[i] = ShoupPrecompute(psi_rev[i], q);
    psi_inv_rev_shoup[i] = ShoupPrecompute(psi_inv_rev[i], q);
  }
  n_inv = InvMod(n % q, modulus);
  n_inv_shoup = ShoupPrecompute(n_inv, q);
  if (ifma_capable()) {
    psi_rev_shoup52.resize(n);
    psi_inv_rev_shoup52.resize(n);
    for (size_t i = 0; i < n; ++i) {
      psi_rev_shoup52[i] = ShoupPrecompute52(psi_rev[i], q);
      psi_inv_rev_shoup52[i] = ShoupPrecompute52(psi_inv_rev[i], q);
    }
    n_inv_shoup52 = ShoupPrecompute52(n_inv, q);
  }
}

bool NttTables::use_ifma() const {
  return ifma_capable() && CpuHasIfma() && !PortableKernelsOnly();
}

bool NttTables::use_avx512() const {
  return CpuHasIfma() && !PortableKernelsOnly();
}

void ForwardNtt(uint64_t* values, const NttTables& tables) {
  if (tables.use_ifma()) {
    ForwardVector<Shoup52>(values, tables);
  } else if (tables.use_avx512()) {
    ForwardVector<Shoup64>(values, tables);
  } else {
    ForwardPortable(values, tables);
  }
}

void InverseNtt(uint64_t* values, const NttTables& tables) {
  if (tables.use_ifma()) {
    InverseVector<Shoup52>(values, tables);
  } else if (tables.use_avx512()) {
    InverseVector<Shoup64>(values, tables);
  } else {
    InversePortable(values, tables);
  }
}

}  // namespace zektra::he
