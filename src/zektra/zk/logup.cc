#include "zektra/zk/logup.h"

#include <algorithm>
#include <array>
#include <bit>
#include <mutex>
#include <unordered_map>

#include "zektra/base/thread_pool.h"
#include "zektra/field/kernels.h"
#include "zektra/field/lazy_sum.h"
#include "zektra/zk/multilinear.h"
#include "zektra/zk/univariate.h"

namespace zektra {
namespace {

constexpr size_t kMaxLogLeaves = 40;
constexpr size_t kMaxTableLog = 24;

bool IsPowerOfTwo(size_t x) { return x != 0 && (x & (x - 1)) == 0; }
size_t Log2(size_t x) { return static_cast<size_t>(std::countr_zero(x)); }

// The layer-reduction shape: multilinears eq, p(0,·), p(1,·), q(0,·), q(1,·).
SumOfProducts LayerShape(size_t k, Fp2 lambda) {
  SumOfProducts shape;
  shape.num_variables = k;
  shape.num_multilinears = 5;
  shape.terms = {{Fp2::One(), {0, 1, 4}}, {Fp2::One(), {0, 2, 3}}, {lambda, {0, 3, 4}}};
  return shape;
}

void AbsorbFractionHeader(size_t log_leaves, Transcript& t) {
  t.AbsorbBytes("fracsum.protocol", AsBytes("zektra.fracsum.v1"));
  t.AbsorbU64("fracsum.log_leaves", log_leaves);
}

Fp2 Line(Fp2 at0, Fp2 at1, Fp2 mu) { return at0 + mu * (at1 - at0); }

constexpr size_t kMinLayerPairsPerThread = 4096;

// The layer-k sumcheck of ProveFractionSum, specialised. It sends exactly what
// ProveSumcheck(LayerShape(k, λ), {eq(point, ·), pe, po, qe, qo}, claim) sends (same header,
// the round polynomial at X = 0, 2, 3, the same challenges, the five final values): it
// computes the same polynomial, more cheaply.
//  - In round j the folded eq table is scale·eq(r_j, X)·eq(r_{>j}, b) with scale =
//    Π_{i<j} eq(r_i, c_i), so s_j(X) = scale·eq(r_j, X)·h(X) with
//    h(X) = Σ_b eq(r_{>j}, b)·(pe·qo + po·qe + λ·qe·qo)(X, b) of degree 2 (Gruen). One
//    fused pass computes h(0) and h(2); h(1) follows from s_j(0) + s_j(1) = claim, and
//    h(3) = h(0) − 3h(1) + 3h(2). (If r_j or scale is 0, h(1) is summed as well.)
//  - eq(r_{>j}, b) is never tabulated: it is low(b's low bits)·high(b's high bits) with two
//    tables of about 2^((k−j)/2) entries, and h sums Σ_high high·(Σ_low low·G), the inner
//    sums accumulated without reduction (field/lazy_sum.h), so a pair costs one
//    multiplication by the eq weight instead of building and reading a 2^(k−j−1) table.
//  - p and q stay interleaved as the layer stores them (entry 2x is the even child, 2x+1 the
//    odd one), and every round folds them in that layout into reused buffers.
ProvedSumcheck ProveLayerSumcheck(size_t k, Fp2 lambda, std::span<const Fp2> point,
                                  const std::vector<Fp2>& children_p,
                                  const std::vector<Fp2>& children_q, Fp2 claim,
                                  Transcript& transcript) {
  const SumOfProducts shape = LayerShape(k, lambda);
  transcript.AbsorbBytes("sumcheck.protocol", AsBytes("zektra.sumcheck.v1"));
  shape.AbsorbInto(transcript);
  transcript.AbsorbFp2("sumcheck.claim", claim);
  // Interleaved children of the remaining variables: p_at[2x] = pe(x), p_at[2x + 1] = po(x).
  const Fp2* p_at = children_p.data();
  const Fp2* q_at = children_q.data();
  std::vector<Fp2> p_fold[2], q_fold[2];  // ping-pong buffers for the folds
  const Fp2 one = Fp2::One(), two = one + one, three = two + one;
  Fp2 scale = one, current = claim;
  ProvedSumcheck out;
  for (size_t round = 0; round < k; ++round) {
    const size_t pairs = size_t{1} << (k - round - 1);
    const Fp2 r = point[round];
    const bool derive_one = r != Fp2::Zero() && scale != Fp2::Zero();
    const std::span<const Fp2> rest = point.subspan(round + 1);
    const size_t low_bits = rest.size() / 2;
    const std::vector<Fp2> eq_low = EqTable(rest.first(low_bits));
    const std::vector<Fp2> eq_high = EqTable(rest.subspan(low_bits));
    const size_t low_size = eq_low.size();
    std::array<Fp2, 3> h = {Fp2::Zero(), Fp2::Zero(), Fp2::Zero()};  // h(0), h(1), h(2)
    std::mutex h_mutex;
    ParallelFor(
        0, eq_high.size(),
        [&](size_t begin, size_t end) {
          std::array<Fp2, 3> acc = {Fp2::Zero(), Fp2::Zero(), Fp2::Zero()};
          for (size_t hi = begin; hi < end; ++hi) {
            std::array<LazySumFp2, 3> inner;
            for (size_t lo = 0; lo < low_size; ++lo) {
              const size_t i = hi * low_size + lo;
              const Fp2 pe0 = p_at[4 * i], po0 = p_at[4 * i + 1];
              const Fp2 pe1 = p_at[4 * i + 2], po1 = p_at[4 * i + 3];
              const Fp2 qe0 = q_at[4 * i], qo0 = q_at[4 * i + 1];
              const Fp2 qe1 = q_at[4 * i + 2], qo1 = q_at[4 * i + 3];
              // G = pe·qo + po·qe + λ·qe·qo = pe·qo + qe·(po + λ·qo), the two products
              // summed before one reduction.
              auto g = [&](Fp2 pe, Fp2 po, Fp2 qe, Fp2 qo) {
                LazySumFp2 sum;
                sum.AddProduct(pe, qo);
                sum.AddProduct(qe, po + lambda * qo);
                return sum.Reduce();
              };
              const Fp2 w = eq_low[lo];
              inner[0].AddProduct(g(pe0, po0, qe0, qo0), w);
              inner[2].AddProduct(
                  g(pe1 + (pe1 - pe0), po1 + (po1 - po0), qe1 + (qe1 - qe0), qo1 + (qo1 - qo0)), w);
              if (!derive_one) inner[1].AddProduct(g(pe1, po1, qe1, qo1), w);
            }
            for (size_t node = 0; node < 3; ++node) acc[node] += eq_high[hi] * inner[node].Reduce();
          }
          std::lock_guard<std::mutex> lock(h_mutex);
          for (size_t node = 0; node < 3; ++node) h[node] += acc[node];
        },
        std::max<size_t>(1, kMinLayerPairsPerThread / low_size));
    const Fp2 eq_at0 = one - r;  // eq(r, X) = (1 − r)(1 − X) + r·X
    if (derive_one) h[1] = (current * scale.Inverse() - eq_at0 * h[0]) * r.Inverse();
    const Fp2 h3 = h[0] - three * h[1] + three * h[2];
    std::vector<Fp2> message = {scale * eq_at0 * h[0], scale * (three * r - one) * h[2],
                                scale * (three * r + two * r - two) * h3};
    transcript.AbsorbFp2s("sumcheck.round", message);
    const Fp2 c = transcript.ChallengeFp2("sumcheck.challenge");
    out.proof.round_messages.push_back(std::move(message));
    out.claim.point.push_back(c);
    const Fp2 eq_at_c = eq_at0 * (one - c) + r * c;
    const std::array<Fp2, 3> h_nodes = h;
    current = scale * eq_at_c * InterpolateAtIntegerNodes(h_nodes, c);
    scale *= eq_at_c;
    // Fold the lowest remaining variable: entry 2i + j (j: even or odd child) of the next
    // round is the line through entries 4i + j and 4i + 2 + j at c.
    std::vector<Fp2>& p_next = p_fold[round % 2];
    std::vector<Fp2>& q_next = q_fold[round % 2];
    p_next.resize(2 * pairs);
    q_next.resize(2 * pairs);
    ParallelFor(
        0, pairs,
        [&](size_t begin, size_t end) {
          const size_t n_in = 4 * (end - begin), n_out = 2 * (end - begin);
          FoldSecondVariable(std::span<const Fp2>(p_at + 4 * begin, n_in), c,
                             std::span<Fp2>(p_next).subspan(2 * begin, n_out));
          FoldSecondVariable(std::span<const Fp2>(q_at + 4 * begin, n_in), c,
                             std::span<Fp2>(q_next).subspan(2 * begin, n_out));
        },
        kMinLayerPairsPerThread);
    p_at = p_next.data();
    q_at = q_next.data();
  }
  out.proof.final_values = {scale, p_at[0], p_at[1], q_at[0], q_at[1]};
  transcript.AbsorbFp2s("sumcheck.final", out.proof.final_values);
  out.claim.values = out.proof.final_values;
  return out;
}

}  // namespace

// ---- layered fractional sums ----

FractionSumProof ProveFractionSum(std::vector<Fp2> p_leaves, std::vector<Fp2> q_leaves,
                                  Transcript& transcript, FractionSumOutcome* outcome) {
  ZK_CHECK(p_leaves.size() == q_leaves.size(), "p and q leaves differ in length");
  ZK_CHECK(IsPowerOfTwo(p_leaves.size()) && p_leaves.size() >= 2, "need 2^n ≥ 2 leaves");
  const size_t n = Log2(p_leaves.size());
  std::vector<std::vector<Fp2>> P(n + 1), Q(n + 1);
  P[n] = std::move(p_leaves);
  Q[n] = std::move(q_leaves);
  for (size_t k = n; k-- > 1;) {
    P[k].resize(size_t{1} << k);
    Q[k].resize(size_t{1} << k);
    const auto &pc = P[k + 1], &qc = Q[k + 1];
    auto &pk = P[k], &qk = Q[k];
    ParallelFor(0, pk.size(), [&](size_t begin, size_t end) {
      for (size_t b = begin; b < end; ++b) {
        LazySumFp2 numerator;  // one reduction for the sum of the two cross products
        numerator.AddProduct(pc[2 * b], qc[2 * b + 1]);
        numerator.AddProduct(pc[2 * b + 1], qc[2 * b]);
        pk[b] = numerator.Reduce();
        qk[b] = qc[2 * b] * qc[2 * b + 1];
      }
    }, 4096);
  }
  FractionSumProof proof;
  proof.first_layer = {P[1][0], P[1][1], Q[1][0], Q[1][1]};
  AbsorbFractionHeader(n, transcript);
  transcript.AbsorbFp2s("fracsum.first_layer", proof.first_layer);
  Fp2 mu = transcript.ChallengeFp2("fracsum.line");
  std::vector<Fp2> point = {mu};
  Fp2 claim_p = Line(P[1][0], P[1][1], mu), claim_q = Line(Q[1][0], Q[1][1], mu);
  for (size_t k = 1; k < n; ++k) {
    Fp2 lambda = transcript.ChallengeFp2("fracsum.batch");
    ProvedSumcheck proved = ProveLayerSumcheck(k, lambda, point, P[k + 1], Q[k + 1],
                                               claim_p + lambda * claim_q, transcript);
    // Layer k+1 is no longer needed; free it early (the leaves are the largest).
    std::vector<Fp2>().swap(P[k + 1]);
    std::vector<Fp2>().swap(Q[k + 1]);
    const auto& v = proved.claim.values;
    mu = transcript.ChallengeFp2("fracsum.line");
    point.assign(1, mu);
    point.insert(point.end(), proved.claim.point.begin(), proved.claim.point.end());
    claim_p = Line(v[1], v[2], mu);
    claim_q = Line(v[3], v[4], mu);
    proof.layers.push_back(std::move(proved.proof));
  }
  if (outcome != nullptr) {
    outcome->root_p = proof.first_layer[0] * proof.first_layer[3] + proof.first_layer[1] * proof.first_layer[2];
    outcome->root_q = proof.first_layer[2] * proof.first_layer[3];
    outcome->leaf_point = point;
    outcome->leaf_p = claim_p;
    outcome->leaf_q = claim_q;
  }
  return proof;
}

Result<FractionSumOutcome> VerifyFractionSum(size_t log_leaves, const FractionSumProof& proof,
                                             Transcript& transcript) {
  if (log_leaves < 1 || log_leaves > kMaxLogLeaves) {
    return Status::InvalidArgument("fractional sum over 2^" + std::to_string(log_leaves) + " leaves");
  }
  if (proof.layers.size() != log_leaves - 1) {
    return Status::BadInput("fractional-sum proof has " + std::to_string(proof.layers.size()) +
                            " layers, expected " + std::to_string(log_leaves - 1));
  }
  const auto& f = proof.first_layer;
  FractionSumOutcome out;
  out.root_p = f[0] * f[3] + f[1] * f[2];
  out.root_q = f[2] * f[3];
  AbsorbFractionHeader(log_leaves, transcript);
  transcript.AbsorbFp2s("fracsum.first_layer", f);
  Fp2 mu = transcript.ChallengeFp2("fracsum.line");
  std::vector<Fp2> point = {mu};
  Fp2 claim_p = Line(f[0], f[1], mu), claim_q = Line(f[2], f[3], mu);
  for (size_t k = 1; k < log_leaves; ++k) {
    Fp2 lambda = transcript.ChallengeFp2("fracsum.batch");
    auto sc = VerifySumcheck(LayerShape(k, lambda), claim_p + lambda * claim_q, proof.layers[k - 1],
                             transcript);
    if (!sc.ok()) return sc.status().WithContext("fractional-sum layer " + std::to_string(k));
    const auto& v = sc->values;
    if (v[0] != EqEval(point, sc->point)) {
      return Status::Rejected("fractional-sum layer " + std::to_string(k) + ": wrong eq value");
    }
    mu = transcript.ChallengeFp2("fracsum.line");
    point.assign(1, mu);
    point.insert(point.end(), sc->point.begin(), sc->point.end());
    claim_p = Line(v[1], v[2], mu);
    claim_q = Line(v[3], v[4], mu);
  }
  out.leaf_point = std::move(point);
  out.leaf_p = claim_p;
  out.leaf_q = claim_q;
  return out;
}

void FractionSumProof::Write(ByteWriter& out) const {
  for (Fp2 v : first_layer) WriteFp2(out, v);
  out.U64(layers.size());
  for (const auto& l : layers) l.Write(out);
}

Result<FractionSumProof> FractionSumProof::Read(ByteReader& in) {
  FractionSumProof proof;
  for (auto& v : proof.first_layer) v = ReadFp2(in, "fractional-sum first layer");
  uint64_t layers = in.Count("fractional-sum layer count", 16, kMaxLogLeaves);
  for (uint64_t k = 0; k < layers && in.ok(); ++k) {
    auto layer = SumcheckProof::Read(in);
    if (!layer.ok()) return layer.status();
    proof.layers.push_back(std::move(*layer));
  }
  if (!in.ok()) return in.status();
  return proof;
}

// ---- tables ----

LookupTable LookupTable::Range(size_t bits) {
  ZK_CHECK(bits >= 1 && bits <= kMaxTableLog, "range table bits out of 1..24");
  LookupTable t;
  t.range_bits_ = bits;
  t.rows_ = size_t{1} << bits;
  t.log_size_ = bits;
  return t;
}

LookupTable LookupTable::Function(std::vector<Fp> inputs, std::vector<Fp> outputs) {
  ZK_CHECK(inputs.size() == outputs.size(), "function table columns differ in length");
  ZK_CHECK(!inputs.empty() && inputs.size() <= (size_t{1} << kMaxTableLog), "function table size");
  LookupTable t;
  t.rows_ = inputs.size();
  t.log_size_ = std::max<size_t>(1, Log2(std::bit_ceil(inputs.size())));
  const size_t padded = size_t{1} << t.log_size_;
  t.inputs_ = std::move(inputs);
  t.outputs_ = std::move(outputs);
  t.inputs_.resize(padded, t.inputs_[0]);
  t.outputs_.resize(padded, t.outputs_[0]);
  return t;
}

Fp LookupTable::input(size_t k) const {
  return range_bits_ != 0 ? Fp::From(k) : inputs_[k];
}

Fp LookupTable::output(size_t k) const { return has_outputs() ? outputs_[k] : Fp::Zero(); }

Fp2 LookupTable::EvaluateInputs(std::span<const Fp2> point) const {
  ZK_CHECK(point.size() == log_size_, "table point dimension");
  if (range_bits_ != 0) {
    // The MLE of k ↦ k is Σ_j 2^j·x_j.
    Fp2 acc = Fp2::Zero();
    for (size_t j = 0; j < point.size(); ++j) acc += point[j] * Fp::From(uint64_t{1} << j);
    return acc;
  }
  return EvaluateMultilinear(inputs_, point);
}

Fp2 LookupTable::EvaluateOutputs(std::span<const Fp2> point) const {
  if (!has_outputs()) return Fp2::Zero();
  return EvaluateMultilinear(outputs_, point);
}

void LookupTable::AbsorbInto(Transcript& transcript) const {
  transcript.AbsorbU64("lookup.table.range_bits", range_bits_);
  transcript.AbsorbU64("lookup.table.rows", rows_);
  if (range_bits_ == 0) {
    transcript.AbsorbFps("lookup.table.inputs", inputs_);
    transcript.AbsorbFps("lookup.table.outputs", outputs_);
  }
}

std::vector<Fp> PadColumn(std::span<const Fp> column, size_t log_length, Fp pad) {
  const size_t length = size_t{1} << log_length;
  ZK_CHECK(column.size() <= length, "column longer than its padded length");
  std::vector<Fp> out(column.begin(), column.end());
  out.resize(length, pad);
  return out;
}

namespace {

// Counts entries per table row; entries not in the table are counted in *missing (and the
// first one's position reported) rather than aborting, so a dishonest prover in the tests
// can still produce a (rejected) proof.
std::vector<uint64_t> CountRows(const LookupTable& table, const LookupColumns& columns,
                                size_t* missing, size_t* first_missing_group,
                                size_t* first_missing_row) {
  std::vector<uint64_t> counts(size_t{1} << table.log_size(), 0);
  *missing = 0;
  std::unordered_map<uint64_t, size_t> single;
  struct PairHash {
    size_t operator()(const std::pair<uint64_t, uint64_t>& k) const {
      return std::hash<uint64_t>()(k.first * 0x9E3779B97F4A7C15ULL ^ k.second);
    }
  };
  std::unordered_map<std::pair<uint64_t, uint64_t>, size_t, PairHash> pairs;
  if (table.has_outputs()) {
    for (size_t k = table.rows(); k-- > 0;) pairs[{table.input(k).v, table.output(k).v}] = k;
  } else if (!table.is_range()) {
    for (size_t k = table.rows(); k-- > 0;) single[table.input(k).v] = k;
  }
  for (size_t g = 0; g < columns.inputs.size(); ++g) {
    for (size_t i = 0; i < columns.inputs[g].size(); ++i) {
      const uint64_t x = columns.inputs[g][i].v;
      size_t row = SIZE_MAX;
      if (table.has_outputs()) {
        auto it = pairs.find({x, columns.outputs[g][i].v});
        if (it != pairs.end()) row = it->second;
      } else if (table.is_range()) {
        if (x < table.rows()) row = static_cast<size_t>(x);  // row k holds the value k
      } else {
        auto it = single.find(x);
        if (it != single.end()) row = it->second;
      }
      if (row == SIZE_MAX) {
        if ((*missing)++ == 0) {
          *first_missing_group = g;
          *first_missing_row = i;
        }
      } else {
        ++counts[row];
      }
    }
  }
  return counts;
}

std::vector<Fp> ToField(const std::vector<uint64_t>& counts) {
  std::vector<Fp> m(counts.size());
  for (size_t k = 0; k < counts.size(); ++k) m[k] = Fp::From(counts[k]);
  return m;
}

Status CheckColumns(const LookupTable& table, size_t num_groups, size_t log_length) {
  if (num_groups == 0) return Status::InvalidArgument("lookup of no columns");
  if (log_length > kMaxLogLeaves || num_groups > (size_t{1} << 20) ||
      log_length + Log2(std::bit_ceil(num_groups)) > kMaxLogLeaves) {
    return Status::InvalidArgument("lookup too large");
  }
  (void)table;
  return Status::Ok();
}

// Group slots: a power of two, and at least two leaves in all.
size_t GroupSlots(size_t num_groups, size_t log_length) {
  size_t slots = std::bit_ceil(num_groups);
  if (log_length == 0 && slots < 2) slots = 2;
  return slots;
}

void AbsorbLookupHeader(const LookupTable& table, size_t num_groups, size_t log_length,
                        Transcript& t) {
  t.AbsorbBytes("lookup.protocol", AsBytes("zektra.logup.v1"));
  table.AbsorbInto(t);
  t.AbsorbU64("lookup.groups", num_groups);
  t.AbsorbU64("lookup.log_length", log_length);
}

}  // namespace

Result<std::vector<Fp>> ComputeMultiplicities(const LookupTable& table, const LookupColumns& columns) {
  size_t missing = 0, group = 0, row = 0;
  auto counts = CountRows(table, columns, &missing, &group, &row);
  if (missing != 0) {
    return Status::OutOfRange("lookup: column " + std::to_string(group) + " row " + std::to_string(row) +
                              " is not in the table (" + std::to_string(missing) + " entries missing)");
  }
  return ToField(counts);
}

LookupProof ProveLookup(const LookupTable& table, const LookupColumns& columns,
                        std::span<const Fp> multiplicities, Transcript& transcript,
                        LookupClaims* claims) {
  const size_t num_groups = columns.inputs.size();
  ZK_CHECK(num_groups >= 1, "lookup of no columns");
  const size_t length = columns.inputs[0].size();
  ZK_CHECK(IsPowerOfTwo(length), "looked-up columns must have power-of-two length (PadColumn)");
  const size_t log_length = Log2(length);
  ZK_CHECK(CheckColumns(table, num_groups, log_length).ok(), "lookup shape");
  ZK_CHECK(table.has_outputs() == !columns.outputs.empty(), "output columns iff function table");
  for (size_t g = 0; g < num_groups; ++g) {
    ZK_CHECK(columns.inputs[g].size() == length, "looked-up columns differ in length");
    if (table.has_outputs()) ZK_CHECK(columns.outputs[g].size() == length, "output column length");
  }
  if (table.has_outputs()) ZK_CHECK(columns.outputs.size() == num_groups, "one output per input column");
  ZK_CHECK(multiplicities.size() == (size_t{1} << table.log_size()), "m covers the padded table");

  AbsorbLookupHeader(table, num_groups, log_length, transcript);
  const Fp2 alpha = transcript.ChallengeFp2("lookup.alpha");
  const Fp2 beta = table.has_outputs() ? transcript.ChallengeFp2("lookup.beta") : Fp2::Zero();

  const size_t slots = GroupSlots(num_groups, log_length);
  std::vector<Fp2> p(slots * length), q(slots * length);
  for (size_t g = 0; g < slots; ++g) {
    ParallelFor(0, length, [&](size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i) {
        const size_t leaf = g * length + i;
        if (g < num_groups) {
          p[leaf] = Fp2::One();
          Fp2 entry = Fp2(columns.inputs[g][i]);
          if (table.has_outputs()) entry += beta * columns.outputs[g][i];
          q[leaf] = alpha - entry;
        } else {
          p[leaf] = Fp2::Zero();  // the neutral fraction 0/1
          q[leaf] = Fp2::One();
        }
      }
    }, 4096);
  }
  const size_t table_size = size_t{1} << table.log_size();
  std::vector<Fp2> tp(table_size), tq(table_size);
  ParallelFor(0, table_size, [&](size_t begin, size_t end) {
    for (size_t k = begin; k < end; ++k) {
      tp[k] = Fp2(multiplicities[k]);
      tq[k] = alpha - (Fp2(table.input(k)) + beta * table.output(k));
    }
  }, 4096);

