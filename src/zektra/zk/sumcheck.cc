#include "zektra/zk/sumcheck.h"

#include <algorithm>
#include <iterator>
#include <mutex>
#include <optional>

#include "zektra/base/thread_pool.h"
#include "zektra/field/kernels.h"
#include "zektra/field/row_kernels.h"
#include "zektra/zk/univariate.h"

namespace zektra {
namespace {

constexpr size_t kMaxVariables = 40;
constexpr size_t kBlockPairs = 64;          // pairs processed per inner block
constexpr size_t kMinPairsPerThread = 4096;  // below this, threading does not pay

// Where round i reads multilinear m: its base-field entries (round 0, witness columns) or
// its Fp2 entries, of which the first `live` are stored and the rest zero (never read).
struct Source {
  const Fp* base = nullptr;
  const Fp2* extension = nullptr;
  size_t live = 0;
};

size_t HalfUp(size_t entries) {
  return entries / 2 + (entries & 1);
}

// Pairs [0, extent) hold every pair on which some term can be non-zero: a term vanishes on a
// pair where one of its factors has no live entry.
size_t LivePairExtent(const SumOfProducts& shape, std::span<const Source> sources,
                      size_t num_pairs) {
  size_t extent = 0;
  for (const auto& t : shape.terms) {
    size_t term_pairs = num_pairs;
    for (uint32_t f : t.factors) term_pairs = std::min(term_pairs, HalfUp(sources[f].live));
    extent = std::max(extent, term_pairs);
  }
  return extent;
}

// How one round evaluates the terms, shared by all blocks (field/row_kernels.h does the
// arithmetic on rows of kBlockPairs lanes).
//
// Each term's factors are ordered base-field ones first (products of those stay in Fp), then
// by how many terms use them, so that terms with common factors start with the same prefix:
// for the zero-knowledge lookup A·v, C·v·in and λ·E·v·in² become v·A, (v·in)·C and
// ((v·in)·in)·E. The prefixes form a trie whose nodes ("products") are computed once per
// block and node and shared by every term that starts with them; the last factor of each
// term is multiplied straight into its sum. An operand id below num_multilinears names a
// multilinear's node row, id num_multilinears + p names product p.
struct RoundPlan {
  struct Product {
    uint32_t left = 0;   // operand id
    uint32_t right = 0;  // multilinear
    bool base = false;   // both operands in Fp
  };
  enum class Sum : uint8_t { kBase, kPair, kKaratsuba };  // how a term's accumulator reduces
  struct Term {
    int64_t prefix = -1;  // operand id of the product of all factors but the last; −1: none
    uint32_t last = 0;    // the last factor (a multilinear)
    Sum sum = Sum::kBase;
    std::vector<uint32_t> chain;  // the products on this term's prefix (to mark them needed)
  };
  size_t num_multilinears = 0;
  std::vector<bool> base;  // per multilinear: read from Fp this round
  std::vector<Product> products;
  std::vector<Term> terms;

