#include "zektra/pot/training_proof.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>

#include "zektra/base/serialize.h"
#include "zektra/base/thread_pool.h"
#include "zektra/base/timer.h"
#include "zektra/crypto/random.h"
#include "zektra/ml/rng.h"
#include "zektra/pot/blinding.h"
#include "zektra/pot/packed_witness.h"
#include "zektra/pot/proof_envelope.h"
#include "zektra/pot/standardisation_relation.h"
#include "zektra/zk/logup.h"
#include "zektra/zk/logup_zk.h"
#include "zektra/zk/multilinear.h"
#include "zektra/zk/pcs.h"
#include "zektra/zk/proof_format.h"
#include "zektra/zk/sumcheck_matrix.h"
#include "zektra/zk/sumcheck_zk_pcs.h"

namespace zektra::pot {
namespace {

using Scheme = LigeroCommitmentScheme;
using MaskedProof = MaskedSumcheckProof<Scheme>;

constexpr int kF = 16;
constexpr int kValueBits = 24;        // |v| < 2^24 for weights, data, errors, bias (V = F + 8)
constexpr int kWideBits = 32;         // acc_q, grad_q, bias_grad_q: |v| < 2^31
constexpr int kMaxLogInner = 12;      // features + 1 ≤ 2^12, batch ≤ 2^12: products stay < 2^61
constexpr int kSigmoidTableLog = 15;  // indices −2^14 .. 2^14 − 1: logits |z| < 64
constexpr int64_t kSigmoidLo = -(int64_t{1} << 14);
constexpr uint64_t kMaxWitness = uint64_t{1} << 27;  // T·B·D entries a verifier will accept
// The whole packed witness (every column, padded, with the blinding half). The prover's peak
// memory grows with it, dominated by the range lookup's tables over every limb entry (about
// 2 GB at 2^23, measured): 2^26 stays within a 23 GB machine, 2^28 (100,000 rows × 100
// features) was killed for memory before this bound refused it.
constexpr size_t kMaxPackedLog = 26;

// Section tags of the proof container.
enum : uint32_t {
  kTagStatement = 1,
  kTagWitnessCommitment = 2,
  kTagHelperCommitment = 3,  // the lookups' committed inverses (zk/logup_zk.h)
  kTagEvaluations = 5,
  kTagSumchecks = 6,
  kTagOpening = 7,
};

// Committed columns. Domains: S (steps), TJ (steps × columns), TI (steps × batch slots),
// RJ (dataset rows × columns), and the two multiplicity columns.
enum Col : int {
  kBLo,
  kBK,
  kBgqLo,
  kBgqHi,
  kBgr,
  kBu,
  kBur,  // S
  kWLo,
  kWK,
  kGqLo,
  kGqHi,
  kGrLo,
  kGrK,
  kU,
  kUr,  // TJ
  kAccqLo,
  kAccqHi,
  kAccr,
  kDlLo,
  kDlK,
  kSidx,
  kSp,
  kSr8,  // TI
  kXsLo,
  kXsK,
  kRemLo,
  kRemHi,
  kD0,
  kD1,
  kD2,  // RJ
  kMRange,
  kMSig,  // multiplicities, split into two random shares (ZkSplitMultiplicities)
  kMaskLookup0,
  kMaskLookup1,
  kMaskGradient,
  kMaskUpdate,
  kMaskBias,
  kMaskData,  // the masking polynomials of the relation sumchecks (zk/sumcheck_zk.h)
  kNumCols
};
constexpr int kNumMasks = kNumCols - kMaskLookup0;
const char* const kColNames[kNumCols] = {"bias.lo",
                                         "bias.hi",
                                         "bias_grad_q.lo",
                                         "bias_grad_q.hi",
                                         "bias_grad_r",
                                         "bias_update_q",
                                         "bias_update_r",
                                         "weight.lo",
                                         "weight.hi",
                                         "grad_q.lo",
                                         "grad_q.hi",
                                         "grad_r.lo",
                                         "grad_r.hi",
                                         "update_q",
                                         "update_r",
                                         "acc_q.lo",
                                         "acc_q.hi",
                                         "acc_r",
                                         "delta.lo",
                                         "delta.hi",
                                         "sigmoid_index",
                                         "sigmoid_p",
                                         "sigmoid_r",
                                         "x_std.lo",
                                         "x_std.hi",
                                         "std_rem.lo",
                                         "std_rem.hi",
                                         "centred.0",
                                         "centred.1",
                                         "centred.2",
                                         "range_multiplicities",
                                         "sigmoid_multiplicities",
                                         "mask.lookup0",
                                         "mask.lookup1",
                                         "mask.gradient",
                                         "mask.update",
                                         "mask.bias",
                                         "mask.data"};

// The public shape of a run, derived from the statement alone (prover and verifier alike).
//
// Blinding. Every domain has one more top variable ζ than the run needs: the step index t
// runs over 2·Th (Th = real steps padded) and the dataset rows over 2·Nh. The lower half
// (ζ = 0) is the real run; the upper half is a blinding run: the same relations, satisfied
// over the field by values drawn uniformly at random wherever a relation leaves one free
// (no range or table constraint: the lookups see only the lower half), on the dataset
// commitment's blinding rows. Every point the verifier evaluates a column at has a random
// ζ, so every value it sees is (1 − ζ)·real + ζ·blinding (docs/SECURITY.md).
struct LookupSpec {
  const LookupTable* table = nullptr;
  std::vector<int> in_cols, out_cols;
  int multiplicities = 0;
  int mask = 0;
  ZkLookupLayout layout;
  uint64_t helper_offset = 0;  // of v in the helper polynomial (2^n entries)
};
// The run's step schedule (pot/run_schedule.h) and this proof's column layout.
struct Shape : RunSchedule, DataStandardisation {
  bool logistic = true;
  uint64_t label_col = 0;        // = features: the label is the column after them
  std::vector<int64_t> final_w;  // 2^ld (zero beyond the features)
  int64_t final_b = 0;
  std::array<int, kNumCols> log_size{};
  std::array<uint64_t, kNumCols> offset{};
  std::array<size_t, kNumMasks> mask_vars{}, mask_degree{};
  size_t log_total = 0;
  uint64_t witness_used = 0, helper_used = 0;  // entries in use; the rest of 2^log is zero
  std::vector<LookupSpec> lookups;  // range (every limb column), sigmoid (logreg)
  size_t log_helper = 0;
};

const LookupTable& SigmoidTable();
const LookupTable& RangeTable();

size_t CeilLog2(uint64_t n) {
  return n <= 1 ? 0 : std::bit_width(n - 1);
}

Result<Shape> DeriveShape(const TrainingStatement& st) {
  Shape s;
  auto bad = [](const std::string& why) { return Status::BadInput("statement: " + why); };
  if (st.kind != ml::ModelKind::kLinReg && st.kind != ml::ModelKind::kLogReg)
    return bad("model must be linreg or logreg");
  s.logistic = st.kind == ml::ModelKind::kLogReg;
  const uint64_t d = st.dataset.features;
  if (st.mean.size() != d || st.multiplier.size() != d || st.final_weights.size() != d) {
    return bad("preprocessing or weight vectors do not match the feature count");
  }
  const int64_t vlim = int64_t{1} << kValueBits;
  for (int64_t w : st.final_weights)
    if (w <= -vlim || w >= vlim) return bad("final weight out of range");
  if (st.final_bias <= -vlim || st.final_bias >= vlim) return bad("final bias out of range");
  ZK_ASSIGN_OR_RETURN(static_cast<RunSchedule&>(s),
                      DeriveRunSchedule(st.dataset, st, /*min_batch=*/1, kMaxLogInner));
  s.label_col = d;
  if ((s.Tp() << (s.lb + s.ld)) > kMaxWitness || (s.N() << s.ld) > kMaxWitness) {
    const int need = static_cast<int>(std::max(s.tau + s.lb, s.lr) + s.ld);
    return bad("run too large: a column of its witness (steps × batch × columns or rows × "
               "columns, padded, with the blinding half) needs 2^" + std::to_string(need) +
               " entries; the prover's limit is 2^" + std::to_string(std::countr_zero(kMaxWitness)));
  }

  // The label column: classification targets are the raw 2^F·class (mult 2^32), regression
  // targets are standardised like a feature.
  ZK_RETURN_IF_ERROR(
      SetDataStandardisation(s, st.mean, st.multiplier, s.logistic ? 0 : st.target_mean,
                             s.logistic ? int64_t{1} << 32 : st.target_multiplier, s));
  s.final_w.assign(s.Dp(), 0);
  std::copy(st.final_weights.begin(), st.final_weights.end(), s.final_w.begin());
  s.final_b = st.final_bias;

  // Layout of the packed witness polynomial: segments by decreasing size, each aligned.
  const int lS = s.tau, lTJ = s.tau + s.ld, lTI = s.tau + s.lb, lRJ = s.lr + s.ld;
  for (int c = 0; c < kMaskLookup0; ++c) {
    s.log_size[c] = c <= kBur    ? lS
                    : c <= kUr   ? lTJ
                    : c <= kSr8  ? lTI
                    : c <= kD2   ? lRJ
                    : c == kMSig ? kSigmoidTableLog + 1
                                 : 17;
  }
  if (!s.logistic) s.log_size[kSidx] = s.log_size[kSp] = s.log_size[kSr8] = s.log_size[kMSig] = -1;

  // The lookups (zk/logup_zk.h): one range lookup over every limb column (packed as aligned
  // segments of one entries vector, so short columns pad nothing) and the sigmoid table.
  {
    LookupSpec range;
    range.table = &RangeTable();
    range.multiplicities = kMRange;
    for (int c = 0; c < kMRange; ++c) {
      if (s.log_size[c] < 0 || c == kBu || c == kU || c == kSidx || c == kSp) continue;
      range.in_cols.push_back(c);
    }
    s.lookups.push_back(std::move(range));
    if (s.logistic) {
      LookupSpec sig;
      sig.table = &SigmoidTable();
      sig.in_cols = {kSidx};
      sig.out_cols = {kSp};
      sig.multiplicities = kMSig;
      s.lookups.push_back(std::move(sig));
    }
  }
  std::vector<int> helper_sizes;
  for (size_t k = 0; k < s.lookups.size(); ++k) {
    LookupSpec& l = s.lookups[k];
    l.mask = kMaskLookup0 + static_cast<int>(k);
    std::vector<size_t> sizes;
    for (int c : l.in_cols) sizes.push_back(s.log_size[c]);  // live: the real (lower) half
    l.layout = ZkLookupLayout::Pack(sizes, !l.out_cols.empty(), l.table->log_size());
    s.mask_vars[k] = l.layout.log_domain();
    s.mask_degree[k] = 4;
    helper_sizes.push_back(static_cast<int>(l.layout.log_entries));
  }
  s.mask_vars[kMaskGradient - kMaskLookup0] = s.lb + s.tau;
  s.mask_vars[kMaskUpdate - kMaskLookup0] = s.ld + s.tau;
  s.mask_vars[kMaskBias - kMaskLookup0] = s.tau;
  s.mask_vars[kMaskData - kMaskLookup0] = s.lr + s.ld;
  for (int m = kMaskGradient - kMaskLookup0; m < kNumMasks; ++m) s.mask_degree[m] = 2;
  for (int m = 0; m < kNumMasks; ++m) {
    s.log_size[kMaskLookup0 + m] =
        s.mask_vars[m] == 0 ? -1 : static_cast<int>(MaskTableLog(s.mask_vars[m], s.mask_degree[m]));
  }

  std::vector<int> order;
  for (int c = 0; c < kNumCols; ++c)
    if (s.log_size[c] >= 0) order.push_back(c);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return s.log_size[a] > s.log_size[b]; });
  uint64_t at = 0;
  for (int c : order) {
    s.offset[c] = at;
    at += uint64_t{1} << s.log_size[c];
  }
  s.log_total = CeilLog2(at);
  s.witness_used = at;
  if (s.log_total > kMaxPackedLog) {
    return bad("run too large: its packed witness (every column, padded, with the blinding "
               "half; for large datasets mostly the per-entry standardisation columns, seven "
               "per data entry) needs 2^" + std::to_string(s.log_total) +
               " entries; the prover's limit is 2^" + std::to_string(kMaxPackedLog) +
               " (its memory grows with it)");
  }
  // The helper polynomial: each lookup's v as one segment, by decreasing size. A lookup's v
  // is free where its entries are not live (no term of its sumcheck sees those entries), so
  // smaller helpers go into the unused tail of the largest one's entries (top down) and share
  // its values there; only what does not fit is appended.
  std::vector<size_t> horder(s.lookups.size());
  for (size_t k = 0; k < horder.size(); ++k) horder[k] = k;
  std::stable_sort(horder.begin(), horder.end(),
                   [&](size_t a, size_t b) { return helper_sizes[a] > helper_sizes[b]; });
  at = 0;
  uint64_t tail_end = 0, tail_cursor = 0;
  for (size_t q = 0; q < horder.size(); ++q) {
    const size_t k = horder[q];
    const uint64_t size = uint64_t{1} << helper_sizes[k];
    if (q == 0) {
      uint64_t used = 0;
      for (const auto& seg : s.lookups[k].layout.segments)
        used = std::max(used, seg.offset + (uint64_t{1} << seg.log_size));
      s.lookups[k].helper_offset = 0;
      tail_end = used;
      tail_cursor = at = size;
    } else if (tail_cursor >= tail_end + size) {
      tail_cursor -= size;  // aligned: the sizes are decreasing powers of two
      s.lookups[k].helper_offset = tail_cursor;
    } else {
      s.lookups[k].helper_offset = at;
      at += size;
    }
  }
  s.log_helper = CeilLog2(at);
  s.helper_used = at;
  return s;
}

