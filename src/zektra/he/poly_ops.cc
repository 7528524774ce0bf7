#include "zektra/he/poly_ops.h"

#include <cmath>
#include <cstring>

#include "zektra/base/thread_pool.h"
#include "zektra/crypto/random.h"
#include "zektra/he/kernels.h"

namespace zektra::he {

void RnsPoly::Wipe() {
  if (!data.empty()) SecureWipe(data.data(), data.size() * sizeof(uint64_t));
  data.clear();
}

Basis LevelBasis(size_t level) {
  Basis b(level + 1);
  for (size_t i = 0; i <= level; ++i) b[i] = i;
  return b;
}

Basis ExtendedBasis(const HeContext& context, size_t level) {
  Basis b = LevelBasis(level);
  for (size_t k = 0; k < context.num_p(); ++k) b.push_back(context.num_q() + k);
  return b;
}

Basis FullBasis(const HeContext& context) {
  return ExtendedBasis(context, context.max_level());
}

void AddInPlace(const HeContext& c, const Basis& basis, RnsPoly& a, const RnsPoly& b) {
  for (size_t k = 0; k < basis.size(); ++k) {
    const uint64_t q = c.modulus(basis[k]).value;
    uint64_t* x = a.limb(k);
    const uint64_t* y = b.limb(k);
    for (size_t j = 0; j < a.n; ++j) x[j] = AddMod(x[j], y[j], q);
  }
}

void SubInPlace(const HeContext& c, const Basis& basis, RnsPoly& a, const RnsPoly& b) {
  for (size_t k = 0; k < basis.size(); ++k) {
    const uint64_t q = c.modulus(basis[k]).value;
    uint64_t* x = a.limb(k);
    const uint64_t* y = b.limb(k);
    for (size_t j = 0; j < a.n; ++j) x[j] = SubMod(x[j], y[j], q);
  }
}

void NegateInPlace(const HeContext& c, const Basis& basis, RnsPoly& a) {
  for (size_t k = 0; k < basis.size(); ++k) {
    const uint64_t q = c.modulus(basis[k]).value;
    uint64_t* x = a.limb(k);
    for (size_t j = 0; j < a.n; ++j) x[j] = NegMod(x[j], q);
  }
}

void MulInPlace(const HeContext& c, const Basis& basis, RnsPoly& a, const RnsPoly& b) {
  for (size_t k = 0; k < basis.size(); ++k) {
    const Modulus& m = c.modulus(basis[k]);
    uint64_t* x = a.limb(k);
    const uint64_t* y = b.limb(k);
    MulModLimb(x, y, x, a.n, m);
  }
}

void Mul(const HeContext& c, const Basis& basis, const RnsPoly& a, const RnsPoly& b, RnsPoly& out) {
  for (size_t k = 0; k < basis.size(); ++k) {
    const Modulus& m = c.modulus(basis[k]);
    const uint64_t* x = a.limb(k);
    const uint64_t* y = b.limb(k);
    uint64_t* o = out.limb(k);
    MulModLimb(x, y, o, a.n, m);
  }
}

void MulAccumulate(const HeContext& c, const Basis& basis, RnsPoly& acc, const RnsPoly& a,
                   const RnsPoly& b) {
  for (size_t k = 0; k < basis.size(); ++k) {
    const Modulus& m = c.modulus(basis[k]);
    const uint64_t* x = a.limb(k);
    const uint64_t* y = b.limb(k);
    uint64_t* o = acc.limb(k);
    MulAddModLimb(o, x, y, a.n, m);
  }
}

void MulScalarInPlace(const HeContext& c, const Basis& basis, RnsPoly& a,
                      std::span<const uint64_t> scalars) {
  for (size_t k = 0; k < basis.size(); ++k) {
    const uint64_t q = c.modulus(basis[k]).value;
    const uint64_t w = scalars[k], ws = ShoupPrecompute(w, q);
    uint64_t* x = a.limb(k);
    for (size_t j = 0; j < a.n; ++j) x[j] = MulShoup(x[j], w, ws, q);
  }
}

RnsPoly SmallToNtt(const HeContext& c, const Basis& basis, std::span<const int64_t> coefficients) {
  RnsPoly out = RnsPoly::Uninitialized(c.n(), basis.size());
  ParallelFor(0, basis.size(), [&](size_t b, size_t e) {
    for (size_t k = b; k < e; ++k) {
      const uint64_t q = c.modulus(basis[k]).value;
      uint64_t* limb = out.limb(k);
      for (size_t j = 0; j < c.n(); ++j) {
        int64_t v = coefficients[j];
        // Branch-free: add q when negative (|v| < q always for errors and secrets).
        limb[j] = static_cast<uint64_t>(v) + (q & (0 - static_cast<uint64_t>(v < 0)));
      }
      ForwardNtt(limb, c.ntt(basis[k]));
    }
  });
  return out;
}

RnsPoly TernaryToNtt(const HeContext& c, const Basis& basis, std::span<const int8_t> coefficients) {
  std::vector<int64_t> wide(coefficients.begin(), coefficients.end());
  RnsPoly out = SmallToNtt(c, basis, wide);
  SecureWipe(wide);
  return out;
}

void ApplyGalois(const std::vector<uint32_t>& permutation, const RnsPoly& in, RnsPoly& out) {
  out = RnsPoly::Uninitialized(in.n, in.limbs);
  for (size_t k = 0; k < in.limbs; ++k) {
    const uint64_t* x = in.limb(k);
    uint64_t* o = out.limb(k);
    for (size_t j = 0; j < in.n; ++j) o[j] = x[permutation[j]];
  }
}

RnsPoly SelectLimbs(const RnsPoly& poly, std::span<const size_t> limb_indices) {
  RnsPoly out(poly.n, limb_indices.size());
  for (size_t k = 0; k < limb_indices.size(); ++k) {
    std::memcpy(out.limb(k), poly.limb(limb_indices[k]), poly.n * sizeof(uint64_t));
  }
  return out;
}

}  // namespace zektra::he

