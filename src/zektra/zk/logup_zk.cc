#include "zektra/zk/logup_zk.h"

#include <algorithm>
#include <array>
#include <bit>
#include <numeric>

#include "zektra/base/thread_pool.h"
#include "zektra/crypto/random.h"
#include "zektra/field/kernels.h"
#include "zektra/zk/multilinear.h"

namespace zektra {
namespace {

size_t CeilLog2(uint64_t n) { return n <= 1 ? 0 : std::bit_width(n - 1); }

// Π_{k ∈ [from, to)} (1 − p_k): the multilinear extension of "coordinates from..to−1 are 0".
Fp2 ZeroPrefixFactor(std::span<const Fp2> p, size_t from, size_t to) {
  Fp2 acc = Fp2::One();
  for (size_t k = from; k < to; ++k) acc *= Fp2::One() - p[k];
  return acc;
}

// eq(p_from.., bits of value).
Fp2 EqBits(std::span<const Fp2> p, size_t from, uint64_t value) {
  Fp2 acc = Fp2::One();
  for (size_t k = from; k < p.size(); ++k)
    acc *= ((value >> (k - from)) & 1) ? p[k] : Fp2::One() - p[k];
  return acc;
}

// n uniformly random field elements: ChaCha20 streams keyed by 256 fresh bits from the OS
// generator (crypto/random.h DeterministicFps). Drawing all n words from the OS generator
// (RandomFpVector) costs a system call per 256 bytes: 7× slower at 2^20 elements. Chunks of
// 2^16 elements use distinct streams of the same key (independent keystreams), so the pool
// fills them in parallel (one stream was a serial 2^26-element pass in the network prover).
void FillFreshRandomFps(std::span<Fp> out) {
  constexpr size_t kChunk = size_t{1} << 16;
  const size_t n = out.size();
  std::array<uint8_t, 32> seed;
  RandomBytes(seed.data(), seed.size());
  ParallelFor(
      0, (n + kChunk - 1) / kChunk,
      [&](size_t b, size_t e) {
        for (size_t chunk = b; chunk < e; ++chunk) {
          const size_t first = chunk * kChunk;
          // Stream chunk·2^32: DeterministicFps redraws a rare word ≥ p from sub-stream
          // stream ^ (2^63 | retry), and this spacing keeps those distinct across chunks.
          DeterministicFps(seed, uint64_t{chunk} << 32,
                           out.subspan(first, std::min(kChunk, n - first)));
        }
      },
      1);
  SecureWipe(seed.data(), seed.size());
}

std::vector<Fp> FreshRandomFps(size_t n) {
  std::vector<Fp> out(n);
  FillFreshRandomFps(out);
  return out;
}

// 1/(α − T_in(y) − β·T_out(y)) over the padded table.
std::vector<Fp2> TableInverse(const LookupTable& table, Fp2 alpha, Fp2 beta) {
  const size_t rows = size_t{1} << table.log_size();
  std::vector<Fp2> inv(rows);
  for (size_t y = 0; y < rows; ++y) {
    Fp2 e = Fp2(table.input(y));
    if (table.has_outputs()) e += beta * Fp2(table.output(y));
    inv[y] = alpha - e;
  }
  BatchInverse(inv);
  return inv;
}

}  // namespace

ZkLookupLayout ZkLookupLayout::Pack(std::span<const size_t> log_sizes, bool has_outputs,
                                    size_t log_table) {
  ZkLookupLayout l;
  l.has_outputs = has_outputs;
  l.log_table = log_table;
  l.segments.resize(log_sizes.size());
  std::vector<size_t> order(log_sizes.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return log_sizes[a] > log_sizes[b]; });
  uint64_t at = 0;
  for (size_t g : order) {
    ZK_CHECK(log_sizes[g] >= 1, "zk lookup: a segment needs a live half");
    l.segments[g] = {log_sizes[g], at};
    at += uint64_t{1} << log_sizes[g];
  }
  l.log_entries = CeilLog2(at);
  return l;
}

size_t ZkLookupLayout::log_domain() const { return std::max(log_entries, log_table + 1); }

Fp2 ZkLookupLayout::SegmentWeight(size_t g, std::span<const Fp2> point) const {
  const Segment& s = segments[g];
  return EqBits(point.first(log_entries), s.log_size, s.offset >> s.log_size);
}

