// libFuzzer entry for the proof container parser. Build: `make fuzz` (clang).
#include "tests/fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zektra::fuzz::ProofContainerTarget(data, size);
  return 0;
}