  LookupProof proof;
  FractionSumOutcome entries_out, table_out;
  proof.entries = ProveFractionSum(std::move(p), std::move(q), transcript, &entries_out);
  proof.table = ProveFractionSum(std::move(tp), std::move(tq), transcript, &table_out);
  std::span<const Fp2> column_point = std::span<const Fp2>(entries_out.leaf_point).first(log_length);
  for (size_t g = 0; g < num_groups; ++g) {
    proof.input_values.push_back(EvaluateMultilinear(columns.inputs[g], column_point));
    if (table.has_outputs()) {
      proof.output_values.push_back(EvaluateMultilinear(columns.outputs[g], column_point));
    }
  }
  transcript.AbsorbFp2s("lookup.input_values", proof.input_values);
  transcript.AbsorbFp2s("lookup.output_values", proof.output_values);
  if (claims != nullptr) {
    claims->column_point.assign(column_point.begin(), column_point.end());
    claims->input_values = proof.input_values;
    claims->output_values = proof.output_values;
    claims->multiplicities = {table_out.leaf_point, table_out.leaf_p};
  }
  return proof;
}

Result<LookupClaims> VerifyLookup(const LookupTable& table, size_t num_groups,
                                  size_t log_column_length, const LookupProof& proof,
                                  Transcript& transcript) {
  ZK_RETURN_IF_ERROR(CheckColumns(table, num_groups, log_column_length));
  AbsorbLookupHeader(table, num_groups, log_column_length, transcript);
  const Fp2 alpha = transcript.ChallengeFp2("lookup.alpha");
  const Fp2 beta = table.has_outputs() ? transcript.ChallengeFp2("lookup.beta") : Fp2::Zero();
  const size_t slots = GroupSlots(num_groups, log_column_length);
  const size_t log_slots = Log2(slots);

  auto entries = VerifyFractionSum(log_column_length + log_slots, proof.entries, transcript);
  if (!entries.ok()) return entries.status().WithContext("lookup entries");
  auto rows = VerifyFractionSum(table.log_size(), proof.table, transcript);
  if (!rows.ok()) return rows.status().WithContext("lookup table");
  if (proof.input_values.size() != num_groups ||
      proof.output_values.size() != (table.has_outputs() ? num_groups : 0)) {
    return Status::BadInput("lookup proof has " + std::to_string(proof.input_values.size()) + "/" +
                            std::to_string(proof.output_values.size()) +
                            " column values, expected one per column");
  }
  transcript.AbsorbFp2s("lookup.input_values", proof.input_values);
  transcript.AbsorbFp2s("lookup.output_values", proof.output_values);

  if (entries->root_q == Fp2::Zero() || rows->root_q == Fp2::Zero()) {
    return Status::Rejected("lookup: a denominator α − entry vanishes");
  }
  if (entries->root_p * rows->root_q != rows->root_p * entries->root_q) {
    return Status::Rejected("lookup: Σ 1/(α − entry) differs from Σ m/(α − row); some entry is "
                            "not in the table or the multiplicities are wrong");
  }
  // Leaves of the entries tree, from the column claims.
  std::span<const Fp2> point(entries->leaf_point);
  auto column_point = point.first(log_column_length);
  std::vector<Fp2> eq_groups = EqTable(point.subspan(log_column_length));
  Fp2 expect_p = Fp2::Zero(), expect_q = Fp2::Zero();
  for (size_t g = 0; g < slots; ++g) {
    if (g < num_groups) {
      Fp2 entry = proof.input_values[g];
      if (table.has_outputs()) entry += beta * proof.output_values[g];
      expect_p += eq_groups[g];
      expect_q += eq_groups[g] * (alpha - entry);
    } else {
      expect_q += eq_groups[g];
    }
  }
  if (expect_p != entries->leaf_p || expect_q != entries->leaf_q) {
    return Status::Rejected("lookup: entry leaves disagree with the column values");
  }
  // Leaves of the table tree: q from the public table, p is the multiplicity claim.
  Fp2 row = table.EvaluateInputs(rows->leaf_point);
  if (table.has_outputs()) row += beta * table.EvaluateOutputs(rows->leaf_point);
  if (rows->leaf_q != alpha - row) {
    return Status::Rejected("lookup: table leaves disagree with the table");
  }
  LookupClaims claims;
  claims.column_point.assign(column_point.begin(), column_point.end());
  claims.input_values = proof.input_values;
  claims.output_values = proof.output_values;
  claims.multiplicities = {rows->leaf_point, rows->leaf_p};
  return claims;
}