std::vector<Fp> ZkLookupSelector(const ZkLookupLayout& l) {
  std::vector<Fp> s(size_t{1} << l.log_entries, Fp::Zero());
  for (const auto& seg : l.segments) {
    std::fill_n(s.begin() + static_cast<std::ptrdiff_t>(seg.offset), size_t{1} << (seg.log_size - 1),
                Fp::One());
  }
  return s;
}

void ZkLookupHelperInto(const ZkLookupLayout& l, std::span<const Fp> inputs,
                        std::span<const Fp> outputs, Fp2 alpha, Fp2 beta, std::span<Fp> v) {
  const size_t n = size_t{1} << l.log_entries;
  ZK_CHECK(inputs.size() == n && (!l.has_outputs || outputs.size() == n) && v.size() == n,
           "zk lookup: column length");
  // Blinding where not live (the relations never see it): fresh randomness, drawn only for
  // the ranges that are not live — each segment's upper half and the gaps between segments.
  std::vector<std::pair<size_t, size_t>> live_ranges;
  for (const auto& seg : l.segments)
    live_ranges.emplace_back(seg.offset, seg.offset + (size_t{1} << (seg.log_size - 1)));
  std::sort(live_ranges.begin(), live_ranges.end());
  size_t at = 0;
  auto blind = [&](size_t b, size_t e) {
    if (e > b) FillFreshRandomFps(v.subspan(b, e - b));
  };
  for (const auto& [b, e] : live_ranges) {
    blind(at, b);
    at = std::max(at, e);
  }
  blind(at, n);
  // Each segment's live entries are one contiguous range (its lower half). They are inverted
  // in chunks, each chunk with its own batch inversion (Montgomery's trick: one inversion and
  // three multiplications per entry), the chunks in parallel. A zero norm (an entry equal to
  // α) stays 0 and fails the zero-check.
  constexpr size_t kChunk = 4096;
  for (const auto& seg : l.segments) {
    const size_t first = seg.offset, live = size_t{1} << (seg.log_size - 1);
    ParallelFor(
        0, (live + kChunk - 1) / kChunk,
        [&](size_t chunk_begin, size_t chunk_end) {
          std::vector<Fp> prefix(kChunk);
          for (size_t chunk = chunk_begin; chunk < chunk_end; ++chunk) {
            const size_t b = first + chunk * kChunk, e = std::min(first + live, b + kChunk);
            Fp acc = Fp::One();
            for (size_t x = b; x < e; ++x) {
              Fp2 entry = Fp2(inputs[x]);
              if (l.has_outputs) entry += beta * outputs[x];
              const Fp norm = (alpha - entry).Norm();
              v[x] = norm;
              prefix[x - b] = acc;
              if (norm != Fp::Zero()) acc *= norm;
            }
            Fp inv = acc.Inverse();
            for (size_t x = e; x-- > b;) {
              const Fp norm = v[x];
              if (norm == Fp::Zero()) continue;
              v[x] = inv * prefix[x - b];
              inv *= norm;
            }
          }
          SecureWipe(prefix);
        },
        1);
  }
}

std::vector<Fp> ZkLookupHelper(const ZkLookupLayout& l, std::span<const Fp> inputs,
                               std::span<const Fp> outputs, Fp2 alpha, Fp2 beta) {
  std::vector<Fp> v(size_t{1} << l.log_entries);
  ZkLookupHelperInto(l, inputs, outputs, alpha, beta, v);
  return v;
}

std::vector<Fp> ZkSplitMultiplicities(std::span<const Fp> m) {
  std::vector<Fp> out = FreshRandomFps(2 * m.size());  // the upper half is R
  for (size_t y = 0; y < m.size(); ++y) out[y] = m[y] - out[m.size() + y];
  return out;
}

namespace {
struct Combination {
  Fp2 a_s, a_e, c_s, c_e, b_s, b_e;  // A = a_s·S + a_e·E, and so on
};
Combination Coefficients(Fp2 alpha, Fp2 beta, Fp2 lambda) {
  const Fp2 ac = alpha.Conjugate(), bc = beta.Conjugate();
  return {ac, lambda * alpha * ac, -Fp2::One(), -lambda * (alpha + ac),
          -bc, -lambda * (alpha * bc + ac * beta)};
}
}  // namespace

