// Fuzz target of the model-commitment files (pot/model_commitment.h): the public ".commit" JSON
// and the ".key" JSON. Any outcome but a crash is fine; a parsed commitment must re-serialise to
// a file that parses to the same commitment.
#pragma once

#include <string_view>

#include "zektra/base/status.h"
#include "zektra/pot/model_commitment.h"

namespace zektra::fuzz {

inline void ModelCommitmentTarget(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto c = pot::ModelCommitment::FromJson(text, "fuzz.commit");
  if (c.ok()) {
    auto again = pot::ModelCommitment::FromJson(c->ToJson(), "fuzz.commit (re-serialised)");
    ZK_CHECK(again.ok() && *again == *c, "model commitment JSON does not round-trip");
    (void)pot::ModelSecret::FromJson(text, "fuzz.key", *c);
  }
}

}  // namespace zektra::fuzz
