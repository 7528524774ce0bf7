// libFuzzer entry for the vault's manifest, grant and data-stream parsers. Build: `make fuzz`.
#include "tests/fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zektra::fuzz::VaultFilesTarget(data, size);
  return 0;
}