  bool IsBase(uint32_t id) const {
    return id < num_multilinears ? base[id] : products[id - num_multilinears].base;
  }
};

RoundPlan MakeRoundPlan(const SumOfProducts& shape, std::span<const Source> sources) {
  RoundPlan plan;
  const size_t num_m = shape.num_multilinears;
  plan.num_multilinears = num_m;
  plan.base.resize(num_m);
  for (size_t m = 0; m < num_m; ++m) plan.base[m] = sources[m].base != nullptr;
  std::vector<size_t> terms_using(num_m, 0);
  for (const auto& t : shape.terms) {
    std::vector<uint32_t> f = t.factors;
    std::sort(f.begin(), f.end());
    f.erase(std::unique(f.begin(), f.end()), f.end());
    for (uint32_t m : f) ++terms_using[m];
  }
  for (const auto& t : shape.terms) {
    std::vector<uint32_t> f = t.factors;
    std::sort(f.begin(), f.end(), [&](uint32_t a, uint32_t b) {
      if (plan.base[a] != plan.base[b]) return static_cast<bool>(plan.base[a]);
      if (terms_using[a] != terms_using[b]) return terms_using[a] > terms_using[b];
      return a < b;
    });
    RoundPlan::Term term;
    term.last = f.back();
    if (f.size() >= 2) {
      uint32_t id = f[0];
      for (size_t k = 1; k + 1 < f.size(); ++k) {
        uint32_t found = 0;
        bool exists = false;
        for (size_t p = 0; p < plan.products.size(); ++p) {
          if (plan.products[p].left == id && plan.products[p].right == f[k]) {
            found = static_cast<uint32_t>(num_m + p);
            exists = true;
            break;
          }
        }
        if (!exists) {
          plan.products.push_back({id, f[k], plan.IsBase(id) && plan.base[f[k]]});
          found = static_cast<uint32_t>(num_m + plan.products.size() - 1);
        }
        id = found;
        term.chain.push_back(id - static_cast<uint32_t>(num_m));
      }
      term.prefix = id;
    }
    const bool last_base = plan.base[term.last];
    if (term.prefix < 0) {
      term.sum = last_base ? RoundPlan::Sum::kBase : RoundPlan::Sum::kPair;
    } else {
      const bool prefix_base = plan.IsBase(static_cast<uint32_t>(term.prefix));
      term.sum = prefix_base && last_base   ? RoundPlan::Sum::kBase
                 : prefix_base || last_base ? RoundPlan::Sum::kPair
                                            : RoundPlan::Sum::kKaratsuba;
    }
    plan.terms.push_back(std::move(term));
  }
  return plan;
}

// Whether f[0..count) are all zero. Exits at the first non-zero entry, so a dense table costs
// one comparison per block.
inline bool AllZero(const Fp* f, size_t count) {
  for (size_t i = 0; i < count; ++i)
    if (f[i].v != 0) return false;
  return true;
}
inline bool AllZero(const Fp2* f, size_t count) {
  for (size_t i = 0; i < count; ++i)
    if ((f[i].c0.v | f[i].c1.v) != 0) return false;
  return true;
}

// Per-term sums at the nodes {0, 2, …, d} over blocks of pairs, for one thread's share of a
// round: scratch rows and accumulators of its own, reduced and merged at the end.
//
// Blocks on which a factor of a term is zero (both entries of every pair) contribute nothing
// to that term, at any node, and are skipped; a multilinear or product that only such terms
// use is not computed. The lookups' public tables are zero on the blinding halves of their
// segments and the table side is zero beyond the table's block, so this skips about half of
// each lookup sumcheck's rounds before the segment variables are bound.
class TermAccumulator {
 public:
  TermAccumulator(const SumOfProducts& shape, const RoundPlan& plan, const std::vector<bool>& used,
                  size_t degree)
      : shape_(shape),
        plan_(plan),
        used_(used),
        degree_(degree),
        num_m_(shape.num_multilinears),
        node_rows_(num_m_ * degree * 2 * kBlockPairs),
        product_rows_(std::max<size_t>(1, plan.products.size()) * 2 * kBlockPairs),
        acc_(shape.terms.size() * degree),
        zero_block_(num_m_, 0),
        needed_(num_m_),
        product_needed_(plan.products.size()),
        term_live_(shape.terms.size()),
        block_base_(num_m_, nullptr),
        block_extension_(num_m_, nullptr),
        scratch_base_(num_m_ * 2 * kBlockPairs),
        scratch_extension_(num_m_ * 2 * kBlockPairs) {}

  // Adds pairs [first, first + count) of the round's tables.
  void AddPairs(std::span<const Source> sources, size_t first, size_t count) {
    for (size_t at = first, end = first + count; at < end; at += kBlockPairs)
      AddBlock(sources, at, std::min(kBlockPairs, end - at));
  }