SumOfProducts ZkLookupShape(const ZkLookupLayout& l, Fp2 alpha, Fp2 beta, Fp2 lambda) {
  // With e = in + β·out the summand is
  //   S·v·(ᾱ − ē) + λ·E·(v·N(α − e) − 1) − Tinv·m'
  //   = A·v + C·v·in + B·v·out + λ·E·v·in² + λ(β + β̄)·E·v·in·out + λββ̄·E·v·out² − λ·E − Tinv·m'
  // with A = a_s·S + a_e·E and likewise B, C (Coefficients): each of A·v, C·v·in, B·v·out
  // splits into an S term and an E term, so the prover needs S and E only. Σ λ·E = λ·S(r) is
  // public and moves to the claimed sum (ZkLookupClaimedSum).
  const Combination co = Coefficients(alpha, beta, lambda);
  const Fp2 bc = beta.Conjugate();
  SumOfProducts s{l.log_domain(), l.has_outputs ? kZkLookupMultilinearsFunction : kZkLookupMultilinears,
                  {}};
  s.terms.push_back({co.a_s, {kZkSelector, kZkHelper}});
  s.terms.push_back({co.a_e, {kZkE, kZkHelper}});
  s.terms.push_back({co.c_s, {kZkSelector, kZkHelper, kZkInputs}});
  s.terms.push_back({co.c_e, {kZkE, kZkHelper, kZkInputs}});
  s.terms.push_back({lambda, {kZkE, kZkHelper, kZkInputs, kZkInputs}});
  if (l.has_outputs) {
    s.terms.push_back({co.b_s, {kZkSelector, kZkHelper, kZkOutputs}});
    s.terms.push_back({co.b_e, {kZkE, kZkHelper, kZkOutputs}});
    s.terms.push_back({lambda * (beta + bc), {kZkE, kZkHelper, kZkInputs, kZkOutputs}});
    s.terms.push_back({lambda * beta * bc, {kZkE, kZkHelper, kZkOutputs, kZkOutputs}});
  }
  s.terms.push_back({-Fp2::One(), {kZkTableInverse, kZkMultiplicities}});
  return s;
}

namespace {
// S and E = eq(r, ·)·S at p (the entries' n variables; no embedding factor).
std::pair<Fp2, Fp2> SelectorValues(const ZkLookupLayout& l, std::span<const Fp2> r,
                                   std::span<const Fp2> p) {
  const size_t n = l.log_entries;
  Fp2 sel = Fp2::Zero(), eqsel = Fp2::Zero();
  for (const auto& seg : l.segments) {
    const size_t s = seg.log_size;
    const uint64_t index = seg.offset >> s;
    Fp2 low = Fp2::One();
    for (size_t k = 0; k + 1 < s; ++k)
      low *= r[k] * p[k] + (Fp2::One() - r[k]) * (Fp2::One() - p[k]);
    const Fp2 live_p = Fp2::One() - p[s - 1], live_r = Fp2::One() - r[s - 1];
    const Fp2 wp = EqBits(p.first(n), s, index), wr = EqBits(r.first(n), s, index);
    sel += wp * live_p;
    eqsel += wp * wr * low * live_p * live_r;
  }
  return {sel, eqsel};
}

}  // namespace

Fp2 ZkLookupClaimedSum(const ZkLookupLayout& l, std::span<const Fp2> r, Fp2 lambda) {
  return lambda * SelectorValues(l, r, r).first;
}

std::vector<MultilinearRef> ZkLookupTables::Refs() const {
  const MultilinearRef v = borrowed_helper.empty() ? MultilinearRef(helper) : borrowed_helper;
  std::vector<MultilinearRef> refs = {MultilinearRef::LivePrefix(selector, domain),
                                      MultilinearRef::LivePrefix(eq_selector, domain),
                                      MultilinearRef::LivePrefix(table_inverse, domain),
                                      multiplicities,
                                      v,
                                      inputs};
  if (!outputs.empty()) refs.push_back(outputs);
  return refs;
}

