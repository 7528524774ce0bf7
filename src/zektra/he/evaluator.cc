#include "zektra/he/evaluator.h"

#include <cmath>
#include <cstring>

#include "zektra/base/thread_pool.h"
#include "zektra/he/kernels.h"
#include "zektra/he/poly_ops.h"
#include "zektra/he/rns.h"

namespace zektra::he {
namespace {

std::string Log2String(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "2^%.6f", std::log2(v));
  return buf;
}

}  // namespace

Evaluator::Evaluator(HeContextPtr context) : context_(std::move(context)) {}

Status Evaluator::CheckScalesMatch(double a, double b, const char* op) const {
  if (std::fabs(a - b) > std::ldexp(std::max(a, b), -40)) {
    return Status::InvalidArgument(std::string(op) + ": scale mismatch (" + Log2String(a) + " vs " +
                                   Log2String(b) + "); bring them together with AdjustScale");
  }
  return Status::Ok();
}

Status Evaluator::CheckBinary(const Ciphertext& a, const Ciphertext& b, const char* op) const {
  ZK_RETURN_IF_ERROR(context_->CheckCiphertext(a, op));
  ZK_RETURN_IF_ERROR(context_->CheckCiphertext(b, op));
  if (a.level != b.level) {
    return Status::InvalidArgument(std::string(op) + ": level mismatch (" +
                                   std::to_string(a.level) + " vs " + std::to_string(b.level) +
                                   "); use ModSwitchTo or AdjustScale");
  }
  return Status::Ok();
}

Result<Ciphertext> Evaluator::Add(const Ciphertext& a, const Ciphertext& b) const {
  ZK_RETURN_IF_ERROR(CheckBinary(a, b, "add"));
  ZK_RETURN_IF_ERROR(CheckScalesMatch(a.scale, b.scale, "add"));
  const Ciphertext& big = a.size() >= b.size() ? a : b;
  const Ciphertext& small = a.size() >= b.size() ? b : a;
  Ciphertext out = big;
  const Basis basis = LevelBasis(a.level);
  for (size_t k = 0; k < small.size(); ++k)
    AddInPlace(*context_, basis, out.parts[k], small.parts[k]);
  out.scale = a.scale;
  return out;
}

Result<Ciphertext> Evaluator::Sub(const Ciphertext& a, const Ciphertext& b) const {
  ZK_ASSIGN_OR_RETURN(Ciphertext negated, Negate(b));
  ZK_RETURN_IF_ERROR(CheckBinary(a, b, "sub"));
  ZK_RETURN_IF_ERROR(CheckScalesMatch(a.scale, b.scale, "sub"));
  return Add(a, negated);
}

Result<Ciphertext> Evaluator::Negate(const Ciphertext& a) const {
  ZK_RETURN_IF_ERROR(context_->CheckCiphertext(a, "negate"));
  Ciphertext out = a;
  const Basis basis = LevelBasis(a.level);
  for (auto& part : out.parts) NegateInPlace(*context_, basis, part);
  return out;
}

Result<Ciphertext> Evaluator::AddPlain(const Ciphertext& a, const Plaintext& b) const {
  ZK_RETURN_IF_ERROR(context_->CheckCiphertext(a, "add plain"));
  ZK_RETURN_IF_ERROR(context_->CheckPlaintext(b, "add plain"));
  if (a.level != b.level)
    return Status::InvalidArgument("add plain: level mismatch (" + std::to_string(a.level) +
                                   " vs " + std::to_string(b.level) + ")");
  ZK_RETURN_IF_ERROR(CheckScalesMatch(a.scale, b.scale, "add plain"));
  Ciphertext out = a;
  AddInPlace(*context_, LevelBasis(a.level), out.parts[0], b.poly);
  return out;
}

Result<Ciphertext> Evaluator::SubPlain(const Ciphertext& a, const Plaintext& b) const {
  ZK_RETURN_IF_ERROR(context_->CheckCiphertext(a, "sub plain"));
  ZK_RETURN_IF_ERROR(context_->CheckPlaintext(b, "sub plain"));
  if (a.level != b.level) return Status::InvalidArgument("sub plain: level mismatch");
  ZK_RETURN_IF_ERROR(CheckScalesMatch(a.scale, b.scale, "sub plain"));
  Ciphertext out = a;
  SubInPlace(*context_, LevelBasis(a.level), out.parts[0], b.poly);
  return out;
}