void LookupProof::Write(ByteWriter& out) const {
  entries.Write(out);
  table.Write(out);
  WriteFp2Vector(out, input_values);
  WriteFp2Vector(out, output_values);
}

Result<LookupProof> LookupProof::Read(ByteReader& in) {
  LookupProof proof;
  ZK_ASSIGN_OR_RETURN(proof.entries, FractionSumProof::Read(in));
  ZK_ASSIGN_OR_RETURN(proof.table, FractionSumProof::Read(in));
  proof.input_values = ReadFp2Vector(in, "lookup input values", 1 << 20);
  proof.output_values = ReadFp2Vector(in, "lookup output values", 1 << 20);
  if (!in.ok()) return in.status();
  return proof;
}

// ---- limbs and truncation ----

Result<std::vector<std::vector<Fp>>> DecomposeLimbs16(std::span<const Fp> values, size_t num_limbs,
                                                     uint64_t offset) {
  if (num_limbs < 1 || num_limbs > 4) return Status::InvalidArgument("1..4 limbs of 16 bits");
  std::vector<std::vector<Fp>> limbs(num_limbs, std::vector<Fp>(values.size()));
  const Fp shift = Fp::From(offset);
  for (size_t i = 0; i < values.size(); ++i) {
    const uint64_t u = (values[i] + shift).v;
    if (num_limbs < 4 && (u >> (16 * num_limbs)) != 0) {
      return Status::OutOfRange("value " + std::to_string(i) + " does not fit in " +
                                std::to_string(num_limbs) + " limbs of 16 bits");
    }
    for (size_t l = 0; l < num_limbs; ++l) limbs[l][i] = Fp::From((u >> (16 * l)) & 0xFFFF);
  }
  return limbs;
}