namespace {

// `values` (a power-of-two length dividing `length`) repeated to `length` entries, by doubling
// copies: no zero fill, and memcpy-speed passes.
std::vector<Fp> Repeated(std::vector<Fp>&& values, size_t length) {
  ZK_CHECK(!values.empty() && length % values.size() == 0, "zk lookup: repetition length");
  std::vector<Fp> out = std::move(values);
  out.reserve(length);
  while (out.size() < length) {
    const size_t copy = std::min(out.size(), length - out.size());
    out.insert(out.end(), out.begin(), out.begin() + static_cast<std::ptrdiff_t>(copy));
  }
  return out;
}

// The public tables (S, E, Tinv) and the repeated m'; the entry tables are the caller's.
void FillPublicTables(ZkLookupTables& t, const ZkLookupLayout& l, const LookupTable& table,
                      std::span<const Fp> split_m, Fp2 alpha, Fp2 beta, Fp2 lambda,
                      std::span<const Fp2> r) {
  const size_t L = size_t{1} << l.log_domain();
  const size_t k = size_t{1} << l.log_table;
  ZK_CHECK(table.log_size() == l.log_table && split_m.size() == 2 * k && r.size() == l.log_entries,
           "zk lookup: table shapes");
  (void)lambda;  // the λ-weighted factors are the terms' coefficients (ZkLookupShape)
  // Zero outside the live entries, and stored only up to the last of them.
  t.domain = L;
  size_t live_end = 0;
  for (const auto& seg : l.segments)
    live_end = std::max<size_t>(live_end, seg.offset + (size_t{1} << (seg.log_size - 1)));
  t.selector.resize(live_end);
  t.eq_selector.resize(live_end);
  // eq(r, x) = eq_high(x's high bits)·eq_low(x's low bits): on each row of 2^low_bits entries
  // E = eq_high[h]·eq_low, one vectorised axpy (field/kernels.h) instead of a scalar Fp2
  // product per entry. Only the live entries (the segments' lower halves) are touched, rows
  // in parallel.
  const size_t low_bits = l.log_entries / 2, row = size_t{1} << low_bits;
  const std::vector<Fp2> eq_low = EqTable(r.first(low_bits)),
                         eq_high = EqTable(r.subspan(low_bits));
  for (const auto& seg : l.segments) {
    const size_t first = seg.offset, end = first + (size_t{1} << (seg.log_size - 1));
    ParallelFor(
        first >> low_bits, ((end - 1) >> low_bits) + 1,
        [&](size_t h_begin, size_t h_end) {
          for (size_t h = h_begin; h < h_end; ++h) {
            const size_t b = std::max(first, h * row), e = std::min(end, (h + 1) * row);
            const std::span<const Fp2> low =
                std::span<const Fp2>(eq_low).subspan(b - h * row, e - b);
            std::fill(t.selector.begin() + b, t.selector.begin() + e, Fp::One());
            std::span<Fp2> out = std::span<Fp2>(t.eq_selector).subspan(b, e - b);
            std::fill(out.begin(), out.end(), Fp2::Zero());
            Axpy(eq_high[h], low, out);
          }
        },
        std::max<size_t>(1, size_t{4096} >> low_bits));
  }
  // Tinv is zero beyond its 2k-entry block (stored alone); m' repeats with period 2k.
  std::vector<Fp2> tinv = TableInverse(table, alpha, beta);
  t.table_inverse.resize(2 * k);
  for (size_t y = 0; y < 2 * k; ++y) t.table_inverse[y] = tinv[y & (k - 1)];
  t.multiplicities = Repeated(std::vector<Fp>(split_m.begin(), split_m.end()), L);
}

}  // namespace

std::vector<MultilinearRef> ZkLookupTables::ConsumingRefs() {
  std::vector<MultilinearRef> refs = {MultilinearRef::LivePrefix(selector, domain),
                                      MultilinearRef::Consumable(eq_selector, domain),
                                      MultilinearRef::Consumable(table_inverse, domain),
                                      multiplicities,
                                      borrowed_helper.empty() ? MultilinearRef(helper)
                                                              : MultilinearRef(borrowed_helper),
                                      inputs};
  if (!outputs.empty()) refs.push_back(outputs);
  return refs;
}

ZkLookupTables::~ZkLookupTables() {
  SecureWipe(multiplicities);
  SecureWipe(helper);
  SecureWipe(inputs);
  SecureWipe(outputs);
}

ZkLookupTables ZkLookupProverTables(const ZkLookupLayout& l, const LookupTable& table,
                                    std::span<const Fp> inputs, std::span<const Fp> outputs,
                                    std::span<const Fp> helper, std::span<const Fp> split_m,
                                    Fp2 alpha, Fp2 beta, Fp2 lambda, std::span<const Fp2> r) {
  const size_t n = size_t{1} << l.log_entries;
  ZK_CHECK(helper.size() == n && inputs.size() == n && (!l.has_outputs || outputs.size() == n),
           "zk lookup: table shapes");
  return ZkLookupProverTablesTaking(
      l, table, std::vector<Fp>(inputs.begin(), inputs.end()),
      l.has_outputs ? std::vector<Fp>(outputs.begin(), outputs.end()) : std::vector<Fp>(),
      std::vector<Fp>(helper.begin(), helper.end()), split_m, alpha, beta, lambda, r);
}

