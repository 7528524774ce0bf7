// Randomness for CKKS: secrets and errors from libsodium's CSPRNG, and uniform
// polynomials expanded from a public 32-byte seed.
//
// Constant time: the ternary and Gaussian samplers take the same instructions and touch
// the same memory whatever value they output (the Gaussian scans its whole cumulative
// table with a branch-free comparison), so timing does not reveal secret coefficients.
// The large-σ flooding sampler uses floating point (Box–Muller), whose timing does not
// depend on the value in practice on x86-64 (no subnormals arise), but it is not
// formally constant time; it only protects decryption outputs that are then published.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "zektra/he/ciphertext.h"
#include "zektra/he/modarith.h"

namespace zektra::he {

using Seed = std::array<uint8_t, 32>;

inline constexpr double kErrorSigma = 3.2;
inline constexpr int kErrorBound = 19;  // ⌈6σ⌉: the tail beyond it has mass < 2^-60

Seed RandomSeed();

// Uniform in {-1, 0, 1}.
std::vector<int8_t> SampleTernary(size_t n);
// Discrete Gaussian, σ = 3.2, support [-19, 19].
std::vector<int64_t> SampleGaussian(size_t n);
// Rounded continuous Gaussian of standard deviation 2^log2_sigma (noise flooding).
std::vector<double> SampleWideGaussian(size_t n, double log2_sigma);

// A uniform polynomial over the given primes (already in NTT form: a uniform vector of
// evaluations is a uniform polynomial), expanded deterministically from (seed, label).
// The same inputs give the same polynomial on every machine.
RnsPoly ExpandUniform(const Seed& seed, std::string_view label, size_t n,
                      const std::vector<const Modulus*>& moduli);

}  // namespace zektra::he
