// libFuzzer entry for the proof-of-test-accuracy parser and verifier. Build: `make fuzz` (clang).
#include "tests/fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zektra::fuzz::AccuracyProofTarget(data, size);
  return 0;
}
