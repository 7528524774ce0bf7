// Fuzz target for the homomorphic-encryption wire formats (docs/HE.md "Serialization",
// docs/HE_TRAINING.md "Files"): parameters, ciphertexts, plaintexts, keys, encrypted
// containers and the multiparty session and share files. Shared by the libFuzzer binary
// (fuzz/he_files_fuzz.cc) and the in-process mutation test (src/zektra/he/fuzz_test.cc).
//
// The first input byte picks the parser; the rest is the file. Every parser must return a
// Status on any bytes (never abort, hang or read out of bounds), and anything accepted must
// serialize back to exactly the input (one encoding per object).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "zektra/he/context.h"
#include "zektra/he/params.h"
#include "zektra/he/serialization.h"
#include "zektra/he/train/files.h"
#include "zektra/he/train/multiparty.h"

namespace zektra::fuzz {

// A small context (N = 2^12, two Q primes and one P prime) so that objects are a few KB.
inline const he::HeContextPtr& FuzzHeContext() {
  static const he::HeContextPtr context = [] {
    he::CkksParameterSpec spec;
    spec.log_n = 12;
    spec.base_prime_bits = 36;
    spec.scale_bits = 30;
    spec.levels = 1;
    spec.special_prime_bits = 36;
    spec.dnum = 0;
    auto params = he::MakeParameters(spec);
    if (!params.ok()) std::abort();
    auto context = he::HeContext::Create(*params);
    if (!context.ok()) std::abort();
    return *context;
  }();
  return context;
}

enum class HeFuzzParser : uint8_t {
  kParameters,
  kCiphertext,
  kPlaintext,
  kPublicKey,
  kRelinKey,
  kGaloisKeys,
  kSecretKey,
  kDatasetContainer,
  kSession,
  kKeyShare,
  kRelinShare,
  kRelinRound1,
  kDecryptionShare,
  kCount
};

inline void RequireSame(const Bytes& again, ByteSpan input) {
  if (again.size() != input.size() || !std::equal(again.begin(), again.end(), input.begin()))
    std::abort();
}

// Parses `bytes` with one parser and returns whether it accepted them; aborts only on a
// round-trip mismatch.
inline bool ParseHeFile(HeFuzzParser which, ByteSpan bytes) {
  const he::HeContextPtr& ctx = FuzzHeContext();
  const he::HeContext& c = *ctx;
  switch (which) {
    case HeFuzzParser::kParameters:
      if (auto p = he::ParseParameters(bytes); p.ok()) {
        RequireSame(he::SerializeParameters(*p), bytes);
        return true;
      }
      break;
    case HeFuzzParser::kCiphertext:
      if (auto v = he::ParseCiphertext(c, bytes); v.ok()) {
        RequireSame(he::SerializeCiphertext(c, *v), bytes);
        return true;
      }
      break;
    case HeFuzzParser::kPlaintext:
      if (auto v = he::ParsePlaintext(c, bytes); v.ok()) {
        RequireSame(he::SerializePlaintext(c, *v), bytes);
        return true;
      }
      break;
    case HeFuzzParser::kPublicKey:
      if (auto v = he::ParsePublicKey(ctx, bytes); v.ok()) {
        RequireSame(he::SerializePublicKey(c, *v), bytes);
        return true;
      }
      break;
    case HeFuzzParser::kRelinKey:
      if (auto v = he::ParseRelinKey(ctx, bytes); v.ok()) {
        RequireSame(he::SerializeRelinKey(c, *v), bytes);
        return true;
      }
      break;
    case HeFuzzParser::kGaloisKeys:
      if (auto v = he::ParseGaloisKeys(ctx, bytes); v.ok()) {
        RequireSame(he::SerializeGaloisKeys(c, *v), bytes);
        return true;
      }
      break;
    case HeFuzzParser::kSecretKey:
      if (auto v = he::ParseSecretKey(ctx, bytes); v.ok()) {
        Bytes again = he::SerializeSecretKey(c, *v);
        RequireSame(again, bytes);
        return true;
      }
      break;
    case HeFuzzParser::kDatasetContainer:
      if (auto v = he::train::ParseContainer(c, bytes, he::train::ContainerKind::kDataset, nullptr,
                                             "fuzz");
          v.ok()) {
        {
          RequireSame(he::train::SerializeContainer(c, *v), bytes);
          return true;
        }
      }
      break;
    case HeFuzzParser::kSession:
      if (auto v = he::train::ParseSession(bytes, "fuzz"); v.ok()) {
        RequireSame(he::train::SerializeSession(*v), bytes);
        return true;
      }
      break;
    case HeFuzzParser::kKeyShare:
      if (auto v = he::train::ParseKeyShare(c, bytes, "fuzz"); v.ok()) {
        RequireSame(he::train::SerializeKeyShare(c, *v), bytes);
        return true;
      }
      break;
    case HeFuzzParser::kRelinShare:
      if (auto v = he::train::ParseRelinShare(c, bytes, "fuzz"); v.ok()) {
        RequireSame(he::train::SerializeRelinShare(c, *v), bytes);
        return true;
      }
      break;
    case HeFuzzParser::kRelinRound1:
      if (auto v = he::train::ParseRelinRound1(c, bytes, "fuzz"); v.ok()) {
        RequireSame(he::train::SerializeRelinRound1(c, *v), bytes);
        return true;
      }
      break;
    case HeFuzzParser::kDecryptionShare:
      if (auto v = he::train::ParseDecryptionShare(c, bytes, "fuzz"); v.ok()) {
        RequireSame(he::train::SerializeDecryptionShare(c, *v), bytes);
        return true;
      }
      break;
    case HeFuzzParser::kCount:
      break;
  }
  return false;
}

inline void HeFilesTarget(const uint8_t* data, size_t size) {
  if (size == 0) return;
  const auto which =
      static_cast<HeFuzzParser>(data[0] % static_cast<uint8_t>(HeFuzzParser::kCount));
  ParseHeFile(which, ByteSpan(data + 1, size - 1));
}

}  // namespace zektra::fuzz
