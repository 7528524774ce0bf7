// libFuzzer entry for the CKKS and encrypted-training file parsers. Build: `make fuzz` (clang).
#include "tests/fuzz_targets_he.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zektra::fuzz::HeFilesTarget(data, size);
  return 0;
}
