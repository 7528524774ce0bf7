// `zektra bench core`: the proving core's figures on this machine (issue targets in
// docs/BENCHMARKS.md). Each figure is the median of several repetitions; the thread
// count is 2 unless the key says otherwise.
#include <algorithm>
#include <functional>

#include "cli/command.h"
#include "zektra/base/thread_pool.h"
#include "zektra/base/timer.h"
#include "zektra/crypto/random.h"
#include "zektra/field/ntt.h"

namespace zektra::cli {
namespace {

struct BenchOptions {
  bool json = false;
  int repetitions = 5;
  int log_pcs = 24;
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
    out["threads"] = 2;
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

  double FieldMulNs() {
    // Throughput of independent multiplications over arrays (what hot loops see).
    const size_t n = 1 << 16;
    std::vector<Fp> a = RandomFpVector(n), b = RandomFpVector(n), c(n);
    const int rounds = 200;
    double s = MedianSeconds(opt_.repetitions, [] {}, [&] {
      for (int r = 0; r < rounds; ++r) {
        for (size_t i = 0; i < n; ++i) c[i] = a[i] * b[i];
        std::swap(a, c);
      }
    });
    return s * 1e9 / (static_cast<double>(n) * rounds);
  }

  BenchOptions opt_;
};

CommandRegistrar reg("bench core", "Benchmark the proving core: field, NTT, Merkle, PCS, sumcheck, logUp",
                     [](CLI::App& app) -> RunFn {
  auto opt = std::make_shared<BenchOptions>();
  app.add_flag("--json", opt->json, "Print one JSON object");
  app.add_option("--repetitions", opt->repetitions, "Repetitions per figure (the median is reported)")
      ->check(CLI::Range(1, 100));
  app.add_option("--only", opt->only, "Run only these sections (ntt, field, merkle, pcs, sumcheck, logup)");
  return [opt] {
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
