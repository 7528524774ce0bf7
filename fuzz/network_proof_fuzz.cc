// libFuzzer entry for the network (softmax / mlp) proof-of-training parser and verifier.
// Build: `make fuzz` (clang).
#include "tests/fuzz_targets_network.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  zektra::fuzz::NetworkProofTarget(data, size);
  return 0;
}
