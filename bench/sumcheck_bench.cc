// Sumcheck and logUp prover kernels: the figures the proof of training is paced by.
// Run: ZEKTRA_THREADS=2 ./build/zektra_kernels_bench --benchmark_filter='Sumcheck|Logup'
#include <benchmark/benchmark.h>

#include "zektra/crypto/random.h"
#include "zektra/zk/logup.h"
#include "zektra/zk/sumcheck.h"

namespace zektra {
namespace {

void BM_SumcheckProductOfTwo(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  auto f = RandomFpVector(size_t{1} << n), g = RandomFpVector(size_t{1} << n);
  auto shape = SumOfProducts::Product(n, 2);
  std::vector<MultilinearRef> in = {f, g};
  Fp2 sum = Fp2(InnerProduct(f, g));
  for (auto _ : state) {
    Transcript t("bench");
    auto proved = ProveSumcheck(shape, in, sum, t);
    benchmark::DoNotOptimize(proved.claim.values.data());
  }
  state.counters["elements_per_second"] =
      benchmark::Counter(static_cast<double>(size_t{1} << n), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_SumcheckProductOfTwo)->Arg(20)->Arg(24)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_LogupRangeCheck16(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  std::vector<Fp> values(size_t{1} << n);
  // A multiplicative hash spreads the values over the table (a syscall per value for
  // RandomU64 would dominate set-up at 2^24).
  for (size_t i = 0; i < values.size(); ++i) {
    values[i] = Fp::From(((i + 1) * 0x9E3779B97F4A7C15ull) >> 48);
  }
  for (auto _ : state) {
    // Multiplicities are part of the witness (committed by the caller), so they are timed too.
    const LookupTable table = LookupTable::Range(16);
    LookupColumns columns{{values}, {}};
    auto m = ComputeMultiplicities(table, columns);
    Transcript t("bench");
    auto proof = ProveLookup(table, columns, *m, t);
    benchmark::DoNotOptimize(proof.input_values.data());
  }
  state.counters["values_per_second"] =
      benchmark::Counter(static_cast<double>(size_t{1} << n), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_LogupRangeCheck16)->Arg(20)->Arg(22)->Arg(24)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace zektra