namespace {

Status CheckTruncationParams(const TruncationParams& p) {
  if (p.frac_bits < 1 || p.frac_bits > 16) return Status::InvalidArgument("truncation: F must be 1..16");
  if (p.q_limbs < 1 || p.q_limbs > 3) return Status::InvalidArgument("truncation: 1..3 limbs for q");
  return Status::Ok();
}

uint64_t QuotientOffset(const TruncationParams& p) { return uint64_t{1} << (16 * p.q_limbs - 1); }

// Multilinears: 0 eq(τ,·), 1 a, 2 b, 3 q, 4 r, 5.. limbs of q.
SumOfProducts TruncationShape(const TruncationParams& p, size_t n, Fp2 gamma) {
  SumOfProducts s;
  s.num_variables = n;
  s.num_multilinears = 5 + p.q_limbs;
  const Fp two_f = Fp::From(uint64_t{1} << p.frac_bits);
  s.terms.push_back({Fp2::One(), {0, 1, 2}});                 // a·b
  s.terms.push_back({gamma - Fp2(two_f), {0, 3}});            // −2^F q + γ q
  s.terms.push_back({-Fp2::One(), {0, 4}});                   // −r
  for (size_t l = 0; l < p.q_limbs; ++l) {
    s.terms.push_back({-(gamma * Fp::From(uint64_t{1} << (16 * l))), {0, static_cast<uint32_t>(5 + l)}});
  }
  s.terms.push_back({gamma * Fp::From(QuotientOffset(p)), {0}});  // γ·offset (Σ eq = 1)
  return s;
}

void AbsorbTruncationHeader(const TruncationParams& p, size_t n, Transcript& t) {
  t.AbsorbBytes("trunc.protocol", AsBytes("zektra.truncation.v1"));
  t.AbsorbU64("trunc.frac_bits", p.frac_bits);
  t.AbsorbU64("trunc.q_limbs", p.q_limbs);
  t.AbsorbU64("trunc.log_length", n);
}

size_t RangeGroups(const TruncationParams& p) { return 1 + (p.frac_bits < 16 ? 1 : 0) + p.q_limbs; }

}  // namespace

