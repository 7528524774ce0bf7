// Prover kernels of the zero-knowledge proofs of training: the zero-knowledge logUp, the
// batching of column claims into one packed evaluation, and the masked product sumcheck.
// These are the loops the proofs of training spend their time in (docs/sections/speed_*).
// The CPU column is the whole process's CPU time (all pool threads): on a shared machine it
// is steadier than the wall clock.
// Run: ZEKTRA_THREADS=2 ./build/zektra_kernels_bench --benchmark_filter='Zk|ClaimBatch|Masked'
#include <benchmark/benchmark.h>

#include "zektra/crypto/random.h"
#include "zektra/field/kernels.h"
#include "zektra/pot/packed_witness.h"
#include "zektra/zk/logup_zk.h"
#include "zektra/zk/multilinear.h"
#include "zektra/zk/sumcheck_zk_pcs.h"

namespace zektra {
namespace {

// Values spread over [0, 2^16) without a syscall per value.
uint64_t Spread16(size_t i) {
  return ((i + 1) * 0x9E3779B97F4A7C15ull) >> 48;
}

// A 16-bit range lookup of 2^n entries in four equal segments (lower halves live, upper halves
// random blinding), as a proof of training lays out its limb columns.
struct ZkLookupInstance {
  ZkLookupLayout layout;
  LookupTable table = LookupTable::Range(16);
  std::vector<Fp> inputs, multiplicities;
};

ZkLookupInstance MakeZkLookup(size_t n) {
  ZkLookupInstance z;
  const size_t sizes[] = {n - 2, n - 2, n - 2, n - 2};
  z.layout = ZkLookupLayout::Pack(sizes, false, 16);
  std::vector<Fp> sel = ZkLookupSelector(z.layout);
  z.inputs = RandomFpVector(sel.size());
  z.multiplicities.assign(size_t{1} << 16, Fp::Zero());
  for (size_t x = 0; x < sel.size(); ++x) {
    if (sel[x] != Fp::One()) continue;
    z.inputs[x] = Fp::From(Spread16(x));
    z.multiplicities[Spread16(x)] += Fp::One();
  }
  return z;
}

// The whole prover side of one zero-knowledge lookup after the columns are committed: the
// helper (batch inversion), the split multiplicities, the sumcheck tables and the masked
// degree-4 sumcheck (with its mask commitment and opening).
void BM_ZkLookupRange16(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  ZkLookupInstance z = MakeZkLookup(n);
  LigeroCommitmentScheme pcs;
  for (auto _ : state) {
    Transcript t("bench.zklookup");
    const Fp2 alpha = t.ChallengeFp2("alpha");
    std::vector<Fp> helper = ZkLookupHelper(z.layout, z.inputs, {}, alpha, Fp2::Zero());
    std::vector<Fp> split = ZkSplitMultiplicities(z.multiplicities);
    std::vector<Fp2> r = t.ChallengeFp2s("r", z.layout.log_entries);
    const Fp2 lambda = t.ChallengeFp2("lambda");
    ZkLookupTables tables = ZkLookupProverTables(z.layout, z.table, z.inputs, {}, helper, split,
                                                 alpha, Fp2::Zero(), lambda, r);
    std::vector<MultilinearRef> refs = tables.Refs();
    auto proof = ProveMaskedSumcheck(pcs, ZkLookupShape(z.layout, alpha, Fp2::Zero(), lambda), refs,
                                     ZkLookupClaimedSum(z.layout, r, lambda), t);
    benchmark::DoNotOptimize(proof.final_values.data());
  }
  state.counters["entries_per_second"] = benchmark::Counter(
      static_cast<double>(size_t{1} << n), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ZkLookupRange16)
    ->Arg(20)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// The helper alone: 1/N(α − e) on the live entries (a batch inversion over 2^(n−1) norms).
void BM_ZkLookupHelper(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  ZkLookupInstance z = MakeZkLookup(n);
  Transcript t("bench.zklookup");
  const Fp2 alpha = t.ChallengeFp2("alpha");
  for (auto _ : state) {
    std::vector<Fp> helper = ZkLookupHelper(z.layout, z.inputs, {}, alpha, Fp2::Zero());
    benchmark::DoNotOptimize(helper.data());
  }
  state.counters["entries_per_second"] = benchmark::Counter(
      static_cast<double>(size_t{1} << n), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ZkLookupHelper)
    ->Arg(20)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// ProveClaimBatch over a packed witness of 2^n entries: 40 columns (16 of 2^(n−5), then
// smaller ones), 200 claims, five per column, claims on one column sharing two points (as a
// lookup's and a sumcheck's outcomes do).
void BM_ClaimBatch200(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  pot::PackedLayout layout;
  for (int c = 0; c < 40; ++c) {
    const int log_size = c < 16   ? static_cast<int>(n) - 5
                         : c < 28 ? static_cast<int>(n) - 6
                                  : static_cast<int>(n) - 8;
    layout.Add("column" + std::to_string(c), log_size);
  }
  layout.Finalize();
  std::vector<Fp> packed = RandomFpVector(size_t{1} << layout.log_total());
  Transcript setup("bench.points");
  std::vector<pot::ColumnClaim> claims;
  for (int c = 0; c < layout.count(); ++c) {
    const size_t k = static_cast<size_t>(layout.log_size(c));
    std::vector<Fp2> a = setup.ChallengeFp2s("a", k), b = setup.ChallengeFp2s("b", k);
    for (int j = 0; j < 5; ++j) {
      const std::vector<Fp2>& point = j < 3 ? a : b;
      std::span<const Fp> column(packed.data() + layout.offset(c), layout.size(c));
      claims.push_back({c, point, EvaluateMultilinear(column, point)});
    }
  }
  for (auto _ : state) {
    Transcript t("bench.batch");
    pot::PotMaskedProof proof;
    pot::BatchedClaim out = pot::ProveClaimBatch(layout, packed, claims, t, &proof);
    benchmark::DoNotOptimize(out.value);
  }
  state.counters["entries_per_second"] = benchmark::Counter(
      static_cast<double>(packed.size()), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_ClaimBatch200)
    ->Arg(24)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// The masked product sumcheck Σ eq(r, b)·f(b) and Σ f(b)·g(b) over 2^n: the shape of every
// relation check of the proofs of training (base-field witness columns, Fp2 eq tables).
void BM_MaskedProductSumcheck(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const bool with_eq = state.range(1) != 0;
  std::vector<Fp> f = RandomFpVector(size_t{1} << n), g;
  Transcript setup("bench.point");
  std::vector<Fp2> eq;
  if (with_eq) {
    eq = EqTable(setup.ChallengeFp2s("r", n));
  } else {
    g = RandomFpVector(size_t{1} << n);
  }
  std::vector<MultilinearRef> in = {f};
  if (with_eq) {
    in.emplace_back(eq);
  } else {
    in.emplace_back(g);
  }
  const Fp2 sum = with_eq ? DotProduct(f, eq) : Fp2(InnerProduct(f, g));
  LigeroCommitmentScheme pcs;
  for (auto _ : state) {
    Transcript t("bench.masked");
    auto proof = ProveMaskedSumcheck(pcs, SumOfProducts::Product(n, 2), in, sum, t);
    benchmark::DoNotOptimize(proof.final_values.data());
  }
  state.counters["elements_per_second"] = benchmark::Counter(
      static_cast<double>(size_t{1} << n), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_MaskedProductSumcheck)
    ->Args({22, 1})
    ->Args({22, 0})
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// One column reveal: a base-field column of 2^n entries at an Fp2 point.
void BM_EvaluateMultilinear(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  std::vector<Fp> f = RandomFpVector(size_t{1} << n);
  Transcript setup("bench.point");
  std::vector<Fp2> point = setup.ChallengeFp2s("r", n);
  for (auto _ : state) benchmark::DoNotOptimize(EvaluateMultilinear(f, point));
  state.counters["entries_per_second"] = benchmark::Counter(
      static_cast<double>(f.size()), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_EvaluateMultilinear)
    ->Arg(22)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

}  // namespace
}  // namespace zektra