ZkLookupTables ZkLookupProverTablesTaking(const ZkLookupLayout& l, const LookupTable& table,
                                          std::vector<Fp>&& inputs, std::vector<Fp>&& outputs,
                                          std::vector<Fp>&& helper, std::span<const Fp> split_m,
                                          Fp2 alpha, Fp2 beta, Fp2 lambda, std::span<const Fp2> r) {
  const size_t L = size_t{1} << l.log_domain(), n = size_t{1} << l.log_entries;
  ZK_CHECK(helper.size() == n && inputs.size() == n && (!l.has_outputs || outputs.size() == n),
           "zk lookup: table shapes");
  ZkLookupTables t;
  FillPublicTables(t, l, table, split_m, alpha, beta, lambda, r);
  // The entries side is repeated over the domain (a no-op when n = L).
  t.helper = Repeated(std::move(helper), L);
  t.inputs = Repeated(std::move(inputs), L);
  if (l.has_outputs) t.outputs = Repeated(std::move(outputs), L);
  return t;
}

ZkLookupTables ZkLookupProverTablesBorrowingHelper(const ZkLookupLayout& l, const LookupTable& table,
                                                   std::vector<Fp>&& inputs,
                                                   std::vector<Fp>&& outputs,
                                                   std::span<const Fp> helper,
                                                   std::span<const Fp> split_m, Fp2 alpha,
                                                   Fp2 beta, Fp2 lambda, std::span<const Fp2> r) {
  if (l.log_entries < l.log_domain()) {  // v must be repeated over the domain: a copy
    return ZkLookupProverTablesTaking(l, table, std::move(inputs), std::move(outputs),
                                      std::vector<Fp>(helper.begin(), helper.end()), split_m,
                                      alpha, beta, lambda, r);
  }
  const size_t n = size_t{1} << l.log_entries;
  ZK_CHECK(helper.size() == n && inputs.size() == n && (!l.has_outputs || outputs.size() == n),
           "zk lookup: table shapes");
  ZkLookupTables t;
  FillPublicTables(t, l, table, split_m, alpha, beta, lambda, r);
  t.inputs = std::move(inputs);
  if (l.has_outputs) t.outputs = std::move(outputs);
  t.borrowed_helper = helper;
  return t;
}

ZkLookupPublic ZkLookupPublicValues(const ZkLookupLayout& l, const LookupTable& table, Fp2 alpha,
                                    Fp2 beta, Fp2 lambda, std::span<const Fp2> r,
                                    std::span<const Fp2> p) {
  const size_t n = l.log_entries, L = l.log_domain();
  const auto [sel, eqsel] = SelectorValues(l, r, p);
  const Fp2 entries_block = ZeroPrefixFactor(p, n, L);
  (void)lambda;  // the λ-weighted factors are the terms' coefficients (ZkLookupShape)
  ZkLookupPublic out;
  out.selector = entries_block * sel;
  out.eq_selector = entries_block * eqsel;
  std::vector<Fp2> tinv = TableInverse(table, alpha, beta);
  out.table_inverse = ZeroPrefixFactor(p, l.log_table + 1, L) *
                      EvaluateMultilinear(tinv, p.first(l.log_table));
  return out;
}

Status ZkLookupCheckPublic(const ZkLookupLayout& l, const LookupTable& table, Fp2 alpha, Fp2 beta,
                           Fp2 lambda, std::span<const Fp2> r, std::span<const Fp2> point,
                           std::span<const Fp2> values) {
  if (values.size() != (l.has_outputs ? kZkLookupMultilinearsFunction : kZkLookupMultilinears) ||
      point.size() != l.log_domain() || r.size() != l.log_entries) {
    return Status::Rejected("zk lookup: wrong number of final values");
  }
  ZkLookupPublic pub = ZkLookupPublicValues(l, table, alpha, beta, lambda, r, point);
  if (values[kZkSelector] != pub.selector) return Status::Rejected("zk lookup: selector value");
  if (values[kZkE] != pub.eq_selector) return Status::Rejected("zk lookup: zero-check selector value");
  if (values[kZkTableInverse] != pub.table_inverse) return Status::Rejected("zk lookup: table value");
  return Status::Ok();
}

}  // namespace zektra
