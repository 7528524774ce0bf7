// libFuzzer entry for the model-commitment file parsers. Build: `make fuzz` (clang).
#include "tests/fuzz_targets_model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zektra::fuzz::ModelCommitmentTarget(data, size);
  return 0;
}