Result<Ciphertext> Evaluator::MultiplyPlain(const Ciphertext& a, const Plaintext& b) const {
  ZK_RETURN_IF_ERROR(context_->CheckCiphertext(a, "multiply plain"));
  ZK_RETURN_IF_ERROR(context_->CheckPlaintext(b, "multiply plain"));
  if (a.level != b.level)
    return Status::InvalidArgument("multiply plain: level mismatch (" + std::to_string(a.level) +
                                   " vs " + std::to_string(b.level) + ")");
  const double scale = a.scale * b.scale;
  if (std::log2(scale) + 1 >= context_->LogModulus(a.level)) {
    return Status::OutOfRange("multiply plain: product scale " + Log2String(scale) +
                              " does not fit the modulus at level " + std::to_string(a.level) +
                              "; rescale first");
  }
  Ciphertext out = a;
  const Basis basis = LevelBasis(a.level);
  for (auto& part : out.parts) MulInPlace(*context_, basis, part, b.poly);
  out.scale = scale;
  return out;
}

Result<Ciphertext> Evaluator::AddConst(const Ciphertext& a, double value) const {
  ZK_RETURN_IF_ERROR(context_->CheckCiphertext(a, "add const"));
  if (!std::isfinite(value)) return Status::InvalidArgument("add const: value is not finite");
  const double scaled = value * a.scale;
  if (std::log2(std::fabs(scaled) + 1) + 1 >= context_->LogModulus(a.level)) {
    return Status::OutOfRange("add const: scaled constant does not fit the modulus");
  }
  const Basis basis = LevelBasis(a.level);
  std::vector<uint64_t> residues = RealToResidues(*context_, basis, scaled);
  Ciphertext out = a;
  // A constant polynomial has the same value at every evaluation point.
  for (size_t k = 0; k < basis.size(); ++k) {
    const uint64_t q = context_->modulus(k).value;
    uint64_t* x = out.parts[0].limb(k);
    for (size_t j = 0; j < context_->n(); ++j) x[j] = AddMod(x[j], residues[k], q);
  }
  return out;
}

Result<Ciphertext> Evaluator::MultiplyConst(const Ciphertext& a, double value) const {
  ZK_RETURN_IF_ERROR(context_->CheckCiphertext(a, "multiply const"));
  if (!std::isfinite(value)) return Status::InvalidArgument("multiply const: value is not finite");
  const double const_scale = a.level > 0 ? static_cast<double>(context_->modulus(a.level).value)
                                         : context_->default_scale();
  const double scale = a.scale * const_scale;
  if (std::log2(scale) + std::log2(std::fabs(value) + 1) + 1 >= context_->LogModulus(a.level)) {
    return Status::OutOfRange("multiply const: product scale " + Log2String(scale) +
                              " does not fit the modulus at level " + std::to_string(a.level));
  }
  const Basis basis = LevelBasis(a.level);
  std::vector<uint64_t> residues = RealToResidues(*context_, basis, value * const_scale);
  Ciphertext out = a;
  for (auto& part : out.parts) MulScalarInPlace(*context_, basis, part, residues);
  out.scale = scale;
  return out;
}

Result<Ciphertext> Evaluator::Multiply(const Ciphertext& a, const Ciphertext& b) const {
  ZK_RETURN_IF_ERROR(CheckBinary(a, b, "multiply"));
  if (a.size() != 2 || b.size() != 2) {
    return Status::InvalidArgument("multiply: inputs must be relinearized (2 parts)");
  }
  const double scale = a.scale * b.scale;
  if (std::log2(scale) + 1 >= context_->LogModulus(a.level)) {
    return Status::OutOfRange("multiply: product scale " + Log2String(scale) +
                              " does not fit the modulus at level " + std::to_string(a.level) +
                              " (" + Log2String(std::exp2(context_->LogModulus(a.level))) +
                              "); rescale first");
  }
  const HeContext& c = *context_;
  const size_t n = c.n();
  Ciphertext out;
  out.level = a.level;
  out.scale = scale;
  out.context_id = c.id();
  out.parts.resize(3);
  for (auto& part : out.parts) part = RnsPoly::Uninitialized(n, a.level + 1);
  ParallelFor(0, a.level + 1, [&](size_t lb, size_t le) {
    for (size_t k = lb; k < le; ++k) {
      const Modulus& m = c.modulus(k);
      TensorLimb(a.parts[0].limb(k), a.parts[1].limb(k), b.parts[0].limb(k), b.parts[1].limb(k),
                 out.parts[0].limb(k), out.parts[1].limb(k), out.parts[2].limb(k), n, m);
    }
  });
  return out;
}

