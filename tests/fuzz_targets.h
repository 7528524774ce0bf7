// Fuzz targets shared by the libFuzzer binaries (fuzz/*_fuzz.cc) and the in-process
// mutation tests. Each target parses untrusted bytes and must never crash, hang or
// leak; parse results are re-encoded to check round-trip stability.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "zektra/crypto/sha256.h"
#include "zektra/vault/stream.h"
#include "zektra/vault/vault.h"
#include "zektra/zk/pcs.h"
#include "zektra/zk/proof_format.h"
#include <algorithm>

namespace zektra::fuzz {

inline void ParseAndCheckRoundTrip(ByteSpan bytes) {
  auto parsed = ProofContainer::Parse(bytes);
  if (!parsed.ok()) return;
  // Anything accepted must re-encode to exactly the same bytes (one meaning per byte string).
  Bytes again = parsed->Encode();
  if (again.size() != bytes.size() || !std::equal(again.begin(), again.end(), bytes.begin())) std::abort();
}

inline void ProofContainerTarget(const uint8_t* data, size_t size) {
  ParseAndCheckRoundTrip(ByteSpan(data, size));
  // The fuzzer cannot forge SHA-256, so also seal the input with a valid checksum to
  // drive the structural checks behind it.
  Bytes sealed(data, data + size);
  Digest d = Sha256::Hash(sealed);
  sealed.insert(sealed.end(), d.begin(), d.end());
  ParseAndCheckRoundTrip(sealed);
}

// The polynomial-commitment opening parser: anything it accepts re-serializes to bytes that
// parse again to the same size (a proof has one encoding).
inline void PcsOpeningProofTarget(const uint8_t* data, size_t size) {
  auto parsed = ParsePcsOpeningProof(ByteSpan(data, size));
  if (!parsed.ok()) return;
  Bytes again = parsed->Serialize();
  auto reparsed = ParsePcsOpeningProof(again);
  if (!reparsed.ok() || reparsed->ByteSize() != parsed->ByteSize()) std::abort();
}

// The vault's file parsers (manifest, grant header, data-stream header): each must refuse
// garbage with a Status and never crash.
inline void VaultFilesTarget(const uint8_t* data, size_t size) {
  ByteSpan bytes(data, size);
  (void)vault::DecodeSignedManifest(bytes, "fuzz.manifest", nullptr);
  (void)vault::GrantOwner(bytes, "fuzz.grant");
  (void)vault::DataStreamPlaintextBytes(bytes, "fuzz.zvd");
}

}  // namespace zektra::fuzz

// ---- proof of training (pot/training_proof.h) ----
#include "zektra/pot/training_proof.h"

namespace zektra::fuzz {

// Parses and verifies a proof of training; any outcome but a crash is fine, and garbage must
// never be accepted. The input is also re-sealed with a valid container checksum so the fuzzer
// reaches the statement, section and verifier checks behind it.
inline void TrainingProofTarget(const uint8_t* data, size_t size) {
  ByteSpan bytes(data, size);
  (void)pot::ReadTrainingStatement(bytes);
  (void)pot::VerifyTraining(bytes);
  if (size >= 32) {
    Bytes sealed(data, data + size);
    Digest d = Sha256::Hash(ByteSpan(sealed.data(), size - 32));
    std::copy(d.begin(), d.end(), sealed.end() - 32);
    (void)pot::VerifyTraining(sealed);
  }
}

}  // namespace zektra::fuzz

// ---- proof of test accuracy / inference (pot/accuracy_proof.h) ----
#include "zektra/pot/accuracy_proof.h"

namespace zektra::fuzz {

// Parses and verifies a proof of test accuracy; any outcome but a crash is fine. Also re-sealed
// with a valid container checksum to reach the statement and verifier checks behind it.
inline void AccuracyProofTarget(const uint8_t* data, size_t size) {
  ByteSpan bytes(data, size);
  (void)pot::ReadAccuracyStatement(bytes);
  (void)pot::VerifyAccuracy(bytes);
  if (size >= 32) {
    Bytes sealed(data, data + size);
    Digest d = Sha256::Hash(ByteSpan(sealed.data(), size - 32));
    std::copy(d.begin(), d.end(), sealed.end() - 32);
    (void)pot::VerifyAccuracy(sealed);
  }
}

}  // namespace zektra::fuzz