namespace zektra::he {

RnsPoly SignedToNtt(const HeContext& c, const Basis& basis, std::span<const int64_t> coefficients) {
  RnsPoly out(c.n(), basis.size());
  for (size_t k = 0; k < basis.size(); ++k) {
    const uint64_t q = c.modulus(basis[k]).value;
    uint64_t* limb = out.limb(k);
    for (size_t j = 0; j < c.n(); ++j) {
      int64_t v = coefficients[j];
      uint64_t magnitude = (v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v)) % q;
      limb[j] = v < 0 ? NegMod(magnitude, q) : magnitude;
    }
    ForwardNtt(limb, c.ntt(basis[k]));
  }
  return out;
}

std::vector<uint64_t> RealToResidues(const HeContext& c, const Basis& basis, double value) {
  double rounded = std::round(value);
  int exponent = 0;
  double fraction = std::frexp(rounded, &exponent);
  int64_t mantissa = static_cast<int64_t>(std::ldexp(fraction, 53));
  exponent -= 53;
  // rounded = mantissa · 2^exponent exactly; for small values shift the mantissa down.
  if (exponent < 0) {
    mantissa = static_cast<int64_t>(rounded);
    exponent = 0;
  }
  std::vector<uint64_t> out(basis.size());
  for (size_t k = 0; k < basis.size(); ++k) {
    const Modulus& m = c.modulus(basis[k]);
    uint64_t magnitude =
        (mantissa < 0 ? 0 - static_cast<uint64_t>(mantissa) : static_cast<uint64_t>(mantissa)) %
        m.value;
    magnitude = MulMod(magnitude, PowMod(2, static_cast<uint64_t>(exponent), m), m);
    out[k] = mantissa < 0 ? NegMod(magnitude, m.value) : magnitude;
  }
  return out;
}

}  // namespace zektra::he
