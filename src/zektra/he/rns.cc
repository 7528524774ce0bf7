#include "zektra/he/rns.h"

#include <algorithm>
#include <cmath>

namespace zektra::he {

BaseConverter::BaseConverter(const HeContext& context, std::vector<size_t> from,
                             std::vector<size_t> to)
    : context_(context), from_(std::move(from)), to_(std::move(to)) {
  const size_t k = from_.size();
  hat_inv_.resize(k);
  hat_inv_shoup_.resize(k);
  for (size_t i = 0; i < k; ++i) {
    const Modulus& bi = context.modulus(from_[i]);
    uint64_t hat = 1;
    for (size_t j = 0; j < k; ++j) {
      if (j != i) hat = MulMod(hat, context.modulus(from_[j]).value % bi.value, bi);
    }
    hat_inv_[i] = InvMod(hat, bi);
    hat_inv_shoup_[i] = ShoupPrecompute(hat_inv_[i], bi.value);
  }
  hat_mod_to_.resize(to_.size() * k);
  for (size_t t = 0; t < to_.size(); ++t) {
    const Modulus& mt = context.modulus(to_[t]);
    for (size_t i = 0; i < k; ++i) {
      uint64_t hat = 1;
      for (size_t j = 0; j < k; ++j) {
        if (j != i) hat = MulMod(hat, context.modulus(from_[j]).value % mt.value, mt);
      }
      hat_mod_to_[t * k + i] = hat;
    }
  }
}

void BaseConverter::Convert(const uint64_t* const* in, uint64_t* const* out, size_t n) const {
  const size_t k = from_.size();
  if (k == 1) {
    // One source prime (hybrid key switching with one prime per digit): B/b_0 = 1, so
    // the conversion is x mod t of the representative x in [0, b_0).
    const uint64_t b0 = context_.modulus(from_[0]).value;
    for (size_t t = 0; t < to_.size(); ++t) {
      const Modulus& mt = context_.modulus(to_[t]);
      uint64_t* o = out[t];
      const uint64_t* x = in[0];
      if (b0 <= mt.value) {
        std::copy(x, x + n, o);
      } else if (b0 <= 2 * mt.value) {
        for (size_t c = 0; c < n; ++c) o[c] = CondSub(x[c], mt.value);
      } else {
        for (size_t c = 0; c < n; ++c) o[c] = Reduce128(x[c], mt);
      }
    }
    return;
  }
  constexpr size_t kBlock = 64;
  std::vector<uint64_t> y(k * kBlock);
  u128 acc[kBlock];
  for (size_t base = 0; base < n; base += kBlock) {
    const size_t count = std::min(kBlock, n - base);
    for (size_t i = 0; i < k; ++i) {
      const uint64_t q = context_.modulus(from_[i]).value;
      const uint64_t w = hat_inv_[i], ws = hat_inv_shoup_[i];
      for (size_t c = 0; c < count; ++c) y[i * kBlock + c] = MulShoup(in[i][base + c], w, ws, q);
    }
    for (size_t t = 0; t < to_.size(); ++t) {
      const Modulus& mt = context_.modulus(to_[t]);
      const uint64_t* hats = &hat_mod_to_[t * k];
      for (size_t c = 0; c < count; ++c) acc[c] = 0;
      // k ≤ 64 products of two < 2^61 values: the sum stays below 2^128.
      for (size_t i = 0; i < k; ++i) {
        const uint64_t h = hats[i];
        const uint64_t* yi = &y[i * kBlock];
        for (size_t c = 0; c < count; ++c) acc[c] += static_cast<u128>(yi[c]) * h;
      }
      uint64_t* o = out[t] + base;
      for (size_t c = 0; c < count; ++c) o[c] = Reduce128(acc[c], mt);
    }
  }
}

namespace {

// Little-endian multi-word integers of a fixed width.
using BigWords = std::vector<uint64_t>;

void MulWordInPlace(BigWords& a, uint64_t w) {
  u128 carry = 0;
  for (auto& limb : a) {
    u128 t = static_cast<u128>(limb) * w + carry;
    limb = static_cast<uint64_t>(t);
    carry = t >> 64;
  }
}

// acc += a · w (acc has at least as many words as a, plus one).
void AddMulWord(uint64_t* acc, size_t acc_words, const BigWords& a, uint64_t w) {
  u128 carry = 0;
  size_t i = 0;
  for (; i < a.size(); ++i) {
    u128 t = static_cast<u128>(a[i]) * w + acc[i] + carry;
    acc[i] = static_cast<uint64_t>(t);
    carry = t >> 64;
  }
  for (; i < acc_words && carry != 0; ++i) {
    u128 t = static_cast<u128>(acc[i]) + carry;
    acc[i] = static_cast<uint64_t>(t);
    carry = t >> 64;
  }
}

// acc -= a · w; the caller guarantees the result is non-negative.
void SubMulWord(uint64_t* acc, size_t acc_words, const BigWords& a, uint64_t w) {
  uint64_t borrow = 0;  // amount to subtract from the next word (product high + borrow)
  uint64_t mul_carry = 0;
  for (size_t i = 0; i < acc_words; ++i) {
    uint64_t ai = i < a.size() ? a[i] : 0;
    u128 product = static_cast<u128>(ai) * w + mul_carry;
    uint64_t low = static_cast<uint64_t>(product);
    mul_carry = static_cast<uint64_t>(product >> 64);
    u128 sub = static_cast<u128>(low) + borrow;
    u128 value = static_cast<u128>(acc[i]);
    if (value >= sub) {
      acc[i] = static_cast<uint64_t>(value - sub);
      borrow = 0;
    } else {
      acc[i] = static_cast<uint64_t>((value + (static_cast<u128>(1) << 64)) - sub);
      borrow = 1;
    }
  }
}

// -1, 0, 1 as a <, =, > b (b padded with zeros).
int Compare(const uint64_t* a, size_t a_words, const BigWords& b) {
  for (size_t i = a_words; i-- > 0;) {
    uint64_t bi = i < b.size() ? b[i] : 0;
    if (a[i] != bi) return a[i] < bi ? -1 : 1;
  }
  return 0;
}

double ToDouble(const uint64_t* a, size_t words) {
  double v = 0;
  for (size_t i = words; i-- > 0;) v = v * 18446744073709551616.0 + static_cast<double>(a[i]);
  return v;
}

}  // namespace

CrtComposer::CrtComposer(const HeContext& context, size_t level)
    : context_(context), level_(level) {
  const size_t count = level + 1;
  modulus_words_.assign(count + 1, 0);
  modulus_words_[0] = 1;
  for (size_t i = 0; i < count; ++i) MulWordInPlace(modulus_words_, context.modulus(i).value);
  half_modulus_words_ = modulus_words_;
  for (size_t i = 0; i < half_modulus_words_.size(); ++i) {
    uint64_t next = i + 1 < half_modulus_words_.size() ? half_modulus_words_[i + 1] : 0;
    half_modulus_words_[i] = (half_modulus_words_[i] >> 1) | (next << 63);
  }
  hat_words_.resize(count);
  for (size_t i = 0; i < count; ++i) {
    BigWords hat(count + 1, 0);
    hat[0] = 1;
    uint64_t hat_mod = 1;
    const Modulus& qi = context.modulus(i);
    for (size_t j = 0; j < count; ++j) {
      if (j == i) continue;
      MulWordInPlace(hat, context.modulus(j).value);
      hat_mod = MulMod(hat_mod, context.modulus(j).value % qi.value, qi);
    }
    hat_words_[i] = std::move(hat);
    hat_inv_.push_back(InvMod(hat_mod, qi));
    hat_inv_shoup_.push_back(ShoupPrecompute(hat_inv_.back(), qi.value));
  }
}

void CrtComposer::ComposeCentered(const uint64_t* const* limbs, size_t n, double* out) const {
  const size_t count = level_ + 1;
  const size_t words = count + 2;
  std::vector<uint64_t> acc(words);
  std::vector<uint64_t> y(count);
  for (size_t c = 0; c < n; ++c) {
    std::fill(acc.begin(), acc.end(), 0);
    long double fraction = 0;
    for (size_t i = 0; i < count; ++i) {
      const uint64_t q = context_.modulus(i).value;
      y[i] = MulShoup(limbs[i][c], hat_inv_[i], hat_inv_shoup_[i], q);
      AddMulWord(acc.data(), words, hat_words_[i], y[i]);
      fraction += static_cast<long double>(y[i]) / q;
    }
    // acc = Q · Σ y_i/q_i; subtract floor(Σ y_i/q_i)·Q, then fix the estimate exactly.
    uint64_t k = static_cast<uint64_t>(std::floor(fraction));
    if (k > 0) k -= 1;  // never over-subtract
    SubMulWord(acc.data(), words, modulus_words_, k);
    while (Compare(acc.data(), words, modulus_words_) >= 0) {
      SubMulWord(acc.data(), words, modulus_words_, 1);
    }
    if (Compare(acc.data(), words, half_modulus_words_) > 0) {
      // Negative representative: -(Q - acc).
      std::vector<uint64_t> diff(modulus_words_.begin(), modulus_words_.end());
      diff.resize(words, 0);
      BigWords acc_words(acc.begin(), acc.end());
      SubMulWord(diff.data(), words, acc_words, 1);
      out[c] = -ToDouble(diff.data(), words);
    } else {
      out[c] = ToDouble(acc.data(), words);
    }
  }
}

}  // namespace zektra::he