// Points. TJ index t·Dp + j → (j, t); TI t·B + i → (i, t); RJ row·Dp + j → (j, row).
std::vector<Fp2> Concat(std::span<const Fp2> a, std::span<const Fp2> b) {
  std::vector<Fp2> out(a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}
// The packed point of a claim on column c at `point`.
std::vector<Fp2> PackedPoint(const Shape& s, int c, std::span<const Fp2> point) {
  return Concat(point, BitsPoint(s.offset[c] >> s.log_size[c], s.log_total - s.log_size[c]));
}

// The helper polynomial's point for lookup l's v at entry point p.
std::vector<Fp2> HelperPoint(const Shape& s, const LookupSpec& l, std::span<const Fp2> p) {
  const size_t n = l.layout.log_entries;
  std::vector<Fp2> point(p.begin(), p.end());
  std::vector<Fp2> seg = BitsPoint(l.helper_offset >> n, s.log_helper - n);
  point.insert(point.end(), seg.begin(), seg.end());
  return point;
}

constexpr const char* kTranscriptLabel = "zektra.pot.v2";

// MLE over t of a per-step table, and of the shift / init selectors.
Fp2 EvalSigned(std::span<const int64_t> v, std::span<const Fp2> point) {
  std::vector<Fp> f(v.size());
  for (size_t i = 0; i < v.size(); ++i) f[i] = Fp::FromSigned(v[i]);
  return EvaluateMultilinear(f, point);
}
// Σ_{t ≥ 1} eq(s, t)·eq(r, t − 1).
Fp2 ShiftEval(std::span<const Fp2> r, std::span<const Fp2> s) {
  std::vector<Fp2> er = EqTable(r), es = EqTable(s);
  Fp2 acc = Fp2::Zero();
  for (size_t t = 1; t < er.size(); ++t) acc += es[t] * er[t - 1];
  return acc;
}
// The step domain is (t_low, ζ): the chain of weights runs within each half, never across.
Fp2 ShiftEvalZ(const Shape& sh, std::span<const Fp2> r, std::span<const Fp2> x) {
  return ShiftEval(r.first(sh.tl), x.first(sh.tl)) * EqEval(r.subspan(sh.tl), x.subspan(sh.tl));
}
// eq(r_ζ, x_ζ)·[x_low = 0]: both halves start from zero weights.
Fp2 InitEvalZ(const Shape& sh, std::span<const Fp2> r, std::span<const Fp2> x) {
  return EqEval(x.first(sh.tl), BitsPoint(0, sh.tl)) * EqEval(r.subspan(sh.tl), x.subspan(sh.tl));
}
// Σ_ζ eq(r, (Th − 1, ζ)): both halves end at the statement's final weights.
Fp2 LastStepEq(const Shape& sh, std::span<const Fp2> r) {
  return EqEval(r.first(sh.tl), BitsPoint(sh.Th() - 1, sh.tl));
}

const LookupTable& SigmoidTable() {
  static const LookupTable table = [] {
    ml::FixedPointFormat fp;
    std::vector<Fp> in, out;
    for (int64_t k = 0; k < (int64_t{1} << kSigmoidTableLog); ++k) {
      const int64_t idx = kSigmoidLo + k;
      const int64_t clamped = std::clamp(idx, ml::kSigmoidIndexMin, ml::kSigmoidIndexMax);
      in.push_back(Fp::FromSigned(idx));
      out.push_back(Fp::FromSigned(fp.SigmoidAt(clamped)));
    }
    return LookupTable::Function(std::move(in), std::move(out));
  }();
  return table;
}
const LookupTable& RangeTable() {
  static const LookupTable table = LookupTable::Range(16);
  return table;
}

struct Claim {
  int col;
  std::vector<Fp2> point;
  Fp2 value;
};

// Σ coef·limb − offset.
Fp2 Bounded(int k, std::initializer_list<Fp2> limbs, int64_t offset) {
  auto c = LimbCoefs(k);
  Fp2 acc = Fp2(Fp::FromSigned(-offset));
  size_t l = 0;
  for (Fp2 v : limbs) acc += Fp2(c[l++]) * v;
  return acc;
}

// ---- shapes of the sumchecks (shared by prover and verifier) ----

ProductTerm T(Fp2 c, std::vector<uint32_t> f) {
  return ProductTerm{c, std::move(f)};
}
Fp2 C(int64_t v) {
  return Fp2(Fp::FromSigned(v));
}
Fp2 CP(int e) {
  return Fp2(Pow2(e));
}

// Every relation sumcheck is of degree 2: each term is (public or virtual table)·(committed
// column), because every public factor (eq, η, selectors, per-column constants) is folded into
// one table per term whose multilinear extension the verifier can still evaluate cheaply (the
// tables factor into a row or step part times a column part).

// Gradient over (i, t): Xc'·(dlo + 2^9·dk − 2^24), Xc'(i, t) = eq(r_t, t)·Σ_j eq(r_j,
// j)·X[t][i][j].
SumOfProducts GradientShape(size_t vars) {
  return SumOfProducts{vars, 3, {T(Fp2::One(), {0, 1}), T(CP(9), {0, 2}), T(-CP(24), {0})}};
}
// Updates and shift (TJ or S): multilinears EqEta, qlo, qhi, Aw, wlo, wk, Eq, U [, Xr'].
//   EqEta·q − (the update claim) + λ·(Aw·w − Eq·U) [+ ρ·Xr'·w (forward pass)]
// with q = qlo + 2^16 qhi − 2^31, w = wlo + 2^9 wk − 2^24, Aw = Eq − Shift + γ·Init.
SumOfProducts UpdateShape(size_t vars, Fp2 lambda, std::optional<Fp2> rho) {
  SumOfProducts s{vars, rho ? 9u : 8u, {}};
  s.terms = {T(Fp2::One(), {0, 1}), T(CP(16), {0, 2}),         T(-CP(31), {0}),
             T(lambda, {3, 4}),     T(lambda * CP(9), {3, 5}), T(-lambda * CP(24), {3}),
             T(-lambda, {6, 7})};
  if (rho) {
    s.terms.push_back(T(*rho, {8, 4}));
    s.terms.push_back(T(*rho * CP(9), {8, 5}));
    s.terms.push_back(T(-*rho * CP(24), {8}));
  }
  return s;
}
SumOfProducts BatchShape(size_t vars) {
  return SumOfProducts{vars, 2, {T(Fp2::One(), {0, 1})}};
}

// Σ_t eq(a, t)·eq(b, t)·f(t).
Fp2 WeightedEq(std::span<const Fp2> a, std::span<const Fp2> b, std::span<const Fp> f) {
  std::vector<Fp2> ea = EqTable(a), eb = EqTable(b);
  Fp2 acc = Fp2::Zero();
  for (size_t t = 0; t < ea.size(); ++t) acc += ea[t] * eb[t] * Fp2(f[t]);
  return acc;
}
std::vector<Fp> SignedTable(std::span<const int64_t> v) {
  std::vector<Fp> f(v.size());
  for (size_t i = 0; i < v.size(); ++i) f[i] = Fp::FromSigned(v[i]);
  return f;
}

std::vector<Fp2> Times(std::span<const Fp2> a, std::span<const Fp2> b) {
  std::vector<Fp2> c(a.size());
  for (size_t k = 0; k < a.size(); ++k) c[k] = a[k] * b[k];
  return c;
}

// ---- the proof object ----

// Every relation sumcheck is masked by a segment of the witness polynomial
// (pot/blinding.h), so its mask values g_k(r_k) join the final batched opening instead of
// needing their own commitment and opening (the batching sumcheck keeps its own mask).
using WitnessMaskedSumcheck = WitnessMaskedSumcheckProof;

using TrainingProofData = WitnessProofSections;
constexpr WitnessProofTags kSectionTags{kTagStatement,        kTagWitnessCommitment,
                                        kTagHelperCommitment, kTagEvaluations,
                                        kTagSumchecks,        kTagOpening};
constexpr uint64_t kMaxSumchecks = 16;

Bytes Encode(const TrainingProofData& p) {
  return EncodeWitnessProof(ProofKind::kTrainingRun, kSectionTags, p);
}
Result<TrainingProofData> Decode(ByteSpan bytes) {
  return DecodeWitnessProof(bytes, ProofKind::kTrainingRun, kSectionTags, kMaxSumchecks,
                            "proof of training");
}

// ---- prover ----

struct Witness {
  std::array<std::vector<Fp>, kNumCols> cols;
  std::vector<Fp> x;                               // Tp·B·Dp: X[t][i][j]
  std::vector<std::optional<SumcheckMask>> masks;  // by mask column − kMaskLookup0

  Witness() = default;
  Witness(const Witness&) = delete;
  Witness& operator=(const Witness&) = delete;
  // The columns and X are functions of the training data: wiped, not just freed.
  ~Witness() {
    for (auto& c : cols) SecureWipe(c);
    SecureWipe(x);
  }
};

class Prover {
 public:
  Prover(const Shape& s, Witness& w, Transcript& tr, TrainingProofData& out,
         std::vector<RevealedEvaluation>* audit)
      : s_(s), w_(w), tr_(tr), out_(out), audit_(audit) {}

  Fp2 Eval(int c, std::span<const Fp2> point) const {
    return EvaluateMultilinear(w_.cols[c], point);
  }
  // Sends col(point) and records the claim.
  Fp2 Reveal(int c, std::span<const Fp2> point) {
    Fp2 v = Eval(c, point);
    SendValue(v);
    AddClaim(c, {point.begin(), point.end()}, v);
    return v;
  }
  // Audit (tests): the value a proof without the blinding half would have sent.
  void Audit(const std::string& what, Fp2 sent, Fp2 unmasked, Fp2 zeta) {
    if (audit_) audit_->push_back({what, sent, unmasked, zeta});
  }
  bool auditing() const { return audit_ != nullptr; }
  void SendValue(Fp2 v) {
    out_.evaluations.push_back(v);
    tr_.AbsorbFp2("pot.evaluation", v);
  }
  void AddClaim(int c, std::vector<Fp2> point, Fp2 v) {
    if (audit_ && c < kMaskLookup0) {
      const std::vector<Fp>& col = w_.cols[c];
      const size_t half = col.size() / 2;
      std::span<const Fp2> low = std::span<const Fp2>(point).first(point.size() - 1);
      Fp2 unmasked = EvaluateMultilinear(std::span<const Fp>(col).first(half), low);
      if (c >= kMRange)
        unmasked += EvaluateMultilinear(std::span<const Fp>(col).subspan(half), low);
      Audit(kColNames[c], v, unmasked, point.back());
    }
    claims_.push_back({c, std::move(point), v});
  }
  // The masked sumcheck of zk/sumcheck_zk.h with the mask committed in the witness.
  SumcheckClaim Sumcheck(int mask_col, const SumOfProducts& shape,
                         std::span<const MultilinearRef> inputs, Fp2 sum) {
    Timer timer;
    const SumcheckMask& mask = *w_.masks[mask_col - kMaskLookup0];
    const size_t n = shape.num_variables, d = shape.Degree();
    ZK_CHECK(
        n == s_.mask_vars[mask_col - kMaskLookup0] && d == s_.mask_degree[mask_col - kMaskLookup0],
        "sumcheck shape differs from its mask");
    SumcheckClaim claim;
    WitnessMaskedSumcheck proof = ProveWitnessMaskedSumcheck(mask, shape, inputs, sum, tr_, &claim);
    for (size_t k = 0; k < n; ++k)
      AddClaim(mask_col, MaskOpeningPoint(n, d, k, claim.point[k]), proof.mask_values[k]);
    out_.sumchecks.push_back(std::move(proof));
    if (std::getenv("ZEKTRA_POT_PROFILE")) {
      std::fprintf(stderr, "pot: sumcheck over 2^%zu, %zu multilinears: %.3fs\n",
                   shape.num_variables, shape.num_multilinears, timer.Seconds());
    }
    return claim;
  }
  std::vector<Claim>& claims() { return claims_; }

 private:
  const Shape& s_;
  Witness& w_;
  Transcript& tr_;
  TrainingProofData& out_;
  std::vector<RevealedEvaluation>* audit_;
  std::vector<Claim> claims_;
};

Status Fail(const std::string& why) {
  return Status::InvalidArgument("cannot prove this run: " + why);
}

}  // namespace

