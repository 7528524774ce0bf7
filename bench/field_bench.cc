// Field-layer benchmarks: NTT sizes 2^16…2^22 on one and two threads, Goldilocks
// multiplication throughput per instruction set, and the batch kernels of field/kernels.h.
//
//   ./build/zektra_kernels_bench --benchmark_filter=Ntt --benchmark_repetitions=10
//       --benchmark_report_aggregates_only=true   (one command line)
//
// Figures a user cares about: ms per transform and elements per second for the NTT;
// field_mul_ns (nanoseconds per multiplication in a streaming loop over arrays that fit in
// L1/L2, per CPU time) for multiplication. On a shared machine compare the CPU column: the
// single-thread NTT's CPU time is its compute time; real time includes time descheduled.
#include <benchmark/benchmark.h>

#include <ctime>
#include <vector>

#include "zektra/base/thread_pool.h"
#include "zektra/crypto/random.h"
#include "zektra/field/field_simd.h"
#include "zektra/field/kernels.h"
#include "zektra/field/ntt.h"

namespace zektra {
namespace {

// Arguments: log2 size, thread count.
void BM_Ntt(benchmark::State& state) {
  const int log_n = static_cast<int>(state.range(0));
  const size_t saved = ThreadCount();
  SetThreadCount(static_cast<size_t>(state.range(1)));
  auto values = RandomFpVector(size_t{1} << log_n);
  Ntt(values);  // warm the twiddle tables and per-thread buffers
  for (auto _ : state) {
    Ntt(values);
    benchmark::DoNotOptimize(values.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(values.size()));
  state.SetLabel(std::string(SimdLevelName(ActiveSimdLevel())));
  SetThreadCount(saved);
}
BENCHMARK(BM_Ntt)
    ->ArgsProduct({{16, 18, 20, 22}, {1, 2}})
    ->ArgNames({"log_n", "threads"})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_InverseCosetNtt(benchmark::State& state) {
  const int log_n = static_cast<int>(state.range(0));
  const size_t saved = ThreadCount();
  SetThreadCount(1);
  auto values = RandomFpVector(size_t{1} << log_n);
  const Fp shift = Fp::From(Fp::kGenerator);
  for (auto _ : state) {
    CosetNtt(values, shift);
    InverseCosetNtt(values, shift);
    benchmark::DoNotOptimize(values.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(values.size()) * 2);
  SetThreadCount(saved);
}
BENCHMARK(BM_InverseCosetNtt)
    ->Arg(20)
    ->ArgName("log_n")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The portable path, for comparison with what non-AVX machines get.
void BM_NttScalar(benchmark::State& state) {
  ScopedSimdLevel scalar(SimdLevel::kScalar);
  const size_t saved = ThreadCount();
  SetThreadCount(1);
  auto values = RandomFpVector(size_t{1} << state.range(0));
  for (auto _ : state) {
    Ntt(values);
    benchmark::DoNotOptimize(values.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(values.size()));
  SetThreadCount(saved);
}
BENCHMARK(BM_NttScalar)->Arg(20)->ArgName("log_n")->Unit(benchmark::kMillisecond)->UseRealTime();

double ThreadCpuNanoseconds() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e9 + static_cast<double>(t.tv_nsec);
}

constexpr size_t kKernelLength = 4096;  // 32 KiB per operand: resident in L1/L2

// Multiplication throughput at an instruction-set level (argument: SimdLevel), reported
// as field_mul_ns. Level 3 means "plain Fp::operator* loop" (no kernel at all).
void BM_FieldMul(benchmark::State& state) {
  const int level_arg = static_cast<int>(state.range(0));
  const SimdLevel level = level_arg == 3 ? SimdLevel::kScalar : static_cast<SimdLevel>(level_arg);
  if (level > BestSupportedSimdLevel()) {
    state.SkipWithError("CPU lacks this level");
    return;
  }
  ScopedSimdLevel scoped(level);
  auto a = RandomFpVector(kKernelLength), b = RandomFpVector(kKernelLength);
  std::vector<Fp> out(kKernelLength);
  const double start_ns = ThreadCpuNanoseconds();
  for (auto _ : state) {
    if (level_arg == 3) {
      for (size_t i = 0; i < kKernelLength; ++i) out[i] = a[i] * b[i];
    } else {
      MulVectors(a, b, out);
    }
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  const double muls = static_cast<double>(state.iterations()) * kKernelLength;
  // Thread CPU time, so the figure is not inflated when other processes share the cores.
  state.counters["field_mul_ns"] = (ThreadCpuNanoseconds() - start_ns) / muls;
  state.SetItemsProcessed(static_cast<int64_t>(muls));
  state.SetLabel(level_arg == 3 ? "Fp::operator*" : std::string(SimdLevelName(level)));
}
BENCHMARK(BM_FieldMul)->DenseRange(0, 3)->ArgName("level");

void BM_Axpy(benchmark::State& state) {
  auto x = RandomFpVector(kKernelLength), y = RandomFpVector(kKernelLength);
  const Fp c = RandomFp();
  for (auto _ : state) {
    Axpy(c, x, y);
    benchmark::DoNotOptimize(y.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kKernelLength));
}
BENCHMARK(BM_Axpy);

void BM_AxpyFp2(benchmark::State& state) {
  auto x = RandomFpVector(kKernelLength);
  std::vector<Fp2> y(kKernelLength);
  const Fp2 c = RandomFp2();
  for (auto _ : state) {
    Axpy(c, x, y);
    benchmark::DoNotOptimize(y.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kKernelLength));
}
BENCHMARK(BM_AxpyFp2);

void BM_DotProduct(benchmark::State& state) {
  auto a = RandomFpVector(kKernelLength), b = RandomFpVector(kKernelLength);
  for (auto _ : state) benchmark::DoNotOptimize(DotProduct(a, b));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kKernelLength));
}
BENCHMARK(BM_DotProduct);

void BM_DotProductMixed(benchmark::State& state) {
  auto a = RandomFpVector(kKernelLength);
  std::vector<Fp2> b(kKernelLength, RandomFp2());
  for (auto _ : state) benchmark::DoNotOptimize(DotProduct(a, b));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kKernelLength));
}
BENCHMARK(BM_DotProductMixed);

void BM_FoldPairs(benchmark::State& state) {
  std::vector<Fp2> f(2 * kKernelLength, RandomFp2()), out(kKernelLength);
  const Fp2 r = RandomFp2();
  for (auto _ : state) {
    FoldPairs(f, r, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kKernelLength));
}
BENCHMARK(BM_FoldPairs);

void BM_FoldBaseTable(benchmark::State& state) {
  auto f = RandomFpVector(2 * kKernelLength);
  std::vector<Fp2> out(kKernelLength);
  const Fp2 r = RandomFp2();
  for (auto _ : state) {
    FoldPairs(f, r, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kKernelLength));
}
BENCHMARK(BM_FoldBaseTable);

}  // namespace
}  // namespace zektra
