#include "zektra/he/modarith.h"

#include <algorithm>

#include "zektra/base/status.h"

namespace zektra::he {

Modulus::Modulus(uint64_t q) : value(q) {
  ZK_CHECK(q >= 3 && q < (uint64_t{1} << kMaxPrimeBits), "modulus out of range");
  bits = 64 - __builtin_clzll(q);
  // floor(2^128 / q) = floor((2^128 - 1) / q) because q is not a power of two.
  u128 all_ones = ~static_cast<u128>(0);
  u128 ratio = all_ones / q;
  barrett_hi = static_cast<uint64_t>(ratio >> 64);
  barrett_lo = static_cast<uint64_t>(ratio);
}

uint64_t PowMod(uint64_t base, uint64_t exponent, const Modulus& m) {
  uint64_t result = 1 % m.value;
  base %= m.value;
  while (exponent > 0) {
    if (exponent & 1) result = MulMod(result, base, m);
    base = MulMod(base, base, m);
    exponent >>= 1;
  }
  return result;
}

uint64_t InvMod(uint64_t a, const Modulus& m) {
  ZK_CHECK(a % m.value != 0, "inverse of zero");
  return PowMod(a, m.value - 2, m);
}

namespace {

uint64_t PowMod128(uint64_t base, uint64_t exponent, uint64_t n) {
  uint64_t result = 1 % n;
  base %= n;
  while (exponent > 0) {
    if (exponent & 1) result = static_cast<uint64_t>(static_cast<u128>(result) * base % n);
    base = static_cast<uint64_t>(static_cast<u128>(base) * base % n);
    exponent >>= 1;
  }
  return result;
}

}  // namespace

bool IsPrime(uint64_t n) {
  if (n < 2) return false;
  for (uint64_t p : {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37}) {
    if (n % p == 0) return n == p;
  }
  uint64_t d = n - 1;
  int r = 0;
  while ((d & 1) == 0) {
    d >>= 1;
    ++r;
  }
  // These witnesses are deterministic for every n < 2^64.
  for (uint64_t a : {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37}) {
    uint64_t x = PowMod128(a, d, n);
    if (x == 1 || x == n - 1) continue;
    bool composite = true;
    for (int i = 1; i < r; ++i) {
      x = static_cast<uint64_t>(static_cast<u128>(x) * x % n);
      if (x == n - 1) {
        composite = false;
        break;
      }
    }
    if (composite) return false;
  }
  return true;
}

uint64_t MinimalPrimitiveRoot(uint64_t two_n, const Modulus& m) {
  uint64_t q = m.value;
  ZK_CHECK((q - 1) % two_n == 0, "prime is not 1 mod 2n");
  // g^((q-1)/2n) has order dividing 2n; it is primitive iff its n-th power is -1.
  uint64_t root = 0;
  for (uint64_t g = 2; g < q; ++g) {
    uint64_t candidate = PowMod(g, (q - 1) / two_n, m);
    if (PowMod(candidate, two_n / 2, m) == q - 1) {
      root = candidate;
      break;
    }
  }
  ZK_CHECK(root != 0, "no primitive root found");
  // The smallest of the primitive roots root^(odd k) makes the tables canonical.
  uint64_t best = root, square = MulMod(root, root, m), current = root;
  for (uint64_t k = 1; k < two_n; k += 2) {
    if (current < best) best = current;
    current = MulMod(current, square, m);
  }
  return best;
}

std::vector<uint64_t> FindNttPrimes(int bits, size_t count, uint64_t two_n,
                                    const std::vector<uint64_t>& exclude) {
  ZK_CHECK(bits >= kMinPrimeBits && bits <= kMaxPrimeBits, "prime size out of range");
  std::vector<uint64_t> primes;
  uint64_t lower = uint64_t{1} << (bits - 1);
  // Largest candidate of the form k·2n + 1 below 2^bits.
  uint64_t candidate = ((uint64_t{1} << bits) - 1) / two_n * two_n + 1;
  if (candidate >= (uint64_t{1} << bits)) candidate -= two_n;
  while (primes.size() < count && candidate > lower) {
    if (IsPrime(candidate) &&
        std::find(exclude.begin(), exclude.end(), candidate) == exclude.end()) {
      primes.push_back(candidate);
    }
    candidate -= two_n;
  }
  ZK_CHECK(primes.size() == count, "not enough NTT-friendly primes of this size");
  return primes;
}

}  // namespace zektra::he