// ---- statement ----

Bytes TrainingStatement::Serialize() const {
  ByteWriter w;
  w.String("zektra.pot.statement");
  w.U32(kTrainingStatementVersion);
  w.String(dataset.ToJson());
  w.U32(static_cast<uint32_t>(kind));
  WriteHyperparameters(w);
  auto vec = [&](const std::vector<int64_t>& v) {
    w.U64(v.size());
    for (int64_t x : v) w.U64(static_cast<uint64_t>(x));
  };
  vec(mean);
  vec(multiplier);
  w.U64(static_cast<uint64_t>(target_mean));
  w.U64(static_cast<uint64_t>(target_multiplier));
  vec(final_weights);
  w.U64(static_cast<uint64_t>(final_bias));
  return w.Take();
}

Result<TrainingStatement> TrainingStatement::Parse(ByteSpan bytes) {
  ByteReader r(bytes);
  TrainingStatement s;
  if (r.String("statement tag") != "zektra.pot.statement")
    return Status::BadInput("statement: wrong tag");
  if (r.U32("statement version") != kTrainingStatementVersion)
    return Status::BadInput("statement: unsupported version");
  std::string ds = r.String("dataset commitment");
  if (!r.ok()) return r.status();
  ZK_ASSIGN_OR_RETURN(s.dataset, DatasetCommitment::FromJson(ds, "statement dataset"));
  const uint32_t kind = r.U32("model kind");
  if (kind != static_cast<uint32_t>(ml::ModelKind::kLinReg) &&
      kind != static_cast<uint32_t>(ml::ModelKind::kLogReg)) {
    return Status::BadInput("statement: model kind");
  }
  s.kind = static_cast<ml::ModelKind>(kind);
  ZK_RETURN_IF_ERROR(s.ReadHyperparameters(r));
  auto vec = [&](std::vector<int64_t>& v, const char* what) {
    const uint64_t n = r.Count(what, 8, 1 << 20);
    for (uint64_t i = 0; i < n && r.ok(); ++i) v.push_back(static_cast<int64_t>(r.U64(what)));
  };
  vec(s.mean, "mean");
  vec(s.multiplier, "multiplier");
  s.target_mean = static_cast<int64_t>(r.U64("target mean"));
  s.target_multiplier = static_cast<int64_t>(r.U64("target multiplier"));
  vec(s.final_weights, "final weights");
  s.final_bias = static_cast<int64_t>(r.U64("final bias"));
  ZK_RETURN_IF_ERROR(r.Finish("statement"));
  return s;
}

nlohmann::json TrainingStatement::ToJson() const {
  ml::FixedPointFormat fp;
  nlohmann::json j;
  j["dataset_commitment"] = dataset.IdHex();
  j["dataset_rows"] = dataset.rows;
  j["dataset_features"] = dataset.features;
  j["label"] = dataset.label_name;
  j["model"] = kind == ml::ModelKind::kLinReg ? "linreg" : "logreg";
  AddHyperparametersJson(j);
  j["mean_fixed"] = mean;
  j["multiplier"] = multiplier;
  if (kind == ml::ModelKind::kLinReg) {
    j["target_mean_fixed"] = target_mean;
    j["target_multiplier"] = target_multiplier;
  }
  j["final_weights_fixed"] = final_weights;
  j["final_bias_fixed"] = final_bias;
  std::vector<double> wr;
  for (int64_t w : final_weights) wr.push_back(fp.ToReal(w));
  j["final_weights"] = wr;
  j["final_bias"] = fp.ToReal(final_bias);
  return j;
}

// ---- prover ----

namespace {
// The statement a proof of `model`'s training on `dataset` makes, after the checks that only
// the model's kind allows (the statement's own bounds are DeriveShape's).
Result<TrainingStatement> StatementFor(const ml::Model& model, const DatasetCommitment& dataset) {
  if (model.spec.kind != ml::ModelKind::kLinReg && model.spec.kind != ml::ModelKind::kLogReg) {
    return Fail("only linreg and logreg are provable");
  }
  if (model.fraction_bits != kF) return Fail("fraction bits must be 16");
  if (model.hyper.l2 != 0) return Fail("L2 regularisation is not provable yet (use --l2 0)");
  if (model.layers.size() != 1 || model.layers[0].outputs != 1)
    return Fail("unexpected model shape");
  if (model.spec.kind == ml::ModelKind::kLogReg &&
      (model.classes.size() != 2 || model.classes[0] != 0 || model.classes[1] != 1)) {
    return Fail("logreg proofs need labels 0 and 1");
  }
  TrainingStatement st;
  st.dataset = dataset;
  st.kind = model.spec.kind;
  st.SetFromModel(model);
  st.mean = model.standardizer.mean;
  st.multiplier = model.standardizer.multiplier;
  st.target_mean = model.target_mean;
  st.target_multiplier = model.target_multiplier;
  st.final_weights = model.layers[0].weights;
  st.final_bias = model.layers[0].bias[0];
  return st;
}
}  // namespace

Status CheckTrainingProvable(const ml::Model& model, uint64_t rows, uint64_t features) {
  ZK_ASSIGN_OR_RETURN(TrainingStatement st,
                      StatementFor(model, PlannedDatasetCommitment(rows, features, kF)));
  return DeriveShape(st).status();
}

