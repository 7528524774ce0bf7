// CKKS parameter sets and their validation against the HomomorphicEncryption.org
// security table.
//
// A parameter set is the ring degree N = 2^log_n, the ciphertext modulus chain
// Q = q_0·q_1·…·q_L (q_0 the base prime that holds the final result, q_1..q_L the
// rescaling primes, each close to the scale), the special primes P = p_0·…·p_{K-1} used
// only inside hybrid key switching, the number of key-switching digits dnum, and the
// default encoding scale. Security depends on N and log2(PQ) (the key-switching keys
// live modulo PQ): ValidateParameters refuses any set whose log2(PQ) exceeds the table
// bound for the chosen level (ternary secrets, classical attacks), and every other
// malformed choice (non-prime, not 1 mod 2N, repeated primes, P smaller than a digit).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "zektra/base/bytes.h"
#include "zektra/base/status.h"

namespace zektra::he {

enum class SecurityLevel : uint32_t { k128 = 128, k192 = 192, k256 = 256 };

inline constexpr int kMinLogN = 12;
inline constexpr int kMaxLogN = 16;

// Largest admissible bit length of PQ for ring degree 2^log_n (ternary secret), or -1.
// 128/192/256-bit columns of the HomomorphicEncryption.org standard (2018) for
// N ≤ 2^15; for N = 2^16 the 128-bit bound is the 1747 and the 192/256-bit ones
// are the lattice-estimator extrapolations used by OpenFHE (1228, 956).
int MaxLogPQ(int log_n, SecurityLevel level);

struct CkksParameters {
  int log_n = 0;
  std::vector<uint64_t> q;  // q[0] base prime, q[1..L] rescaling primes
  std::vector<uint64_t> p;  // special primes for hybrid key switching
  uint32_t dnum = 0;        // number of key-switching digits (1 ≤ dnum ≤ q.size())
  double scale = 0;         // default encoding scale (a power of two in practice)
  SecurityLevel security = SecurityLevel::k128;

  size_t n() const { return size_t{1} << log_n; }
  size_t max_level() const { return q.size() - 1; }
  // Primes of Q per key-switching digit: ceil(|q| / dnum).
  size_t alpha() const { return (q.size() + dnum - 1) / dnum; }
};

// How to build a parameter set: sizes only, primes are generated.
struct CkksParameterSpec {
  int log_n = 14;
  int base_prime_bits = 60;     // q_0
  int scale_bits = 50;          // rescaling primes and the default scale
  int levels = 6;               // L: number of rescaling primes
  int special_prime_bits = 60;  // size of each p_k
  uint32_t dnum = 0;            // 0: one digit per prime of Q
  SecurityLevel security = SecurityLevel::k128;
};

// Generates the primes (largest NTT-friendly primes below 2^bits) and picks the fewest
// special primes with bit length of P at least that of every digit; then validates.
Result<CkksParameters> MakeParameters(const CkksParameterSpec& spec);

// Bit length of the product of all primes of Q and P.
int TotalModulusBits(const CkksParameters& params);

Status ValidateParameters(const CkksParameters& params);

// Versioned wire form (see docs/HE.md). Parse validates fully.
Bytes SerializeParameters(const CkksParameters& params);
Result<CkksParameters> ParseParameters(ByteSpan bytes);

std::string DescribeParameters(const CkksParameters& params);

// The benchmark sets (docs/HE.md): N=2^14 and N=2^16 at 128-bit security.
CkksParameterSpec BenchSpecN14();
CkksParameterSpec BenchSpecN16();

}  // namespace zektra::he
