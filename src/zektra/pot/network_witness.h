// The prover's witness for the network proof of training (pot/network_training_proof.h), as a
// function of its own so that tests can drive it without proving.
//
// BuildNetworkWitness turns the fixed-point training trace, the table and the dataset
// commitment into every committed column (the real half: the integer run, its limbs and
// lookup multiplicities; the blinding half: a field run on the commitment's blinding rows,
// pot/network_training_proof.cc FillBlindingHalf), the field tensors the relations read, and
// the sumcheck masks, all inside the packed polynomial that the prover then commits.
//
// Contract: the real half (the lower half of every column and tensor, steps t < Th and
// dataset rows < Nh) is a deterministic function of (trace, table, model, dataset rows): the
// same bits whatever the thread count. The blinding half, the random split of the
// multiplicities and the masks are fresh uniform randomness on every call.
//
// Cost: linear in the run (the blinding half redoes the products of training over the field);
// parallel over the thread pool (base/thread_pool.h) within steps for the blinding half, across
// steps for the real half. Memory: the packed polynomial (2^log_total·8 bytes, each page first
// touched when its column is written) plus int64 copies of the real half, freed as their
// columns are written.
//
// RealHalfDigest fingerprints that deterministic part (tests compare it across thread counts
// and against a recorded value). It hashes secret witness data: the digest itself is as
// secret as the witness, and is for tests only.
#pragma once

#include <functional>

#include "zektra/crypto/sha256.h"
#include "zektra/pot/network_proof_internal.h"

namespace zektra::pot::netpot {

// The statement of the proof of `wit` and its shape (a kFinalWeights tamper edits the
// statement's final weights, as the prover's test hook does).
struct StatementAndShape {
  NetworkTrainingStatement statement;
  Shape shape;
};
Result<StatementAndShape> PrepareNetworkStatement(const NetworkTrainingWitness& wit,
                                                  NetworkTamper tamper);

struct BuiltWitness {
  Witness witness;  // its columns are views into `packed`
  PackedValues packed;
};

// `phase(name)`, when set, is called at the end of each sub-phase (profiling lines).
Result<BuiltWitness> BuildNetworkWitness(const NetworkTrainingWitness& wit, const Shape& s,
                                         NetworkTamper tamper,
                                         const std::function<void(const char*)>& phase = {});

// SHA-256 over the real half of every column but the masks (a multiplicity column enters as
// the sum of its two halves, the true count), then of every field tensor of `w`.
Digest RealHalfDigest(const Shape& s, const Witness& w);

}  // namespace zektra::pot::netpot