  // Σ of each term at each node (t·degree + node).
  std::vector<Fp2> Reduce() const {
    std::vector<Fp2> out(acc_.size());
    for (size_t t = 0; t < plan_.terms.size(); ++t) {
      for (size_t node = 0; node < degree_; ++node) {
        const RowAccumulator& a = acc_[t * degree_ + node];
        Fp2& v = out[t * degree_ + node];
        switch (plan_.terms[t].sum) {
          case RoundPlan::Sum::kBase:
            v = ReduceBase(a);
            break;
          case RoundPlan::Sum::kPair:
            v = ReducePair(a);
            break;
          case RoundPlan::Sum::kKaratsuba:
            v = ReduceKaratsuba(a);
            break;
        }
      }
    }
    return out;
  }

 private:
  // Row c (0 or 1) of operand id at a node. Multilinear m's node j sits at
  // ((m·degree + j)·2 + c)·kBlockPairs (base rows use c = 0 only); product p, which is held for
  // the current node only, at (2p + c)·kBlockPairs.
  uint64_t* Row(uint32_t id, size_t node, size_t c) {
    if (id < num_m_) return &node_rows_[((id * degree_ + node) * 2 + c) * kBlockPairs];
    return &product_rows_[(2 * (id - num_m_) + c) * kBlockPairs];
  }

  // Points block_base_ / block_extension_[m] at the block's 2·count entries of multilinear m:
  // in its table, or, for the one block that straddles the end of its live prefix, in a
  // scratch copy padded with the zeros it stands for. A block past the live prefix is zero
  // without being read.
  void LocateBlock(const Source& source, size_t m, size_t first, size_t count) {
    const size_t begin = 2 * first, end = 2 * (first + count);
    block_base_[m] = nullptr;
    block_extension_[m] = nullptr;
    if (begin >= source.live) {
      zero_block_[m] = 1;
      return;
    }
    const size_t stored = std::min(end, source.live) - begin;
    if (source.base != nullptr) {
      const Fp* at = source.base + begin;
      if (stored < end - begin) {
        Fp* scratch = &scratch_base_[m * 2 * kBlockPairs];
        std::copy(at, at + stored, scratch);
        std::fill(scratch + stored, scratch + (end - begin), Fp::Zero());
        at = scratch;
      }
      block_base_[m] = at;
      zero_block_[m] = AllZero(at, end - begin);
    } else {
      const Fp2* at = source.extension + begin;
      if (stored < end - begin) {
        Fp2* scratch = &scratch_extension_[m * 2 * kBlockPairs];
        std::copy(at, at + stored, scratch);
        std::fill(scratch + stored, scratch + (end - begin), Fp2::Zero());
        at = scratch;
      }
      block_extension_[m] = at;
      zero_block_[m] = AllZero(at, end - begin);
    }
  }

