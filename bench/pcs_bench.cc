// Polynomial commitment: commit / open / verify at 2^20 and 2^24 evaluations.
//
//   ZEKTRA_THREADS=2 ./build/zektra_kernels_bench --benchmark_filter=Pcs
//       --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
//
// Arguments: {log_size, hiding}. Counters: proof_bytes (opening of one claim), and for the
// encode-only kernel the share of commit time spent in NTTs (compare BM_PcsCommit).
#include <benchmark/benchmark.h>

#include <map>
#include <memory>

#include "zektra/crypto/random.h"
#include "zektra/field/ntt.h"
#include "zektra/zk/multilinear.h"
#include "zektra/zk/pcs.h"

namespace zektra {
namespace {

struct Instance {
  std::vector<Fp> evaluations;
  PcsParams params;
  std::vector<PcsClaim> claims;
};

// Inputs are generated once per shape and reused across benchmarks.
const Instance& GetInstance(int log_size, bool hiding) {
  static std::map<std::pair<int, bool>, std::unique_ptr<Instance>> cache;
  auto& slot = cache[{log_size, hiding}];
  if (!slot) {
    slot = std::make_unique<Instance>();
    slot->evaluations = RandomFpVector(size_t{1} << log_size);
    slot->params = ChoosePcsParams(log_size, hiding);
    std::vector<Fp2> point(log_size);
    for (auto& x : point) x = RandomFp2();
    slot->claims.push_back({0, point, EvaluateMultilinear(slot->evaluations, point)});
  }
  return *slot;
}

void SetShapeCounters(benchmark::State& state, const PcsParams& p) {
  state.counters["rows"] = static_cast<double>(p.rows());
  state.counters["cols"] = static_cast<double>(p.cols());
  state.counters["codeword_len"] = static_cast<double>(p.codeword_len());
  state.counters["queries"] = p.queries;
}

void BM_PcsCommit(benchmark::State& state) {
  const Instance& in = GetInstance(static_cast<int>(state.range(0)), state.range(1) != 0);
  for (auto _ : state) {
    PcsProverData data = PcsCommit(in.evaluations, in.params);
    benchmark::DoNotOptimize(data.commitment().root);
  }
  SetShapeCounters(state, in.params);
  state.counters["elements_per_second"] = benchmark::Counter(
      static_cast<double>(in.evaluations.size()), benchmark::Counter::kIsIterationInvariantRate);
}

// The Reed–Solomon encoding alone (rows coset NTTs of the codeword length, as in commit),
// so the NTT share of commit time can be read off.
void BM_PcsCommitNttOnly(benchmark::State& state) {
  const Instance& in = GetInstance(static_cast<int>(state.range(0)), false);
  const PcsParams& p = in.params;
  std::vector<Fp> scratch(p.codeword_len());
  for (auto _ : state) {
    for (uint64_t r = 0; r < p.rows(); ++r) {
      std::copy_n(in.evaluations.begin() + r * p.cols(), p.cols(), scratch.begin());
      std::fill(scratch.begin() + p.cols(), scratch.end(), Fp::Zero());
      CosetNtt(scratch, Fp::From(Fp::kGenerator));
    }
    benchmark::DoNotOptimize(scratch.data());
  }
  SetShapeCounters(state, p);
}

void BM_PcsOpen(benchmark::State& state) {
  const Instance& in = GetInstance(static_cast<int>(state.range(0)), state.range(1) != 0);
  std::unique_ptr<PcsProverData> data;
  size_t proof_bytes = 0;
  for (auto _ : state) {
    // A hiding commitment may be opened max_openings (= 1) times: commit afresh, untimed.
    if (!data || in.params.hiding) {
      state.PauseTiming();
      data = std::make_unique<PcsProverData>(PcsCommit(in.evaluations, in.params));
      state.ResumeTiming();
    }
    const PcsProverData* polys[] = {data.get()};
    Transcript t("bench");
    PcsOpeningProof proof = PcsOpen(polys, in.claims, t);
    benchmark::DoNotOptimize(proof.groups.data());
    state.PauseTiming();
    proof_bytes = proof.ByteSize();
    state.ResumeTiming();
  }
  SetShapeCounters(state, in.params);
  state.counters["proof_bytes"] = static_cast<double>(proof_bytes);
}

void BM_PcsVerify(benchmark::State& state) {
  const Instance& in = GetInstance(static_cast<int>(state.range(0)), state.range(1) != 0);
  PcsCommitment commitment;
  PcsOpeningProof proof;
  {
    PcsProverData data = PcsCommit(in.evaluations, in.params);
    commitment = data.commitment();
    const PcsProverData* polys[] = {&data};
    Transcript t("bench");
    proof = PcsOpen(polys, in.claims, t);
  }
  for (auto _ : state) {
    Transcript t("bench");
    Status s = PcsVerify(std::span<const PcsCommitment>(&commitment, 1), in.claims, proof, t);
    if (!s.ok()) state.SkipWithError(s.message().c_str());
  }
  SetShapeCounters(state, in.params);
  state.counters["proof_bytes"] = static_cast<double>(proof.ByteSize());
}

void Shapes(benchmark::internal::Benchmark* b) {
  for (int log_size : {20, 24}) {
    for (int hiding : {0, 1}) b->Args({log_size, hiding});
  }
  b->Unit(benchmark::kMillisecond)->UseRealTime();
}

BENCHMARK(BM_PcsCommit)->Apply(Shapes)->Iterations(3);
BENCHMARK(BM_PcsCommitNttOnly)
    ->Args({20, 0})
    ->Args({24, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);
BENCHMARK(BM_PcsOpen)->Apply(Shapes)->Iterations(3);
BENCHMARK(BM_PcsVerify)->Apply(Shapes);

}  // namespace
}  // namespace zektra
