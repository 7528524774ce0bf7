// Google Benchmark kernels of the fixed-point trainer: int32 dot products and updates.
#include <benchmark/benchmark.h>

#include <vector>

#include "zektra/ml/kernels.h"

namespace {

void BM_DotI32(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  std::vector<int32_t> a(n, 12345), b(n, -321);
  for (auto _ : state) benchmark::DoNotOptimize(zektra::ml::DotI32(a.data(), b.data(), n));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
}
BENCHMARK(BM_DotI32)->Arg(1024)->Arg(16384);

void BM_AxpyI32(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  std::vector<int32_t> x(n, 777);
  std::vector<int64_t> acc(n, 0);
  for (auto _ : state) {
    zektra::ml::AxpyI32(acc.data(), -3, x.data(), n);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
}
BENCHMARK(BM_AxpyI32)->Arg(1024)->Arg(16384);

void BM_DotF32F64(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  std::vector<float> a(n, 0.5f);
  std::vector<double> b(n, -0.25);
  for (auto _ : state) benchmark::DoNotOptimize(zektra::ml::DotF32F64(a.data(), b.data(), n));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
}
BENCHMARK(BM_DotF32F64)->Arg(1024)->Arg(16384);

}  // namespace
