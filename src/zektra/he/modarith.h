// Word-size modular arithmetic for the RNS-CKKS primes (up to 61 bits).
//
// Every RNS limb of a CKKS polynomial lives modulo one NTT-friendly prime q < 2^61,
// so products fit in 128 bits and lazy values up to 4q fit in 64 bits. Two multiply
// forms are used:
//   * MulMod: general a·b mod q by 128-bit Barrett reduction (no division).
//   * MulShoup: x·w mod q when w is a fixed constant with a precomputed companion
//     w' = floor(w·2^64 / q) (Shoup). One multiply-high and two multiply-lows; the
//     result lies in [0, 2q) and is reduced by the caller when needed. This is the
//     butterfly of the NTT and the inner loop of base conversion.
// All functions are branch-free on their operands (conditional subtractions are
// written as masks), so they are constant time with respect to secret data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace zektra::he {

using u128 = unsigned __int128;

inline constexpr int kMaxPrimeBits = 61;
inline constexpr int kMinPrimeBits = 20;

// One RNS prime with its Barrett constant floor(2^128 / q).
struct Modulus {
  uint64_t value = 0;
  uint64_t barrett_hi = 0;
  uint64_t barrett_lo = 0;
  int bits = 0;

  Modulus() = default;
  explicit Modulus(uint64_t q);
};

// x - q if x >= q, else x; constant time.
inline uint64_t CondSub(uint64_t x, uint64_t q) {
  uint64_t mask = -static_cast<uint64_t>(x >= q);
  return x - (q & mask);
}

inline uint64_t AddMod(uint64_t a, uint64_t b, uint64_t q) {
  return CondSub(a + b, q);
}
inline uint64_t SubMod(uint64_t a, uint64_t b, uint64_t q) {
  return CondSub(a + q - b, q);
}
inline uint64_t NegMod(uint64_t a, uint64_t q) {
  uint64_t mask = -static_cast<uint64_t>(a != 0);
  return (q - a) & mask;
}

// Reduces a 128-bit value x < 2^128 modulo q.
inline uint64_t Reduce128(u128 x, const Modulus& m) {
  uint64_t x0 = static_cast<uint64_t>(x), x1 = static_cast<uint64_t>(x >> 64);
  u128 p00 = static_cast<u128>(x0) * m.barrett_lo;
  u128 p01 = static_cast<u128>(x0) * m.barrett_hi;
  u128 p10 = static_cast<u128>(x1) * m.barrett_lo;
  u128 mid = (p00 >> 64) + static_cast<uint64_t>(p01) + static_cast<uint64_t>(p10);
  uint64_t quotient = x1 * m.barrett_hi + static_cast<uint64_t>(p01 >> 64) +
                      static_cast<uint64_t>(p10 >> 64) + static_cast<uint64_t>(mid >> 64);
  uint64_t r = x0 - quotient * m.value;  // true remainder plus at most 2q
  r = CondSub(r, m.value);
  return CondSub(r, m.value);
}

inline uint64_t MulMod(uint64_t a, uint64_t b, const Modulus& m) {
  return Reduce128(static_cast<u128>(a) * b, m);
}

// floor(w·2^64 / q) for w < q.
inline uint64_t ShoupPrecompute(uint64_t w, uint64_t q) {
  return static_cast<uint64_t>((static_cast<u128>(w) << 64) / q);
}

// x·w mod q in [0, 2q), for any x < 2^64.
inline uint64_t MulShoupLazy(uint64_t x, uint64_t w, uint64_t w_shoup, uint64_t q) {
  uint64_t hi = static_cast<uint64_t>((static_cast<u128>(x) * w_shoup) >> 64);
  return x * w - hi * q;
}
inline uint64_t MulShoup(uint64_t x, uint64_t w, uint64_t w_shoup, uint64_t q) {
  return CondSub(MulShoupLazy(x, w, w_shoup, q), q);
}

uint64_t PowMod(uint64_t base, uint64_t exponent, const Modulus& m);
// Inverse of a modulo prime q (a != 0 mod q).
uint64_t InvMod(uint64_t a, const Modulus& m);

// Deterministic Miller–Rabin for 64-bit integers.
bool IsPrime(uint64_t n);

// A primitive 2n-th root of unity mod q (q ≡ 1 mod 2n), the smallest one found by a
// deterministic search so that tables are reproducible.
uint64_t MinimalPrimitiveRoot(uint64_t two_n, const Modulus& m);

// The `count` largest primes q < 2^bits with q ≡ 1 (mod two_n), skipping `exclude`.
// Primes just below 2^bits keep the CKKS scale close to 2^bits after each rescale.
std::vector<uint64_t> FindNttPrimes(int bits, size_t count, uint64_t two_n,
                                    const std::vector<uint64_t>& exclude);

}  // namespace zektra::he