Result<Bytes> ProveTraining(const TrainingWitness& wit, ProverTamper tamper,
                            std::vector<RevealedEvaluation>* audit) {
  if (!wit.table || !wit.dataset || !wit.model || !wit.trace)
    return Status::InvalidArgument("incomplete witness");
  const ml::Model& model = *wit.model;
  const ml::Table& table = *wit.table;
  ZK_ASSIGN_OR_RETURN(TrainingStatement st, StatementFor(model, wit.dataset->commitment));
  if (tamper == ProverTamper::kFinalWeights) st.final_weights[0] += 1;
  ZK_ASSIGN_OR_RETURN(Shape s, DeriveShape(st));
  const ml::TrainingTrace& trace = *wit.trace;
  if (trace.steps() != s.steps)
    return Fail("the trace has " + std::to_string(trace.steps()) + " steps, the statement " +
                std::to_string(s.steps));
  if (table.rows != st.dataset.rows || table.cols() != st.dataset.features)
    return Fail("table does not match the dataset commitment");

  const uint64_t B = s.B(), Dp = s.Dp(), Tp = s.Tp(), N = s.N(), D = s.features;
  const uint64_t Th = s.Th(), Nh = s.Nh();  // the real halves
  ml::FixedPointFormat fp;
  Timer phase_timer;
  const bool profile = std::getenv("ZEKTRA_POT_PROFILE") != nullptr;
  auto phase = [&](const char* name) {
    if (profile) std::fprintf(stderr, "pot: %s %.3fs\n", name, phase_timer.Seconds());
    phase_timer.Reset();
  };
  auto need = [&](const char* name) -> Result<const ml::TrainingTrace::Tensor*> {
    const auto* t = trace.Find(name);
    if (!t) return Fail(std::string("trace has no tensor ") + name);
    return t;
  };
  ZK_ASSIGN_OR_RETURN(auto* tw, need("layer0.weight"));
  ZK_ASSIGN_OR_RETURN(auto* tb, need("layer0.bias"));
  ZK_ASSIGN_OR_RETURN(auto* taq, need("layer0.acc_q"));
  ZK_ASSIGN_OR_RETURN(auto* tar, need("layer0.acc_r"));
  ZK_ASSIGN_OR_RETURN(auto* tp, need("output.p"));
  ZK_ASSIGN_OR_RETURN(auto* tdl, need("layer0.delta"));
  ZK_ASSIGN_OR_RETURN(auto* tgq, need("layer0.grad_q"));
  ZK_ASSIGN_OR_RETURN(auto* tgr, need("layer0.grad_r"));
  ZK_ASSIGN_OR_RETURN(auto* tbgq, need("layer0.bias_grad_q"));
  ZK_ASSIGN_OR_RETURN(auto* tbgr, need("layer0.bias_grad_r"));
  ZK_ASSIGN_OR_RETURN(auto* tu, need("layer0.update_q"));
  ZK_ASSIGN_OR_RETURN(auto* tur, need("layer0.update_r"));
  ZK_ASSIGN_OR_RETURN(auto* tbu, need("layer0.bias_update_q"));
  ZK_ASSIGN_OR_RETURN(auto* tbur, need("layer0.bias_update_r"));
  ZK_ASSIGN_OR_RETURN(auto* trows, need("batch_rows"));
  (void)trows;

  // Integer witness over the padded domains.
  std::vector<int64_t> W(Th * Dp), GQ(Th * Dp), GR(Th * Dp), U(Th * Dp), UR(Th * Dp);
  std::vector<int64_t> Bv(Th), BGQ(Th), BGR(Th), BU(Th), BUR(Th);
  std::vector<int64_t> AQ(Th * B), AR(Th * B), DL(Th * B), SIDX(Th * B), SP(Th * B), SR(Th * B);
  for (uint64_t t = 0; t < Th; ++t) {
    if (t < s.steps) {
      for (uint64_t j = 0; j < D; ++j) {
        W[t * Dp + j] = tw->step(t)[j];
        GQ[t * Dp + j] = tgq->step(t)[j];
        GR[t * Dp + j] = tgr->step(t)[j];
        U[t * Dp + j] = tu->step(t)[j];
        UR[t * Dp + j] = tur->step(t)[j];
      }
      Bv[t] = tb->step(t)[0];
      BGQ[t] = tbgq->step(t)[0];
      BGR[t] = tbgr->step(t)[0];
      BU[t] = tbu->step(t)[0];
      BUR[t] = tbur->step(t)[0];
      for (uint64_t i = 0; i < B; ++i) {
        AQ[t * B + i] = taq->step(t)[i];
        AR[t * B + i] = tar->step(t)[i];
        DL[t * B + i] = tdl->step(t)[i];
        SP[t * B + i] = tp->step(t)[i];
      }
    } else {
      // Padding steps: no data, learning rate 0, so nothing changes.
      for (uint64_t j = 0; j < D; ++j) W[t * Dp + j] = st.final_weights[j];
      Bv[t] = st.final_bias;
      for (uint64_t i = 0; i < B; ++i) {
        const int64_t z = Bv[t];
        SP[t * B + i] = s.logistic ? fp.Sigmoid(z) : z;
        DL[t * B + i] = SP[t * B + i];
      }
      int64_t sum = 0;
      for (uint64_t i = 0; i < B; ++i) sum += DL[t * B + i];
      BGQ[t] = ml::FloorDiv(sum, static_cast<int64_t>(B));
      BGR[t] = sum - BGQ[t] * static_cast<int64_t>(B);
    }
    for (uint64_t i = 0; i < B; ++i) {
      const int64_t z = AQ[t * B + i] + Bv[t];
      SIDX[t * B + i] = ml::FloorShift(z, 8);
      SR[t * B + i] = ml::ShiftRemainder(z, 8);
    }
  }
  if (s.steps > 0) {
    // The statement's final weights must be the trace's last update.
    for (uint64_t j = 0; j < D; ++j) {
      const uint64_t t = s.steps - 1;
      if (tamper != ProverTamper::kFinalWeights &&
          W[t * Dp + j] - U[t * Dp + j] != st.final_weights[j]) {
        return Fail("the trace does not end at the model's weights");
      }
    }
  }
  if (tamper == ProverTamper::kGradientEntry) GQ[0] += 1;
  if (tamper == ProverTamper::kSkipStep) {
    const uint64_t t0 = s.steps / 2;
    for (uint64_t j = 0; j < Dp; ++j) U[t0 * Dp + j] = 0;
  }
  if (tamper == ProverTamper::kSigmoidOutput) {
    SP[1] += 1;
    DL[1] += 1;
  }
  if (tamper == ProverTamper::kTruncation) {
    AQ[2] += 1;
    AR[2] -= int64_t{1} << kF;
  }

  // Standardised data over all dataset rows (zero outside the training part), from the table.
  std::vector<int64_t> XS(Nh * Dp, 0), REM(Nh * Dp, 0), DC(Nh * Dp, 0);
  for (uint64_t r = 0; r < table.rows; ++r) {
    if (!s.train_row[r]) continue;
    for (uint64_t j = 0; j <= D; ++j) {
      const double raw = j < D ? table.row(r)[j] : table.labels[r];
      ZK_ASSIGN_OR_RETURN(int64_t q, ml::QuantizeRaw(raw, fp));
      const __int128 d = static_cast<__int128>(q) - s.col_mean[j];
      const __int128 prod = d * s.col_mult[j];
      const __int128 xs = prod >> 32;
      if (xs <= -(int64_t{1} << kValueBits) + 0 || xs >= (int64_t{1} << kValueBits) - 1) {
        return Fail("row " + std::to_string(r) + " column " + std::to_string(j) +
                    " is clamped by standardisation (an outlier); proofs need unclamped data");
      }
      if (d <= -(__int128{1} << (s.col_k[j] - 1)) || d >= (__int128{1} << (s.col_k[j] - 1))) {
        return Fail("row " + std::to_string(r) + " column " + std::to_string(j) +
                    " is out of the provable range");
      }
      XS[r * Dp + j] = static_cast<int64_t>(xs);
      REM[r * Dp + j] = static_cast<int64_t>(prod - (xs << 32));
      DC[r * Dp + j] = static_cast<int64_t>(d);
    }
  }

  Witness w;
  auto& cols = w.cols;
  for (int c = 0; c < kNumCols; ++c)
    if (s.log_size[c] >= 0) cols[c].assign(uint64_t{1} << s.log_size[c], Fp::Zero());
  // Limb columns of a bounded integer vector.
  bool out_of_range = false;
  auto limbs = [&](const std::vector<int64_t>& v, int k, int64_t offset,
                   std::initializer_list<int> cs) {
    std::vector<int> list(cs);
    for (size_t x = 0; x < v.size(); ++x) {
      const int64_t u = v[x] + offset;
      if (u < 0 || (k < 63 && u >= (int64_t{1} << k))) {
        out_of_range = true;
        // A dishonest witness: store the field value in the low limb so that the proof fails.
        cols[list[0]][x] = Fp::FromSigned(u) * LimbCoefs(k)[0].Inverse();
        continue;
      }
      auto lv = LimbValues(static_cast<uint64_t>(u), k);
      for (size_t l = 0; l < list.size(); ++l) cols[list[l]][x] = Fp::From(lv[l]);
    }
  };
  const int64_t vo = int64_t{1} << kValueBits, wo = int64_t{1} << (kWideBits - 1);
  limbs(Bv, 25, vo, {kBLo, kBK});
  limbs(BGQ, 32, wo, {kBgqLo, kBgqHi});
  limbs(BGR, static_cast<int>(s.lb), 0, {kBgr});
  limbs(BUR, 16, 0, {kBur});
  limbs(W, 25, vo, {kWLo, kWK});
  limbs(GQ, 32, wo, {kGqLo, kGqHi});
  limbs(GR, 16 + static_cast<int>(s.lb), 0, {kGrLo, kGrK});
  limbs(UR, 16, 0, {kUr});
  limbs(AQ, 32, wo, {kAccqLo, kAccqHi});
  limbs(AR, 16, 0, {kAccr});
  limbs(DL, 25, vo, {kDlLo, kDlK});
  limbs(XS, 25, vo, {kXsLo, kXsK});
  limbs(REM, 32, 0, {kRemLo, kRemHi});
  for (uint64_t x = 0; x < Nh * Dp; ++x) {
    const uint64_t j = x % Dp;
    const int k = s.col_k[j];
    const int64_t u = DC[x] + (int64_t{1} << (k - 1));
    auto lv = LimbValues(static_cast<uint64_t>(u), k);
    cols[kD0][x] = Fp::From(lv[0]);
    cols[kD1][x] = Fp::From(lv[1]);
    cols[kD2][x] = Fp::From(lv[2]);
  }
  for (uint64_t t = 0; t < Th; ++t) {
    cols[kBu][t] = Fp::FromSigned(BU[t]);
    for (uint64_t j = 0; j < Dp; ++j) cols[kU][t * Dp + j] = Fp::FromSigned(U[t * Dp + j]);
  }
  if (s.logistic) {
    limbs(SR, 8, 0, {kSr8});
    for (uint64_t x = 0; x < Th * B; ++x) {
      cols[kSidx][x] = Fp::FromSigned(SIDX[x]);
      cols[kSp][x] = Fp::FromSigned(SP[x]);
    }
  }
  if (out_of_range && tamper == ProverTamper::kNone)
    return Fail("a witness value is outside its provable bound");

  // Multiplicities of the real halves (the live entries; entries outside the table are
  // skipped, which only a dishonest witness has), split into two random shares.
  for (const LookupSpec& l : s.lookups) {
    if (l.table != &RangeTable()) continue;
    std::vector<Fp> m(uint64_t{1} << 16, Fp::Zero());
    for (int c : l.in_cols) {
      const size_t half = cols[c].size() / 2;
      for (size_t x = 0; x < half; ++x)
        if (cols[c][x].v < (uint64_t{1} << 16)) m[cols[c][x].v] += Fp::One();
    }
    cols[l.multiplicities] = ZkSplitMultiplicities(m);
  }
  if (s.logistic) {
    std::vector<Fp> ms(uint64_t{1} << kSigmoidTableLog, Fp::Zero());
    for (uint64_t x = 0; x < Th * B; ++x) {
      const int64_t k = SIDX[x] - kSigmoidLo;
      if (k >= 0 && k < (int64_t{1} << kSigmoidTableLog) &&
          fp.SigmoidAt(std::clamp(SIDX[x], ml::kSigmoidIndexMin, ml::kSigmoidIndexMax)) == SP[x]) {
        ms[k] += Fp::One();
      } else if (tamper == ProverTamper::kNone) {
        return Fail("logit at step " + std::to_string(x / B) +
                    " is beyond the provable sigmoid range");
      }
    }
    cols[kMSig] = ZkSplitMultiplicities(ms);
  }

  // The blinding half: a run over the field on the dataset's blinding rows. Every relation
  // the verifier checks holds on it; each relation's last column is solved for, every other
  // value is uniformly random. No range or table constraint applies (the lookups only see
  // the real half), so nothing about it is tied to the real run.
  RandomFields rng;
  const std::vector<Fp>& raw = wit.dataset->matrix;
  if (raw.size() != N * Dp) return Fail("the dataset commitment has no blinding rows");
  std::vector<Fp> xs(N * Dp);  // standardised data, field form, all rows
  for (uint64_t x = 0; x < Nh * Dp; ++x) xs[x] = Fp::FromSigned(XS[x]);
  {
    const Fp off24 = Pow2(24), off31 = Pow2(31), i16 = Pow2(-16), i9 = Pow2(-9), i8 = Pow2(-8);
    auto split25 = [&](Fp v, int lo, int k, uint64_t x) {  // v = lo + 2^9·k − 2^24
      const Fp l = rng.Next();
      cols[lo][x] = l;
      cols[k][x] = (v + off24 - l) * i9;
    };
    auto split32 = [&](Fp v, int lo, int hi, uint64_t x) {  // v = lo + 2^16·hi − 2^31
      const Fp l = rng.Next();
      cols[lo][x] = l;
      cols[hi][x] = (v + off31 - l) * i16;
    };
    for (uint64_t r = Nh; r < N; ++r) {
      for (uint64_t j = 0; j < Dp; ++j) {
        const uint64_t x = r * Dp + j;
        if (!s.train_row[r]) {
          for (int c = kXsLo; c <= kD2; ++c) cols[c][x] = rng.Next();
          xs[x] = cols[kXsLo][x] + Pow2(9) * cols[kXsK][x] - off24;
          continue;
        }
        const Fp d = raw[x] - Fp::FromSigned(s.col_mean[j]);
        const auto cf = LimbCoefs(s.col_k[j]);
        const int top = cf[2] != Fp::Zero() ? 2 : cf[1] != Fp::Zero() ? 1 : 0;
        Fp acc = d + Pow2(s.col_k[j] - 1);  // Σ_l cf_l·limb_l = d + 2^(k−1)
        for (int l = 0; l < 3; ++l) {
          if (l == top) continue;
          cols[kD0 + l][x] = rng.Next();
          acc -= cf[l] * cols[kD0 + l][x];
        }
        cols[kD0 + top][x] = acc * cf[top].Inverse();
        cols[kRemLo][x] = rng.Next();
        cols[kRemHi][x] = rng.Next();
        xs[x] = (Fp::FromSigned(s.col_mult[j]) * d - cols[kRemLo][x] - Pow2(16) * cols[kRemHi][x]) *
                Pow2(-32);
        split25(xs[x], kXsLo, kXsK, x);
      }
    }
    auto xr = [&](uint64_t k, uint64_t j) {  // X of slot k = t·B + i
      const uint64_t row = s.row_of[k];
      return row == kNoRow ? Fp::Zero() : xs[row * Dp + j];
    };
    const auto cgr = LimbCoefs(16 + static_cast<int>(s.lb));
    const Fp cbgr = LimbCoefs(static_cast<int>(s.lb))[0];
    std::vector<Fp> wv(Dp, Fp::Zero()), delta(B);
    Fp bias = Fp::Zero();
    for (uint64_t t = Th; t < Tp; ++t) {
      const Fp eta = Fp::FromSigned(s.eta[t]);
      const bool last = t + 1 == Tp;
      for (uint64_t j = 0; j < Dp; ++j) split25(wv[j], kWLo, kWK, t * Dp + j);
      split25(bias, kBLo, kBK, t);
      Fp dsum = Fp::Zero();
      for (uint64_t i = 0; i < B; ++i) {
        const uint64_t k = t * B + i;
        Fp acc = Fp::Zero();
        for (uint64_t j = 0; j < D; ++j) acc += xr(k, j) * wv[j];
        cols[kAccr][k] = rng.Next();
        const Fp aq = (acc - cols[kAccr][k]) * i16;
        split32(aq, kAccqLo, kAccqHi, k);
        const Fp z = aq + bias;
        Fp p = z;
        if (s.logistic) {
          cols[kSr8][k] = rng.Next();
          cols[kSidx][k] = (z - cols[kSr8][k] * i8) * i8;
          p = cols[kSp][k] = rng.Next();
        }
        delta[i] = p - xr(k, s.label_col);
        split25(delta[i], kDlLo, kDlK, k);
        dsum += delta[i];
      }
      cols[kBgr][t] = rng.Next();
      const Fp bgq = (dsum - cbgr * cols[kBgr][t]) * Pow2(-static_cast<int>(s.lb));
      split32(bgq, kBgqLo, kBgqHi, t);
      Fp bu;
      if (!last) {
        cols[kBur][t] = rng.Next();
        bu = (eta * bgq - cols[kBur][t]) * i16;
      } else {  // the blinding run ends at the statement's bias too
        bu = bias - Fp::FromSigned(s.final_b);
        cols[kBur][t] = eta * bgq - Pow2(16) * bu;
      }
      cols[kBu][t] = bu;
      bias -= bu;
      for (uint64_t j = 0; j < Dp; ++j) {
        const uint64_t x = t * Dp + j;
        Fp g = Fp::Zero();
        if (j < D)  // X has no entries beyond the features
          for (uint64_t i = 0; i < B; ++i) g += xr(t * B + i, j) * delta[i];
        cols[kGrLo][x] = rng.Next();
        cols[kGrK][x] = rng.Next();
        const Fp gq = (g - cgr[0] * cols[kGrLo][x] - cgr[1] * cols[kGrK][x]) *
                      Pow2(-16 - static_cast<int>(s.lb));
        split32(gq, kGqLo, kGqHi, x);
        Fp u;
        if (!last) {
          cols[kUr][x] = rng.Next();
          u = (eta * gq - cols[kUr][x]) * i16;
        } else {
          u = wv[j] - Fp::FromSigned(s.final_w[j]);
          cols[kUr][x] = eta * gq - Pow2(16) * u;
        }
        cols[kU][x] = u;
        wv[j] -= u;
      }
    }
  }
  if (tamper == ProverTamper::kBlindingRelation) cols[kU][Th * Dp + 1] += Fp::One();
  if (tamper == ProverTamper::kMultiplicity) cols[kMRange][5] += Fp::One();
  // The masking polynomials of the relation sumchecks live in the witness too.
  w.masks.resize(kNumMasks);
  for (int m = 0; m < kNumMasks; ++m) {
    if (s.log_size[kMaskLookup0 + m] < 0) continue;
    w.masks[m] = SumcheckMask::Random(s.mask_vars[m], s.mask_degree[m]);
    cols[kMaskLookup0 + m] = w.masks[m]->table();
  }

  // X[t][i][j] from the standardised rows (the blinding steps from the blinding rows).
  w.x.assign(Tp * B * Dp, Fp::Zero());
  ParallelFor(
      0, Tp * B,
      [&](size_t b, size_t e) {
        for (size_t k = b; k < e; ++k) {
          const uint64_t row = s.row_of[k];
          if (row == kNoRow) continue;
          for (uint64_t j = 0; j < D; ++j) w.x[k * Dp + j] = xs[row * Dp + j];
        }
      },
      64);

  phase("witness");
  // Commit.
  TrainingProofData out;
  out.statement_bytes = st.Serialize();
  std::vector<Fp> packed(uint64_t{1} << s.log_total, Fp::Zero());
  const WipeOnScopeExit wipe_packed(packed);  // the witness holds the training data
  for (int c = 0; c < kNumCols; ++c) {
    if (s.log_size[c] >= 0) std::copy(cols[c].begin(), cols[c].end(), packed.begin() + s.offset[c]);
  }
  // Borrowed, not copied: `packed` outlives `pdata` (declared after it) and stays unchanged
  // until the opening.
  PcsProverData pdata =
      PcsCommitBorrowing(packed, PcsParamsWithZeroTail(
                                     ChoosePcsParams(static_cast<int>(s.log_total), true, 100, 1),
                                     s.witness_used));
  out.witness_commitment = pdata.commitment();

  phase("commit");
  Transcript tr(kTranscriptLabel);
  tr.AbsorbBytes("pot.statement", out.statement_bytes);
  tr.AbsorbBytes("pot.witness_commitment", out.witness_commitment.Serialize());
  Prover pv(s, w, tr, out, audit);

  // 1. Lookups (zk/logup_zk.h): α, β; the committed inverses; one masked sumcheck each.
  struct LookupRun {
    Fp2 alpha, beta;
    std::vector<Fp> in, outv;
    std::vector<Fp> h;
  };
  std::vector<LookupRun> runs(s.lookups.size());
  for (size_t k = 0; k < s.lookups.size(); ++k) {
    const LookupSpec& l = s.lookups[k];
    LookupRun& run = runs[k];
    run.alpha = tr.ChallengeFp2("pot.lookup_alpha");
    run.beta = tr.ChallengeFp2("pot.lookup_beta");
    auto concat = [&](const std::vector<int>& cs) {
      std::vector<Fp> v(uint64_t{1} << l.layout.log_entries, Fp::Zero());
      for (size_t g = 0; g < cs.size(); ++g)
        std::copy(cols[cs[g]].begin(), cols[cs[g]].end(),
                  v.begin() + static_cast<std::ptrdiff_t>(l.layout.segments[g].offset));
      return v;
    };
    run.in = concat(l.in_cols);
    if (l.layout.has_outputs) run.outv = concat(l.out_cols);
    run.h = ZkLookupHelper(l.layout, run.in, run.outv, run.alpha, run.beta);
  }
  std::vector<Fp> helper_poly(uint64_t{1} << s.log_helper, Fp::Zero());
  std::vector<size_t> by_size(s.lookups.size());
  for (size_t k = 0; k < by_size.size(); ++k) by_size[k] = k;
  std::stable_sort(by_size.begin(), by_size.end(), [&](size_t a, size_t b) {
    return s.lookups[a].layout.log_entries > s.lookups[b].layout.log_entries;
  });
  for (size_t k : by_size) {  // the largest first, then those that share its unused tail
    std::copy(runs[k].h.begin(), runs[k].h.end(),
              helper_poly.begin() + static_cast<std::ptrdiff_t>(s.lookups[k].helper_offset));
  }
  for (size_t k = 0; k < s.lookups.size(); ++k) {  // what each sumcheck sees after sharing
    const auto from = helper_poly.begin() + static_cast<std::ptrdiff_t>(s.lookups[k].helper_offset);
    std::copy(from, from + static_cast<std::ptrdiff_t>(runs[k].h.size()), runs[k].h.begin());
  }
  PcsProverData hdata =
      PcsCommit(helper_poly, PcsParamsWithZeroTail(
                                 ChoosePcsParams(static_cast<int>(s.log_helper), true, 100, 1),
                                 s.helper_used));
  SecureWipe(helper_poly);
  out.helper_commitment = hdata.commitment();
  tr.AbsorbBytes("pot.helper_commitment", out.helper_commitment.Serialize());
  std::vector<PcsClaim> helper_claims;
  for (size_t k = 0; k < s.lookups.size(); ++k) {
    const LookupSpec& l = s.lookups[k];
    LookupRun& run = runs[k];
    std::vector<Fp2> r = tr.ChallengeFp2s("pot.lookup_point", l.layout.log_entries);
    const Fp2 lambda = tr.ChallengeFp2("pot.lookup_lambda");
    ZkLookupTables tables =
        ZkLookupProverTables(l.layout, *l.table, run.in, run.outv, run.h, cols[l.multiplicities],
                             run.alpha, run.beta, lambda, r);
    std::vector<MultilinearRef> refs = tables.Refs();
    SumcheckClaim sc = pv.Sumcheck(l.mask, ZkLookupShape(l.layout, run.alpha, run.beta, lambda),
                                   refs, ZkLookupClaimedSum(l.layout, r, lambda));
    std::vector<Fp2> ep = ZkLookupEntryPoint(l.layout, sc.point);
    for (const auto* cs : {&l.in_cols, &l.out_cols}) {
      for (int c : *cs) pv.Reveal(c, std::span<const Fp2>(ep).first(s.log_size[c]));
    }
    pv.AddClaim(l.multiplicities, ZkLookupMultiplicityPoint(l.layout, sc.point),
                sc.values[kZkMultiplicities]);
    helper_claims.push_back({0, HelperPoint(s, l, ep), sc.values[kZkHelper]});
    SecureWipe(run.h);
  }
  phase("lookups");
  std::vector<GatherClaim> gathers;
  // 3. Forward: Σ_j X[t][i][j]·W[t][j] = 2^16·acc_q + acc_r at a random (i, t); its sumcheck
  //    over (j, t) runs merged with the weight updates (step 6).
  std::vector<Fp2> ra = tr.ChallengeFp2s("pot.forward_point", s.lb + s.tau);
  Fp2 forward_value;
  {
    Fp2 lo = pv.Reveal(kAccqLo, ra), hi = pv.Reveal(kAccqHi, ra), r = pv.Reveal(kAccr, ra);
    forward_value = CP(16) * Bounded(32, {lo, hi}, wo) + Bounded(16, {r}, 0);
  }
  // 4. Gradient: Σ_i X[t][i][j]·δ[t][i] = 2^(16+log B)·grad_q + grad_r at a random (j, t).
  {
    std::vector<Fp2> rg = tr.ChallengeFp2s("pot.gradient_point", s.ld + s.tau);
    Fp2 ql = pv.Reveal(kGqLo, rg), qh = pv.Reveal(kGqHi, rg), rl = pv.Reveal(kGrLo, rg),
        rk = pv.Reveal(kGrK, rg);
    Fp2 g = CP(16 + static_cast<int>(s.lb)) * Bounded(32, {ql, qh}, wo) +
            Bounded(16 + static_cast<int>(s.lb), {rl, rk}, 0);
    auto rj = std::span<const Fp2>(rg).first(s.ld);
    auto rt = std::span<const Fp2>(rg).subspan(s.ld);
    std::vector<Fp2> et = EqTable(rt), ej = EqTable(rj);
    std::vector<Fp2> xc(Tp * B);
    ParallelFor(
        0, Tp * B,
        [&](size_t b, size_t en) {
          for (size_t k = b; k < en; ++k) {
            Fp2 acc = Fp2::Zero();
            for (uint64_t j = 0; j < Dp; ++j) acc += ej[j] * w.x[k * Dp + j];
            xc[k] = acc * et[k >> s.lb];
          }
        },
        256);
    MultilinearRef in[] = {xc, cols[kDlLo], cols[kDlK]};
    SumcheckClaim sc = pv.Sumcheck(kMaskGradient, GradientShape(s.lb + s.tau), in, g);
    auto si = std::span<const Fp2>(sc.point).first(s.lb);
    auto st2 = std::span<const Fp2>(sc.point).subspan(s.lb);
    gathers.push_back({false,
                       {rj.begin(), rj.end()},
                       OuterTI(s, Times(EqTable(st2), et), EqTable(si)),
                       sc.values[0]});
    pv.AddClaim(kDlLo, sc.point, sc.values[1]);
    pv.AddClaim(kDlK, sc.point, sc.values[2]);
  }
  // 5. Per-sample relations at a random (i, t): sigmoid index, error.
  {
    std::vector<Fp2> ri = tr.ChallengeFp2s("pot.sample_point", s.lb + s.tau);
    auto rt = std::span<const Fp2>(ri).subspan(s.lb);
    pv.Reveal(kAccqLo, ri);
    pv.Reveal(kAccqHi, ri);
    pv.Reveal(kDlLo, ri);
    pv.Reveal(kDlK, ri);
    pv.Reveal(kBLo, rt);
    pv.Reveal(kBK, rt);
    if (s.logistic) {
      pv.Reveal(kSidx, ri);
      pv.Reveal(kSp, ri);
      pv.Reveal(kSr8, ri);
    }
    // y at ri: the gathered label column.
    std::vector<Fp2> wt = EqTable(ri);
    std::vector<Fp2> c = RowWeights(s, wt);
    Fp2 y = Fp2::Zero();
    for (uint64_t r = 0; r < N; ++r) y += c[r] * Fp2(xs[r * Dp + s.label_col]);
    pv.SendValue(y);
    if (pv.auditing()) {
      std::vector<Fp2> low = EqTable(std::span<const Fp2>(ri).first(ri.size() - 1));
      Fp2 unmasked = Fp2::Zero();
      for (uint64_t k = 0; k < Th * B; ++k)
        if (s.row_of[k] != kNoRow) unmasked += low[k] * Fp2(xs[s.row_of[k] * Dp + s.label_col]);
      pv.Audit("gathered label", y, unmasked, ri.back());
    }
    gathers.push_back({true, {}, std::move(wt), y});
  }
  // 6. Weight updates and the shift check over (j, t), merged with the forward pass.
  {
    std::vector<Fp2> rj = tr.ChallengeFp2s("pot.update_point", s.ld + s.tau);
    Fp2 lambda = tr.ChallengeFp2("pot.update_lambda"), gamma = tr.ChallengeFp2("pot.update_gamma");
    Fp2 rho = tr.ChallengeFp2("pot.forward_rho");
    Fp2 u = pv.Reveal(kU, rj), ur = pv.Reveal(kUr, rj);
    auto rjj = std::span<const Fp2>(rj).first(s.ld);
    auto rjt = std::span<const Fp2>(rj).subspan(s.ld);
    Fp2 sum = CP(16) * u + ur + lambda * LastStepEq(s, rjt) * EvalSigned(s.final_w, rjj) +
              rho * forward_value;
    auto ri = std::span<const Fp2>(ra).first(s.lb);
    std::vector<Fp2> eat = EqTable(std::span<const Fp2>(ra).subspan(s.lb));
    std::vector<Fp2> xr = ContractMiddleIndex(w.x, Tp, Dp, EqTable(ri));
    std::vector<Fp2> eq = EqTable(rj), ejj = EqTable(rjj), ert = EqTable(rjt);
    std::vector<Fp2> eqeta(Tp * Dp), aw(Tp * Dp);
    const Fp2 rz = rjt.back();
    for (uint64_t t = 0; t < Tp; ++t) {
      const bool first = (t & (Th - 1)) == 0;  // the first step of either half
      const Fp2 shift = first ? Fp2::Zero() : ert[t - 1];
      const Fp2 init = first ? gamma * (t >= Th ? rz : Fp2::One() - rz) : Fp2::Zero();
      for (uint64_t j = 0; j < Dp; ++j) {
        const uint64_t x = t * Dp + j;
        eqeta[x] = eq[x] * Fp2(Fp::FromSigned(s.eta[t]));
        aw[x] = eq[x] - ejj[j] * shift + ejj[j] * init;
        xr[x] *= eat[t];
      }
    }
    MultilinearRef inputs[] = {eqeta,     cols[kGqLo], cols[kGqHi], aw, cols[kWLo],
                               cols[kWK], eq,          cols[kU],    xr};
    SumcheckClaim sc =
        pv.Sumcheck(kMaskUpdate, UpdateShape(s.ld + s.tau, lambda, rho), inputs, sum);
    auto sj = std::span<const Fp2>(sc.point).first(s.ld);
    auto st2 = std::span<const Fp2>(sc.point).subspan(s.ld);
    gathers.push_back({false,
                       {sj.begin(), sj.end()},
                       OuterTI(s, Times(EqTable(st2), eat), EqTable(ri)),
                       sc.values[8]});
    static constexpr int kCols[] = {-1, kGqLo, kGqHi, -1, kWLo, kWK, -1, kU};
    for (int k : {1, 2, 4, 5, 7}) pv.AddClaim(kCols[k], sc.point, sc.values[k]);
  }
  // 7. Bias: gradient (a sum over the batch), update and shift, over t.
  {
    std::vector<Fp2> rs = tr.ChallengeFp2s("pot.bias_point", s.tau);
    std::vector<Fp2> half(s.lb, Fp2(Fp::From(2).Inverse()));
    std::vector<Fp2> hp = Concat(half, rs);
    pv.Reveal(kDlLo, hp);
    pv.Reveal(kDlK, hp);
    pv.Reveal(kBgqLo, rs);
    pv.Reveal(kBgqHi, rs);
    pv.Reveal(kBgr, rs);
    Fp2 lambda = tr.ChallengeFp2("pot.bias_lambda"), gamma = tr.ChallengeFp2("pot.bias_gamma");
    Fp2 bu = pv.Reveal(kBu, rs), bur = pv.Reveal(kBur, rs);
    Fp2 sum = CP(16) * bu + bur + lambda * LastStepEq(s, rs) * C(s.final_b);
    std::vector<Fp2> eq = EqTable(rs), eqeta(Tp), ab(Tp);
    const Fp2 rz = rs.back();
    for (uint64_t t = 0; t < Tp; ++t) {
      const bool first = (t & (Th - 1)) == 0;
      eqeta[t] = eq[t] * Fp2(Fp::FromSigned(s.eta[t]));
      ab[t] = eq[t] - (first ? Fp2::Zero() : eq[t - 1]) +
              (first ? gamma * (t >= Th ? rz : Fp2::One() - rz) : Fp2::Zero());
    }
    MultilinearRef inputs[] = {eqeta,      cols[kBgqLo], cols[kBgqHi], ab,
                               cols[kBLo], cols[kBK],    eq,           cols[kBu]};
    SumcheckClaim sc =
        pv.Sumcheck(kMaskBias, UpdateShape(s.tau, lambda, std::nullopt), inputs, sum);
    static constexpr int kCols[] = {-1, kBgqLo, kBgqHi, -1, kBLo, kBK, -1, kBu};
    for (int k : {1, 2, 4, 5, 7}) pv.AddClaim(kCols[k], sc.point, sc.values[k]);
  }
  // 8–9. Standardisation of the committed raw data (training rows), merged with the gather of
  // every X and y claim back to the standardised data.
  std::vector<Fp2> data_point;
  Fp2 data_value;
  {
    DataRelationChallenges ch;
    ch.point = tr.ChallengeFp2s("pot.standardise_point", s.lr + s.ld);
    ch.mu = tr.ChallengeFp2("pot.standardise_mu");
    ch.rho = tr.ChallengeFp2("pot.gather_rho");
    ch.gammas = tr.ChallengeFp2s("pot.gather_coefficients", gathers.size());
    Fp2 sum = Fp2::Zero();
    for (size_t k = 0; k < gathers.size(); ++k) sum += ch.gammas[k] * gathers[k].value;
    const std::array<std::vector<Fp2>, kDataWitness + 1> coef =
        DataRelationTables(s, s, gathers, ch);
    const std::vector<Fp>& m = wit.dataset->matrix;
    MultilinearRef inputs[] = {
        cols[kXsLo], cols[kXsK], cols[kRemLo], cols[kRemHi], cols[kD0], cols[kD1],
        cols[kD2],   m,          coef[0],      coef[1],      coef[2],   coef[3],
        coef[4],     coef[5],    coef[6],      coef[7],      coef[8]};
    SumcheckClaim sc = pv.Sumcheck(kMaskData, DataRelationShape(s.lr + s.ld), inputs, ch.rho * sum);
    static constexpr int kCols[] = {kXsLo, kXsK, kRemLo, kRemHi, kD0, kD1, kD2};
    for (int k = 0; k < 7; ++k) pv.AddClaim(kCols[k], sc.point, sc.values[k]);
    data_point = sc.point;
    data_value = sc.values[7];
    if (pv.auditing()) {
      pv.Audit("dataset matrix", data_value,
               EvaluateMultilinear(std::span<const Fp>(m).first(m.size() / 2),
                                   std::span<const Fp2>(data_point).first(data_point.size() - 1)),
               data_point.back());
    }
  }
  phase("relations");
  // 10. Batch every claim on the witness polynomial into one, and open.
  Fp2 packed_value;
  std::vector<Fp2> packed_point;
  {
    auto& claims = pv.claims();
    std::vector<Fp2> gam = tr.ChallengeFp2s("pot.batch_coefficients", claims.size());
    Fp2 sum = Fp2::Zero();
    std::vector<Fp2> g(packed.size(), Fp2::Zero());
    for (size_t k = 0; k < claims.size(); ++k) {
      sum += gam[k] * claims[k].value;
      std::vector<Fp2> eq = EqTable(claims[k].point);
      const uint64_t off = s.offset[claims[k].col];
      for (size_t x = 0; x < eq.size(); ++x) g[off + x] += gam[k] * eq[x];
    }
    MultilinearRef inputs[] = {packed, g};
    SumcheckClaim sc;
    out.batch = ProveMaskedSumcheck(Scheme{}, BatchShape(s.log_total), inputs, sum, tr, &sc);
    packed_point = sc.point;
    packed_value = sc.values[0];
  }
  {
    phase("batch");
    const PcsProverData* polys[] = {&pdata, &hdata, &wit.dataset->prover};
    std::vector<PcsClaim> claims = {{0, packed_point, packed_value}};
    for (PcsClaim& c : helper_claims) claims.push_back({1, std::move(c.point), c.value});
    claims.push_back({2, data_point, data_value});
    out.opening = PcsOpen(polys, claims, tr);
  }
  phase("opening");
  if (profile) {
    size_t sc_bytes = 0;
    for (const auto& sc : out.sumchecks) {
      ByteWriter bw;
      sc.Write(bw);
      sc_bytes += bw.size();
    }
    ByteWriter bw;
    out.batch.Write(Scheme{}, bw);
    std::fprintf(stderr,
                 "pot: bytes: opening %zu (groups %zu), sumchecks %zu, batching sumcheck %zu, "
                 "evaluations %zu; log sizes: witness %zu, helper %zu, dataset %d\n",
                 out.opening.ByteSize(), out.opening.groups.size(), sc_bytes, bw.size(),
                 out.evaluations.size() * 16, s.log_total, s.log_helper,
                 st.dataset.pcs.params.log_size);
  }
  return Encode(out);
}