std::vector<RnsPoly> Evaluator::Decompose(const RnsPoly& poly, size_t level) const {
  const HeContext& c = *context_;
  const size_t n = c.n(), nq = level + 1, np = c.num_p(), alpha = c.alpha();
  RnsPoly coeffs = poly;
  ParallelFor(0, nq, [&](size_t b, size_t e) {
    for (size_t i = b; i < e; ++i) InverseNtt(coeffs.limb(i), c.ntt(i));
  });
  const size_t digits = (nq + alpha - 1) / alpha;
  std::vector<RnsPoly> out(digits);
  for (size_t j = 0; j < digits; ++j) {
    const size_t lo = j * alpha, hi = std::min(lo + alpha, nq);
    std::vector<size_t> from, to, to_limb;
    for (size_t i = lo; i < hi; ++i) from.push_back(i);
    for (size_t i = 0; i < nq + np; ++i) {
      if (i >= lo && i < hi) continue;
      to.push_back(i < nq ? i : c.num_q() + (i - nq));
      to_limb.push_back(i);
    }
    RnsPoly ext = RnsPoly::Uninitialized(n, nq + np);
    for (size_t i = lo; i < hi; ++i) std::memcpy(ext.limb(i), poly.limb(i), n * sizeof(uint64_t));
    std::vector<const uint64_t*> in_ptrs;
    for (size_t i = lo; i < hi; ++i) in_ptrs.push_back(coeffs.limb(i));
    ParallelFor(
        0, to.size(),
        [&](size_t b, size_t e) {
          // Each worker converts to its own subset of the targets, then transforms them.
          BaseConverter converter(c, from, std::vector<size_t>(to.begin() + b, to.begin() + e));
          std::vector<uint64_t*> out_ptrs;
          for (size_t t = b; t < e; ++t) out_ptrs.push_back(ext.limb(to_limb[t]));
          converter.Convert(in_ptrs.data(), out_ptrs.data(), n);
          for (size_t t = b; t < e; ++t) ForwardNtt(ext.limb(to_limb[t]), c.ntt(to[t]));
        },
        1);
    out[j] = std::move(ext);
  }
  return out;
}

