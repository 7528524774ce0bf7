// Kernel benchmarks for the CKKS layer: the negacyclic NTT per prime class and kernel.
// Operation-level timings are `zektra bench he`.
#include <benchmark/benchmark.h>

#include <random>

#include "zektra/he/ntt.h"

namespace zektra::he {
namespace {

// Args: log_n, prime bits, portable (0/1).
void BM_HeForwardNtt(benchmark::State& state) {
  const int log_n = static_cast<int>(state.range(0));
  const int bits = static_cast<int>(state.range(1));
  const bool portable = state.range(2) != 0;
  const size_t n = size_t{1} << log_n;
  NttTables tables(log_n, Modulus(FindNttPrimes(bits, 1, 2 * n, {})[0]));
  std::mt19937_64 rng(1);
  std::vector<uint64_t> a(n);
  for (auto& v : a) v = rng() % tables.modulus().value;
  const bool saved = PortableKernelsOnly();
  SetPortableKernelsOnly(portable);
  state.SetLabel(tables.use_ifma() ? "ifma52" : tables.use_avx512() ? "avx512-64" : "portable");
  for (auto _ : state) {
    ForwardNtt(a.data(), tables);
    benchmark::DoNotOptimize(a.data());
  }
  SetPortableKernelsOnly(saved);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n));
}
BENCHMARK(BM_HeForwardNtt)
    ->Args({14, 50, 0})
    ->Args({14, 50, 1})
    ->Args({14, 60, 0})
    ->Args({16, 50, 0})
    ->Args({16, 50, 1})
    ->Args({16, 60, 0});

void BM_HeInverseNtt(benchmark::State& state) {
  const int log_n = static_cast<int>(state.range(0));
  const int bits = static_cast<int>(state.range(1));
  const size_t n = size_t{1} << log_n;
  NttTables tables(log_n, Modulus(FindNttPrimes(bits, 1, 2 * n, {})[0]));
  std::vector<uint64_t> a(n, 12345);
  for (auto _ : state) {
    InverseNtt(a.data(), tables);
    benchmark::DoNotOptimize(a.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n));
}
BENCHMARK(BM_HeInverseNtt)->Args({14, 50})->Args({16, 50});

}  // namespace
}  // namespace zektra::he