Result<TruncationWitness> ComputeTruncation(std::span<const int64_t> a, std::span<const int64_t> b,
                                           const TruncationParams& params) {
  ZK_RETURN_IF_ERROR(CheckTruncationParams(params));
  if (a.size() != b.size()) return Status::InvalidArgument("truncation: a and b differ in length");
  TruncationWitness w;
  w.q.resize(a.size());
  w.r.resize(a.size());
  const __int128 bound = static_cast<__int128>(QuotientOffset(params));
  for (size_t i = 0; i < a.size(); ++i) {
    const __int128 prod = static_cast<__int128>(a[i]) * b[i];
    const __int128 q = prod >> params.frac_bits;  // arithmetic shift: floor division
    const __int128 r = prod - (q << params.frac_bits);
    if (q < -bound || q >= bound) {
      return Status::OutOfRange("truncation: product " + std::to_string(i) + " overflows " +
                                std::to_string(16 * params.q_limbs) + "-bit quotient");
    }
    w.q[i] = Fp::FromSigned(static_cast<int64_t>(q));
    w.r[i] = Fp::From(static_cast<uint64_t>(r));
  }
  ZK_ASSIGN_OR_RETURN(w.q_limbs, DecomposeLimbs16(w.q, params.q_limbs, QuotientOffset(params)));
  return w;
}

