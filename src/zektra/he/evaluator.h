// Homomorphic operations on CKKS ciphertexts.
//
// Every operation checks its inputs (context, sizes, level, scale) and returns a Status
// naming the mismatch instead of computing garbage:
//   * binary operations need equal levels (ModSwitchTo / AdjustScale bring one down) and
//     scales equal to within a relative 2^-40;
//   * Multiply needs the product scale to stay below the level's modulus;
//   * Rescale needs a level to drop; Rotate/Conjugate need the Galois key.
// Scales are tracked exactly as doubles: Rescale divides by the dropped prime.
//
// Key switching (Relinearize, Rotate, Conjugate) is hybrid: the input polynomial is
// split into dnum digits, each raised to Q·P (ModUp), multiplied by the key, and the
// sum divided by P (ModDown). RotateHoisted does the ModUp once for many steps.
// Cost at level l with K special primes: (l+1) inverse NTTs + dnum·(l+1+K−α) NTTs for
// ModUp, 2K inverse + 2(l+1) forward NTTs for ModDown, plus base conversions.
// Thread-safe (const); large loops use the worker pool.
#pragma once

#include <span>
#include <vector>

#include "zektra/he/keys.h"

namespace zektra::he {

class Evaluator {
 public:
  explicit Evaluator(HeContextPtr context);

  Result<Ciphertext> Add(const Ciphertext& a, const Ciphertext& b) const;
  Result<Ciphertext> Sub(const Ciphertext& a, const Ciphertext& b) const;
  Result<Ciphertext> Negate(const Ciphertext& a) const;
  Result<Ciphertext> AddPlain(const Ciphertext& a, const Plaintext& b) const;
  Result<Ciphertext> SubPlain(const Ciphertext& a, const Plaintext& b) const;
  Result<Ciphertext> MultiplyPlain(const Ciphertext& a, const Plaintext& b) const;
  // Adds the real constant to every slot.
  Result<Ciphertext> AddConst(const Ciphertext& a, double value) const;
  // Multiplies every slot by a real constant encoded at scale q_level (so that a
  // following Rescale restores the input scale exactly); at level 0 at the default scale.
  Result<Ciphertext> MultiplyConst(const Ciphertext& a, double value) const;

  // Tensor product: three parts, scale multiplied, no relinearisation.
  Result<Ciphertext> Multiply(const Ciphertext& a, const Ciphertext& b) const;
  Result<Ciphertext> Relinearize(const Ciphertext& a, const RelinKey& key) const;
  Result<Ciphertext> MultiplyRelin(const Ciphertext& a, const Ciphertext& b,
                                   const RelinKey& key) const;
  // Divides by the top prime: level − 1, scale / q_level.
  Result<Ciphertext> Rescale(const Ciphertext& a) const;
  // Drops primes down to `level` without changing the scale.
  Result<Ciphertext> ModSwitchTo(const Ciphertext& a, size_t level) const;
  // Brings a to `level` (< a.level) with scale ≈ target_scale (relative error ≈ 2^-50),
  // consuming one level: a multiply by an integer constant, a rescale, then ModSwitchTo.
  Result<Ciphertext> AdjustScale(const Ciphertext& a, size_t level, double target_scale) const;

  // Left rotation of the slots by `step` (negative: right). Uses the key for that step
  // when present, otherwise composes power-of-two keys.
  Result<Ciphertext> Rotate(const Ciphertext& a, int64_t step, const GaloisKeys& keys) const;
  Result<Ciphertext> Conjugate(const Ciphertext& a, const GaloisKeys& keys) const;
  // Rotations of one ciphertext by many steps (each needs its own key) sharing one ModUp.
  Result<std::vector<Ciphertext>> RotateHoisted(const Ciphertext& a, std::span<const int64_t> steps,
                                                const GaloisKeys& keys) const;

 private:
  Status CheckBinary(const Ciphertext& a, const Ciphertext& b, const char* op) const;
  Status CheckScalesMatch(double a, double b, const char* op) const;
  // ModUp of an NTT-form polynomial at `level`: one polynomial per digit over Q_level·P.
  std::vector<RnsPoly> Decompose(const RnsPoly& poly, size_t level) const;
  // Σ digits ⊙ key, then ModDown: returns (u0, u1) over Q_level.
  void KeySwitchDigits(const std::vector<RnsPoly>& digits, size_t level, const KeySwitchKey& key,
                       RnsPoly& out0, RnsPoly& out1) const;
  // σ_g(a) switched back to the secret key, from the ModUp digits of a's c1.
  Ciphertext GaloisFromDigits(const Ciphertext& a, const std::vector<RnsPoly>& digits,
                              uint64_t galois_element, const KeySwitchKey& key) const;
  Result<Ciphertext> ApplyGaloisKey(const Ciphertext& a, uint64_t galois_element,
                                    const GaloisKeys& keys) const;
  void RescalePoly(RnsPoly& poly, size_t level) const;

  HeContextPtr context_;
};

}  // namespace zektra::he
