// RNS base conversion and CRT reconstruction.
//
// BaseConverter is the fast (approximate) conversion of Halevi–Polyakov–Shoup /
// Bajard et al.: given x mod each prime of basis B = {b_i}, it returns
// x + u·B mod each target prime, for some small integer 0 ≤ u < |B|. Hybrid key
// switching tolerates the u·B term (it is divided away by P or absorbed in the noise).
// Cost: |B|·(1 + |targets|) multiplications per coefficient.
//
// ComposeCentered reconstructs the exact integer (centered in (-Q/2, Q/2]) from its
// residues modulo q_0..q_l and returns it as a double (decoding after decryption).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "zektra/he/context.h"

namespace zektra::he {

class BaseConverter {
 public:
  // `from` and `to` are prime indices of the context (0..L for q, L+1.. for p).
  BaseConverter(const HeContext& context, std::vector<size_t> from, std::vector<size_t> to);
  // in[i]: n coefficients mod from[i] in [0, from[i]); out[t]: n coefficients mod to[t].
  void Convert(const uint64_t* const* in, uint64_t* const* out, size_t n) const;

 private:
  const HeContext& context_;
  std::vector<size_t> from_, to_;
  std::vector<uint64_t> hat_inv_, hat_inv_shoup_;  // (B/b_i)^{-1} mod b_i
  std::vector<uint64_t> hat_mod_to_;               // [t · |B| + i] = (B/b_i) mod to[t]
};

// Exact CRT composition at a level: residues (coefficient form) to centered doubles.
class CrtComposer {
 public:
  CrtComposer(const HeContext& context, size_t level);
  // limbs[i] points to n residues mod q_i (i = 0..level); writes n doubles.
  void ComposeCentered(const uint64_t* const* limbs, size_t n, double* out) const;

 private:
  const HeContext& context_;
  size_t level_;
  std::vector<uint64_t> modulus_words_;           // Q_l
  std::vector<uint64_t> half_modulus_words_;      // floor(Q_l / 2)
  std::vector<std::vector<uint64_t>> hat_words_;  // Q_l / q_i
  std::vector<uint64_t> hat_inv_, hat_inv_shoup_;
};

}  // namespace zektra::he