// ---- verifier ----

namespace {

class Verifier {
 public:
  Verifier(Transcript& tr, const TrainingProofData& p) : tr_(tr), p_(p) {}
  Result<Fp2> Reveal(int c, std::span<const Fp2> point) {
    ZK_ASSIGN_OR_RETURN(Fp2 v, Receive());
    claims_.push_back({c, {point.begin(), point.end()}, v});
    return v;
  }
  Result<Fp2> Receive() {
    if (next_eval_ >= p_.evaluations.size())
      return Status::Rejected("proof has too few evaluations");
    Fp2 v = p_.evaluations[next_eval_++];
    tr_.AbsorbFp2("pot.evaluation", v);
    return v;
  }
  void AddClaim(int c, std::vector<Fp2> point, Fp2 v) {
    claims_.push_back({c, std::move(point), v});
  }
  // Mirror of Prover::Sumcheck: the mask values become claims on the witness polynomial.
  Result<SumcheckClaim> Sumcheck(int mask_col, const SumOfProducts& shape, Fp2 sum,
                                 const std::string& what) {
    if (next_sc_ >= p_.sumchecks.size()) return Status::Rejected("proof has too few sumchecks");
    const WitnessMaskedSumcheck& proof = p_.sumchecks[next_sc_++];
    auto claim = VerifyWitnessMaskedSumcheck(shape, sum, proof, tr_);
    if (!claim.ok()) return Status::Rejected(what + ": " + claim.status().message());
    const size_t n = shape.num_variables, d = shape.Degree();
    for (size_t k = 0; k < n; ++k)
      AddClaim(mask_col, MaskOpeningPoint(n, d, k, claim->point[k]), proof.mask_values[k]);
    return claim;
  }
  std::vector<Claim>& claims() { return claims_; }
  bool all_used() const {
    return next_eval_ == p_.evaluations.size() && next_sc_ == p_.sumchecks.size();
  }

