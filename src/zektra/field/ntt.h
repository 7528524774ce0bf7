// Number-theoretic transforms over Goldilocks, sizes 2^0 … 2^26 (the field allows 2^32).
//
// Convention: Ntt maps coefficients a_0..a_{n-1} (natural order) to evaluations
// A(ω^0), …, A(ω^{n-1}) (natural order), ω = Fp::RootOfUnity(log n). InverseNtt undoes
// it. The coset forms evaluate at shift·ω^i, which Reed–Solomon encoding uses to keep
// the codeword domain disjoint from the message domain.
//
// Twiddles are precomputed once per size and cached (thread-safe). Large transforms
// use the worker pool (base/thread_pool.h). Cost: (n/2)·log n multiplications.
#pragma once

#include <span>

#include "zektra/field/goldilocks.h"

namespace zektra {

inline constexpr int kMaxNttLogSize = 26;

void Ntt(std::span<Fp> values);
void InverseNtt(std::span<Fp> values);
// Evaluations at shift·ω^i of the polynomial with the given coefficients.
void CosetNtt(std::span<Fp> values, Fp shift);
// Coefficients from evaluations at shift·ω^i.
void InverseCosetNtt(std::span<Fp> values, Fp shift);

// Reference O(n^2) transform, for tests.
std::vector<Fp> NaiveDft(std::span<const Fp> coefficients, Fp shift = Fp::One());

}  // namespace zektra
