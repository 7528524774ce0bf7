// `zektra bench core`: the proving core's figures on this machine (issue targets in
// docs/BENCHMARKS.md). Each figure is the median of several repetitions; the thread
// count is 2 unless the key says otherwise.
#include <algorithm>
#include <atomic>
#include <memory>
#include <functional>

#include "cli/command.h"
#include <sys/resource.h>

#include "zektra/base/thread_pool.h"
#include "zektra/base/timer.h"
#include "zektra/crypto/random.h"
#include "zektra/field/kernels.h"
#include "zektra/field/ntt.h"
#include "zektra/ml/dataset.h"
#include "zektra/pot/dataset_commitment.h"
#include "zektra/zk/logup.h"
#include "zektra/zk/merkle.h"
#include "zektra/zk/multilinear.h"
#include "zektra/zk/pcs.h"
#include "zektra/zk/sumcheck.h"

namespace zektra::cli {
namespace {

struct BenchOptions {
  bool json = false;
  int repetitions = 5;
  int log_pcs = 24;
  uint64_t dataset_rows = 262144, dataset_features = 1024;
  std::vector<std::string> only;
};

double MedianSeconds(int reps, const std::function<void()>& setup, const std::function<void()>& body) {
  std::vector<double> t;
  for (int i = 0; i < reps; ++i) {
    setup();
    Timer timer;
    body();
    t.push_back(timer.Seconds());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

class CoreBench {
 public:
  explicit CoreBench(const BenchOptions& o) : opt_(o) {}

  nlohmann::json Run() {
    nlohmann::json out;
    Section("ntt", [&] { out["ntt_2p20_ms_1thread"] = NttMs(20, 1); out["ntt_2p20_ms"] = NttMs(20, 2); });
    Section("field", [&] { out["field_mul_ns"] = FieldMulNs(); });
    Section("merkle", [&] { out["merkle_2p20_leaves_ms"] = MerkleMs(20); });
    Section("pcs", [&] { Pcs(opt_.log_pcs, out); });
    Section("sumcheck", [&] {
      out["sumcheck_product2_2p" + std::to_string(opt_.log_pcs) + "_seconds"] = SumcheckSeconds(opt_.log_pcs);
    });
    Section("logup", [&] { out["logup_range_2p20_seconds"] = LogupSeconds(20); });
    // Large (gigabytes): runs only when named with --only.
    if (std::find(opt_.only.begin(), opt_.only.end(), "dataset") != opt_.only.end()) {
      Section("dataset", [&] { Dataset(out); });
    }
    out["threads"] = 2;
    out["repetitions"] = opt_.repetitions;
    return out;
  }

 private:
  void Section(const std::string& name, const std::function<void()>& fn) {
    if (!opt_.only.empty() && std::find(opt_.only.begin(), opt_.only.end(), name) == opt_.only.end()) return;
    Progress p("bench core");
    p.Update(name);
    fn();
  }

  double NttMs(int log_n, size_t threads) {
    SetThreadCount(threads);
    std::vector<Fp> data = RandomFpVector(size_t{1} << log_n), work;
    double s = MedianSeconds(std::max(opt_.repetitions, 9), [&] { work = data; }, [&] { Ntt(work); });
    SetThreadCount(2);
    return s * 1e3;
  }

  // Throughput of Fp multiplications over arrays through the vectorised kernel that
  // hot loops use (field/kernels.h), one thread.
  double FieldMulNs() {
    SetThreadCount(1);
    const size_t n = 1 << 14;  // fits in L1/L2, so this measures arithmetic, not memory
    std::vector<Fp> a = RandomFpVector(n), b = RandomFpVector(n);
    const int rounds = 2000;
    double s = MedianSeconds(opt_.repetitions, [] {}, [&] {
      for (int r = 0; r < rounds; ++r) MulVectors(a, b, a);
    });
    Consume(a[0].v);
    SetThreadCount(2);
    return s * 1e9 / (static_cast<double>(n) * rounds);
  }

  // A tree over 2^log_n leaves of one 32-byte digest each (the inner-node cost PCS pays).
  double MerkleMs(int log_n) {
    std::vector<Digest> leaves(size_t{1} << log_n);
    RandomBytes(leaves.data(), leaves.size() * sizeof(Digest));
    double s = MedianSeconds(opt_.repetitions, [] {}, [&] {
      MerkleTree tree = MerkleTree::FromLeafHashes(leaves);
      Consume(tree.root()[0]);
    });
    return s * 1e3;
  }

  // Hiding commitment of 2^log_n random evaluations, one claim at a random point.
  void Pcs(int log_n, nlohmann::json& out) {
    const std::string tag = "_2p" + std::to_string(log_n);
    std::vector<Fp> evals = RandomFpVector(size_t{1} << log_n);
    PcsParams params = ChoosePcsParams(log_n, /*hiding=*/true);
    std::vector<Fp2> point(log_n);
    for (auto& x : point) x = RandomFp2();
    std::vector<PcsClaim> claims = {{0, point, EvaluateMultilinear(evals, point)}};
    std::unique_ptr<PcsProverData> data;
    double commit = MedianSeconds(opt_.repetitions, [&] { data.reset(); }, [&] {
      data = std::make_unique<PcsProverData>(PcsCommit(evals, params));
    });
    PcsOpeningProof proof;
    double open = MedianSeconds(opt_.repetitions,
                                [&] { data = std::make_unique<PcsProverData>(PcsCommit(evals, params)); },
                                [&] {
                                  const PcsProverData* polys[] = {data.get()};
                                  Transcript t("bench.pcs");
                                  proof = PcsOpen(polys, claims, t);
                                });
    PcsCommitment commitment = data->commitment();
    Bytes encoded = proof.Serialize();
    bool accepted = true;
    double verify = MedianSeconds(std::max(opt_.repetitions, 9), [] {}, [&] {
      auto parsed = ParsePcsOpeningProof(encoded);
      Transcript t("bench.pcs");
      accepted = accepted && parsed.ok() &&
                 PcsVerify(std::span<const PcsCommitment>(&commitment, 1), claims, *parsed, t).ok();
    });
    ZK_CHECK(accepted, "benchmark proof failed to verify");
    out["pcs_commit" + tag + "_seconds"] = commit;
    out["pcs_open" + tag + "_seconds"] = open;
    out["pcs_verify" + tag + "_ms"] = verify * 1e3;
    out["pcs_proof" + tag + "_bytes"] = encoded.size();
    out["pcs_queries"] = params.queries;
    out["pcs_security_bits"] = PcsParamsSoundness(params).bits();
  }

  double SumcheckSeconds(int log_n) {
    auto f = RandomFpVector(size_t{1} << log_n), g = RandomFpVector(size_t{1} << log_n);
    auto shape = SumOfProducts::Product(log_n, 2);
    std::vector<MultilinearRef> in = {f, g};
    Fp2 sum = Fp2(DotProduct(f, g));
    return MedianSeconds(opt_.repetitions, [] {}, [&] {
      Transcript t("bench.sumcheck");
      auto proved = ProveSumcheck(shape, in, sum, t);
      Consume(proved.claim.values[0].c0.v);
    });
  }

  // Range check of 2^log_n 16-bit values, multiplicities included (they are witness).
  double LogupSeconds(int log_n) {
    std::vector<Fp> values(size_t{1} << log_n);
    for (auto& v : values) v = Fp::From(RandomU64() & 0xFFFF);
    const LookupTable table = LookupTable::Range(16);
    return MedianSeconds(opt_.repetitions, [] {}, [&] {
      LookupColumns columns{{values}, {}};
      auto m = ComputeMultiplicities(table, columns);
      ZK_CHECK(m.ok(), "in-range values");
      Transcript t("bench.logup");
      auto proof = ProveLookup(table, columns, *m, t);
      Consume(proof.input_values.size());
    });
  }

  // A synthetic labelled dataset committed as `dataset commit` does (hiding, seeded,
  // max_openings 16), then opened once at a random point as a training proof opens it, and
  // verified. One run each (the sizes are large); peak_rss_bytes is the process's peak, so
  // run this section alone.
  void Dataset(nlohmann::json& out) {
    ml::SynthSpec spec{opt_.dataset_rows, opt_.dataset_features, ml::Task::kBinary, 2, 1};
    Status valid = ml::ValidateSynthSpec(spec);
    ZK_CHECK(valid.ok(), "dataset shape out of range for the synthetic generator");
    auto table = ml::GenerateSynthetic(spec);
    ZK_CHECK(table.ok(), "synthetic dataset");
    double cpu = CpuSeconds();
    Timer commit_timer;
    auto committed = pot::CommitDataset(*table, pot::DatasetSecret::Fresh());
    const double commit_seconds = commit_timer.Seconds();
    const double commit_cpu = CpuSeconds() - cpu;
    ZK_CHECK(committed.ok(), "dataset commit");
    const PcsParams& params = committed->prover.params();

    // The claim f(z) = eq(z_high)ᵀ·M·eq(z_low) over the dataset's own row/column split,
    // without a second copy of the matrix.
    const int log_size = params.log_size, log_cols = committed->commitment.log_cols();
    std::vector<Fp2> point(log_size);
    for (auto& x : point) x = RandomFp2();
    const std::vector<Fp2> eq_low = EqTable(std::span<const Fp2>(point).first(log_cols));
    const std::vector<Fp2> eq_high = EqTable(std::span<const Fp2>(point).subspan(log_cols));
    const std::vector<Fp>& m = committed->matrix;
    const uint64_t cols = eq_low.size(), rows = eq_high.size();
    std::vector<Fp2> partial(ThreadCount(), Fp2::Zero());
    std::atomic<size_t> next_slot{0};
    ParallelFor(0, rows, [&](size_t r0, size_t r1) {
      Fp2 acc = Fp2::Zero();
      for (size_t r = r0; r < r1; ++r) {
        acc += eq_high[r] * DotProduct(std::span<const Fp>(m).subspan(r * cols, cols), eq_low);
      }
      partial[next_slot++] = acc;
    });
    Fp2 value = Fp2::Zero();
    for (const Fp2& x : partial) value += x;
    std::vector<PcsClaim> claims = {{0, point, value}};

    const PcsProverData* polys[] = {&committed->prover};
    cpu = CpuSeconds();
    Timer open_timer;
    Transcript tp("bench.dataset");
    PcsOpeningProof proof = PcsOpen(polys, claims, tp);
    const double open_seconds = open_timer.Seconds();
    const double open_cpu = CpuSeconds() - cpu;
    Bytes encoded = proof.Serialize();
    Timer verify_timer;
    auto parsed = ParsePcsOpeningProof(encoded);
    Transcript tv("bench.dataset");
    PcsCommitment commitment = committed->commitment.pcs;
    const bool accepted =
        parsed.ok() && PcsVerify(std::span<const PcsCommitment>(&commitment, 1), claims, *parsed, tv).ok();
    const double verify_seconds = verify_timer.Seconds();
    ZK_CHECK(accepted, "dataset opening failed to verify");

    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    out["dataset_rows"] = opt_.dataset_rows;
    out["dataset_features"] = opt_.dataset_features;
    out["dataset_log_size"] = log_size;
    out["dataset_pcs_rows"] = params.rows();
    out["dataset_pcs_codeword_len"] = params.codeword_len();
    out["dataset_pcs_queries"] = params.queries;
    out["dataset_keeps_codewords"] = committed->prover.keeps_codewords();
    out["dataset_commit_seconds"] = commit_seconds;
    out["dataset_open_seconds"] = open_seconds;
    // Process CPU time (all threads, user + system): steadier than wall time on a shared machine.
    out["dataset_commit_cpu_seconds"] = commit_cpu;
    out["dataset_open_cpu_seconds"] = open_cpu;
    out["dataset_verify_ms"] = verify_seconds * 1e3;
    out["dataset_proof_bytes"] = encoded.size();
    out["peak_rss_bytes"] = static_cast<uint64_t>(ru.ru_maxrss) * 1024;
  }

  static double CpuSeconds() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
  }

  // Keeps a result observable so the compiler cannot drop the timed work.
  template <typename T>
  static void Consume(const T& v) {
    sink_.fetch_add(static_cast<uint64_t>(v), std::memory_order_relaxed);
  }
  static inline std::atomic<uint64_t> sink_{0};

  BenchOptions opt_;
};

CommandRegistrar reg("bench core", "Benchmark the proving core: field, NTT, Merkle, PCS, sumcheck, logUp",
                     [](CLI::App& app) -> RunFn {
  auto opt = std::make_shared<BenchOptions>();
  app.add_flag("--json", opt->json, "Print one JSON object");
  app.add_option("--repetitions", opt->repetitions, "Repetitions per figure (the median is reported)")
      ->check(CLI::Range(1, 100));
  app.add_option("--log-size", opt->log_pcs, "log2 of the PCS / sumcheck size (the issue's figures use 24)")
      ->check(CLI::Range(10, 26));
  app.add_option("--only", opt->only,
                 "Run only these sections (ntt, field, merkle, pcs, sumcheck, logup; dataset runs only "
                 "when named)");
  app.add_option("--dataset-rows", opt->dataset_rows, "Rows of the synthetic dataset (section dataset)")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 24));
  app.add_option("--dataset-features", opt->dataset_features,
                 "Features of the synthetic dataset (section dataset)")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 16));
  return [opt] {
    // Two threads for every figure but the one whose key says otherwise.
    SetThreadCount(2);
    nlohmann::json result = CoreBench(*opt).Run();
    if (opt->json) {
      PrintJson(result);
    } else {
      for (auto& [k, v] : result.items()) std::printf("%-36s %s\n", k.c_str(), v.dump().c_str());
    }
    return kExitOk;
  };
});

}  // namespace
}  // namespace zektra::cli
