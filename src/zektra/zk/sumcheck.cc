#include "zektra/zk/sumcheck.h"

#include <algorithm>
#include <mutex>

#include "zektra/base/thread_pool.h"
#include "zektra/zk/univariate.h"

namespace zektra {
namespace {

constexpr size_t kMaxVariables = 40;
constexpr size_t kBlockPairs = 64;          // pairs processed per inner block
constexpr size_t kMinPairsPerThread = 4096;  // below this, threading does not pay

template <typename E>
E ZeroOf() {
  return E();
}

Fp2 ToFp2(Fp x) { return Fp2(x); }
Fp2 ToFp2(Fp2 x) { return x; }

// Per-term sums at the nodes {0, 2, …, d} over pairs [0, num_pairs), in arithmetic E.
// load(m, first_pair, count, lo, hi) fills f_m[2p] and f_m[2p+1] for count pairs.
template <typename E, typename LoadBlock>
std::vector<E> AccumulateTerms(const SumOfProducts& shape, const std::vector<bool>& used,
                               size_t degree, size_t num_pairs, const LoadBlock& load) {
  const size_t num_terms = shape.terms.size();
  const size_t num_m = shape.num_multilinears;
  std::vector<E> total(num_terms * degree, ZeroOf<E>());
  std::mutex total_mutex;
  ParallelFor(
      0, num_pairs,
      [&](size_t begin, size_t end) {
        // vals[(m·degree + node)·kBlockPairs + i]: f_m at node for pair i of the block.
        std::vector<E> vals(num_m * degree * kBlockPairs);
        std::vector<E> lo(kBlockPairs), hi(kBlockPairs);
        std::vector<E> acc(num_terms * degree, ZeroOf<E>());
        for (size_t first = begin; first < end; first += kBlockPairs) {
          const size_t count = std::min(kBlockPairs, end - first);
          for (size_t m = 0; m < num_m; ++m) {
            if (!used[m]) continue;
            load(m, first, count, lo.data(), hi.data());
            E* v = &vals[m * degree * kBlockPairs];
            for (size_t i = 0; i < count; ++i) {
              const E diff = hi[i] - lo[i];
              v[i] = lo[i];
              E cur = hi[i];
              for (size_t node = 1; node < degree; ++node) {
                cur += diff;  // f at X = node + 1
                v[node * kBlockPairs + i] = cur;
              }
            }
          }
          for (size_t t = 0; t < num_terms; ++t) {
            const auto& factors = shape.terms[t].factors;
            for (size_t node = 0; node < degree; ++node) {
              const E* first_factor = &vals[(factors[0] * degree + node) * kBlockPairs];
              E sum = ZeroOf<E>();
              if (factors.size() == 1) {
                for (size_t i = 0; i < count; ++i) sum += first_factor[i];
              } else if (factors.size() == 2) {
                const E* second = &vals[(factors[1] * degree + node) * kBlockPairs];
                for (size_t i = 0; i < count; ++i) sum += first_factor[i] * second[i];
              } else {
                for (size_t i = 0; i < count; ++i) {
                  E prod = first_factor[i];
                  for (size_t k = 1; k < factors.size(); ++k) {
                    prod *= vals[(factors[k] * degree + node) * kBlockPairs + i];
                  }
                  sum += prod;
                }
              }
              acc[t * degree + node] += sum;
            }
          }
        }
        std::lock_guard<std::mutex> lock(total_mutex);
        for (size_t j = 0; j < total.size(); ++j) total[j] += acc[j];
      },
      kMinPairsPerThread);
  return total;
}

template <typename Src>
std::vector<Fp2> FoldToFp2(std::span<const Src> f, Fp2 r) {
  std::vector<Fp2> out(f.size() / 2);
  ParallelFor(
      0, out.size(),
      [&](size_t begin, size_t end) {
        for (size_t b = begin; b < end; ++b) {
          out[b] = ToFp2(f[2 * b]) + r * (f[2 * b + 1] - f[2 * b]);
        }
      },
      kMinPairsPerThread);
  return out;
}

}  // namespace

SumOfProducts SumOfProducts::Product(size_t num_variables, size_t k) {
  SumOfProducts shape;
  shape.num_variables = num_variables;
  shape.num_multilinears = k;
  ProductTerm term;
  for (size_t i = 0; i < k; ++i) term.factors.push_back(static_cast<uint32_t>(i));
  shape.terms.push_back(std::move(term));
  return shape;
}

size_t SumOfProducts::Degree() const {
  size_t d = 0;
  for (const auto& t : terms) d = std::max(d, t.factors.size());
  return d;
}

Status SumOfProducts::Validate() const {
  if (num_variables > kMaxVariables) {
    return Status::InvalidArgument("sumcheck over " + std::to_string(num_variables) +
                                   " variables exceeds the supported " +
                                   std::to_string(kMaxVariables));
  }
  if (terms.empty()) return Status::InvalidArgument("sumcheck shape has no terms");
  for (size_t t = 0; t < terms.size(); ++t) {
    const auto& f = terms[t].factors;
    if (f.empty() || f.size() > kMaxFactors) {
      return Status::InvalidArgument("sumcheck term " + std::to_string(t) + " has " +
                                     std::to_string(f.size()) + " factors (1..4 allowed)");
    }
    for (uint32_t i : f) {
      if (i >= num_multilinears) {
        return Status::InvalidArgument("sumcheck term " + std::to_string(t) +
                                       " names multilinear " + std::to_string(i) + " of " +
                                       std::to_string(num_multilinears));
      }
    }
  }
  return Status::Ok();
}

Fp2 SumOfProducts::Combine(std::span<const Fp2> values) const {
  ZK_CHECK(values.size() == num_multilinears, "one value per multilinear");
  Fp2 acc = Fp2::Zero();
  for (const auto& t : terms) {
    Fp2 prod = t.coefficient;
    for (uint32_t i : t.factors) prod *= values[i];
    acc += prod;
  }
  return acc;
}

void SumOfProducts::AbsorbInto(Transcript& transcript) const {
  transcript.AbsorbU64("sumcheck.variables", num_variables);
  transcript.AbsorbU64("sumcheck.multilinears", num_multilinears);
  transcript.AbsorbU64("sumcheck.terms", terms.size());
  for (const auto& t : terms) {
    transcript.AbsorbFp2("sumcheck.term.coefficient", t.coefficient);
    std::vector<Fp> factors;
    for (uint32_t i : t.factors) factors.push_back(Fp::From(i));
    transcript.AbsorbFps("sumcheck.term.factors", factors);
  }
}

Fp2 SumOverHypercube(const SumOfProducts& shape, std::span<const MultilinearRef> inputs) {
  ZK_CHECK(shape.Validate().ok(), "invalid sumcheck shape");
  ZK_CHECK(inputs.size() == shape.num_multilinears, "one input per multilinear");
  const size_t size = size_t{1} << shape.num_variables;
  Fp2 total = Fp2::Zero();
  for (size_t b = 0; b < size; ++b) {
    for (const auto& t : shape.terms) {
      Fp2 prod = t.coefficient;
      for (uint32_t i : t.factors) prod *= inputs[i].at(b);
      total += prod;
    }
  }
  return total;
}

SumcheckProver::SumcheckProver(SumOfProducts shape, std::span<const MultilinearRef> inputs)
    : shape_(std::move(shape)), inputs_(inputs.begin(), inputs.end()) {
  ZK_CHECK(shape_.Validate().ok(), "invalid sumcheck shape");
  ZK_CHECK(inputs_.size() == shape_.num_multilinears, "one input per multilinear");
  for (const auto& in : inputs_) {
    ZK_CHECK(in.size() == (size_t{1} << shape_.num_variables), "input length is not 2^n");
  }
  used_.assign(shape_.num_multilinears, false);
  for (const auto& t : shape_.terms) {
    for (uint32_t i : t.factors) used_[i] = true;
  }
}

template <typename E>
std::vector<Fp2> SumcheckProver::RoundMessageIn() const {
  const size_t degree = shape_.Degree();
  const size_t num_pairs = size_t{1} << (shape_.num_variables - round_ - 1);
  std::vector<E> sums;
  if (round_ == 0) {
    sums = AccumulateTerms<E>(
        shape_, used_, degree, num_pairs,
        [&](size_t m, size_t first, size_t count, E* lo, E* hi) {
          const MultilinearRef& in = inputs_[m];
          if constexpr (std::is_same_v<E, Fp>) {
            const Fp* f = in.base().data() + 2 * first;
            for (size_t i = 0; i < count; ++i) {
              lo[i] = f[2 * i];
              hi[i] = f[2 * i + 1];
            }
          } else if (in.is_base()) {
            const Fp* f = in.base().data() + 2 * first;
            for (size_t i = 0; i < count; ++i) {
              lo[i] = Fp2(f[2 * i]);
              hi[i] = Fp2(f[2 * i + 1]);
            }
          } else {
            const Fp2* f = in.extension().data() + 2 * first;
            for (size_t i = 0; i < count; ++i) {
              lo[i] = f[2 * i];
              hi[i] = f[2 * i + 1];
            }
          }
        });
  } else {
    if constexpr (std::is_same_v<E, Fp2>) {
      sums = AccumulateTerms<E>(shape_, used_, degree, num_pairs,
                                [&](size_t m, size_t first, size_t count, E* lo, E* hi) {
                                  const Fp2* f = folded_[m].data() + 2 * first;
                                  for (size_t i = 0; i < count; ++i) {
                                    lo[i] = f[2 * i];
                                    hi[i] = f[2 * i + 1];
                                  }
                                });
    } else {
      ZK_CHECK(false, "rounds after the first run in Fp2");
    }
  }
  std::vector<Fp2> message(degree, Fp2::Zero());
  for (size_t t = 0; t < shape_.terms.size(); ++t) {
    for (size_t node = 0; node < degree; ++node) {
      message[node] += shape_.terms[t].coefficient * ToFp2(sums[t * degree + node]);
    }
  }
  return message;
}

std::vector<Fp2> SumcheckProver::RoundMessage() const {
  ZK_CHECK(round_ < shape_.num_variables, "every variable is already bound");
  bool all_base = round_ == 0;
  if (all_base) {
    for (size_t m = 0; m < inputs_.size(); ++m) all_base = all_base && (!used_[m] || inputs_[m].is_base());
  }
  return all_base ? RoundMessageIn<Fp>() : RoundMessageIn<Fp2>();
}

void SumcheckProver::Bind(Fp2 r) {
  ZK_CHECK(round_ < shape_.num_variables, "every variable is already bound");
  if (round_ == 0) {
    folded_.resize(inputs_.size());
    for (size_t m = 0; m < inputs_.size(); ++m) {
      folded_[m] = inputs_[m].is_base() ? FoldToFp2(inputs_[m].base(), r)
                                        : FoldToFp2(inputs_[m].extension(), r);
    }
  } else {
    for (auto& f : folded_) f = FoldToFp2(std::span<const Fp2>(f), r);
  }
  ++round_;
}

std::vector<Fp2> SumcheckProver::FinalValues() const {
  ZK_CHECK(round_ == shape_.num_variables, "final values before the last round");
  std::vector<Fp2> values(inputs_.size());
  for (size_t m = 0; m < inputs_.size(); ++m) {
    values[m] = round_ == 0 ? inputs_[m].at(0) : folded_[m][0];
  }
  return values;
}

static void AbsorbHeader(const SumOfProducts& shape, Fp2 claimed_sum, Transcript& transcript) {
  transcript.AbsorbBytes("sumcheck.protocol", AsBytes("zektra.sumcheck.v1"));
  shape.AbsorbInto(transcript);
  transcript.AbsorbFp2("sumcheck.claim", claimed_sum);
}

ProvedSumcheck ProveSumcheck(const SumOfProducts& shape, std::span<const MultilinearRef> inputs,
                             Fp2 claimed_sum, Transcript& transcript) {
  SumcheckProver prover(shape, inputs);
  AbsorbHeader(shape, claimed_sum, transcript);
  ProvedSumcheck out;
  for (size_t i = 0; i < shape.num_variables; ++i) {
    std::vector<Fp2> message = prover.RoundMessage();
    transcript.AbsorbFp2s("sumcheck.round", message);
    Fp2 r = transcript.ChallengeFp2("sumcheck.challenge");
    prover.Bind(r);
    out.proof.round_messages.push_back(std::move(message));
    out.claim.point.push_back(r);
  }
  out.proof.final_values = prover.FinalValues();
  transcript.AbsorbFp2s("sumcheck.final", out.proof.final_values);
  out.claim.values = out.proof.final_values;
  return out;
}

Result<RoundsOutcome> VerifySumcheckRounds(size_t num_variables, size_t degree, Fp2 claimed_sum,
                                           std::span<const std::vector<Fp2>> round_messages,
                                           Transcript& transcript) {
  if (round_messages.size() != num_variables) {
    return Status::BadInput("sumcheck proof has " + std::to_string(round_messages.size()) +
                            " round messages, expected " + std::to_string(num_variables));
  }
  if (degree == 0) return Status::InvalidArgument("sumcheck degree 0");
  RoundsOutcome out;
  out.final_claim = claimed_sum;
  std::vector<Fp2> nodes(degree + 1);
  for (size_t i = 0; i < num_variables; ++i) {
    const auto& message = round_messages[i];
    if (message.size() != degree) {
      return Status::BadInput("sumcheck round " + std::to_string(i) + " message has " +
                              std::to_string(message.size()) + " values, expected " +
                              std::to_string(degree));
    }
    transcript.AbsorbFp2s("sumcheck.round", message);
    Fp2 r = transcript.ChallengeFp2("sumcheck.challenge");
    // p(0) + p(1) = claim fixes p(1); a wrong p(0) thus shows up as a wrong polynomial.
    nodes[0] = message[0];
    nodes[1] = out.final_claim - message[0];
    for (size_t node = 2; node <= degree; ++node) nodes[node] = message[node - 1];
    out.final_claim = InterpolateAtIntegerNodes(nodes, r);
    out.point.push_back(r);
  }
  return out;
}

Result<SumcheckClaim> VerifySumcheck(const SumOfProducts& shape, Fp2 claimed_sum,
                                     const SumcheckProof& proof, Transcript& transcript) {
  ZK_RETURN_IF_ERROR(shape.Validate());
  AbsorbHeader(shape, claimed_sum, transcript);
  ZK_ASSIGN_OR_RETURN(RoundsOutcome rounds,
                      VerifySumcheckRounds(shape.num_variables, shape.Degree(), claimed_sum,
                                           proof.round_messages, transcript));
  if (proof.final_values.size() != shape.num_multilinears) {
    return Status::BadInput("sumcheck proof has " + std::to_string(proof.final_values.size()) +
                            " final values, expected " + std::to_string(shape.num_multilinears));
  }
  transcript.AbsorbFp2s("sumcheck.final", proof.final_values);
  if (shape.Combine(proof.final_values) != rounds.final_claim) {
    return Status::Rejected("sumcheck final check failed: the final values do not explain the "
                            "last round polynomial");
  }
  return SumcheckClaim{std::move(rounds.point), proof.final_values};
}

// ---- wire format ----

void WriteFp(ByteWriter& out, Fp value) { out.U64(value.v); }

void WriteFp2(ByteWriter& out, Fp2 value) {
  out.U64(value.c0.v);
  out.U64(value.c1.v);
}

void WriteFp2Vector(ByteWriter& out, std::span<const Fp2> values) {
  out.U64(values.size());
  for (Fp2 v : values) WriteFp2(out, v);
}

Fp ReadFp(ByteReader& in, const char* what) {
  const size_t at = in.offset();
  uint64_t v = in.U64(what);
  if (in.ok() && v >= Fp::kModulus) {
    in.Fail(std::string(what) + " at byte " + std::to_string(at) + " is not a canonical field element");
    return Fp::Zero();
  }
  return Fp::From(v);
}

Fp2 ReadFp2(ByteReader& in, const char* what) {
  Fp c0 = ReadFp(in, what);
  Fp c1 = ReadFp(in, what);
  return Fp2(c0, c1);
}

std::vector<Fp2> ReadFp2Vector(ByteReader& in, const char* what, uint64_t max_count) {
  uint64_t n = in.Count(what, 16, max_count);
  std::vector<Fp2> out;
  if (!in.ok()) return out;
  out.reserve(n);
  for (uint64_t i = 0; i < n && in.ok(); ++i) out.push_back(ReadFp2(in, what));
  return out;
}

void SumcheckProof::Write(ByteWriter& out) const {
  out.U64(round_messages.size());
  for (const auto& m : round_messages) WriteFp2Vector(out, m);
  WriteFp2Vector(out, final_values);
}

size_t SumcheckProof::SerializedBytes() const {
  ByteWriter w;
  Write(w);
  return w.size();
}

Result<SumcheckProof> SumcheckProof::Read(ByteReader& in) {
  SumcheckProof proof;
  uint64_t rounds = in.Count("sumcheck round count", 8, kMaxVariables);
  for (uint64_t i = 0; i < rounds && in.ok(); ++i) {
    proof.round_messages.push_back(
        ReadFp2Vector(in, "sumcheck round message", SumOfProducts::kMaxFactors * 2));
  }
  proof.final_values = ReadFp2Vector(in, "sumcheck final values", 1 << 16);
  if (!in.ok()) return in.status();
  return proof;
}

}  // namespace zektra