void Evaluator::KeySwitchDigits(const std::vector<RnsPoly>& digits, size_t level,
                                const KeySwitchKey& key, RnsPoly& out0, RnsPoly& out1) const {
  const HeContext& c = *context_;
  const size_t n = c.n(), nq = level + 1, np = c.num_p();
  RnsPoly acc0 = RnsPoly::Uninitialized(n, nq + np), acc1 = RnsPoly::Uninitialized(n, nq + np);
  // Inner product with lazy 128-bit accumulation, one reduction per coefficient.
  ParallelFor(0, nq + np, [&](size_t lb, size_t le) {
    std::vector<u128> s0(n), s1(n);
    for (size_t limb = lb; limb < le; ++limb) {
      const size_t prime = limb < nq ? limb : c.num_q() + (limb - nq);
      const Modulus& m = c.modulus(prime);
      std::fill(s0.begin(), s0.end(), 0);
      std::fill(s1.begin(), s1.end(), 0);
      for (size_t j = 0; j < digits.size(); ++j) {
        const uint64_t* d = digits[j].limb(limb);
        const uint64_t* kb = key.b[j].limb(prime);
        const uint64_t* ka = key.a[j].limb(prime);
        for (size_t t = 0; t < n; ++t) {
          s0[t] += static_cast<u128>(d[t]) * kb[t];
          s1[t] += static_cast<u128>(d[t]) * ka[t];
        }
      }
      uint64_t* o0 = acc0.limb(limb);
      uint64_t* o1 = acc1.limb(limb);
      for (size_t t = 0; t < n; ++t) {
        o0[t] = Reduce128(s0[t], m);
        o1[t] = Reduce128(s1[t], m);
      }
    }
  });
  // ModDown: (acc − Conv_{P→Q}(acc mod P)) · P^{-1}.
  std::vector<size_t> from, to;
  for (size_t k = 0; k < np; ++k) from.push_back(c.num_q() + k);
  for (size_t i = 0; i < nq; ++i) to.push_back(i);
  BaseConverter converter(c, from, to);
  RnsPoly* accs[2] = {&acc0, &acc1};
  RnsPoly* outs[2] = {&out0, &out1};
  for (int part = 0; part < 2; ++part) {
    RnsPoly& acc = *accs[part];
    for (size_t k = 0; k < np; ++k) InverseNtt(acc.limb(nq + k), c.ntt(c.num_q() + k));
    RnsPoly converted = RnsPoly::Uninitialized(n, nq);
    std::vector<const uint64_t*> in_ptrs;
    for (size_t k = 0; k < np; ++k) in_ptrs.push_back(acc.limb(nq + k));
    std::vector<uint64_t*> out_ptrs;
    for (size_t i = 0; i < nq; ++i) out_ptrs.push_back(converted.limb(i));
    converter.Convert(in_ptrs.data(), out_ptrs.data(), n);
    RnsPoly& out = *outs[part];
    out = RnsPoly::Uninitialized(n, nq);
    ParallelFor(0, nq, [&](size_t lb, size_t le) {
      for (size_t i = lb; i < le; ++i) {
        ForwardNtt(converted.limb(i), c.ntt(i));
        const uint64_t q = c.modulus(i).value;
        const uint64_t w = c.PInvModQ(i), ws = c.PInvModQShoup(i);
        const uint64_t* x = acc.limb(i);
        const uint64_t* y = converted.limb(i);
        uint64_t* o = out.limb(i);
        for (size_t t = 0; t < n; ++t) o[t] = MulShoup(x[t] + q - y[t], w, ws, q);
      }
    });
  }
}

Result<Ciphertext> Evaluator::Relinearize(const Ciphertext& a, const RelinKey& key) const {
  ZK_RETURN_IF_ERROR(context_->CheckCiphertext(a, "relinearize"));
  if (key.context_id != context_->id()) {
    return Status::InvalidArgument("relinearize: key made under another context");
  }
  if (a.size() == 2) return a;
  std::vector<RnsPoly> digits = Decompose(a.parts[2], a.level);
  RnsPoly u0, u1;
  KeySwitchDigits(digits, a.level, key.key, u0, u1);
  Ciphertext out;
  out.level = a.level;
  out.scale = a.scale;
  out.context_id = a.context_id;
  out.parts = {a.parts[0], a.parts[1]};
  const Basis basis = LevelBasis(a.level);
  AddInPlace(*context_, basis, out.parts[0], u0);
  AddInPlace(*context_, basis, out.parts[1], u1);
  return out;
}

Result<Ciphertext> Evaluator::MultiplyRelin(const Ciphertext& a, const Ciphertext& b,
                                            const RelinKey& key) const {
  ZK_ASSIGN_OR_RETURN(Ciphertext product, Multiply(a, b));
  return Relinearize(product, key);
}

