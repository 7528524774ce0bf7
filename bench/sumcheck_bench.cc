// Sumcheck and logUp prover kernels: the figures the proof of training is paced by.
// Run: ZEKTRA_THREADS=2 ./build/zektra_kernels_bench --benchmark_filter='Sumcheck|Logup'
#include <benchmark/benchmark.h>

#include "zektra/crypto/random.h"
#include "zektra/zk/logup.h"
#include "zektra/zk/logup_zk.h"
#include "zektra/zk/multilinear.h"
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
  state.counters["elements_per_second"] = benchmark::Counter(
      static_cast<double>(size_t{1} << n), benchmark::Counter::kIsIterationInvariantRate);
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
  state.counters["values_per_second"] = benchmark::Counter(
      static_cast<double>(size_t{1} << n), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_LogupRangeCheck16)
    ->Arg(20)
    ->Arg(22)
    ->Arg(24)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The plain sumcheck of a zero-knowledge 16-bit range lookup over 2^n entries (four equal
// segments, lower halves live): the degree-4 shape A·v + C·v·in + λ·E·v·in² − Tinv·m' with
// the lookup's real tables, zero blocks included. Only the sumcheck is timed (tables are
// built once), so this is the round kernel and the folds.
void BM_SumcheckZkLookupShape(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const size_t sizes[] = {n - 2, n - 2, n - 2, n - 2};
  const ZkLookupLayout layout = ZkLookupLayout::Pack(sizes, false, 16);
  const LookupTable table = LookupTable::Range(16);
  std::vector<Fp> sel = ZkLookupSelector(layout);
  std::vector<Fp> inputs = RandomFpVector(sel.size());
  std::vector<Fp> multiplicities(size_t{1} << 16, Fp::Zero());
  for (size_t x = 0; x < sel.size(); ++x) {
    if (sel[x] != Fp::One()) continue;
    const uint64_t value = ((x + 1) * 0x9E3779B97F4A7C15ull) >> 48;
    inputs[x] = Fp::From(value);
    multiplicities[value] += Fp::One();
  }
  Transcript setup("bench.zklookup");
  const Fp2 alpha = setup.ChallengeFp2("alpha");
  std::vector<Fp> helper = ZkLookupHelper(layout, inputs, {}, alpha, Fp2::Zero());
  std::vector<Fp> split = ZkSplitMultiplicities(multiplicities);
  std::vector<Fp2> r = setup.ChallengeFp2s("r", layout.log_entries);
  const Fp2 lambda = setup.ChallengeFp2("lambda");
  ZkLookupTables tables =
      ZkLookupProverTables(layout, table, inputs, {}, helper, split, alpha, Fp2::Zero(), lambda, r);
  std::vector<MultilinearRef> refs = tables.Refs();
  const SumOfProducts shape = ZkLookupShape(layout, alpha, Fp2::Zero(), lambda);
  const Fp2 sum = ZkLookupClaimedSum(layout, r, lambda);
  for (auto _ : state) {
    Transcript t("bench");
    auto proved = ProveSumcheck(shape, refs, sum, t);
    benchmark::DoNotOptimize(proved.claim.values.data());
  }
  state.counters["entries_per_second"] =
      benchmark::Counter(static_cast<double>(size_t{1} << layout.log_domain()),
                         benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_SumcheckZkLookupShape)
    ->Arg(20)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// Σ g·f with g an Fp2 table and f a base-field column (the claim batching's shape: base × ext
// in round 0, ext × ext afterwards).
void BM_SumcheckExtTimesBase(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  std::vector<Fp> f = RandomFpVector(size_t{1} << n);
  Transcript setup("bench.point");
  std::vector<Fp2> g = EqTable(setup.ChallengeFp2s("r", n));
  auto shape = SumOfProducts::Product(n, 2);
  std::vector<MultilinearRef> in = {f, g};
  const Fp2 sum = SumOverHypercube(shape, in);
  for (auto _ : state) {
    Transcript t("bench");
    auto proved = ProveSumcheck(shape, in, sum, t);
    benchmark::DoNotOptimize(proved.claim.values.data());
  }
  state.counters["elements_per_second"] = benchmark::Counter(
      static_cast<double>(size_t{1} << n), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_SumcheckExtTimesBase)
    ->Arg(22)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

}  // namespace
}  // namespace zektra
