// Negacyclic number-theoretic transform over one RNS prime (Z_q[X]/(X^N + 1)).
//
// ForwardNtt maps the coefficients of a ∈ Z_q[X]/(X^N+1) (natural order) to its values
// at the odd powers of a primitive 2N-th root ψ, in bit-reversed order: output slot i
// holds a(ψ^(2·bitrev(i)+1)) (see EvaluationExponent). Products of polynomials are then
// slot-wise products. InverseNtt undoes it exactly. Inputs and outputs are in [0, q).
//
// Butterflies are Harvey's lazy ones (values kept in [0, 4q), one Shoup multiply per
// butterfly): N/2·log N multiplications. Two kernels:
//   * AVX-512 IFMA (52-bit multiply-high/low), eight butterflies per instruction, for
//     primes q < 2^50 (so that 4q < 2^52) on CPUs that have it;
//   * AVX-512 64-bit Shoup (high word from four 32x32 products), eight lanes, for the
//     larger primes (up to 61 bits) on the same CPUs;
//   * portable 64-bit Shoup, for every prime up to 61 bits and every CPU.
// The kernel is picked at run time per prime; SetPortableKernelsOnly(true) (or the
// environment variable ZEKTRA_HE_PORTABLE=1) forces the portable one, which the tests
// use to check that both agree. No data-dependent branches: constant time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "zektra/he/modarith.h"

namespace zektra::he {

// True when the CPU has AVX-512F and AVX-512 IFMA.
bool CpuHasIfma();
// Forces (or releases) the portable kernels for every hot loop of the HE layer.
void SetPortableKernelsOnly(bool portable);
bool PortableKernelsOnly();

class NttTables {
 public:
  NttTables(int log_n, const Modulus& modulus);

  int log_n() const { return log_n_; }
  size_t n() const { return size_t{1} << log_n_; }
  const Modulus& modulus() const { return modulus_; }
  uint64_t root() const { return psi_; }
  // Whether this prime is small enough for the 52-bit IFMA kernel.
  bool ifma_capable() const { return modulus_.value < (uint64_t{1} << 50); }
  // Whether the IFMA kernel will actually run (capable, CPU has it, not forced off).
  bool use_ifma() const;
  // Whether the 64-bit AVX-512 kernel runs (primes of 51..61 bits on IFMA-class CPUs).
  bool use_avx512() const;

  // ψ^bitrev(i), their inverses, and Shoup companions (64-bit and, when capable, 52-bit).
  std::vector<uint64_t> psi_rev, psi_rev_shoup, psi_rev_shoup52;
  std::vector<uint64_t> psi_inv_rev, psi_inv_rev_shoup, psi_inv_rev_shoup52;
  uint64_t n_inv = 0, n_inv_shoup = 0, n_inv_shoup52 = 0;

 private:
  int log_n_;
  Modulus modulus_;
  uint64_t psi_ = 0;
};

void ForwardNtt(uint64_t* values, const NttTables& tables);
void InverseNtt(uint64_t* values, const NttTables& tables);

// The exponent e such that ForwardNtt's output slot i is a(ψ^e).
inline uint64_t BitReverse(uint64_t x, int bits) {
  uint64_t r = 0;
  for (int i = 0; i < bits; ++i) r |= ((x >> i) & 1) << (bits - 1 - i);
  return r;
}
inline uint64_t EvaluationExponent(size_t i, int log_n) {
  return 2 * BitReverse(i, log_n) + 1;
}

}  // namespace zektra::he