  void AddBlock(std::span<const Source> sources, size_t first, size_t count) {
    const size_t num_terms = shape_.terms.size(), num_products = plan_.products.size();
    for (size_t m = 0; m < num_m_; ++m) {
      if (!used_[m]) continue;
      LocateBlock(sources[m], m, first, count);
    }
    std::fill(needed_.begin(), needed_.end(), 0);
    std::fill(product_needed_.begin(), product_needed_.end(), 0);
    bool any_live = false;
    for (size_t t = 0; t < num_terms; ++t) {
      bool live = true;
      for (uint32_t f : shape_.terms[t].factors) live = live && !zero_block_[f];
      term_live_[t] = live;
      if (!live) continue;
      any_live = true;
      for (uint32_t f : shape_.terms[t].factors) needed_[f] = 1;
      for (uint32_t p : plan_.terms[t].chain) product_needed_[p] = 1;
    }
    if (!any_live) return;
    for (size_t m = 0; m < num_m_; ++m) {
      if (!needed_[m]) continue;
      uint64_t* rows = &node_rows_[m * degree_ * 2 * kBlockPairs];
      if (block_base_[m] != nullptr) {
        // Base rows use the even row slots: stride 2·kBlockPairs between nodes.
        NodeRows(block_base_[m], count, degree_, rows, 2 * kBlockPairs);
      } else {
        NodeRows(block_extension_[m], count, degree_, rows, kBlockPairs);
      }
    }
    const size_t lanes = RoundUpToRowLanes(count);
    for (size_t node = 0; node < degree_; ++node) {
      for (size_t p = 0; p < num_products; ++p) {
        if (!product_needed_[p]) continue;
        const RoundPlan::Product& prod = plan_.products[p];
        const uint32_t id = static_cast<uint32_t>(num_m_ + p), l = prod.left, r = prod.right;
        const bool left_base = plan_.IsBase(l), right_base = plan_.base[r];
        if (left_base && right_base) {
          MulRows(Row(l, node, 0), Row(r, node, 0), Row(id, node, 0), lanes);
        } else if (right_base) {
          MulRows(Row(l, node, 0), Row(l, node, 1), Row(r, node, 0), Row(id, node, 0),
                  Row(id, node, 1), lanes);
        } else if (left_base) {
          MulRows(Row(r, node, 0), Row(r, node, 1), Row(l, node, 0), Row(id, node, 0),
                  Row(id, node, 1), lanes);
        } else {
          MulRows(Row(l, node, 0), Row(l, node, 1), Row(r, node, 0), Row(r, node, 1),
                  Row(id, node, 0), Row(id, node, 1), lanes);
        }
      }
      for (size_t t = 0; t < num_terms; ++t) {
        if (!term_live_[t]) continue;
        const RoundPlan::Term& term = plan_.terms[t];
        RowAccumulator& sum = acc_[t * degree_ + node];
        const uint32_t last = term.last;
        const bool last_base = plan_.base[last];
        if (term.prefix < 0) {
          if (last_base) {
            AccumulateRow(Row(last, node, 0), lanes, sum);
          } else {
            AccumulateRow(Row(last, node, 0), Row(last, node, 1), lanes, sum);
          }
          continue;
        }
        const uint32_t prefix = static_cast<uint32_t>(term.prefix);
        const bool prefix_base = plan_.IsBase(prefix);
        if (prefix_base && last_base) {
          AccumulateRowProduct(Row(prefix, node, 0), Row(last, node, 0), lanes, sum);
        } else if (prefix_base) {
          AccumulateRowProduct(Row(last, node, 0), Row(last, node, 1), Row(prefix, node, 0), lanes,
                               sum);
        } else if (last_base) {
          AccumulateRowProduct(Row(prefix, node, 0), Row(prefix, node, 1), Row(last, node, 0),
                               lanes, sum);
        } else {
          AccumulateRowProduct(Row(prefix, node, 0), Row(prefix, node, 1), Row(last, node, 0),
                               Row(last, node, 1), lanes, sum);
        }
      }
    }
  }

  const SumOfProducts& shape_;
  const RoundPlan& plan_;
  const std::vector<bool>& used_;
  const size_t degree_, num_m_;
  UninitVector<uint64_t> node_rows_, product_rows_;  // written before they are read
  std::vector<RowAccumulator> acc_;
  std::vector<uint8_t> zero_block_, needed_, product_needed_, term_live_;
  std::vector<const Fp*> block_base_;  // this block's entries of each multilinear (LocateBlock)
  std::vector<const Fp2*> block_extension_;
  UninitVector<Fp> scratch_base_;  // 2·kBlockPairs per multilinear: a straddling block's copy
  UninitVector<Fp2> scratch_extension_;
};

// The per-term sums of a round, merged from every thread's TermAccumulator.
class RoundTotals {
 public:
  RoundTotals(size_t num_terms, size_t degree) : total_(num_terms * degree, Fp2::Zero()) {}
  void Merge(const TermAccumulator& part) {
    const std::vector<Fp2> reduced = part.Reduce();
    std::lock_guard<std::mutex> lock(mutex_);
    for (size_t j = 0; j < total_.size(); ++j) total_[j] += reduced[j];
  }
  // p(0), p(2), …, p(d): Σ_t c_t · (term t's sum at each node).
  std::vector<Fp2> Message(const SumOfProducts& shape, size_t degree) const {
    std::vector<Fp2> message(degree, Fp2::Zero());
    for (size_t t = 0; t < shape.terms.size(); ++t) {
      for (size_t node = 0; node < degree; ++node) {
        message[node] += shape.terms[t].coefficient * total_[t * degree + node];
      }
    }
    return message;
  }

