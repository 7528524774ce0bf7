// `zektra bench he`: single-thread timings of the CKKS operations at N = 2^14 and 2^16.
#include <cmath>

#include "cli/command.h"
#include "zektra/base/thread_pool.h"
#include "zektra/he/benchmark.h"
#include "zektra/he/ntt.h"

namespace zektra::cli {
namespace {

CommandRegistrar reg(
    "bench he", "Time CKKS encode/encrypt/multiply/relinearize/rescale/rotate/decrypt",
    [](CLI::App& app) -> RunFn {
      struct Options {
        bool json = false;
        bool quick = false;
        bool portable = false;
        int repetitions = 5;
        size_t threads = 1;
        bool wall = false;
      };
      auto o = std::make_shared<Options>();
      app.add_flag("--json", o->json, "Print one JSON object");
      app.add_flag("--quick", o->quick, "Only N = 2^14");
      app.add_flag("--portable", o->portable, "Force the portable (non-IFMA) kernels");
      app.add_option("--repetitions", o->repetitions, "Timed runs per operation (median)")
          ->check(CLI::Range(1, 1000));
      app.add_flag("--wall", o->wall, "Report wall-clock time instead of the thread's CPU time");
      app.add_option("--threads", o->threads, "Worker threads (the reference figures use 1)")
          ->check(CLI::Range(1, 256));
      return [o]() -> int {
        SetThreadCount(o->threads);
        if (o->portable) he::SetPortableKernelsOnly(true);
        nlohmann::json out;
        out["threads"] = o->threads;
        out["timing"] =
            (!o->wall && o->threads == 1) ? "thread_cpu_time_median" : "wall_clock_median";
        out["ifma"] = he::CpuHasIfma() && !he::PortableKernelsOnly();
        std::vector<he::CkksParameterSpec> specs = {he::BenchSpecN14()};
        if (!o->quick) specs.push_back(he::BenchSpecN16());
        Progress progress("bench he");
        for (const auto& spec : specs) {
          progress.Update("N = 2^" + std::to_string(spec.log_n));
          auto t = he::TimeOperations(spec, o->repetitions, !o->wall && o->threads == 1);
          if (!t.ok()) return ReportError(t.status(), o->json);
          const std::string prefix = "n2p" + std::to_string(spec.log_n) + "_";
          out[prefix + "parameters"] = t->parameters;
          out[prefix + "log_pq_bits"] = t->log_pq;
          out[prefix + "levels"] = t->levels;
          out[prefix + "keygen_ms"] = t->keygen_ms;
          out[prefix + "encode_ms"] = t->encode_ms;
          out[prefix + "encrypt_ms"] = t->encrypt_ms;
          out[prefix + "multiply_ms"] = t->multiply_ms;
          out[prefix + "relinearize_ms"] = t->relinearize_ms;
          out[prefix + "rescale_ms"] = t->rescale_ms;
          out[prefix + "rotate_ms"] = t->rotate_ms;
          out[prefix + "decrypt_ms"] = t->decrypt_ms;
          out[prefix + "decode_ms"] = t->decode_ms;
          out[prefix + "max_slot_error"] = t->max_slot_error;
          if (!o->json) {
            std::printf("%s\n", t->parameters.c_str());
            std::printf(
                "  encode %.2f ms  encrypt %.2f ms  multiply %.2f ms  relinearize %.2f ms  "
                "rescale %.2f ms  rotate %.2f ms  decrypt %.2f ms  decode %.2f ms  "
                "(keygen %.0f ms, max slot error %.2g)\n",
                t->encode_ms, t->encrypt_ms, t->multiply_ms, t->relinearize_ms, t->rescale_ms,
                t->rotate_ms, t->decrypt_ms, t->decode_ms, t->keygen_ms, t->max_slot_error);
          }
        }
        progress.Done();
        if (o->json) PrintJson(out);
        return kExitOk;
      };
    });

}  // namespace
}  // namespace zektra::cli
