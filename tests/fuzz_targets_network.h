// Fuzz body for the network (softmax / mlp) proof-of-training parser and verifier. Shared by
// the libFuzzer target fuzz/network_proof_fuzz.cc and the in-process mutation tests in
// tests/pot_network_test.cc. Any input must be refused with a status, never crash or accept.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "zektra/pot/network_training_proof.h"

namespace zektra::fuzz {

inline void NetworkProofTarget(const uint8_t* data, size_t size) {
  ByteSpan bytes(data, size);
  (void)pot::IsNetworkTrainingProof(bytes);
  (void)pot::ReadNetworkStatement(bytes);
  pot::NetworkVerifyOutcome v = pot::VerifyNetworkTraining(bytes);
  // A random or mutated input that verifies would be a forgery.
  if (v.status.ok() && size < 64) std::abort();
}

}  // namespace zektra::fuzz