TruncationProof ProveTruncation(const TruncationParams& params, std::span<const Fp> a,
                                std::span<const Fp> b, const TruncationWitness& witness,
                                Transcript& transcript, TruncationClaims* claims) {
  ZK_CHECK(CheckTruncationParams(params).ok(), "truncation parameters");
  ZK_CHECK(IsPowerOfTwo(a.size()) && a.size() == b.size() && witness.q.size() == a.size() &&
               witness.r.size() == a.size() && witness.q_limbs.size() == params.q_limbs,
           "truncation witness shape");
  const size_t n = Log2(a.size());
  AbsorbTruncationHeader(params, n, transcript);
  std::vector<Fp2> tau = transcript.ChallengeFp2s("trunc.tau", n);
  Fp2 gamma = transcript.ChallengeFp2("trunc.gamma");
  std::vector<Fp2> eq = EqTable(tau);
  std::vector<MultilinearRef> inputs = {eq, a, b, witness.q, witness.r};
  for (const auto& limb : witness.q_limbs) inputs.emplace_back(limb);
  TruncationProof proof;
  ProvedSumcheck relation = ProveSumcheck(TruncationShape(params, n, gamma), inputs, Fp2::Zero(), transcript);
  proof.relation = std::move(relation.proof);

  std::vector<Fp> r_shifted;
  LookupColumns columns;
  columns.inputs.push_back(witness.r);
  if (params.frac_bits < 16) {
    const Fp shift = Fp::From(uint64_t{1} << (16 - params.frac_bits));
    r_shifted.resize(witness.r.size());
    for (size_t i = 0; i < r_shifted.size(); ++i) r_shifted[i] = witness.r[i] * shift;
    columns.inputs.push_back(r_shifted);
  }
  for (const auto& limb : witness.q_limbs) columns.inputs.push_back(limb);
  const LookupTable table = LookupTable::Range(16);
  size_t missing = 0, group = 0, row = 0;
  // Out-of-range entries are simply not counted: the lookup then fails verification.
  std::vector<Fp> m = ToField(CountRows(table, columns, &missing, &group, &row));
  LookupClaims lookup_claims;
  proof.ranges = ProveLookup(table, columns, m, transcript, &lookup_claims);
  if (claims != nullptr) {
    claims->relation_point = relation.claim.point;
    claims->relation_values.assign(relation.claim.values.begin() + 1, relation.claim.values.end());
    claims->range_point = lookup_claims.column_point;
    claims->range_values.clear();
    claims->range_values.push_back(lookup_claims.input_values[0]);
    const size_t first_limb = params.frac_bits < 16 ? 2 : 1;
    for (size_t l = 0; l < params.q_limbs; ++l) {
      claims->range_values.push_back(lookup_claims.input_values[first_limb + l]);
    }
    claims->multiplicities = lookup_claims.multiplicities;
  }
  return proof;
}

