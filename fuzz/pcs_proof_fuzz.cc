// libFuzzer entry for the polynomial-commitment opening parser. Build: `make fuzz` (clang).
#include "tests/fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zektra::fuzz::PcsOpeningProofTarget(data, size);
  return 0;
}
