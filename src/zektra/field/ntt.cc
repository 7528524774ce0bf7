#include "zektra/field/ntt.h"

#include <bit>
#include <memory>
#include <mutex>
#include <vector>

#include "zektra/base/status.h"
#include "zektra/base/thread_pool.h"

namespace zektra {
namespace {

// Twiddles for the largest size requested so far: w^0..w^{n/2-1} for n = 2^log_n.
// Smaller transforms read every (max/n)-th entry.
struct TwiddleTable {
  int log_n = -1;
  std::vector<Fp> forward, inverse;
};

std::mutex g_twiddle_mutex;
std::shared_ptr<const TwiddleTable> g_twiddles;

std::shared_ptr<const TwiddleTable> Twiddles(int log_n) {
  std::lock_guard<std::mutex> lock(g_twiddle_mutex);
  if (g_twiddles && g_twiddles->log_n >= log_n) return g_twiddles;
  auto t = std::make_shared<TwiddleTable>();
  t->log_n = log_n;
  size_t half = log_n == 0 ? 1 : size_t{1} << (log_n - 1);
  t->forward.resize(half);
  t->inverse.resize(half);
  Fp w = Fp::RootOfUnity(log_n), wi = w.Inverse();
  Fp acc = Fp::One(), acci = Fp::One();
  for (size_t i = 0; i < half; ++i) {
    t->forward[i] = acc;
    t->inverse[i] = acci;
    acc *= w;
    acci *= wi;
  }
  g_twiddles = t;
  return t;
}

size_t ReverseBits(size_t x, int bits) {
  size_t r = 0;
  for (int k = 0; k < bits; ++k) r |= ((x >> k) & 1) << (bits - 1 - k);
  return r;
}

void BitReverse(std::span<Fp> a, int log_n) {
  const size_t n = a.size();
  for (size_t i = 0; i < n; ++i) {
    size_t j = ReverseBits(i, log_n);
    if (i < j) std::swap(a[i], a[j]);
  }
}

void Transform(std::span<Fp> a, bool inverse) {
  const size_t n = a.size();
  ZK_CHECK(std::has_single_bit(n), "NTT size must be a power of two");
  const int log_n = std::countr_zero(n);
  ZK_CHECK(log_n <= kMaxNttLogSize, "NTT size above 2^26");
  if (n == 1) return;
  auto table = Twiddles(log_n);
  const std::vector<Fp>& tw = inverse ? table->inverse : table->forward;
  const int table_log = table->log_n;
  BitReverse(a, log_n);
  for (int s = 1; s <= log_n; ++s) {
    const size_t m = size_t{1} << s, half = m >> 1;
    const size_t stride = size_t{1} << (table_log - s);
    const size_t blocks = n / m;
    auto butterflies = [&](size_t block_begin, size_t block_end) {
      for (size_t k = block_begin * m; k < block_end * m; k += m) {
        for (size_t j = 0; j < half; ++j) {
          Fp u = a[k + j], v = a[k + j + half] * tw[j * stride];
          a[k + j] = u + v;
          a[k + j + half] = u - v;
        }
      }
    };
    if (blocks >= 2 && n >= (1u << 16)) {
      ParallelFor(0, blocks, butterflies, 1);
    } else {
      butterflies(0, blocks);
    }
  }
  if (inverse) {
    Fp n_inv = Fp::From(n).Inverse();
    for (auto& x : a) x *= n_inv;
  }
}

}  // namespace

void Ntt(std::span<Fp> values) { Transform(values, false); }
void InverseNtt(std::span<Fp> values) { Transform(values, true); }

void CosetNtt(std::span<Fp> values, Fp shift) {
  Fp acc = Fp::One();
  for (auto& x : values) {
    x *= acc;
    acc *= shift;
  }
  Ntt(values);
}

void InverseCosetNtt(std::span<Fp> values, Fp shift) {
  InverseNtt(values);
  Fp inv = shift.Inverse(), acc = Fp::One();
  for (auto& x : values) {
    x *= acc;
    acc *= inv;
  }
}

std::vector<Fp> NaiveDft(std::span<const Fp> coefficients, Fp shift) {
  const size_t n = coefficients.size();
  ZK_CHECK(std::has_single_bit(n), "DFT size must be a power of two");
  Fp w = Fp::RootOfUnity(std::countr_zero(n));
  std::vector<Fp> out(n);
  Fp x = shift;
  for (size_t i = 0; i < n; ++i) {
    Fp acc = Fp::Zero(), pow = Fp::One();
    for (size_t j = 0; j < n; ++j) {
      acc += coefficients[j] * pow;
      pow *= x;
    }
    out[i] = acc;
    x *= w;
  }
  return out;
}

}  // namespace zektra