 private:
  Transcript& tr_;
  const TrainingProofData& p_;
  std::vector<Claim> claims_;
  size_t next_eval_ = 0, next_sc_ = 0;
};

Status Expect(bool ok, const std::string& what) {
  return ok ? Status::Ok() : Status::Rejected(what);
}

Status VerifyProofData(const TrainingProofData& p, const TrainingStatement& st) {
  ZK_ASSIGN_OR_RETURN(Shape s, DeriveShape(st));
  if (p.witness_commitment.params.log_size != static_cast<int>(s.log_total) ||
      !p.witness_commitment.params.hiding) {
    return Status::Rejected("witness commitment has the wrong shape");
  }
  if (p.helper_commitment.params.log_size != static_cast<int>(s.log_helper) ||
      !p.helper_commitment.params.hiding) {
    return Status::Rejected("helper commitment has the wrong shape");
  }
  Transcript tr(kTranscriptLabel);
  tr.AbsorbBytes("pot.statement", p.statement_bytes);
  tr.AbsorbBytes("pot.witness_commitment", p.witness_commitment.Serialize());
  Verifier vf(tr, p);
  const int64_t wo = int64_t{1} << (kWideBits - 1);

  // 1. Lookups.
  std::vector<std::pair<Fp2, Fp2>> ab;
  for (size_t k = 0; k < s.lookups.size(); ++k) {
    const Fp2 alpha = tr.ChallengeFp2("pot.lookup_alpha");
    ab.emplace_back(alpha, tr.ChallengeFp2("pot.lookup_beta"));
  }
  tr.AbsorbBytes("pot.helper_commitment", p.helper_commitment.Serialize());
  std::vector<PcsClaim> helper_claims;
  for (size_t k = 0; k < s.lookups.size(); ++k) {
    const LookupSpec& l = s.lookups[k];
    const auto [alpha, beta] = ab[k];
    std::vector<Fp2> r = tr.ChallengeFp2s("pot.lookup_point", l.layout.log_entries);
    const Fp2 lambda = tr.ChallengeFp2("pot.lookup_lambda");
    const std::string what =
        k + 1 == s.lookups.size() && s.logistic ? "sigmoid lookup" : "range lookup";
    ZK_ASSIGN_OR_RETURN(SumcheckClaim sc,
                        vf.Sumcheck(l.mask, ZkLookupShape(l.layout, alpha, beta, lambda),
                                    ZkLookupClaimedSum(l.layout, r, lambda), what));
    Status pub =
        ZkLookupCheckPublic(l.layout, *l.table, alpha, beta, lambda, r, sc.point, sc.values);
    if (!pub.ok()) return Status::Rejected(what + ": " + pub.message());
    std::vector<Fp2> ep = ZkLookupEntryPoint(l.layout, sc.point);
    uint32_t value_index = kZkInputs;
    for (const auto* cs : {&l.in_cols, &l.out_cols}) {
      if (cs->empty()) continue;
      Fp2 combined = Fp2::Zero();
      for (size_t g = 0; g < cs->size(); ++g) {
        const int c = (*cs)[g];
        ZK_ASSIGN_OR_RETURN(Fp2 u, vf.Reveal(c, std::span<const Fp2>(ep).first(s.log_size[c])));
        combined += l.layout.SegmentWeight(g, ep) * u;
      }
      ZK_RETURN_IF_ERROR(Expect(combined == sc.values[value_index],
                                what + ": column values do not match the looked-up entries"));
      value_index = kZkOutputs;
    }
    vf.AddClaim(l.multiplicities, ZkLookupMultiplicityPoint(l.layout, sc.point),
                sc.values[kZkMultiplicities]);
    helper_claims.push_back({1, HelperPoint(s, l, ep), sc.values[kZkHelper]});
  }
  std::vector<GatherClaim> gathers;
  // 3. Forward (sumcheck merged into step 6).
  std::vector<Fp2> ra = tr.ChallengeFp2s("pot.forward_point", s.lb + s.tau);
  Fp2 forward_value;
  {
    ZK_ASSIGN_OR_RETURN(Fp2 lo, vf.Reveal(kAccqLo, ra));
    ZK_ASSIGN_OR_RETURN(Fp2 hi, vf.Reveal(kAccqHi, ra));
    ZK_ASSIGN_OR_RETURN(Fp2 r, vf.Reveal(kAccr, ra));
    forward_value = CP(16) * Bounded(32, {lo, hi}, wo) + Bounded(16, {r}, 0);
  }
  // 4. Gradient.
  {
    std::vector<Fp2> rg = tr.ChallengeFp2s("pot.gradient_point", s.ld + s.tau);
    ZK_ASSIGN_OR_RETURN(Fp2 ql, vf.Reveal(kGqLo, rg));
    ZK_ASSIGN_OR_RETURN(Fp2 qh, vf.Reveal(kGqHi, rg));
    ZK_ASSIGN_OR_RETURN(Fp2 rl, vf.Reveal(kGrLo, rg));
    ZK_ASSIGN_OR_RETURN(Fp2 rk, vf.Reveal(kGrK, rg));
    Fp2 g = CP(16 + static_cast<int>(s.lb)) * Bounded(32, {ql, qh}, wo) +
            Bounded(16 + static_cast<int>(s.lb), {rl, rk}, 0);
    auto rj = std::span<const Fp2>(rg).first(s.ld);
    auto rt = std::span<const Fp2>(rg).subspan(s.ld);
    ZK_ASSIGN_OR_RETURN(SumcheckClaim sc,
                        vf.Sumcheck(kMaskGradient, GradientShape(s.lb + s.tau), g, "gradient"));
    auto si = std::span<const Fp2>(sc.point).first(s.lb);
    auto st2 = std::span<const Fp2>(sc.point).subspan(s.lb);
    gathers.push_back({false,
                       {rj.begin(), rj.end()},
                       OuterTI(s, Times(EqTable(st2), EqTable(rt)), EqTable(si)),
                       sc.values[0]});
    vf.AddClaim(kDlLo, sc.point, sc.values[1]);
    vf.AddClaim(kDlK, sc.point, sc.values[2]);
  }
  // 5. Per-sample relations.
  {
    std::vector<Fp2> ri = tr.ChallengeFp2s("pot.sample_point", s.lb + s.tau);
    auto rt = std::span<const Fp2>(ri).subspan(s.lb);
    ZK_ASSIGN_OR_RETURN(Fp2 aql, vf.Reveal(kAccqLo, ri));
    ZK_ASSIGN_OR_RETURN(Fp2 aqh, vf.Reveal(kAccqHi, ri));
    ZK_ASSIGN_OR_RETURN(Fp2 dll, vf.Reveal(kDlLo, ri));
    ZK_ASSIGN_OR_RETURN(Fp2 dlk, vf.Reveal(kDlK, ri));
    ZK_ASSIGN_OR_RETURN(Fp2 bl, vf.Reveal(kBLo, rt));
    ZK_ASSIGN_OR_RETURN(Fp2 bk, vf.Reveal(kBK, rt));
    const Fp2 z = Bounded(32, {aql, aqh}, wo) + Bounded(25, {bl, bk}, int64_t{1} << kValueBits);
    const Fp2 delta = Bounded(25, {dll, dlk}, int64_t{1} << kValueBits);
    Fp2 p = z;
    if (s.logistic) {
      ZK_ASSIGN_OR_RETURN(Fp2 idx, vf.Reveal(kSidx, ri));
      ZK_ASSIGN_OR_RETURN(p, vf.Reveal(kSp, ri));
      ZK_ASSIGN_OR_RETURN(Fp2 r8, vf.Reveal(kSr8, ri));
      ZK_RETURN_IF_ERROR(Expect(z == CP(8) * idx + Bounded(8, {r8}, 0),
                                "sigmoid index: z ≠ index·2^8 + remainder"));
    }
    ZK_ASSIGN_OR_RETURN(Fp2 y, vf.Receive());
    ZK_RETURN_IF_ERROR(Expect(delta == p - y, "error relation: delta ≠ prediction − target"));
    gathers.push_back({true, {}, EqTable(ri), y});
  }
  // 6. Weight updates, merged with the forward pass.
  {
    std::vector<Fp2> rj = tr.ChallengeFp2s("pot.update_point", s.ld + s.tau);
    Fp2 lambda = tr.ChallengeFp2("pot.update_lambda"), gamma = tr.ChallengeFp2("pot.update_gamma");
    Fp2 rho = tr.ChallengeFp2("pot.forward_rho");
    ZK_ASSIGN_OR_RETURN(Fp2 u, vf.Reveal(kU, rj));
    ZK_ASSIGN_OR_RETURN(Fp2 ur, vf.Reveal(kUr, rj));
    auto rjj = std::span<const Fp2>(rj).first(s.ld);
    auto rjt = std::span<const Fp2>(rj).subspan(s.ld);
    Fp2 sum = CP(16) * u + ur + lambda * LastStepEq(s, rjt) * EvalSigned(s.final_w, rjj) +
              rho * forward_value;
    ZK_ASSIGN_OR_RETURN(SumcheckClaim sc,
                        vf.Sumcheck(kMaskUpdate, UpdateShape(s.ld + s.tau, lambda, rho), sum,
                                    "forward pass and weight update"));
    auto sj = std::span<const Fp2>(sc.point).first(s.ld);
    auto st2 = std::span<const Fp2>(sc.point).subspan(s.ld);
    const Fp2 ejj = EqEval(rjj, sj);
    const Fp2 eq = EqEval(rj, sc.point);
    const std::vector<Fp> eta = SignedTable(s.eta);
    ZK_RETURN_IF_ERROR(Expect(sc.values[0] == ejj * WeightedEq(rjt, st2, eta),
                              "weight update: learning-rate table"));
    ZK_RETURN_IF_ERROR(Expect(
        sc.values[3] == eq - ejj * ShiftEvalZ(s, rjt, st2) + gamma * ejj * InitEvalZ(s, rjt, st2),
        "weight update: shift table"));
    ZK_RETURN_IF_ERROR(Expect(sc.values[6] == eq, "weight update: selector"));
    auto ri = std::span<const Fp2>(ra).first(s.lb);
    auto rat = std::span<const Fp2>(ra).subspan(s.lb);
    gathers.push_back({false,
                       {sj.begin(), sj.end()},
                       OuterTI(s, Times(EqTable(st2), EqTable(rat)), EqTable(ri)),
                       sc.values[8]});
    static constexpr int kCols[] = {-1, kGqLo, kGqHi, -1, kWLo, kWK, -1, kU};
    for (int k : {1, 2, 4, 5, 7}) vf.AddClaim(kCols[k], sc.point, sc.values[k]);
  }
  // 7. Bias.
  {
    std::vector<Fp2> rs = tr.ChallengeFp2s("pot.bias_point", s.tau);
    std::vector<Fp2> half(s.lb, Fp2(Fp::From(2).Inverse()));
    std::vector<Fp2> hp = Concat(half, rs);
    ZK_ASSIGN_OR_RETURN(Fp2 dll, vf.Reveal(kDlLo, hp));
    ZK_ASSIGN_OR_RETURN(Fp2 dlk, vf.Reveal(kDlK, hp));
    ZK_ASSIGN_OR_RETURN(Fp2 ql, vf.Reveal(kBgqLo, rs));
    ZK_ASSIGN_OR_RETURN(Fp2 qh, vf.Reveal(kBgqHi, rs));
    ZK_ASSIGN_OR_RETURN(Fp2 gr, vf.Reveal(kBgr, rs));
    const Fp2 batch_sum =
        CP(static_cast<int>(s.lb)) * Bounded(25, {dll, dlk}, int64_t{1} << kValueBits);
    ZK_RETURN_IF_ERROR(Expect(batch_sum == CP(static_cast<int>(s.lb)) * Bounded(32, {ql, qh}, wo) +
                                               Bounded(static_cast<int>(s.lb), {gr}, 0),
                              "bias gradient relation"));
    Fp2 lambda = tr.ChallengeFp2("pot.bias_lambda"), gamma = tr.ChallengeFp2("pot.bias_gamma");
    ZK_ASSIGN_OR_RETURN(Fp2 bu, vf.Reveal(kBu, rs));
    ZK_ASSIGN_OR_RETURN(Fp2 bur, vf.Reveal(kBur, rs));
    Fp2 sum = CP(16) * bu + bur + lambda * LastStepEq(s, rs) * C(s.final_b);
    ZK_ASSIGN_OR_RETURN(
        SumcheckClaim sc,
        vf.Sumcheck(kMaskBias, UpdateShape(s.tau, lambda, std::nullopt), sum, "bias update"));
    const Fp2 eq = EqEval(rs, sc.point);
    ZK_RETURN_IF_ERROR(Expect(sc.values[0] == WeightedEq(rs, sc.point, SignedTable(s.eta)),
                              "bias update: learning-rate table"));
    ZK_RETURN_IF_ERROR(Expect(
        sc.values[3] == eq - ShiftEvalZ(s, rs, sc.point) + gamma * InitEvalZ(s, rs, sc.point),
        "bias update: shift table"));
    ZK_RETURN_IF_ERROR(Expect(sc.values[6] == eq, "bias update: selector"));
    static constexpr int kCols[] = {-1, kBgqLo, kBgqHi, -1, kBLo, kBK, -1, kBu};
    for (int k : {1, 2, 4, 5, 7}) vf.AddClaim(kCols[k], sc.point, sc.values[k]);
  }
  // 8–9. Standardisation and gather.
  std::vector<Fp2> data_point;
  Fp2 data_value;
  {
    DataRelationChallenges ch;
    ch.point = tr.ChallengeFp2s("pot.standardise_point", s.lr + s.ld);
    ch.mu = tr.ChallengeFp2("pot.standardise_mu");
    ch.rho = tr.ChallengeFp2("pot.gather_rho");
    ch.gammas = tr.ChallengeFp2s("pot.gather_coefficients", gathers.size());
    Fp2 sum = Fp2::Zero();
    for (size_t k = 0; k < gathers.size(); ++k) sum += ch.gammas[k] * gathers[k].value;
    ZK_ASSIGN_OR_RETURN(SumcheckClaim sc,
                        vf.Sumcheck(kMaskData, DataRelationShape(s.lr + s.ld), ch.rho * sum,
                                    "standardisation and data gather"));
    const auto expect = DataRelationTablesAt(s, s, gathers, ch, sc.point);
    for (size_t c = 0; c <= kDataWitness; ++c) {
      ZK_RETURN_IF_ERROR(
          Expect(sc.values[kDataWitness + c] == expect[c],
                 "standardisation and data gather: public table " + std::to_string(c)));
    }
    static constexpr int kCols[] = {kXsLo, kXsK, kRemLo, kRemHi, kD0, kD1, kD2};
    for (int k = 0; k < 7; ++k) vf.AddClaim(kCols[k], sc.point, sc.values[k]);
    data_point = sc.point;
    data_value = sc.values[7];
  }
  // 10. Batch and open.
  std::vector<Fp2> packed_point;
  Fp2 packed_value;
  {
    auto& claims = vf.claims();
    std::vector<Fp2> gam = tr.ChallengeFp2s("pot.batch_coefficients", claims.size());
    Fp2 sum = Fp2::Zero();
    for (size_t k = 0; k < claims.size(); ++k) sum += gam[k] * claims[k].value;
    auto batched = VerifyMaskedSumcheck(Scheme{}, BatchShape(s.log_total), sum, p.batch, tr);
    if (!batched.ok()) return Status::Rejected("claim batching: " + batched.status().message());
    const SumcheckClaim& sc = *batched;
    Fp2 g = Fp2::Zero();
    for (size_t k = 0; k < claims.size(); ++k) {
      g += gam[k] * EqEval(PackedPoint(s, claims[k].col, claims[k].point), sc.point);
    }
    ZK_RETURN_IF_ERROR(Expect(sc.values[1] == g, "claim batching: selector"));
    packed_point = sc.point;
    packed_value = sc.values[0];
  }
  if (!vf.all_used()) return Status::Rejected("proof carries unused evaluations or sumchecks");
  const PcsCommitment commitments[] = {p.witness_commitment, p.helper_commitment, st.dataset.pcs};
  std::vector<PcsClaim> claims = {{0, packed_point, packed_value}};
  for (PcsClaim& c : helper_claims) claims.push_back(std::move(c));
  claims.push_back({2, data_point, data_value});
  Status opened = PcsVerify(commitments, claims, p.opening, tr);
  if (!opened.ok()) return Status::Rejected("opening: " + opened.message());
  return Status::Ok();
}

}  // namespace

