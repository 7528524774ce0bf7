// Which instruction set the field kernels (NTT, field/kernels.h) run on.
//
// The engine ships one binary: hot loops are compiled for several x86 instruction sets
// and the fastest one the CPU supports is chosen at run time (AVX-512F, then AVX2, then
// portable scalar code). Every level computes bit-identical results; the level only
// changes speed. Tests force each level in turn to check that the portable path, which
// runs on machines without AVX-512, stays correct.
//
// The environment variable ZEKTRA_SIMD=scalar|avx2|avx512 caps the level at start-up
// (useful to reproduce a customer's machine). A level the CPU lacks is never used.
#pragma once

#include <string_view>

namespace zektra {

enum class SimdLevel { kScalar = 0, kAvx2 = 1, kAvx512 = 2 };

// The level in force now: the best the CPU supports, capped by ZEKTRA_SIMD and by
// SetSimdLevel. Cheap (one relaxed atomic load); kernels call it per invocation.
SimdLevel ActiveSimdLevel();
// The best level this CPU supports, ignoring any cap.
SimdLevel BestSupportedSimdLevel();
// Caps the level process-wide (clamped to what the CPU supports); returns the level now
// in force. Not meant to race with running kernels: tests and benchmarks call it between
// kernels.
SimdLevel SetSimdLevel(SimdLevel level);
std::string_view SimdLevelName(SimdLevel level);

// Restores the previous level when it goes out of scope (tests).
class ScopedSimdLevel {
 public:
  explicit ScopedSimdLevel(SimdLevel level) : previous_(ActiveSimdLevel()) { SetSimdLevel(level); }
  ~ScopedSimdLevel() { SetSimdLevel(previous_); }
  ScopedSimdLevel(const ScopedSimdLevel&) = delete;
  ScopedSimdLevel& operator=(const ScopedSimdLevel&) = delete;

 private:
  SimdLevel previous_;
};

}  // namespace zektra
