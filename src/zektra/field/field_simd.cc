#include "zektra/field/field_simd.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <string_view>

namespace zektra {
namespace {

SimdLevel DetectBest() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return SimdLevel::kAvx512;
  if (__builtin_cpu_supports("avx2")) return SimdLevel::kAvx2;
#endif
  return SimdLevel::kScalar;
}

SimdLevel InitialLevel() {
  SimdLevel best = DetectBest();
  if (const char* env = std::getenv("ZEKTRA_SIMD")) {
    std::string_view want(env);
    SimdLevel cap = best;
    if (want == "scalar") cap = SimdLevel::kScalar;
    if (want == "avx2") cap = SimdLevel::kAvx2;
    if (want == "avx512") cap = SimdLevel::kAvx512;
    return std::min(best, cap);
  }
  return best;
}

std::atomic<int>& LevelSlot() {
  static std::atomic<int> level{static_cast<int>(InitialLevel())};
  return level;
}

}  // namespace

SimdLevel BestSupportedSimdLevel() {
  static const SimdLevel best = DetectBest();
  return best;
}

SimdLevel ActiveSimdLevel() {
  return static_cast<SimdLevel>(LevelSlot().load(std::memory_order_relaxed));
}

SimdLevel SetSimdLevel(SimdLevel level) {
  SimdLevel clamped = std::min(level, BestSupportedSimdLevel());
  LevelSlot().store(static_cast<int>(clamped), std::memory_order_relaxed);
  return clamped;
}

std::string_view SimdLevelName(SimdLevel level) {
  switch (level) {
    case SimdLevel::kScalar:
      return "scalar";
    case SimdLevel::kAvx2:
      return "avx2";
    case SimdLevel::kAvx512:
      return "avx512";
  }
  return "unknown";
}

}  // namespace zektra
