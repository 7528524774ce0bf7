#include "zektra/field/ntt.h"

#include <bit>
#include <cstdlib>
#include <memory>
#include <new>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "zektra/base/status.h"
#include "zektra/base/thread_pool.h"
#include "zektra/field/field_simd.h"
#include "zektra/field/fp_simd_vec.h"

namespace zektra {
namespace {

// The four-step split keeps both factors ≤ 2^13, so a block of eight columns or rows
// (8·2^13 elements = 512 KiB) stays in L2.
constexpr int kMaxSubLog = (kMaxNttLogSize + 1) / 2;
// Below 64 points there is no 8×8 tile to split into; a scalar transform is cheapest.
constexpr int kMinFourStepLog = 6;
// Transforms smaller than this run on the calling thread: waking workers costs more.
constexpr size_t kMinParallelSize = size_t{1} << 15;
// Scratch larger than this is freed after the call rather than kept for the next one.
constexpr size_t kKeepScratchWords = size_t{1} << 22;

constexpr size_t kHugePage = size_t{1} << 21;

// stage[h + j] = ω_{2h}^j for h = 1, 2, 4, …, 2^(kMaxSubLog−1) and j < h: every DIT stage
// of every sub-transform reads its twiddles contiguously from here.
struct StageTwiddles {
  std::vector<uint64_t> forward, inverse;
  StageTwiddles() : forward(size_t{1} << kMaxSubLog), inverse(size_t{1} << kMaxSubLog) {
    for (int log_h = 0; log_h < kMaxSubLog; ++log_h) {
      const size_t h = size_t{1} << log_h;
      Fp w = Fp::RootOfUnity(log_h + 1), wi = w.Inverse();
      Fp acc = Fp::One(), acci = Fp::One();
      for (size_t j = 0; j < h; ++j) {
        forward[h + j] = acc.v;
        inverse[h + j] = acci.v;
        acc *= w;
        acci *= wi;
      }
    }
  }
};

const StageTwiddles& Stages() {
  static const StageTwiddles tables;
  return tables;
}

struct AlignedFree {
  void operator()(uint64_t* p) const { std::free(p); }
};
using AlignedWords = std::unique_ptr<uint64_t[], AlignedFree>;

AlignedWords AllocateWords(size_t words) {
  const size_t bytes = words * sizeof(uint64_t);
  // Scratch of several MiB is read and written with large strides: ask for 2 MiB pages so
  // the passes take far fewer TLB misses and page faults (a hint; 4 KiB pages still work).
  const size_t align = bytes >= kHugePage ? kHugePage : 64;
  void* p = std::aligned_alloc(align, (bytes + align - 1) / align * align);
  if (p == nullptr) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (align == kHugePage) madvise(p, (bytes + align - 1) / align * align, MADV_HUGEPAGE);
#endif
  return AlignedWords(static_cast<uint64_t*>(p));
}

// Per-thread working block for one eight-lane sub-transform (reused across calls).
uint64_t* ThreadBuffer(size_t words) {
  thread_local AlignedWords buffer;
  thread_local size_t capacity = 0;
  if (capacity < words) {
    buffer = AllocateWords(words);
    capacity = words;
  }
  return buffer.get();
}

// Everything one four-step transform needs; built by FourStep, read by the passes.
struct NttJob {
  uint64_t* data = nullptr;     // n = rows·cols values, transformed in place
  uint64_t* scratch = nullptr;  // n words between the passes
  size_t rows = 0, cols = 0;
  int log_rows = 0, log_cols = 0;
  const uint32_t* row_reverse = nullptr;  // bit reversal on log_rows bits
  const uint32_t* col_reverse = nullptr;
  const uint64_t* stage_twiddles = nullptr;  // forward or inverse StageTwiddles
  const uint64_t* root_col = nullptr;        // ω_n^c, c < cols (ω inverted for inverse)
  uint64_t output_scale = 1;                 // 1, or n^−1 for the inverse
  bool pre_scale = false;                    // multiply input j by shift^j
  const uint64_t* pre_scale_col = nullptr;   // shift^c, c < cols
  uint64_t pre_scale_row_step = 1;           // shift^cols
  bool post_scale = false;                   // multiply output k by post_shift^k
  const uint64_t* post_scale_row = nullptr;  // post_shift^k1, k1 < rows
  uint64_t post_scale_col_step = 1;          // post_shift^rows
};

namespace ntt_scalar {
using V = simd::ScalarVec;
#include "zektra/field/ntt_simd_body.inc"
}  // namespace ntt_scalar

#if defined(ZEKTRA_X86_SIMD)
ZK_SIMD_BEGIN_TARGET("avx2")
namespace ntt_avx2 {
using V = simd::Avx2Vec;
#include "zektra/field/ntt_simd_body.inc"
}  // namespace ntt_avx2
ZK_SIMD_END_TARGET

ZK_SIMD_BEGIN_TARGET("avx512f")
namespace ntt_avx512 {
using V = simd::Avx512Vec;
#include "zektra/field/ntt_simd_body.inc"
}  // namespace ntt_avx512
ZK_SIMD_END_TARGET
#endif

std::vector<uint32_t> BitReversal(int bits) {
  std::vector<uint32_t> out(size_t{1} << bits);
  for (size_t i = 0; i < out.size(); ++i) {
    uint32_t r = 0;
    for (int k = 0; k < bits; ++k) r |= static_cast<uint32_t>((i >> k) & 1) << (bits - 1 - k);
    out[i] = r;
  }
  return out;
}

std::vector<uint64_t> Powers(Fp base, size_t count, Fp first = Fp::One()) {
  std::vector<uint64_t> out(count);
  Fp acc = first;
  for (size_t i = 0; i < count; ++i) {
    out[i] = acc.v;
    acc *= base;
  }
  return out;
}

void RunPasses(const NttJob& job) {
  const size_t n = job.rows * job.cols;
  const size_t min_blocks = n >= kMinParallelSize ? 1 : SIZE_MAX;
  const size_t col_blocks = job.cols / 8, row_blocks = job.rows / 8;
  switch (ActiveSimdLevel()) {
#if defined(ZEKTRA_X86_SIMD)
    case SimdLevel::kAvx512:
      ParallelFor(
          0, col_blocks, [&](size_t b, size_t e) { ntt_avx512::ColumnPass(job, b, e); },
          min_blocks);
      ParallelFor(
          0, row_blocks, [&](size_t b, size_t e) { ntt_avx512::RowPass(job, b, e); }, min_blocks);
      return;
    case SimdLevel::kAvx2:
      ParallelFor(
          0, col_blocks, [&](size_t b, size_t e) { ntt_avx2::ColumnPass(job, b, e); }, min_blocks);
      ParallelFor(
          0, row_blocks, [&](size_t b, size_t e) { ntt_avx2::RowPass(job, b, e); }, min_blocks);
      return;
#endif
    default:
      ParallelFor(
          0, col_blocks, [&](size_t b, size_t e) { ntt_scalar::ColumnPass(job, b, e); },
          min_blocks);
      ParallelFor(
          0, row_blocks, [&](size_t b, size_t e) { ntt_scalar::RowPass(job, b, e); }, min_blocks);
      return;
  }
}

// Radix-2 DIT on the calling thread, for transforms too small for the four-step split.
void SmallTransform(std::span<Fp> a, int log_n, bool inverse) {
  const size_t n = a.size();
  auto reverse = BitReversal(log_n);
  for (size_t i = 0; i < n; ++i)
    if (i < reverse[i]) std::swap(a[i], a[reverse[i]]);
  const uint64_t* tw = inverse ? Stages().inverse.data() : Stages().forward.data();
  for (size_t h = 1; h < n; h <<= 1) {
    for (size_t k = 0; k < n; k += 2 * h) {
      for (size_t j = 0; j < h; ++j) {
        Fp u = a[k + j], v = a[k + j + h] * simd::AsFp(tw[h + j]);
        a[k + j] = u + v;
        a[k + j + h] = u - v;
      }
    }
  }
}

// Evaluations at shift_in·ω^k of the polynomial with coefficients values[j], each output k
// then multiplied by scale·shift_out^k. With ω inverted this is the inverse transform.
// shift_in / shift_out equal to one are skipped.
void Transform(std::span<Fp> values, bool inverse, Fp shift_in, Fp shift_out) {
  const size_t n = values.size();
  ZK_CHECK(std::has_single_bit(n), "NTT size must be a power of two");
  const int log_n = std::countr_zero(n);
  ZK_CHECK(log_n <= kMaxNttLogSize, "NTT size above 2^26");
  const Fp scale = inverse ? Fp::From(n).Inverse() : Fp::One();

  if (log_n < kMinFourStepLog) {
    if (shift_in != Fp::One()) {
      Fp acc = Fp::One();
      for (auto& x : values) x *= acc, acc *= shift_in;
    }
    SmallTransform(values, log_n, inverse);
    Fp acc = scale;
    for (auto& x : values) x *= acc, acc *= shift_out;
    return;
  }

  NttJob job;
  job.log_cols = (log_n + 1) / 2;
  job.log_rows = log_n - job.log_cols;
  job.rows = size_t{1} << job.log_rows;
  job.cols = size_t{1} << job.log_cols;
  auto row_reverse = BitReversal(job.log_rows), col_reverse = BitReversal(job.log_cols);
  job.row_reverse = row_reverse.data();
  job.col_reverse = col_reverse.data();
  job.stage_twiddles = inverse ? Stages().inverse.data() : Stages().forward.data();
  Fp root = Fp::RootOfUnity(log_n);
  if (inverse) root = root.Inverse();
  auto root_col = Powers(root, job.cols);
  job.root_col = root_col.data();
  job.output_scale = scale.v;

  std::vector<uint64_t> pre_col, post_row;
  if (shift_in != Fp::One()) {
    job.pre_scale = true;
    pre_col = Powers(shift_in, job.cols);
    job.pre_scale_col = pre_col.data();
    job.pre_scale_row_step = shift_in.Pow(job.cols).v;
  }
  if (shift_out != Fp::One()) {
    job.post_scale = true;
    post_row = Powers(shift_out, job.rows);
    job.post_scale_row = post_row.data();
    job.post_scale_col_step = shift_out.Pow(job.rows).v;
  }

  thread_local AlignedWords kept_scratch;
  thread_local size_t kept_words = 0;
  AlignedWords own_scratch;
  if (n <= kKeepScratchWords) {
    if (kept_words < n) {
      kept_scratch = AllocateWords(n);
      kept_words = n;
    }
    job.scratch = kept_scratch.get();
  } else {
    own_scratch = AllocateWords(n);
    job.scratch = own_scratch.get();
  }
  // Fp is a standard-layout wrapper of one uint64_t, so the span is n contiguous words.
  static_assert(sizeof(Fp) == sizeof(uint64_t));
  job.data = reinterpret_cast<uint64_t*>(values.data());
  RunPasses(job);
}

}  // namespace

void Ntt(std::span<Fp> values) {
  Transform(values, false, Fp::One(), Fp::One());
}
void InverseNtt(std::span<Fp> values) {
  Transform(values, true, Fp::One(), Fp::One());
}

void CosetNtt(std::span<Fp> values, Fp shift) {
  Transform(values, false, shift, Fp::One());
}

void InverseCosetNtt(std::span<Fp> values, Fp shift) {
  // Coefficient j comes out of the plain inverse as c_j·shift^j; undo with shift^−j.
  Transform(values, true, Fp::One(), shift.Inverse());
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