Result<TruncationClaims> VerifyTruncation(const TruncationParams& params, size_t log_length,
                                          const TruncationProof& proof, Transcript& transcript) {
  ZK_RETURN_IF_ERROR(CheckTruncationParams(params));
  if (log_length > kMaxLogLeaves - 3) return Status::InvalidArgument("truncation: too long");
  AbsorbTruncationHeader(params, log_length, transcript);
  std::vector<Fp2> tau = transcript.ChallengeFp2s("trunc.tau", log_length);
  Fp2 gamma = transcript.ChallengeFp2("trunc.gamma");
  auto relation = VerifySumcheck(TruncationShape(params, log_length, gamma), Fp2::Zero(),
                                 proof.relation, transcript);
  if (!relation.ok()) return relation.status().WithContext("truncation relation");
  if (relation->values[0] != EqEval(tau, relation->point)) {
    return Status::Rejected("truncation relation: wrong eq value");
  }
  auto ranges = VerifyLookup(LookupTable::Range(16), RangeGroups(params), log_length, proof.ranges,
                             transcript);
  if (!ranges.ok()) return ranges.status().WithContext("truncation ranges");
  size_t first_limb = 1;
  if (params.frac_bits < 16) {
    // r·2^(16−F) < 2^16 together with r < 2^16 bounds r by 2^F.
    if (ranges->input_values[1] != ranges->input_values[0] * Fp::From(uint64_t{1} << (16 - params.frac_bits))) {
      return Status::Rejected("truncation: the shifted remainder column is not 2^(16−F)·r");
    }
    first_limb = 2;
  }
  TruncationClaims claims;
  claims.relation_point = relation->point;
  claims.relation_values.assign(relation->values.begin() + 1, relation->values.end());
  claims.range_point = ranges->column_point;
  claims.range_values.push_back(ranges->input_values[0]);
  for (size_t l = 0; l < params.q_limbs; ++l) claims.range_values.push_back(ranges->input_values[first_limb + l]);
  claims.multiplicities = ranges->multiplicities;
  return claims;
}

void TruncationProof::Write(ByteWriter& out) const {
  relation.Write(out);
  ranges.Write(out);
}

Result<TruncationProof> TruncationProof::Read(ByteReader& in) {
  TruncationProof proof;
  ZK_ASSIGN_OR_RETURN(proof.relation, SumcheckProof::Read(in));
  ZK_ASSIGN_OR_RETURN(proof.ranges, LookupProof::Read(in));
  return proof;
}

}  // namespace zektra