void Evaluator::RescalePoly(RnsPoly& poly, size_t level) const {
  const HeContext& c = *context_;
  const size_t n = c.n();
  std::vector<uint64_t> last(poly.limb(level), poly.limb(level) + n);
  InverseNtt(last.data(), c.ntt(level));
  const uint64_t ql = c.modulus(level).value, half = ql >> 1;
  const auto& inv = c.RescaleInverse(level);
  const auto& inv_shoup = c.RescaleInverseShoup(level);
  ParallelFor(0, level, [&](size_t lb, size_t le) {
    std::vector<uint64_t> tmp(n);
    for (size_t i = lb; i < le; ++i) {
      const Modulus& m = c.modulus(i);
      const uint64_t q = m.value;
      const uint64_t ql_mod = ql % q;
      const bool direct = ql <= q;
      // Centered representative r of x mod q_l, reduced mod q_i (rounding division).
      for (size_t t = 0; t < n; ++t) {
        uint64_t v = last[t];
        uint64_t r = direct ? v : Reduce128(v, m);
        uint64_t negative_mask = 0 - static_cast<uint64_t>(v > half);
        tmp[t] = SubMod(r, ql_mod & negative_mask, q);
      }
      ForwardNtt(tmp.data(), c.ntt(i));
      uint64_t* x = poly.limb(i);
      const uint64_t w = inv[i], ws = inv_shoup[i];
      for (size_t t = 0; t < n; ++t) x[t] = MulShoup(x[t] + q - tmp[t], w, ws, q);
    }
  });
  poly.Truncate(level);
}

Result<Ciphertext> Evaluator::Rescale(const Ciphertext& a) const {
  ZK_RETURN_IF_ERROR(context_->CheckCiphertext(a, "rescale"));
  if (a.level == 0) return Status::OutOfRange("rescale: ciphertext is at level 0, no prime left");
  Ciphertext out = a;
  for (auto& part : out.parts) RescalePoly(part, a.level);
  out.scale = a.scale / static_cast<double>(context_->modulus(a.level).value);
  out.level = a.level - 1;
  return out;
}

Result<Ciphertext> Evaluator::ModSwitchTo(const Ciphertext& a, size_t level) const {
  ZK_RETURN_IF_ERROR(context_->CheckCiphertext(a, "mod switch"));
  if (level > a.level) {
    return Status::InvalidArgument("mod switch: target level " + std::to_string(level) +
                                   " above the ciphertext's " + std::to_string(a.level));
  }
  Ciphertext out = a;
  for (auto& part : out.parts) part.Truncate(level + 1);
  out.level = level;
  return out;
}

Result<Ciphertext> Evaluator::AdjustScale(const Ciphertext& a, size_t level,
                                          double target_scale) const {
  ZK_RETURN_IF_ERROR(context_->CheckCiphertext(a, "adjust scale"));
  if (level >= a.level) {
    return Status::InvalidArgument("adjust scale: needs a level to consume (target " +
                                   std::to_string(level) + ", ciphertext at " +
                                   std::to_string(a.level) + ")");
  }
  const double ql = static_cast<double>(context_->modulus(a.level).value);
  const double factor = std::round(target_scale * ql / a.scale);
  if (!(factor >= 1) || std::log2(a.scale * factor) + 1 >= context_->LogModulus(a.level)) {
    return Status::OutOfRange("adjust scale: target scale " + Log2String(target_scale) +
                              " unreachable from " + Log2String(a.scale));
  }
  const Basis basis = LevelBasis(a.level);
  std::vector<uint64_t> residues = RealToResidues(*context_, basis, factor);
  Ciphertext scaled = a;
  for (auto& part : scaled.parts) MulScalarInPlace(*context_, basis, part, residues);
  scaled.scale = a.scale * factor;
  ZK_ASSIGN_OR_RETURN(Ciphertext rescaled, Rescale(scaled));
  return ModSwitchTo(rescaled, level);
}

Ciphertext Evaluator::GaloisFromDigits(const Ciphertext& a, const std::vector<RnsPoly>& digits,
                                       uint64_t galois_element, const KeySwitchKey& key) const {
  // σ_g commutes with ModUp (a signed permutation of coefficients), so the digits of
  // c1 can be permuted in NTT form instead of recomputed: this is what hoisting shares.
  const auto& perm = context_->GaloisPermutation(galois_element);
  std::vector<RnsPoly> permuted(digits.size());
  for (size_t j = 0; j < digits.size(); ++j) ApplyGalois(perm, digits[j], permuted[j]);
  RnsPoly u0, u1;
  KeySwitchDigits(permuted, a.level, key, u0, u1);
  Ciphertext result;
  result.level = a.level;
  result.scale = a.scale;
  result.context_id = a.context_id;
  result.parts.resize(2);
  ApplyGalois(perm, a.parts[0], result.parts[0]);
  AddInPlace(*context_, LevelBasis(a.level), result.parts[0], u0);
  result.parts[1] = std::move(u1);
  return result;
}