 private:
  std::mutex mutex_;
  std::vector<Fp2> total_;
};

// The round message straight from the tables, on the pool.
std::vector<Fp2> ComputeRoundMessage(const SumOfProducts& shape, std::span<const Source> sources,
                                     const std::vector<bool>& used, size_t num_pairs) {
  const size_t degree = shape.Degree();
  const RoundPlan plan = MakeRoundPlan(shape, sources);
  RoundTotals totals(shape.terms.size(), degree);
  ParallelFor(
      0, LivePairExtent(shape, sources, num_pairs),
      [&](size_t begin, size_t end) {
        TermAccumulator part(shape, plan, used, degree);
        part.AddPairs(sources, begin, end - begin);
        totals.Merge(part);
      },
      kMinPairsPerThread);
  return totals.Message(shape, degree);
}

// Binding a variable: every table folded (out[k] = f[2k] + r·(f[2k+1] − f[2k])), and, unless
// it was the last variable, the next round's message computed from the folded entries while
// they are still in cache (one pass over memory per round instead of two).
//
// In-place folds (every table from round 1 on, consumable ones from round 0) need no second
// buffer, so a sumcheck holds one half-size table per multilinear. Why this is race-free on
// the pool: split the h outputs into blocks of kFoldBlock. Block k writes outputs
// [k·B, (k+1)·B) and reads entries [2k·B, 2(k+1)·B), which only block ⌊k/2⌋ reads as well
// (blocks 2k, 2k+1 write there later). Blocks run in waves [2^w, 2^(w+1)): block k's read
// range lies above every write range of its wave, and the only block that read its write
// range, ⌊k/2⌋, finished in the previous wave. Block 0 folds onto its own first half
// (FoldPairs allows that). The next round reads a block's outputs right after they are
// written (from L2: a block of every table together is a few hundred KiB), by the thread
// that wrote them. Blocks of all tables are folded one table at a time, which keeps the
// hardware prefetcher on two streams; interleaving the tables in 128-entry pieces measured
// 10% slower.
constexpr size_t kFoldBlock = 2048;

struct FoldJob {
  const Fp* base = nullptr;  // the table read (one of these two)
  const Fp2* extension = nullptr;
  size_t live = 0;     // entries of the table read; the rest are zero
  Fp2* out = nullptr;  // its ⌈live/2⌉ folded entries; may be the table's own first half
  bool already_folded = false;  // out already holds the folded table: read it, fold nothing
};

// Folds outputs [at, at + count) of a job, clipped to its ⌈live/2⌉ live outputs. Where live is
// odd the last pair is (f[live−1], 0): folded through the same kernel on a two-entry copy.
void FoldJobRange(const FoldJob& job, Fp2 r, size_t at, size_t count) {
  const size_t out_live = HalfUp(job.live);
  if (at >= out_live) return;
  count = std::min(count, out_live - at);
  const bool straddles = 2 * (at + count) > job.live;
  const size_t full = straddles ? count - 1 : count;
  if (full > 0) {
    const std::span<Fp2> out(job.out + at, full);
    if (job.base != nullptr) {
      FoldPairs(std::span<const Fp>(job.base + 2 * at, 2 * full), r, out);
    } else {
      FoldPairs(std::span<const Fp2>(job.extension + 2 * at, 2 * full), r, out);
    }
  }
  if (straddles) {
    const size_t k = at + full;
    Fp2 folded[1];
    if (job.base != nullptr) {
      const Fp pair[2] = {job.base[2 * k], Fp::Zero()};
      FoldPairs(std::span<const Fp>(pair), r, std::span<Fp2>(folded));
    } else {
      const Fp2 pair[2] = {job.extension[2 * k], Fp2::Zero()};
      FoldPairs(std::span<const Fp2>(pair), r, std::span<Fp2>(folded));
    }
    job.out[k] = folded[0];
  }
}

// Folds every job's table (2·half entries) with r; with next_shape, returns the next round's
// message over the folded tables, else an empty vector.
std::vector<Fp2> FoldAndAccumulate(std::span<const FoldJob> jobs, size_t half, Fp2 r,
                                   const SumOfProducts* next_shape, const std::vector<bool>& used) {
  const size_t degree = next_shape != nullptr ? next_shape->Degree() : 0;
  std::vector<Source> next_sources(jobs.size());
  size_t extent = 0;  // outputs [0, extent) hold every job's live outputs
  for (size_t m = 0; m < jobs.size(); ++m) {
    next_sources[m].extension = jobs[m].out;
    next_sources[m].live = HalfUp(jobs[m].live);
    extent = std::max(extent, next_sources[m].live);
  }
  // Whole pairs for the next round: half is even whenever there is one.
  extent = std::min(half, extent + (extent & 1));
  RoundPlan plan;
  if (next_shape != nullptr) plan = MakeRoundPlan(*next_shape, next_sources);
  RoundTotals totals(next_shape != nullptr ? next_shape->terms.size() : 0, degree);
  auto run_blocks = [&](size_t first_block, size_t end_block) {
    std::optional<TermAccumulator> part;
    if (next_shape != nullptr) part.emplace(*next_shape, plan, used, degree);
    for (size_t k = first_block; k < end_block; ++k) {
      const size_t at = k * kFoldBlock, count = std::min(extent, (k + 1) * kFoldBlock) - at;
      for (const FoldJob& job : jobs) {
        if (!job.already_folded) FoldJobRange(job, r, at, count);
      }
      // extent is even whenever there is a next round, so count is.
      if (part) part->AddPairs(next_sources, at / 2, count / 2);
    }
    if (part) totals.Merge(*part);
  };
  const size_t blocks = (extent + kFoldBlock - 1) / kFoldBlock;
  if (blocks > 0) run_blocks(0, 1);
  for (size_t wave = 1; wave < blocks; wave *= 2) {
    ParallelFor(wave, std::min(2 * wave, blocks), run_blocks, 1);
  }
  if (next_shape == nullptr) return {};
  return totals.Message(*next_shape, degree);
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

std::vector<Fp2> SumcheckProver::RoundMessage() const {
  ZK_CHECK(round_ < shape_.num_variables, "every variable is already bound");
  if (next_message_round_ == round_) return next_message_;  // computed by Bind's fused pass
  const size_t num_pairs = size_t{1} << (shape_.num_variables - round_ - 1);
  std::vector<Source> sources(inputs_.size());
  for (size_t m = 0; m < inputs_.size(); ++m) {
    if (round_ > 0) {
      sources[m].extension = current_[m].data();
      sources[m].live = current_[m].size();
    } else if (inputs_[m].is_base()) {
      sources[m].base = inputs_[m].base().data();
      sources[m].live = inputs_[m].live();
    } else {
      sources[m].extension = inputs_[m].extension().data();
      sources[m].live = inputs_[m].live();
    }
  }
  return ComputeRoundMessage(shape_, sources, used_, num_pairs);
}

void SumcheckProver::Bind(Fp2 r) {
  ZK_CHECK(round_ < shape_.num_variables, "every variable is already bound");
  const size_t half = size_t{1} << (shape_.num_variables - round_ - 1);
  std::vector<FoldJob> jobs(inputs_.size());
  if (round_ == 0) {
    // Consumable tables fold in place. The part each one leaves free (the upper ⌊S/2⌋ of its
    // S stored entries: 2^(n−1) Fp2 for a dense table, exactly one folded table) takes the
    // fold of one input that is not consumable and fits there (⌈live/2⌉ entries); only the
    // inputs left over get a new table of their live fold, the sumcheck's only allocation. A
    // batching sumcheck (one consumable eq combination, one borrowed witness of no longer a
    // live prefix) thus allocates nothing, which matters where first-touched memory is slow
    // (docs/BENCHMARKS.md, "Memory is time").
    // A free part can only be written once its own table is folded, so in that case the
    // consumable tables fold first, in a pass of their own, and the fused pass below folds the
    // rest and reads the consumables as they are.
    folded_.resize(inputs_.size());
    current_.resize(inputs_.size());
    size_t consumable = 0, other = 0;
    for (const MultilinearRef& in : inputs_) (in.consumable() ? consumable : other) += 1;
    const bool reuse_halves = consumable > 0 && other > 0;
    std::vector<std::span<Fp2>> free_parts;
    if (reuse_halves) {
      std::vector<FoldJob> first;
      for (const MultilinearRef& in : inputs_) {
        if (!in.consumable()) continue;
        const std::span<Fp2> table = in.consumable_extension();
        first.push_back(FoldJob{nullptr, table.data(), table.size(), table.data()});
        free_parts.push_back(table.subspan(HalfUp(table.size())));
      }
      FoldAndAccumulate(first, half, r, nullptr, used_);
    }
    for (size_t m = 0; m < inputs_.size(); ++m) {
      FoldJob& job = jobs[m];
      job.live = inputs_[m].live();
      if (inputs_[m].consumable()) {
        job.extension = inputs_[m].consumable_extension().data();
        job.out = inputs_[m].consumable_extension().data();
        job.already_folded = reuse_halves;
        continue;
      }
      const size_t need = HalfUp(job.live);
      auto fits = std::find_if(free_parts.rbegin(), free_parts.rend(),
                               [&](std::span<Fp2> part) { return part.size() >= need; });
      if (need == 0) {
        job.out = nullptr;  // nothing live to fold
      } else if (fits != free_parts.rend()) {
        job.out = fits->data();
        free_parts.erase(std::next(fits).base());
      } else {
        folded_[m].resize(need);  // no zero fill: the fold writes every entry
        job.out = folded_[m].data();
      }
      if (inputs_[m].is_base()) {
        job.base = inputs_[m].base().data();
      } else {
        job.extension = inputs_[m].extension().data();
      }
    }
  } else {
    for (size_t m = 0; m < inputs_.size(); ++m) {
      jobs[m].extension = current_[m].data();
      jobs[m].live = current_[m].size();
      jobs[m].out = current_[m].data();
    }
  }
  const bool more_rounds = round_ + 1 < shape_.num_variables;
  next_message_ = FoldAndAccumulate(jobs, half, r, more_rounds ? &shape_ : nullptr, used_);
  for (size_t m = 0; m < inputs_.size(); ++m) {
    current_[m] = std::span<Fp2>(jobs[m].out, HalfUp(jobs[m].live));
  }
  ++round_;
  next_message_round_ = more_rounds ? round_ : kNoMessage;
}

std::vector<Fp2> SumcheckProver::FinalValues() const {
  ZK_CHECK(round_ == shape_.num_variables, "final values before the last round");
  std::vector<Fp2> values(inputs_.size());
  for (size_t m = 0; m < inputs_.size(); ++m) {
    if (round_ == 0) {
      values[m] = inputs_[m].at(0);
    } else {
      values[m] = current_[m].empty() ? Fp2::Zero() : current_[m][0];  // no live entry: zero
    }
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