Result<TrainingStatement> ReadTrainingStatement(ByteSpan proof_file) {
  ZK_ASSIGN_OR_RETURN(ProofContainer c, ProofContainer::Parse(proof_file));
  if (c.kind() != ProofKind::kTrainingRun) return Status::BadInput("not a proof of training");
  ZK_ASSIGN_OR_RETURN(ByteSpan st, c.Require(kTagStatement, "statement"));
  return TrainingStatement::Parse(st);
}

VerifyOutcome VerifyTraining(ByteSpan proof_file, const DatasetCommitment* expected_dataset) {
  return VerifyWitnessProof<VerifyOutcome, TrainingStatement>(Decode(proof_file), expected_dataset,
                                                              VerifyProofData);
}

Status CheckModelMatchesStatement(const ml::Model& model, const TrainingStatement& st) {
  if (model.spec.kind != st.kind)
    return Status::Rejected("model file: model kind differs from the proof");
  if (model.layers.size() != 1 || model.layers[0].weights != st.final_weights ||
      model.layers[0].bias.size() != 1 || model.layers[0].bias[0] != st.final_bias) {
    return Status::Rejected("model file: weights differ from the proven ones");
  }
  if (model.standardizer.mean != st.mean || model.standardizer.multiplier != st.multiplier) {
    return Status::Rejected("model file: preprocessing differs from the proven one");
  }
  if (st.kind == ml::ModelKind::kLinReg &&
      (model.target_mean != st.target_mean || model.target_multiplier != st.target_multiplier)) {
    return Status::Rejected("model file: target preprocessing differs from the proven one");
  }
  if (st.kind == ml::ModelKind::kLogReg &&
      (model.classes.size() != 2 || model.classes[0] != 0 || model.classes[1] != 1)) {
    return Status::Rejected("model file: classes are not 0 and 1");
  }
  const ml::Hyperparameters& h = model.hyper;
  if (h.epochs != st.epochs || h.batch != st.batch || h.seed != st.seed || h.lr != st.lr ||
      h.schedule != st.schedule || h.lr_step_epochs != st.lr_step_epochs ||
      h.lr_decay != st.lr_decay || h.test_split != st.test_split || h.l2 != 0 ||
      model.fraction_bits != st.fraction_bits) {
    return Status::Rejected("model file: hyper-parameters differ from the proven ones");
  }
  return Status::Ok();
}

}  // namespace zektra::pot