Result<Ciphertext> Evaluator::ApplyGaloisKey(const Ciphertext& a, uint64_t galois_element,
                                             const GaloisKeys& keys) const {
  auto it = keys.keys.find(galois_element);
  if (it == keys.keys.end()) return Status::InvalidArgument("no Galois key for this element");
  return GaloisFromDigits(a, Decompose(a.parts[1], a.level), galois_element, it->second);
}

Result<Ciphertext> Evaluator::Rotate(const Ciphertext& a, int64_t step,
                                     const GaloisKeys& keys) const {
  ZK_RETURN_IF_ERROR(context_->CheckCiphertext(a, "rotate"));
  if (keys.context_id != context_->id()) {
    return Status::InvalidArgument("rotate: Galois keys made under another context");
  }
  if (a.size() != 2) return Status::InvalidArgument("rotate: relinearize first");
  const int64_t slots = static_cast<int64_t>(context_->slots());
  int64_t s = ((step % slots) + slots) % slots;
  if (s == 0) return a;
  uint64_t g = context_->GaloisElementForStep(s);
  if (keys.Has(g)) return ApplyGaloisKey(a, g, keys);
  // Compose from power-of-two keys: non-adjacent form of s (or of s − slots).
  int64_t remaining = s > slots / 2 ? s - slots : s;
  Ciphertext current = a;
  while (remaining != 0) {
    int64_t magnitude = remaining > 0 ? remaining : -remaining;
    int64_t power = 1;
    while (power * 2 <= magnitude) power <<= 1;
    // Pick the closer of power and 2·power (NAF-like greedy), if its key exists.
    int64_t chosen = (magnitude - power <= 2 * power - magnitude) ? power : 2 * power;
    if (chosen >= slots) chosen = power;
    int64_t signed_step = remaining > 0 ? chosen : -chosen;
    uint64_t element = context_->GaloisElementForStep(signed_step);
    if (!keys.Has(element)) {
      return Status::InvalidArgument("rotate: no Galois key for step " + std::to_string(step) +
                                     " nor for power-of-two step " + std::to_string(signed_step));
    }
    ZK_ASSIGN_OR_RETURN(current, ApplyGaloisKey(current, element, keys));
    remaining -= signed_step;
  }
  return current;
}

Result<Ciphertext> Evaluator::Conjugate(const Ciphertext& a, const GaloisKeys& keys) const {
  ZK_RETURN_IF_ERROR(context_->CheckCiphertext(a, "conjugate"));
  if (keys.context_id != context_->id()) {
    return Status::InvalidArgument("conjugate: Galois keys made under another context");
  }
  if (a.size() != 2) return Status::InvalidArgument("conjugate: relinearize first");
  if (!keys.Has(context_->ConjugationElement())) {
    return Status::InvalidArgument("conjugate: no conjugation key");
  }
  return ApplyGaloisKey(a, context_->ConjugationElement(), keys);
}

Result<std::vector<Ciphertext>> Evaluator::RotateHoisted(const Ciphertext& a,
                                                         std::span<const int64_t> steps,
                                                         const GaloisKeys& keys) const {
  ZK_RETURN_IF_ERROR(context_->CheckCiphertext(a, "rotate hoisted"));
  if (keys.context_id != context_->id()) {
    return Status::InvalidArgument("rotate hoisted: Galois keys made under another context");
  }
  if (a.size() != 2) return Status::InvalidArgument("rotate hoisted: relinearize first");
  std::vector<uint64_t> elements;
  for (int64_t step : steps) {
    uint64_t g = context_->GaloisElementForStep(step);
    if (g != 1 && !keys.Has(g)) {
      return Status::InvalidArgument("rotate hoisted: no Galois key for step " +
                                     std::to_string(step));
    }
    elements.push_back(g);
  }
  std::vector<RnsPoly> digits = Decompose(a.parts[1], a.level);  // shared by every step
  std::vector<Ciphertext> out;
  for (uint64_t g : elements) {
    out.push_back(g == 1 ? a : GaloisFromDigits(a, digits, g, keys.keys.at(g)));
  }
  return out;
}

}  // namespace zektra::he
