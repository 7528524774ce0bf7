#include "zektra/pot/accuracy_proof.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "zektra/base/serialize.h"
#include "zektra/base/thread_pool.h"
#include "zektra/base/timer.h"
#include "zektra/crypto/random.h"
#include "zektra/crypto/sha256.h"
#include "zektra/ml/fixed_point.h"
#include "zektra/ml/trainer.h"
#include "zektra/pot/blinding.h"
#include "zektra/pot/packed_witness.h"
#include "zektra/zk/logup.h"
#include "zektra/zk/logup_zk.h"
#include "zektra/zk/multilinear.h"
#include "zektra/zk/pcs.h"
#include "zektra/zk/proof_format.h"
#include "zektra/zk/sumcheck_zk_pcs.h"

namespace zektra::pot {
namespace {

using Scheme = LigeroCommitmentScheme;
using MaskedProof = MaskedSumcheckProof<Scheme>;

constexpr int kF = 16;
constexpr int64_t kClampV = (int64_t{1} << 24) - 1;  // the standardiser's clamp bound 2^V − 1
constexpr int kValueBits = 24;
constexpr int kMaxLogWidth = 12;  // features, hidden widths, classes ≤ 4096: products < 2^61
constexpr int kMaxLogRows = 20;   // test rows / inputs ≤ 2^20
constexpr uint64_t kMaxDomain = uint64_t{1} << 25;  // rows (with ζ) × width a verifier accepts
constexpr uint64_t kMaxWeights = uint64_t{1} << 24;
constexpr int kScoreShift = 8;                      // softmax score 2^8·z + tie-break (255 − k)
constexpr int64_t kPadScore = -(int64_t{1} << 40);  // padded classes never win
constexpr int kScoreBits = 42;                      // 0 ≤ max score − score < 2^42
constexpr int kClampExcessBits = 29;  // q beyond the clamp: |q| < 2^28 (about 4000 sd)
// At least 2^4 real (and as many blinding) rows, so that every column has more blinding
// entries than the proof reveals evaluations of it (docs/SECURITY.md).
constexpr int kMinLogRealRows = 4;
constexpr const char* kTranscriptLabel = "zektra.accuracy.v2";
constexpr const char* kPrivateModelTranscriptLabel = "zektra.accuracy.private-model.v1";

enum : uint32_t {
  kTagStatement = 1,
  kTagWitnessCommitment = 2,
  kTagHelperCommitment = 3,  // the range lookup's committed inverses (zk/logup_zk.h)
  kTagEvaluations = 4,
  kTagSumchecks = 5,
  kTagOpening = 6,
};

Fp2 CP(int e) {
  return Fp2(Pow2(e));
}
Fp2 C(int64_t v) {
  return Fp2(Fp::FromSigned(v));
}

int BitLen(uint64_t x) {
  return x == 0 ? 0 : std::bit_width(x);
}
int CeilLog2(uint64_t n) {
  return n <= 1 ? 0 : std::bit_width(n - 1);
}

Fp2 Half() {
  return Fp2(Fp::From(2).Inverse());
}

std::vector<Fp2> Concat(std::span<const Fp2> a, std::span<const Fp2> b) {
  std::vector<Fp2> out(a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}
// Π_{t ∈ [from, to)} (1 − s_t): the extension of "the high bits are zero".
Fp2 ZeroHigh(std::span<const Fp2> s, size_t from, size_t to) {
  Fp2 acc = Fp2::One();
  for (size_t t = from; t < to; ++t) acc *= Fp2::One() - s[t];
  return acc;
}

// The exact standardisation of one raw value (Standardizer::Apply on its fixed-point form):
// q = floor((raw − mean)·mult / 2^32), xs = clamp(q, ±(2^24 − 1)); above/below the clamp
// excess. Computed in 128 bits; `fits` is false when q does not fit the provable bounds.
struct Standardised {
  __int128 centred = 0, q = 0, rem = 0;
  int64_t xs = 0, above = 0, below = 0;
  bool fits = false;
};
Standardised Standardise(int64_t raw, int64_t mean, int64_t mult) {
  Standardised s;
  s.centred = static_cast<__int128>(raw) - mean;
  const __int128 prod = s.centred * mult;
  s.q = prod >> ml::Standardizer::kMultiplierShift;
  s.rem = prod - (s.q << ml::Standardizer::kMultiplierShift);
  s.xs = static_cast<int64_t>(std::clamp<__int128>(s.q, -kClampV, kClampV));
  const __int128 above = std::max<__int128>(s.q - kClampV, 0);
  const __int128 below = std::max<__int128>(-kClampV - s.q, 0);
  s.fits = above < (__int128{1} << kClampExcessBits) && below < (__int128{1} << kClampExcessBits);
  s.above = s.fits ? static_cast<int64_t>(above) : 0;
  s.below = s.fits ? static_cast<int64_t>(below) : 0;
  return s;
}

// ---- the public plan of a proof, derived from the statement alone ----

struct Bnd {
  std::vector<int> limbs;
  int k = 0;
  int64_t offset = 0;
};

struct ColInfo {
  std::string name;
  int a = 0;         // log width of a 2-D tensor over the padded rows (0: a row vector)
  int log_size = 0;  // a + log rows, or 16 for a multiplicity column
  int range_group = -1;
};

struct LayerPlan {
  uint64_t in = 0, out = 0;
  int lin = 0, lout = 0;
  bool hidden = false;
  std::vector<int64_t> w;     // 2^lout × 2^lin, zero-padded (layer 0: at the input's columns)
  std::vector<int64_t> bias;  // 2^lout
  Bnd aq, ar, h, nn;
};

// Blinding. Every row domain has one more top variable ζ than the rows need: rows
// [0, Nh) are the real rows (padded), rows [Nh, 2·Nh) a blinding instance. In committed mode
// the row domain is the test set commitment's, whose upper half holds the owner's blinding
// rows (pot/dataset_commitment.h). The blinding half satisfies every relation that the
// verifier checks at points with a random ζ (the layer products, the one-hot row sums, the
// label binding) over the field with otherwise uniformly random values; the element-wise
// relations (ReLU, argmax, booleanity, standardisation) and the count see only the real half
// (their gates and the count's public factor 1 − ζ vanish on it), and so does the range
// lookup (its live entries are each column's lower half). Every point at which the verifier
// learns a witness or test-set evaluation has a random ζ, so each value it sees is
// (1 − ζ)·real + ζ·blinding.
struct Plan {
  bool committed = true;
  bool softmax = true;
  uint64_t n = 0, D = 0, K = 0;  // rows, model features, classes
  int lnp = 0, ld = 0, lko = 0, lkmax = 0;
  std::vector<LayerPlan> layers;
  // Committed mode: per dataset column (2^ld) the public standardiser (0 for unused columns).
  std::vector<int64_t> col_mean, col_mult;
  std::vector<int> col_k;
  uint64_t label_col = 0;
  std::vector<uint64_t> feature_col;  // dataset column of model feature f
  // Public-input mode: the standardised inputs (Np × 2^ld) and the one-hot predictions.
  std::vector<int64_t> x_pub;
  std::vector<Fp> pred_onehot;       // Np × 2^lko (zero on padded rows)
  int64_t theta = 0;                 // sigmoid: class 1 iff z ≥ theta
  std::vector<int64_t> beta;         // score offset per class (2^lko)
  std::vector<int64_t> class_fixed;  // label value of each class, fixed point (0 on padding)
  std::vector<ColInfo> cols;
  int o = -1, m = -1, y = -1;
  Bnd d, xa, xb, above, below, rem;
  std::array<int, 3> cen{-1, -1, -1};
  std::vector<int> range_cols;  // every limb column: one zero-knowledge range lookup
  int mult = -1;                // its multiplicities, split into two random shares (2^17)
  ZkLookupLayout layout;
  std::vector<uint64_t> offset;
  int log_total = 0;
  uint64_t witness_used = 0;  // entries the columns fill; the rest of 2^log_total is zero
  // Private model: the model commitment's layout, the limb columns of the whole model vector
  // M (both halves; the lookup bounds the real half), and layer 0's input width in the model.
  bool priv = false;
  ModelLayout mlayout;
  Bnd mlimbs;

  uint64_t Np() const { return uint64_t{1} << lnp; }  // real and blinding rows
  uint64_t Nh() const { return Np() / 2; }            // the real rows (padded)
  uint64_t Dp() const { return uint64_t{1} << ld; }
  uint64_t Kop() const { return uint64_t{1} << lko; }
  uint64_t Kmax() const { return uint64_t{1} << lkmax; }
};

int AddCol(Plan& p, std::string name, int a, int range_group) {
  p.cols.push_back({std::move(name), a, a + p.lnp, range_group});
  return static_cast<int>(p.cols.size()) - 1;
}
Bnd AddBnd(Plan& p, const std::string& name, int a, int k, int64_t offset, int group) {
  Bnd b{{}, k, offset};
  for (int l = 0; l < LimbCount(k); ++l)
    b.limbs.push_back(AddCol(p, name + ".limb" + std::to_string(l), a, group));
  return b;
}

const LookupTable& RangeTable() {
  static const LookupTable table = LookupTable::Range(16);
  return table;
}

// Sigmoid: the smallest table index whose value is ≥ 2^(F−1) (p ≥ ½), from the public table;
// the table must be monotone for [p ≥ ½] = [z ≥ θ] to hold.
Result<int64_t> SigmoidThreshold() {
  ml::FixedPointFormat fp;
  int64_t first = ml::kSigmoidIndexMax + 1;
  for (int64_t i = ml::kSigmoidIndexMin; i <= ml::kSigmoidIndexMax; ++i) {
    if (i > ml::kSigmoidIndexMin && fp.SigmoidAt(i) < fp.SigmoidAt(i - 1))
      return Status::Internal("the sigmoid table is not monotone");
    if (first > ml::kSigmoidIndexMax && fp.SigmoidAt(i) >= (int64_t{1} << (kF - 1))) first = i;
  }
  if (first <= ml::kSigmoidIndexMin || first > ml::kSigmoidIndexMax)
    return Status::Internal("the sigmoid table has no interior ½ threshold");
  return first << (kF - 8);
}

// Softmax: the largest probability belongs exactly to the largest logits when the exp table
// is monotone and its first step below the top, 2^F − T_exp[−1], is at least K (then
// floor(e·2^F/S) < floor(2^2F/S) for every e < 2^F, as S ≤ K·2^F).
Status CheckSoftmaxArgmax(uint64_t classes) {
  ml::FixedPointFormat fp;
  for (int64_t i = ml::kExpIndexMin + 1; i <= ml::kExpIndexMax; ++i)
    if (fp.ExpAt(i) < fp.ExpAt(i - 1)) return Status::Internal("the exp table is not monotone");
  if (fp.ExpAt(0) != (int64_t{1} << kF) ||
      (int64_t{1} << kF) - fp.ExpAt(-1) < static_cast<int64_t>(classes)) {
    return Status::BadInput("statement: too many classes for the softmax argmax reduction");
  }
  return Status::Ok();
}

Result<Plan> DeriveShape(const AccuracyStatement& st) {
  auto bad = [](const std::string& why) { return Status::BadInput("statement: " + why); };
  Plan p;
  p.committed = st.mode == AccuracyMode::kCommittedTestSet;
  if (st.fraction_bits != kF) return bad("fraction bits must be 16");
  if (st.output == ml::OutputKind::kIdentity)
    return bad("a regression model (identity output) has no accuracy");
  p.softmax = st.output == ml::OutputKind::kSoftmax;
  const size_t L = st.layers.size();
  if (L == 0 || L > 8) return bad("1..8 layers");
  p.D = st.feature_names.size();
  if (p.D == 0 || p.D >= (uint64_t{1} << kMaxLogWidth)) return bad("feature count out of range");
  if (st.mean.size() != p.D || st.multiplier.size() != p.D)
    return bad("preprocessing does not match the feature count");
  for (uint64_t f = 0; f < p.D; ++f) {
    if (st.mean[f] <= -(int64_t{1} << 46) || st.mean[f] >= (int64_t{1} << 46) ||
        st.multiplier[f] < 0 || st.multiplier[f] > (int64_t{1} << 49)) {
      return bad("preprocessing parameter of feature " + std::to_string(f) + " out of range");
    }
  }
  uint64_t weights = 0, prev = p.D;
  const int64_t vlim = int64_t{1} << kValueBits;
  p.priv = st.model_commitment.has_value();
  // A private model's verifier sees shapes only; its prover holds the weights (the range
  // lookup, not this check, bounds them).
  const bool with_weights = !p.priv || (!st.layers.empty() && !st.layers[0].weights.empty());
  for (size_t l = 0; l < L; ++l) {
    const ml::Layer& layer = st.layers[l];
    if (layer.inputs != prev) return bad("layer " + std::to_string(l) + " input width");
    if (layer.outputs == 0 || layer.outputs > (uint64_t{1} << kMaxLogWidth))
      return bad("layer " + std::to_string(l) + " output width");
    weights += layer.inputs * layer.outputs;
    if (weights > kMaxWeights) return bad("too many weights");
    if (!with_weights) {
      if (!layer.weights.empty() || !layer.bias.empty())
        return bad("a private-model statement holds weights of layer " + std::to_string(l));
      prev = layer.outputs;
      continue;
    }
    if (layer.weights.size() != layer.inputs * layer.outputs ||
        layer.bias.size() != layer.outputs) {
      return bad("layer " + std::to_string(l) + " shape");
    }
    if (!p.priv) {
      for (int64_t w : layer.weights)
        if (w <= -vlim || w >= vlim) return bad("weight out of range");
      for (int64_t b : layer.bias)
        if (b <= -vlim || b >= vlim) return bad("bias out of range");
    }
    prev = layer.outputs;
  }
  if (p.priv) {
    // The model commitment must be about exactly this public model.
    const ModelCommitment& mc = *st.model_commitment;
    if (mc.model_spec != st.model_spec || mc.output != st.output ||
        mc.fraction_bits != st.fraction_bits || mc.feature_names != st.feature_names ||
        mc.label_name != st.label_name || mc.classes != st.classes || mc.mean != st.mean ||
        mc.multiplier != st.multiplier || mc.layers.size() != L) {
      return bad("the model commitment's public part differs from the statement's model");
    }
    for (size_t l = 0; l < L; ++l)
      if (mc.layers[l].first != st.layers[l].inputs || mc.layers[l].second != st.layers[l].outputs)
        return bad("the model commitment's layer " + std::to_string(l) + " shape differs");
    auto layout = mc.Layout();
    if (!layout.ok()) return bad("model commitment: " + layout.status().message());
    if (!mc.pcs.params.hiding || mc.pcs.params.log_size != layout->log_size())
      return bad("the model commitment has the wrong shape");
    p.mlayout = std::move(*layout);
  }
  p.K = st.classes.size();
  if (p.softmax) {
    if (prev != p.K || p.K < 2 || p.K > 256) return bad("softmax width must equal 2..256 classes");
    ZK_RETURN_IF_ERROR(CheckSoftmaxArgmax(p.K));
    p.lko = CeilLog2(p.K);
  } else {
    if (prev != 1 || p.K != 2) return bad("a sigmoid model has one output and two classes");
    ZK_ASSIGN_OR_RETURN(p.theta, SigmoidThreshold());
    p.lko = 1;
  }
  ml::FixedPointFormat fp;
  p.class_fixed.assign(p.Kop(), 0);
  for (uint64_t k = 0; k < p.K; ++k) {
    auto q = ml::QuantizeRaw(st.classes[k], fp);
    if (!q.ok()) return bad("class value out of range");
    p.class_fixed[k] = *q;
    for (uint64_t j = 0; j < k; ++j)
      if (p.class_fixed[j] == *q) return bad("two classes have the same fixed-point label");
  }
  p.beta.assign(p.Kop(), kPadScore);
  for (uint64_t k = 0; k < p.K; ++k) {
    if (!p.softmax)
      p.beta[k] = 0;
    else
      p.beta[k] = p.K == 2 ? static_cast<int64_t>(k) : 255 - static_cast<int64_t>(k);
  }

  if (p.committed) {
    if (!st.test_set) return bad("committed mode needs a test-set commitment");
    const DatasetCommitment& ds = *st.test_set;
    if (ds.fraction_bits != kF) return bad("test set fraction bits must be 16");
    if (ds.rows < 2 || ds.rows > (uint64_t{1} << kMaxLogRows))
      return bad("test set rows out of range");
    if (ds.features == 0 || ds.features + 1 > (uint64_t{1} << kMaxLogWidth) ||
        ds.feature_names.size() != ds.features) {
      return bad("test set feature count out of range");
    }
    if (st.total != ds.rows) return bad("total differs from the test set's rows");
    if (st.correct > st.total) return bad("more correct rows than rows");
    if (!st.inputs.empty() || !st.predictions.empty()) return bad("inputs in committed mode");
    p.n = ds.rows;
    // The committed matrix's upper row half holds the owner's blinding rows
    // (pot/dataset_commitment.h): they are the blinding instance's data.
    p.lnp = ds.log_rows();
    p.ld = ds.log_cols();
    if (p.ld != CeilLog2(ds.features + 1) || ds.pcs.params.log_size != p.lnp + p.ld)
      return bad("test set commitment has the wrong shape");
    if (p.lnp - 1 < kMinLogRealRows)
      return bad(
          "a test set needs at least 9 rows (16 blinding rows hide the proof's evaluations)");
    p.label_col = ds.features;
    p.col_mean.assign(p.Dp(), 0);
    p.col_mult.assign(p.Dp(), 0);
    p.col_k.assign(p.Dp(), 48);
    for (uint64_t f = 0; f < p.D; ++f) {
      uint64_t found = ds.features;
      for (uint64_t j = 0; j < ds.features; ++j) {
        if (ds.feature_names[j] == st.feature_names[f]) {
          if (found != ds.features)
            return bad("test set has two columns named " + ds.feature_names[j]);
          found = j;
        }
      }
      if (found == ds.features)
        return bad("test set has no column named '" + st.feature_names[f] + "'");
      for (uint64_t g = 0; g < f; ++g)
        if (p.feature_col[g] == found) return bad("model feature names repeat");
      p.feature_col.push_back(found);
      p.col_mean[found] = st.mean[f];
      p.col_mult[found] = st.multiplier[f];
      // |(M − mean)·mult| < 2^60 and 2^32·|q| < 2^62.1: their difference never wraps p.
      p.col_k[found] = std::min(48, 61 - BitLen(static_cast<uint64_t>(st.multiplier[f])));
    }
  } else {
    if (st.test_set || st.correct != 0) return bad("a test set in public-input mode");
    p.n = st.total;
    if (p.n == 0 || p.n > (uint64_t{1} << kMaxLogRows)) return bad("input count out of range");
    if (st.inputs.size() != p.n * p.D || st.predictions.size() != p.n)
      return bad("inputs or predictions do not match the input count");
    p.lnp = std::max(kMinLogRealRows, CeilLog2(p.n)) + 1;
    p.ld = std::max(1, CeilLog2(p.D));
    for (uint64_t f = 0; f < p.D; ++f) p.feature_col.push_back(f);
  }
  if ((p.Np() << p.ld) > kMaxDomain) return bad("rows × features too large");

  // Layers, padded.
  for (size_t l = 0; l < L; ++l) {
    const ml::Layer& layer = st.layers[l];
    LayerPlan lp;
    lp.in = layer.inputs;
    lp.out = layer.outputs;
    lp.lin = l == 0 ? p.ld : p.layers[l - 1].lout;
    lp.lout = CeilLog2(layer.outputs);
    lp.hidden = l + 1 < L;
    if ((p.Np() << lp.lout) > kMaxDomain) return bad("rows × layer width too large");
    const uint64_t ip = uint64_t{1} << lp.lin;
    lp.w.assign((uint64_t{1} << lp.lout) * ip, 0);
    lp.bias.assign(uint64_t{1} << lp.lout, 0);
    for (uint64_t k = 0; k < lp.out && with_weights; ++k) {
      lp.bias[k] = layer.bias[k];
      for (uint64_t j = 0; j < lp.in; ++j) {
        const uint64_t col = l == 0 ? p.feature_col[j] : j;
        lp.w[k * ip + col] = layer.weights[k * lp.in + j];
      }
    }
    p.layers.push_back(std::move(lp));
  }
  if (p.softmax && p.layers.back().lout != p.lko) return bad("output width");
  p.lkmax = p.lko;
  for (const auto& lp : p.layers) p.lkmax = std::max(p.lkmax, lp.lout);
  if (p.committed) p.lkmax = std::max(p.lkmax, p.ld);

  if (!p.committed) {
    p.x_pub.assign(p.Np() << p.ld, 0);
    for (uint64_t i = 0; i < p.n; ++i) {
      for (uint64_t f = 0; f < p.D; ++f) {
        const int64_t raw = st.inputs[i * p.D + f];
        if (raw <= -(int64_t{1} << 46) || raw >= (int64_t{1} << 46))
          return bad("input out of range");
        p.x_pub[(i << p.ld) + f] = Standardise(raw, st.mean[f], st.multiplier[f]).xs;
      }
    }
    p.pred_onehot.assign(p.Np() << p.lko, Fp::Zero());
    for (uint64_t i = 0; i < p.n; ++i) {
      if (st.predictions[i] >= p.K) return bad("prediction is not a class");
      p.pred_onehot[(i << p.lko) + st.predictions[i]] = Fp::One();
    }
  }

  // Committed columns.
  for (size_t l = 0; l < p.layers.size(); ++l) {
    LayerPlan& lp = p.layers[l];
    const std::string pre = "layer" + std::to_string(l) + ".";
    lp.aq = AddBnd(p, pre + "acc_q", lp.lout, 32, int64_t{1} << 31, 0);
    lp.ar = AddBnd(p, pre + "acc_r", lp.lout, 16, 0, 0);
    if (lp.hidden) {
      lp.h = AddBnd(p, pre + "h", lp.lout, kValueBits, 0, 0);
      lp.nn = AddBnd(p, pre + "h_minus_z", lp.lout, 32, 0, 0);
    }
  }
  p.o = AddCol(p, "prediction_onehot", p.lko, -1);
  p.d = AddBnd(p, "score_gap", p.lko, kScoreBits, 0, 0);
  p.m = AddCol(p, "max_score", 0, -1);
  if (p.committed) {
    p.y = AddCol(p, "label_onehot", p.lko, -1);
    p.xa = AddBnd(p, "clamp_gap_hi", p.ld, 32, 0, 1);
    p.xb = AddBnd(p, "clamp_gap_lo", p.ld, 32, 0, 1);
    p.above = AddBnd(p, "clamp_above", p.ld, kClampExcessBits, 0, 1);
    p.below = AddBnd(p, "clamp_below", p.ld, kClampExcessBits, 0, 1);
    p.rem = AddBnd(p, "std_rem", p.ld, 32, 0, 1);
    for (int l = 0; l < 3; ++l) p.cen[l] = AddCol(p, "centred.limb" + std::to_string(l), p.ld, 1);
  }
  if (p.priv) {
    p.mlimbs = Bnd{{}, kModelValueBits, kModelValueOffset};
    for (int l = 0; l < LimbCount(kModelValueBits); ++l) {
      p.cols.push_back({"model.limb" + std::to_string(l), 0, p.mlayout.log_size(), 2});
      p.mlimbs.limbs.push_back(static_cast<int>(p.cols.size()) - 1);
    }
  }
  {
    std::vector<size_t> sizes;
    for (size_t c = 0; c < p.cols.size(); ++c) {
      if (p.cols[c].range_group < 0) continue;
      p.range_cols.push_back(static_cast<int>(c));
      sizes.push_back(static_cast<size_t>(p.cols[c].log_size));  // live: the lower (real) half
    }
    p.layout = ZkLookupLayout::Pack(sizes, false, RangeTable().log_size());
    p.cols.push_back(
        {"range_multiplicities", 0, static_cast<int>(RangeTable().log_size()) + 1, -1});
    p.mult = static_cast<int>(p.cols.size()) - 1;
  }
  // Packed layout: segments by decreasing size, each aligned to its size.
  std::vector<int> order(p.cols.size());
  for (size_t c = 0; c < order.size(); ++c) order[c] = static_cast<int>(c);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return p.cols[a].log_size > p.cols[b].log_size; });
  p.offset.assign(p.cols.size(), 0);
  uint64_t at = 0;
  for (int c : order) {
    p.offset[c] = at;
    at += uint64_t{1} << p.cols[c].log_size;
  }
  p.log_total = CeilLog2(at);
  p.witness_used = at;
  return p;
}

// Private model: where the layer-products sumcheck (point s, ζ at s[jmax]) leaves layer l's
// input — its input variables from s, its row variables from the layer's claim point, then ζ.
// Prover and verifier both read the input there.
std::vector<Fp2> PrivateLayerInputPoint(const Plan& p, size_t l, std::span<const Fp2> s,
                                        std::span<const Fp2> layer_point, size_t jmax) {
  const LayerPlan& lp = p.layers[l];
  std::vector<Fp2> pt = Concat(s.first(lp.lin), layer_point.subspan(lp.lout, p.lnp - 1));
  pt.push_back(s[jmax]);
  return pt;
}

std::vector<Fp2> PackedPoint(const Plan& p, int c, std::span<const Fp2> point) {
  const int ls = p.cols[c].log_size;
  return Concat(point, BitsPoint(p.offset[c] >> ls, p.log_total - ls));
}

// ---- the zero-check over (k, i) ∈ [2^lkmax] × [Np] that carries every element-wise relation ----

// kBias (private model): layer `id`'s committed bias over (k, i): the real bias on the real
// rows, the model commitment's blinding bias on the blinding rows.
enum class FK { kGate, kCol, kDataset, kColVec, kPub, kBias };
struct Factor {
  FK kind;
  int id;
  int bcast = -1;  // ≥ 0: a row vector repeated over k < 2^bcast
  bool operator==(const Factor&) const = default;
};
struct Mono {
  Fp2 c;
  std::vector<int> f;
};
using Poly = std::vector<Mono>;
Poly operator+(Poly a, const Poly& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}
Poly operator*(Fp2 c, Poly a) {
  for (auto& m : a) m.c *= c;
  return a;
}
Poly operator*(const Poly& a, const Poly& b) {
  Poly out;
  for (const auto& x : a)
    for (const auto& y : b) {
      Mono m{x.c * y.c, x.f};
      m.f.insert(m.f.end(), y.f.begin(), y.f.end());
      out.push_back(std::move(m));
    }
  return out;
}
Poly Const(Fp2 c) {
  return {Mono{c, {}}};
}

struct Gate {
  int a;
  bool sel;  // only rows < n (otherwise every real row, padding included)
  bool operator==(const Gate&) const = default;
};
struct Relation {
  int gate_factor;
  Poly poly;
};

struct ZeroCheck {
  std::vector<Factor> factors;
  std::vector<Gate> gates;
  std::vector<std::vector<Fp>> colvecs;  // per k < 2^a
  std::vector<int> colvec_a;
  std::vector<Relation> rels;

  int F(Factor f) {
    for (size_t i = 0; i < factors.size(); ++i)
      if (factors[i] == f) return static_cast<int>(i);
    factors.push_back(f);
    return static_cast<int>(factors.size()) - 1;
  }
  Poly Var(Factor f) { return {Mono{Fp2::One(), {F(f)}}}; }
  Poly Col(int c, int bcast = -1) { return Var({FK::kCol, c, bcast}); }
  Poly ColVec(std::vector<Fp> v, int a) {
    colvecs.push_back(std::move(v));
    colvec_a.push_back(a);
    return Var({FK::kColVec, static_cast<int>(colvecs.size()) - 1});
  }
  Poly Value(const Bnd& b, int bcast = -1) {
    auto coefs = LimbCoefs(b.k);
    Poly out = Const(C(-b.offset));
    for (size_t l = 0; l < b.limbs.size(); ++l) out = out + Fp2(coefs[l]) * Col(b.limbs[l], bcast);
    return out;
  }
  int GateF(int a, bool sel) {
    Gate g{a, sel};
    size_t i = 0;
    while (i < gates.size() && !(gates[i] == g)) ++i;
    if (i == gates.size()) gates.push_back(g);
    return F({FK::kGate, static_cast<int>(i)});
  }
  void Add(int a, bool sel, Poly poly) { rels.push_back({GateF(a, sel), std::move(poly)}); }

  SumOfProducts Shape(size_t vars, std::span<const Fp2> gammas) const {
    SumOfProducts s{vars, factors.size(), {}};
    for (size_t r = 0; r < rels.size(); ++r) {
      for (const Mono& mono : rels[r].poly) {
        if (mono.c == Fp2::Zero()) continue;
        std::vector<uint32_t> f{static_cast<uint32_t>(rels[r].gate_factor)};
        for (int x : mono.f) f.push_back(static_cast<uint32_t>(x));
        s.terms.push_back(ProductTerm{gammas[r] * mono.c, std::move(f)});
      }
    }
    return s;
  }
};

std::vector<Fp> SignedVec(std::span<const int64_t> v) {
  std::vector<Fp> out(v.size());
  for (size_t i = 0; i < v.size(); ++i) out[i] = Fp::FromSigned(v[i]);
  return out;
}

ZeroCheck BuildZeroCheck(const Plan& p) {
  ZeroCheck z;
  // Hidden layers: H − (H − Z) = Q + b and H·(H − Z) = 0, so H = max(Z, 0).
  // The bias of layer l: a public column vector, or (private model) the committed one.
  // (Public weights: the same tables as version 1 proofs, so those still verify.)
  auto minus_bias = [&](size_t l) -> Poly {
    const LayerPlan& lp = p.layers[l];
    if (p.priv) return C(-1) * z.Var({FK::kBias, static_cast<int>(l), -1});
    std::vector<Fp> minus_b(uint64_t{1} << lp.lout);
    for (size_t k = 0; k < minus_b.size(); ++k) minus_b[k] = Fp::FromSigned(-lp.bias[k]);
    return z.ColVec(minus_b, lp.lout);
  };
  auto bias = [&](size_t l, int bcast) -> Poly {
    return z.Var({FK::kBias, static_cast<int>(l), bcast});
  };
  for (size_t l = 0; l < p.layers.size(); ++l) {
    const LayerPlan& lp = p.layers[l];
    if (!lp.hidden) continue;
    z.Add(lp.lout, false,
          z.Value(lp.h) + C(-1) * z.Value(lp.nn) + C(-1) * z.Value(lp.aq) + minus_bias(l));
    z.Add(lp.lout, false, z.Value(lp.h) * z.Value(lp.nn));
  }
  // Output: gap = max − score ≥ 0 (range), one-hot o, o·gap = 0.
  const LayerPlan& out = p.layers.back();
  if (p.softmax) {
    // score = 2^8·(Q + b) + beta
    if (!p.priv) {
      std::vector<Fp> cst(p.Kop());
      for (uint64_t k = 0; k < p.Kop(); ++k)
        cst[k] = Fp::FromSigned((out.bias[k] << kScoreShift) + p.beta[k]);
      z.Add(p.lko, false,
            z.Value(p.d) + C(-1) * z.Col(p.m, p.lko) + CP(kScoreShift) * z.Value(out.aq) +
                z.ColVec(cst, p.lko));
    } else {
      z.Add(p.lko, false,
            z.Value(p.d) + C(-1) * z.Col(p.m, p.lko) + CP(kScoreShift) * z.Value(out.aq) +
                CP(kScoreShift) * bias(p.layers.size() - 1, -1) +
                z.ColVec(SignedVec(p.beta), p.lko));
    }
  } else {
    // score_0 = 2θ − 1, score_1 = 2·(Q + b)
    std::vector<Fp> e1 = {Fp::Zero(), Fp::One()};
    if (!p.priv) {
      std::vector<Fp> cst = {Fp::FromSigned(2 * p.theta - 1), Fp::FromSigned(2 * out.bias[0])};
      z.Add(p.lko, false,
            z.Value(p.d) + C(-1) * z.Col(p.m, p.lko) +
                C(2) * (z.ColVec(e1, 1) * z.Value(out.aq, 1)) + z.ColVec(cst, 1));
    } else {
      std::vector<Fp> cst = {Fp::FromSigned(2 * p.theta - 1), Fp::Zero()};
      z.Add(p.lko, false,
            z.Value(p.d) + C(-1) * z.Col(p.m, p.lko) +
                C(2) * (z.ColVec(e1, 1) * z.Value(out.aq, 1)) +
                C(2) * (z.ColVec(e1, 1) * bias(p.layers.size() - 1, 1)) + z.ColVec(cst, 1));
    }
  }
  z.Add(p.lko, false, z.Col(p.o) * z.Col(p.o) + C(-1) * z.Col(p.o));
  z.Add(p.lko, false, z.Col(p.o) * z.Value(p.d));
  if (p.committed) {
    z.Add(p.lko, false, z.Col(p.y) * z.Col(p.y) + C(-1) * z.Col(p.y));
    if (p.Kop() > p.K) {
      std::vector<Fp> pad(p.Kop(), Fp::Zero());
      for (uint64_t k = p.K; k < p.Kop(); ++k) pad[k] = Fp::One();
      z.Add(p.lko, false, z.ColVec(pad, p.lko) * z.Col(p.y));
    }
    // Standardisation of the committed rows (rows < n), with the clamp:
    //   mult·(M − mean) = 2^32·q + rem,  q = xs + above − below,  xs = V − xa = xb − V,
    //   above·xa = 0, below·xb = 0, and M − mean bounded by the centred limbs.
    std::vector<Fp> mult(p.Dp()), c1(p.Dp()), c2(p.Dp());
    std::array<std::vector<Fp>, 3> cf;
    for (auto& v : cf) v.resize(p.Dp());
    for (uint64_t j = 0; j < p.Dp(); ++j) {
      const Fp mean = Fp::FromSigned(p.col_mean[j]);
      mult[j] = Fp::FromSigned(p.col_mult[j]);
      c1[j] = Fp::Zero() - mean * mult[j] - Pow2(32) * Fp::FromSigned(kClampV);
      c2[j] = Pow2(p.col_k[j] - 1) - mean;
      auto coefs = LimbCoefs(p.col_k[j]);
      for (int l = 0; l < 3; ++l) cf[l][j] = Fp::Zero() - coefs[l];
    }
    const Poly M = z.Var({FK::kDataset, 0});
    z.Add(p.ld, true,
          z.ColVec(mult, p.ld) * M + z.ColVec(c1, p.ld) + CP(32) * z.Value(p.xa) +
              C(-1) * CP(32) * z.Value(p.above) + CP(32) * z.Value(p.below) +
              C(-1) * z.Value(p.rem));
    Poly cen = M + z.ColVec(c2, p.ld);
    for (int l = 0; l < 3; ++l) cen = cen + z.ColVec(cf[l], p.ld) * z.Col(p.cen[l]);
    z.Add(p.ld, true, std::move(cen));
    z.Add(p.ld, true, z.Value(p.above) * z.Value(p.xa));
    z.Add(p.ld, true, z.Value(p.below) * z.Value(p.xb));
    z.Add(p.ld, true, z.Value(p.xa) + z.Value(p.xb) + Const(C(-2 * kClampV)));
  } else {
    // The committed one-hot equals the statement's predictions on the real rows.
    z.Add(p.lko, true, z.Col(p.o) + C(-1) * z.Var({FK::kPub, 0}));
  }
  return z;
}

// The gate's extension at s: Σ_x eq(s,x)·eq(τ,x)·[k < 2^a]·[i < (sel ? n : Nh)]: every
// element-wise relation holds on the real half only; the blinding half is free.
Fp2 GateAt(const Plan& p, const Gate& g, std::span<const Fp2> tau, std::span<const Fp2> s) {
  Fp2 acc = Fp2::One();
  for (int t = 0; t < p.lkmax; ++t) {
    const Fp2 both = (Fp2::One() - s[t]) * (Fp2::One() - tau[t]);
    acc *= t < g.a ? s[t] * tau[t] + both : both;
  }
  auto si = s.subspan(p.lkmax), ti = tau.subspan(p.lkmax);
  std::vector<Fp2> es = EqTable(si), et = EqTable(ti);
  Fp2 rows = Fp2::Zero();
  for (uint64_t i = 0; i < (g.sel ? p.n : p.Nh()); ++i) rows += es[i] * et[i];
  return acc * rows;
}

// ---- the proof object ----

struct ProofData {
  Bytes statement_bytes;
  PcsCommitment witness_commitment, helper_commitment;
  std::vector<Fp2> evaluations;
  std::vector<MaskedProof> sumchecks;
  PcsOpeningProof opening;
};

Bytes Encode(const ProofData& p) {
  ProofContainer c(ProofKind::kTestAccuracy);
  c.Set(kTagStatement, p.statement_bytes);
  c.Set(kTagWitnessCommitment, p.witness_commitment.Serialize());
  c.Set(kTagHelperCommitment, p.helper_commitment.Serialize());
  {
    ByteWriter w;
    WriteFp2Vector(w, p.evaluations);
    c.Set(kTagEvaluations, w.Take());
  }
  {
    ByteWriter w;
    Scheme scheme;
    w.U64(p.sumchecks.size());
    for (const auto& sc : p.sumchecks) sc.Write(scheme, w);
    c.Set(kTagSumchecks, w.Take());
  }
  c.Set(kTagOpening, p.opening.Serialize());
  return c.Encode();
}

Result<ProofData> Decode(ByteSpan bytes) {
  ZK_ASSIGN_OR_RETURN(ProofContainer c, ProofContainer::Parse(bytes));
  if (c.kind() != ProofKind::kTestAccuracy)
    return Status::BadInput("not a proof of test accuracy (kind " +
                            std::string(ProofKindName(c.kind())) + ")");
  ProofData p;
  ZK_ASSIGN_OR_RETURN(ByteSpan st, c.Require(kTagStatement, "statement"));
  p.statement_bytes.assign(st.begin(), st.end());
  ZK_ASSIGN_OR_RETURN(ByteSpan wc, c.Require(kTagWitnessCommitment, "witness commitment"));
  ZK_ASSIGN_OR_RETURN(p.witness_commitment, PcsCommitment::Parse(wc));
  ZK_ASSIGN_OR_RETURN(ByteSpan hc, c.Require(kTagHelperCommitment, "helper commitment"));
  ZK_ASSIGN_OR_RETURN(p.helper_commitment, PcsCommitment::Parse(hc));
  {
    ZK_ASSIGN_OR_RETURN(ByteSpan b, c.Require(kTagEvaluations, "evaluations"));
    ByteReader r(b);
    p.evaluations = ReadFp2Vector(r, "evaluations", 4096);
    ZK_RETURN_IF_ERROR(r.Finish("evaluations section"));
  }
  {
    ZK_ASSIGN_OR_RETURN(ByteSpan b, c.Require(kTagSumchecks, "sumchecks"));
    ByteReader r(b);
    Scheme scheme;
    const uint64_t n = r.Count("sumchecks", 16, 8);
    for (uint64_t i = 0; i < n && r.ok(); ++i) {
      ZK_ASSIGN_OR_RETURN(MaskedProof sc, MaskedProof::Read(scheme, r));
      p.sumchecks.push_back(std::move(sc));
    }
    ZK_RETURN_IF_ERROR(r.Finish("sumchecks section"));
  }
  {
    ZK_ASSIGN_OR_RETURN(ByteSpan b, c.Require(kTagOpening, "opening"));
    ZK_ASSIGN_OR_RETURN(p.opening, ParsePcsOpeningProof(b));
  }
  return p;
}

struct Claim {
  int col;
  std::vector<Fp2> point;
  Fp2 value;
};

// The point of a claim on the factor's source, and the factor by which the zero-check's table
// (zero-extended or broadcast to the full width) scales it.
std::vector<Fp2> FactorPoint(const Plan& p, int a, std::span<const Fp2> s) {
  return Concat(s.first(a), s.subspan(p.lkmax));
}

// The count sumcheck over (k, i, ζ): o·y·(1 − ζ) + λ·E·y with E = eq(ρ, i)·class(k). The public
// factor 1 − ζ (multilinear 3) counts the real half only; the second term binds y to the
// committed labels on both halves.
SumOfProducts CountShape(const Plan& p, Fp2 lambda) {
  return SumOfProducts{static_cast<size_t>(p.lko + p.lnp),
                       4,
                       {ProductTerm{Fp2::One(), {0, 1, 3}}, ProductTerm{lambda, {2, 1}}}};
}

// Private model: layer l's weights as the plan lays them out (2^lout × 2^lin, layer 0 at the
// input's columns) from one half of the model vector (`half` = the 2^log_real entries).
std::vector<Fp> PlanWeights(const Plan& p, size_t l, std::span<const Fp> half) {
  const LayerPlan& lp = p.layers[l];
  const ModelBlock& b = p.mlayout.weights[l];
  const uint64_t ip = uint64_t{1} << lp.lin, kp = uint64_t{1} << lp.lout;
  const uint64_t cols = l == 0 ? lp.in : (uint64_t{1} << b.log_cols);
  std::vector<Fp> w(kp * ip, Fp::Zero());
  for (uint64_t k = 0; k < kp; ++k)
    for (uint64_t j = 0; j < cols; ++j)
      w[k * ip + (l == 0 ? p.feature_col[j] : j)] = half[b.offset + (k << b.log_cols) + j];
  return w;
}

// Layer 0's weight remap (private model): the layer-product sumcheck leaves a claim on the
// weights laid out at the input's columns j; P(f) = eq(s_j, column of feature f) (f < D)
// turns it into Σ_f P(f)·W(r_k, f, ζ), a claim on the committed layout.
std::vector<Fp2> RemapTable(const Plan& p, std::span<const Fp2> sj) {
  std::vector<Fp2> es = EqTable(sj);
  std::vector<Fp2> t(uint64_t{1} << p.mlayout.weights[0].log_cols, Fp2::Zero());
  for (uint64_t f = 0; f < p.D; ++f) t[f] = es[p.feature_col[f]];
  return t;
}

// The model link (private model), a zero-check over the model vector's 2^(m+1) entries:
// eq(τ, x)·[M − Σ_l coef_l·limb_l + offset + γ·pad·M] sums to 0, so M equals its range-checked
// limbs on both halves and is zero on the real half's padding. Factors: 0 eq, 1 M, 2.. limbs,
// last the public padding selector.
// With the claims on M batched in: + λ·M·g, g = Σ_k γ_k·eq(x_k, ·) + γ_0·G_0 (factor 3 + limbs),
// so the sum is λ·Σ_k γ_k·v_k.
SumOfProducts ModelLinkShape(const Plan& p, Fp2 gamma, Fp2 lambda) {
  const uint32_t nl = static_cast<uint32_t>(p.mlimbs.limbs.size());
  SumOfProducts s{static_cast<size_t>(p.mlayout.log_size()), 4 + nl, {}};
  s.terms.push_back(ProductTerm{lambda, {1, 3 + nl}});
  s.terms.push_back(ProductTerm{Fp2::One(), {0, 1}});
  auto coefs = LimbCoefs(p.mlimbs.k);
  for (uint32_t l = 0; l < nl; ++l)
    s.terms.push_back(ProductTerm{Fp2::Zero() - Fp2(coefs[l]), {0, 2 + l}});
  s.terms.push_back(ProductTerm{C(p.mlimbs.offset), {0}});
  s.terms.push_back(ProductTerm{gamma, {0, 2 + nl, 1}});
  return s;
}

Fp2 EqOne(Fp2 a, Fp2 b) {
  return a * b + (Fp2::One() - a) * (Fp2::One() - b);
}

// Layer 0's weight claim (private model) is not an evaluation of M but the linear functional
// Σ_f P(f)·W_0(r_k, f, ζ) (P: RemapTable); G_0 is its weight on M's entries:
// G_0(x) = eq(ζ, x_top)·eq(r_k, x_k)·P(x_f) on layer 0's block, 0 elsewhere.
struct Layer0Claim {
  std::vector<Fp2> rk, sj;
  Fp2 zeta, value;
};
Fp2 Layer0WeightAt(const Plan& p, const Layer0Claim& c, std::span<const Fp2> s) {
  const ModelBlock& b = p.mlayout.weights[0];
  const size_t lf = static_cast<size_t>(b.log_cols), lk = static_cast<size_t>(b.log_rows);
  const size_t lr = static_cast<size_t>(p.mlayout.log_real), mid = lr - lf - lk;
  Fp2 v = EvaluateMultilinear(RemapTable(p, c.sj), s.first(lf)) * EqEval(c.rk, s.subspan(lf, lk));
  v *= EqEval(BitsPoint(b.offset >> b.log_size(), mid), s.subspan(lf + lk, mid));
  return v * EqOne(c.zeta, s[lr]);
}
void AddLayer0Weight(const Plan& p, const Layer0Claim& c, Fp2 gamma, std::vector<Fp2>& g) {
  const ModelBlock& b = p.mlayout.weights[0];
  std::vector<Fp2> ptab = RemapTable(p, c.sj), ek = EqTable(c.rk);
  const uint64_t half = p.mlayout.real_size();
  for (int z = 0; z < 2; ++z) {
    const Fp2 ez = z ? c.zeta : Fp2::One() - c.zeta;
    for (uint64_t k = 0; k < ek.size(); ++k) {
      const Fp2 w = gamma * ez * ek[k];
      for (uint64_t f = 0; f < ptab.size(); ++f)
        g[z * half + b.offset + (k << b.log_cols) + f] += w * ptab[f];
    }
  }
}

// ---- prover ----

class Prover {
 public:
  Prover(const Plan& p, const std::vector<std::vector<Fp>>& cols, Transcript& tr, ProofData& out,
         std::vector<RevealedEvaluation>* audit)
      : p_(p), cols_(cols), tr_(tr), out_(out), audit_(audit) {}

  Fp2 Eval(int c, std::span<const Fp2> point) const { return EvaluateMultilinear(cols_[c], point); }
  Fp2 Reveal(int c, std::span<const Fp2> point) {
    Fp2 v = Eval(c, point);
    SendValue(v);
    AddClaim(c, {point.begin(), point.end()}, v);
    return v;
  }
  // A value that the statement fixes (a one-hot row sum): sent and claimed, not audited.
  void RevealPublic(int c, std::span<const Fp2> point) {
    Fp2 v = Eval(c, point);
    SendValue(v);
    claims_.push_back({c, {point.begin(), point.end()}, v});
  }
  Fp2 RevealValue(const Bnd& b, std::span<const Fp2> point) {
    auto coefs = LimbCoefs(b.k);
    Fp2 acc = C(-b.offset);
    for (size_t l = 0; l < b.limbs.size(); ++l) acc += Fp2(coefs[l]) * Reveal(b.limbs[l], point);
    return acc;
  }
  void SendValue(Fp2 v) {
    out_.evaluations.push_back(v);
    tr_.AbsorbFp2("accuracy.evaluation", v);
  }
  // Audit (tests): the value a proof without the blinding half would have revealed, the
  // real half alone at the same low coordinates (for the split multiplicities, the sum of
  // both shares: the multiplicities themselves).
  void AddClaim(int c, std::vector<Fp2> point, Fp2 v) {
    if (audit_) {
      const std::vector<Fp>& col = cols_[c];
      const size_t half = col.size() / 2;
      std::span<const Fp2> low = std::span<const Fp2>(point).first(point.size() - 1);
      Fp2 unmasked = EvaluateMultilinear(std::span<const Fp>(col).first(half), low);
      if (c == p_.mult)
        unmasked += EvaluateMultilinear(std::span<const Fp>(col).subspan(half), low);
      audit_->push_back({p_.cols[c].name, v, unmasked, point.back()});
    }
    claims_.push_back({c, std::move(point), v});
  }
  // An evaluation of the committed test set at `point` (its last coordinate is ζ).
  void AuditData(const std::string& what, std::span<const Fp> matrix, std::span<const Fp2> point,
                 Fp2 v) {
    if (!audit_) return;
    audit_->push_back(
        {what, v,
         EvaluateMultilinear(matrix.first(matrix.size() / 2), point.first(point.size() - 1)),
         point.back()});
  }
  SumcheckClaim Sumcheck(const SumOfProducts& shape, std::span<const MultilinearRef> inputs,
                         Fp2 sum) {
    SumcheckClaim claim;
    out_.sumchecks.push_back(ProveMaskedSumcheck(Scheme{}, shape, inputs, sum, tr_, &claim));
    return claim;
  }
  std::vector<Claim>& claims() { return claims_; }

 private:
  const Plan& p_;
  const std::vector<std::vector<Fp>>& cols_;
  Transcript& tr_;
  ProofData& out_;
  std::vector<RevealedEvaluation>* audit_;
  std::vector<Claim> claims_;
};

Status Fail(const std::string& why) {
  return Status::InvalidArgument("cannot prove this: " + why);
}

// The metrics' prediction rule (ml/metrics.cc) on ForwardFixed's probabilities.
uint32_t MetricsPrediction(const int64_t* prob, size_t width, size_t classes, int f) {
  const int64_t half = int64_t{1} << (f - 1);
  if (classes == 2) return (width == 1 ? prob[0] : prob[1]) >= half ? 1 : 0;
  return static_cast<uint32_t>(std::max_element(prob, prob + width) - prob);
}

AccuracyStatement StatementOf(const ml::Model& model, AccuracyMode mode) {
  AccuracyStatement st;
  st.mode = mode;
  st.model_spec = model.spec.ToString();
  st.output = model.output;
  st.fraction_bits = model.fraction_bits;
  st.feature_names = model.feature_names;
  st.label_name = model.label_name;
  st.classes = model.classes;
  st.mean = model.standardizer.mean;
  st.multiplier = model.standardizer.multiplier;
  st.layers = model.layers;
  return st;
}

Result<Bytes> ProveImpl(const ml::Model& model, const ml::Table& table, const CommittedDataset* ds,
                        const CommittedModel* cm, AccuracyTamper tamper,
                        std::vector<RevealedEvaluation>* audit) {
  if (model.output == ml::OutputKind::kIdentity || model.task == ml::Task::kRegression)
    return Fail("linreg is a regression model; it has no accuracy to prove");
  if (model.fraction_bits != kF) return Fail("fraction bits must be 16");
  const bool committed = ds != nullptr;
  AccuracyStatement st =
      StatementOf(model, committed ? AccuracyMode::kCommittedTestSet : AccuracyMode::kPublicInputs);
  CommittedModel own_model;  // kModelPadding: the dishonest owner's own commitment
  if (cm) {
    Status same = CheckModelMatchesCommitmentPublicPart(model, cm->commitment);
    if (!same.ok()) return Fail(same.message());
    if (cm->prover.openings_used() >= cm->prover.params().max_openings) {
      return Status::InvalidArgument("the model commitment's hiding is sized for " +
                                     std::to_string(cm->prover.params().max_openings) +
                                     " proofs and they are used up; commit the model again");
    }
    st.model_commitment = cm->commitment;
    if (tamper != AccuracyTamper::kOutOfRangeModel) {
      for (const auto& layer : model.layers) {
        auto bad = [](int64_t v) { return v <= -kModelValueOffset || v >= kModelValueOffset; };
        if (std::any_of(layer.weights.begin(), layer.weights.end(), bad) ||
            std::any_of(layer.bias.begin(), layer.bias.end(), bad))
          return Fail("a weight or bias is outside (-2^24, 2^24)");
      }
    }
    {
      // The prover's model must be the committed one (a caller bug otherwise, reported).
      const std::vector<Fp> real = cm->layout.RealHalf(model.layers);
      if (!std::equal(real.begin(), real.end(), cm->vector.begin()))
        return Fail("the model's weights are not the committed ones");
    }
    if (tamper == AccuracyTamper::kCommittedWeight) st.layers[0].weights[0] += 1;
  }
  // kModelPadding: a nonzero entry in the last layer's padded rows (a hidden extra class),
  // placed in the plan's weights after each DeriveShape.
  auto pad_tamper = [&](Plan& pl) -> Status {
    if (tamper != AccuracyTamper::kModelPadding || !cm) return Status::Ok();
    LayerPlan& lp = pl.layers.back();
    if (lp.out == (uint64_t{1} << lp.lout)) return Fail("the last layer has no padding rows");
    lp.w[lp.out << lp.lin] = 1;
    return Status::Ok();
  };
  ml::FixedPointFormat fp;
  // Model feature f → table column.
  std::vector<uint64_t> tcol;
  for (const auto& name : model.feature_names) {
    auto it = std::find(table.feature_names.begin(), table.feature_names.end(), name);
    if (it == table.feature_names.end())
      return Fail(table.source + " has no column '" + name + "'");
    tcol.push_back(static_cast<uint64_t>(it - table.feature_names.begin()));
  }
  if (committed) {
    if (table.label_name.empty()) return Fail("the test set needs its label column");
    if (table.rows != ds->commitment.rows || table.cols() != ds->commitment.features)
      return Fail("the table does not have the committed test set's shape");
    st.test_set = ds->commitment;
    st.total = table.rows;
  } else {
    st.total = table.rows;
    st.inputs.resize(table.rows * tcol.size());
    for (uint64_t i = 0; i < table.rows; ++i) {
      for (size_t f = 0; f < tcol.size(); ++f) {
        auto q = ml::QuantizeRaw(table.row(i)[tcol[f]], fp);
        if (!q.ok()) return q.status();
        st.inputs[i * tcol.size() + f] = *q;
      }
    }
    st.predictions.assign(table.rows, 0);  // placeholder for the shape; filled below
  }
  ZK_ASSIGN_OR_RETURN(Plan p, DeriveShape(st));
  ZK_RETURN_IF_ERROR(pad_tamper(p));
  const uint64_t Np = p.Np(), Nh = p.Nh(), n = p.n;
  if (committed && ds->matrix.size() != (Np << p.ld))
    return Fail("the test set commitment has no blinding rows");
  Timer phase_timer;
  const bool profile = std::getenv("ZEKTRA_POT_PROFILE") != nullptr;
  auto phase = [&](const char* name) {
    if (profile) std::fprintf(stderr, "accuracy: %s %.3fs\n", name, phase_timer.Seconds());
    phase_timer.Reset();
  };

  // The real half. Standardised inputs X (Nh × 2^ld) and, committed mode, the
  // standardisation witness.
  std::vector<int64_t> X(Nh << p.ld, 0);
  std::vector<int64_t> XA, XB, AB, BE, REM, CEN;
  if (committed) {
    const uint64_t sz = Nh << p.ld;
    XA.assign(sz, kClampV);
    XB.assign(sz, kClampV);
    AB.assign(sz, 0);
    BE.assign(sz, 0);
    REM.assign(sz, 0);
    CEN.assign(sz, 0);
    for (uint64_t i = 0; i < n; ++i) {
      for (uint64_t j = 0; j <= ds->commitment.features; ++j) {
        const double raw_real = j < ds->commitment.features ? table.row(i)[j] : table.labels[i];
        auto raw = ml::QuantizeRaw(raw_real, fp);
        if (!raw.ok()) return raw.status();
        Standardised sd = Standardise(*raw, p.col_mean[j], p.col_mult[j]);
        const __int128 lim = __int128{1} << (p.col_k[j] - 1);
        if (sd.centred <= -lim || sd.centred >= lim || !sd.fits) {
          return Fail("row " + std::to_string(i) + " column " + std::to_string(j) +
                      " is outside the provable standardisation range");
        }
        const uint64_t x = (i << p.ld) + j;
        X[x] = sd.xs;
        XA[x] = kClampV - sd.xs;
        XB[x] = kClampV + sd.xs;
        AB[x] = sd.above;
        BE[x] = sd.below;
        REM[x] = static_cast<int64_t>(sd.rem);
        CEN[x] = static_cast<int64_t>(sd.centred);
      }
      for (uint64_t f = 0; f < p.D; ++f) {
        auto ref = model.standardizer.Apply(f, table.row(i)[tcol[f]], fp);
        if (!ref.ok() || *ref != X[(i << p.ld) + p.feature_col[f]])
          return Status::Internal("standardisation witness disagrees with ml::Standardizer");
      }
    }
  } else {
    std::copy(p.x_pub.begin(), p.x_pub.begin() + static_cast<std::ptrdiff_t>(Nh << p.ld),
              X.begin());
  }

  // Forward pass over the real rows (padding included), the trainer's arithmetic exactly.
  struct LayerWit {
    std::vector<int64_t> aq, ar, h, nn, z;
  };
  std::vector<LayerWit> lw(p.layers.size());
  std::vector<int64_t> hprev = X;
  bool tampered_relu = false;
  for (size_t l = 0; l < p.layers.size(); ++l) {
    const LayerPlan& lp = p.layers[l];
    const uint64_t kp = uint64_t{1} << lp.lout, ip = uint64_t{1} << lp.lin;
    LayerWit& w = lw[l];
    w.aq.assign(Nh * kp, 0);
    w.ar.assign(Nh * kp, 0);
    w.z.assign(Nh * kp, 0);
    ParallelFor(
        0, Nh,
        [&](size_t b, size_t e) {
          for (size_t i = b; i < e; ++i)
            for (uint64_t k = 0; k < kp; ++k) {
              int64_t acc = 0;
              const int64_t* wr = lp.w.data() + k * ip;
              const int64_t* hr = hprev.data() + i * ip;
              for (uint64_t j = 0; j < ip; ++j) acc += hr[j] * wr[j];
              const uint64_t x = i * kp + k;
              w.aq[x] = ml::FloorShift(acc, kF);
              w.ar[x] = acc - (w.aq[x] << kF);
            }
        },
        4);
    if (l == 0 && tamper == AccuracyTamper::kTruncation) {
      w.aq[0] += 1;
      w.ar[0] -= int64_t{1} << kF;
    }
    for (uint64_t x = 0; x < Nh * kp; ++x) {
      w.z[x] = w.aq[x] + lp.bias[x % kp];
      if (w.aq[x] < -(int64_t{1} << 31) || w.aq[x] >= (int64_t{1} << 31))
        return Fail("a pre-activation of layer " + std::to_string(l) +
                    " exceeds 2^31 (2^15 in real terms)");
    }
    if (lp.hidden) {
      w.h.assign(Nh * kp, 0);
      w.nn.assign(Nh * kp, 0);
      for (uint64_t x = 0; x < Nh * kp; ++x) {
        w.h[x] = std::max<int64_t>(w.z[x], 0);
        w.nn[x] = w.h[x] - w.z[x];
        if (w.h[x] >= (int64_t{1} << kValueBits))
          return Fail("hidden activation of layer " + std::to_string(l) + " out of range");
      }
      if (l == 0 && tamper == AccuracyTamper::kActivation) w.h[0] += 1;
      if (tamper == AccuracyTamper::kReluSign && !tampered_relu) {
        for (uint64_t x = 0; x < Nh * kp; ++x) {
          if (w.z[x] < 0) {
            w.h[x] = w.z[x];
            w.nn[x] = 0;
            tampered_relu = true;
            break;
          }
        }
      }
      hprev = w.h;
    }
  }
  // Predictions: the argmax of the tie-broken scores.
  const LayerWit& last = lw.back();
  const uint64_t Kop = p.Kop(), kpl = uint64_t{1} << p.layers.back().lout;
  std::vector<int64_t> score(Nh * Kop, 0);
  std::vector<uint32_t> pred(Nh, 0);
  for (uint64_t i = 0; i < Nh; ++i) {
    for (uint64_t k = 0; k < Kop; ++k) {
      if (p.softmax) {
        score[i * Kop + k] = (last.z[i * kpl + k] << kScoreShift) + p.beta[k];
      } else {
        score[i * Kop + k] = k == 0 ? 2 * p.theta - 1 : 2 * last.z[i * kpl];
      }
    }
    pred[i] = static_cast<uint32_t>(
        std::max_element(score.begin() + i * Kop, score.begin() + (i + 1) * Kop) -
        (score.begin() + i * Kop));
  }
  if (tamper == AccuracyTamper::kNone) {
    // The reduction (scores vs. ml's probabilities and the metrics' rule) checked on real rows.
    std::vector<int32_t> xm(n * p.D);
    for (uint64_t i = 0; i < n; ++i)
      for (uint64_t f = 0; f < p.D; ++f)
        xm[i * p.D + f] = static_cast<int32_t>(X[(i << p.ld) + p.feature_col[f]]);
    ZK_ASSIGN_OR_RETURN(std::vector<int64_t> probs,
                        ml::ForwardFixed(fp, model.output, model.layers, xm.data(), n));
    const size_t width = model.layers.back().outputs;
    for (uint64_t i = 0; i < n; ++i) {
      if (MetricsPrediction(probs.data() + i * width, width, p.K, kF) != pred[i])
        return Status::Internal("argmax witness disagrees with ml's prediction at row " +
                                std::to_string(i));
    }
  }
  if (tamper == AccuracyTamper::kPrediction) pred[0] = static_cast<uint32_t>((pred[0] + 1) % p.K);
  std::vector<int64_t> mx(Nh), gap(Nh * Kop);
  for (uint64_t i = 0; i < Nh; ++i) {
    mx[i] = score[i * Kop + pred[i]];
    for (uint64_t k = 0; k < Kop; ++k) gap[i * Kop + k] = mx[i] - score[i * Kop + k];
  }
  // Labels (committed mode) and the count.
  std::vector<uint32_t> label(Nh, 0);
  if (committed) {
    for (uint64_t i = 0; i < n; ++i) {
      auto raw = ml::QuantizeRaw(table.labels[i], fp);
      if (!raw.ok()) return raw.status();
      uint64_t k = 0;
      while (k < p.K && p.class_fixed[k] != *raw) ++k;
      if (k == p.K)
        return Fail("row " + std::to_string(i) + ": label " + std::to_string(table.labels[i]) +
                    " is not a class of the model");
      label[i] = static_cast<uint32_t>(k);
    }
    if (tamper == AccuracyTamper::kLabel) {
      for (uint64_t i = 0; i < n; ++i)
        if (label[i] != pred[i]) {
          label[i] = pred[i];
          break;
        }
    }
    uint64_t correct = 0;
    for (uint64_t i = 0; i < n; ++i) correct += label[i] == pred[i];
    st.correct = correct;
    if (tamper == AccuracyTamper::kInflatedCount)
      st.correct = correct < n ? correct + 1 : correct - 1;
  } else {
    for (uint64_t i = 0; i < n; ++i) st.predictions[i] = pred[i];
  }
  if (tamper == AccuracyTamper::kModelWeight) {
    // A weight that meets nonzero data (a weight on an all-zero column changes nothing).
    uint64_t f = 0;
    for (uint64_t g = 0; g < p.D && f == 0; ++g)
      for (uint64_t i = 0; i < n; ++i)
        if (X[(i << p.ld) + p.feature_col[g]] != 0) {
          f = g + 1;
          break;
        }
    st.layers[0].weights[f == 0 ? 0 : f - 1] += 1;
  }
  // The final statement (predictions, a tampered weight) fixes the public tables.
  ZK_ASSIGN_OR_RETURN(p, DeriveShape(st));
  ZK_RETURN_IF_ERROR(pad_tamper(p));
  // Private model: the model vector the witness uses (its real half from the prover's layers,
  // its blinding half the commitment's) and the commitment that the proof opens.
  std::vector<Fp> mvec;
  std::vector<int64_t> mint;  // the real half as integers
  const CommittedModel* model_src = cm;
  if (p.priv) {
    const uint64_t half = p.mlayout.real_size();
    mvec = p.mlayout.RealHalf(st.layers);
    mint.assign(half, 0);
    for (uint64_t x = 0; x < half; ++x) mint[x] = mvec[x].ToSigned();
    if (tamper == AccuracyTamper::kModelPadding) {
      const LayerPlan& lp = p.layers.back();
      const ModelBlock& b = p.mlayout.weights.back();
      const uint64_t at = b.offset + (lp.out << b.log_cols);
      mvec[at] = Fp::One();
      mint[at] = 1;
    }
    mvec.insert(mvec.end(), cm->vector.begin() + static_cast<std::ptrdiff_t>(half),
                cm->vector.end());
    if (tamper == AccuracyTamper::kModelPadding) {
      own_model.commitment = cm->commitment;
      own_model.layout = cm->layout;
      own_model.vector = mvec;
      own_model.prover = PcsCommitBorrowing(own_model.vector, cm->prover.params());
      own_model.commitment.pcs = own_model.prover.commitment();
      st.model_commitment = own_model.commitment;
      model_src = &own_model;
    }
  }

  // Witness columns: the real half from the integers above.
  std::vector<std::vector<Fp>> cols(p.cols.size());
  for (size_t c = 0; c < p.cols.size(); ++c)
    cols[c].assign(uint64_t{1} << p.cols[c].log_size, Fp::Zero());
  bool out_of_range = false;
  auto limbs = [&](const Bnd& b, const std::vector<int64_t>& v) {
    for (size_t x = 0; x < v.size(); ++x) {
      const int64_t u = v[x] + b.offset;
      if (u < 0 || u >= (int64_t{1} << b.k)) {
        out_of_range = true;  // a dishonest witness: the range lookup will fail
        cols[b.limbs[0]][x] = Fp::FromSigned(u) * LimbCoefs(b.k)[0].Inverse();
        continue;
      }
      auto lv = LimbValues(static_cast<uint64_t>(u), b.k);
      for (size_t l = 0; l < b.limbs.size(); ++l) cols[b.limbs[l]][x] = Fp::From(lv[l]);
    }
  };
  for (size_t l = 0; l < p.layers.size(); ++l) {
    limbs(p.layers[l].aq, lw[l].aq);
    limbs(p.layers[l].ar, lw[l].ar);
    if (p.layers[l].hidden) {
      limbs(p.layers[l].h, lw[l].h);
      limbs(p.layers[l].nn, lw[l].nn);
    }
  }
  limbs(p.d, gap);
  for (uint64_t i = 0; i < Nh; ++i) {
    cols[p.m][i] = Fp::FromSigned(mx[i]);
    cols[p.o][i * Kop + pred[i]] = Fp::One();
    if (committed && i < n) cols[p.y][i * Kop + label[i]] = Fp::One();
  }
  if (committed) {
    limbs(p.xa, XA);
    limbs(p.xb, XB);
    limbs(p.above, AB);
    limbs(p.below, BE);
    limbs(p.rem, REM);
    for (uint64_t x = 0; x < (Nh << p.ld); ++x) {
      const int k = p.col_k[x & (p.Dp() - 1)];
      auto lv = LimbValues(static_cast<uint64_t>(CEN[x] + (int64_t{1} << (k - 1))), k);
      for (int l = 0; l < 3; ++l) cols[p.cen[l]][x] = Fp::From(lv[l]);
    }
  }
  if (p.priv) limbs(p.mlimbs, mint);
  if (out_of_range && tamper == AccuracyTamper::kNone)
    return Fail("a witness value is outside its provable bound");
  {
    // Multiplicities of the live entries (entries outside the table are skipped: only a
    // dishonest witness has them), split into two random shares.
    std::vector<Fp> m(uint64_t{1} << 16, Fp::Zero());
    for (int c : p.range_cols) {
      const size_t half = cols[c].size() / 2;
      for (size_t x = 0; x < half; ++x)
        if (cols[c][x].v < (uint64_t{1} << 16)) m[cols[c][x].v] += Fp::One();
    }
    cols[p.mult] = ZkSplitMultiplicities(m);
  }

  // The blinding half: uniformly random, except where a relation that the verifier checks
  // on both halves solves for one value (docs/SECURITY.md).
  RandomFields rng;
  for (size_t c = 0; c < p.cols.size(); ++c) {
    if (static_cast<int>(c) == p.mult) continue;
    for (size_t x = cols[c].size() / 2; x < cols[c].size(); ++x) cols[c][x] = rng.Next();
  }
  auto value_at = [&](const Bnd& b, uint64_t x) {
    auto coefs = LimbCoefs(b.k);
    Fp v = Fp::FromSigned(-b.offset);
    for (size_t l = 0; l < b.limbs.size(); ++l) v += coefs[l] * cols[b.limbs[l]][x];
    return v;
  };
  auto solve_top_limb = [&](const Bnd& b, uint64_t x, Fp value) {  // the others stay random
    auto coefs = LimbCoefs(b.k);
    const size_t top = b.limbs.size() - 1;
    Fp acc = value + Fp::FromSigned(b.offset);
    for (size_t l = 0; l < top; ++l) acc -= coefs[l] * cols[b.limbs[l]][x];
    cols[b.limbs[top]][x] = acc * coefs[top].Inverse();
  };
  if (p.priv) {  // the model limbs' blinding half meets the committed blinding weights
    const uint64_t half = p.mlayout.real_size();
    for (uint64_t x = half; x < 2 * half; ++x) solve_top_limb(p.mlimbs, x, mvec[x]);
  }
  // Every layer's input over all rows (field form): real rows from the integers, blinding
  // rows V − xa (committed) or 0 (public inputs: the verifier's X has a zero upper half),
  // then the previous layer's random activations. Each blinding product A = H·Wᵀ is exact
  // over the field, with R random and Q's top limb solved.
  std::vector<std::vector<Fp>> hin(p.layers.size());
  for (size_t l = 0; l < p.layers.size(); ++l) {
    const LayerPlan& lp = p.layers[l];
    const uint64_t kp = uint64_t{1} << lp.lout, ip = uint64_t{1} << lp.lin;
    std::vector<Fp>& H = hin[l];
    H.assign(Np * ip, Fp::Zero());
    const std::vector<int64_t>& real = l == 0 ? X : lw[l - 1].h;
    for (uint64_t x = 0; x < Nh * ip; ++x) H[x] = Fp::FromSigned(real[x]);
    for (uint64_t x = Nh * ip; x < Np * ip; ++x) {
      if (l > 0)
        H[x] = value_at(p.layers[l - 1].h, x);
      else if (committed)
        H[x] = Fp::FromSigned(kClampV) - value_at(p.xa, x);
    }
    std::vector<Fp> wf = p.priv ? PlanWeights(p, l,
                                              std::span<const Fp>(mvec).subspan(
                                                  p.mlayout.real_size(), p.mlayout.real_size()))
                                : SignedVec(lp.w);
    std::vector<Fp> acc(Nh * kp);
    ParallelFor(
        0, Nh,
        [&](size_t b, size_t e) {
          for (size_t i = b; i < e; ++i)
            for (uint64_t k = 0; k < kp; ++k) {
              Fp a = Fp::Zero();
              const Fp* hr = H.data() + (Nh + i) * ip;
              const Fp* wr = wf.data() + k * ip;
              for (uint64_t j = 0; j < ip; ++j) a += hr[j] * wr[j];
              acc[i * kp + k] = a;
            }
        },
        4);
    const Fp inv = Pow2(-kF);
    for (uint64_t x = 0; x < Nh * kp; ++x) {
      const uint64_t at = Nh * kp + x;
      solve_top_limb(lp.aq, at, (acc[x] - value_at(lp.ar, at)) * inv);
    }
  }
  // One-hot rows of the blinding half sum to 1 (the verifier checks the row sums at a random
  // ζ); the label one-hot's rows also meet the committed blinding rows' label entries.
  for (uint64_t i = Nh; i < Np; ++i) {
    Fp rest = Fp::Zero();
    for (uint64_t k = 1; k < Kop; ++k) rest += cols[p.o][i * Kop + k];
    cols[p.o][i * Kop] = Fp::One() - rest;
    if (!committed) continue;
    Fp s1 = Fp::Zero(), s2 = Fp::Zero();
    for (uint64_t k = 2; k < Kop; ++k) {
      s1 += cols[p.y][i * Kop + k];
      s2 += Fp::FromSigned(p.class_fixed[k]) * cols[p.y][i * Kop + k];
    }
    const Fp c0 = Fp::FromSigned(p.class_fixed[0]), c1 = Fp::FromSigned(p.class_fixed[1]);
    const Fp label_entry = ds->matrix[(i << p.ld) + p.label_col];
    const Fp y1 = (label_entry - s2 - c0 * (Fp::One() - s1)) * (c1 - c0).Inverse();
    cols[p.y][i * Kop + 1] = y1;
    cols[p.y][i * Kop] = Fp::One() - s1 - y1;
  }
  switch (tamper) {
    case AccuracyTamper::kBlindingProduct:
      cols[p.layers[0].aq.limbs[0]][Nh << p.layers[0].lout] += Fp::One();
      break;
    case AccuracyTamper::kBlindingOneHot:
      cols[p.o][Nh * Kop] += Fp::One();
      break;
    case AccuracyTamper::kBlindingLabel:
      if (committed) {
        cols[p.y][Nh * Kop] += Fp::One();
        cols[p.y][Nh * Kop + 1] -= Fp::One();
      }
      break;
    case AccuracyTamper::kMultiplicity:
      cols[p.mult][5] += Fp::One();
      break;
    default:
      break;
  }

  phase("witness");
  // Commit.
  ProofData out;
  out.statement_bytes = st.Serialize();
  std::vector<Fp> packed(uint64_t{1} << p.log_total, Fp::Zero());
  const WipeOnScopeExit wipe_packed(packed);  // the witness holds the test data
  for (size_t c = 0; c < p.cols.size(); ++c)
    std::copy(cols[c].begin(), cols[c].end(), packed.begin() + p.offset[c]);
  // Borrowed, not copied: `packed` outlives `pdata` and stays unchanged until the opening.
  PcsProverData pdata = PcsCommitBorrowing(
      packed, PcsParamsWithZeroTail(ChoosePcsParams(p.log_total, true, 100, 1), p.witness_used));
  out.witness_commitment = pdata.commitment();
  Transcript tr(p.priv ? kPrivateModelTranscriptLabel : kTranscriptLabel);
  tr.AbsorbBytes("accuracy.statement", out.statement_bytes);
  tr.AbsorbBytes("accuracy.witness_commitment", out.witness_commitment.Serialize());
  Prover pv(p, cols, tr, out, audit);
  phase("commit");

  // 1. The range lookup (zk/logup_zk.h): α, β; the committed inverses v; one masked sumcheck.
  std::vector<Fp2> helper_point;
  Fp2 helper_value;
  PcsProverData hdata;
  {
    const ZkLookupLayout& layout = p.layout;
    const Fp2 alpha = tr.ChallengeFp2("accuracy.lookup_alpha");
    const Fp2 beta = tr.ChallengeFp2("accuracy.lookup_beta");
    std::vector<Fp> entries(uint64_t{1} << layout.log_entries, Fp::Zero());
    for (size_t g = 0; g < p.range_cols.size(); ++g) {
      const std::vector<Fp>& col = cols[p.range_cols[g]];
      std::copy(col.begin(), col.end(),
                entries.begin() + static_cast<std::ptrdiff_t>(layout.segments[g].offset));
    }
    std::vector<Fp> helper = ZkLookupHelper(layout, entries, {}, alpha, beta);
    phase("range lookup: helper");
    hdata = PcsCommit(helper, ChoosePcsParams(static_cast<int>(layout.log_entries), true, 100, 1));
    out.helper_commitment = hdata.commitment();
    tr.AbsorbBytes("accuracy.helper_commitment", out.helper_commitment.Serialize());
    phase("range lookup: helper commitment");
    std::vector<Fp2> r = tr.ChallengeFp2s("accuracy.lookup_point", layout.log_entries);
    const Fp2 lambda = tr.ChallengeFp2("accuracy.lookup_lambda");
    ZkLookupTables tables = ZkLookupProverTables(layout, RangeTable(), entries, {}, helper,
                                                 cols[p.mult], alpha, beta, lambda, r);
    SecureWipe(helper);
    phase("range lookup: tables");
    std::vector<MultilinearRef> refs = tables.Refs();
    SumcheckClaim sc = pv.Sumcheck(ZkLookupShape(layout, alpha, beta, lambda), refs,
                                   ZkLookupClaimedSum(layout, r, lambda));
    std::vector<Fp2> ep = ZkLookupEntryPoint(layout, sc.point);
    for (int c : p.range_cols)
      pv.Reveal(c, std::span<const Fp2>(ep).first(static_cast<size_t>(p.cols[c].log_size)));
    pv.AddClaim(p.mult, ZkLookupMultiplicityPoint(layout, sc.point), sc.values[kZkMultiplicities]);
    helper_point = ep;
    helper_value = sc.values[kZkHelper];
    SecureWipe(tables.helper);
  }

  phase("range lookup");
  // 2. Every layer's product A = H_prev·Wᵀ = 2^16·Q + R at a random point, one sumcheck.
  // Private model: the claims on the weights become claims on the model commitment.
  std::vector<PcsClaim> model_claims;
  Layer0Claim layer0;
  auto model_claim = [&](const std::string& what, std::vector<Fp2> point, Fp2 value) {
    if (audit) {
      const uint64_t half = p.mlayout.real_size();
      audit->push_back({what, value,
                        EvaluateMultilinear(std::span<const Fp>(mvec).first(half),
                                            std::span<const Fp2>(point).first(point.size() - 1)),
                        point.back()});
    }
    model_claims.push_back({0, std::move(point), value});
  };
  if (p.priv) {
    // Over (j, z): z = the row half, so the real rows meet the real weights and the blinding
    // rows the commitment's blinding weights: Σ_{j,z} eq(ζ_l, z)·H(r_i, z, j)·W_z(r_k, j).
    const size_t L = p.layers.size();
    const uint64_t half = p.mlayout.real_size();
    std::span<const Fp> halves[2] = {std::span<const Fp>(mvec).first(half),
                                     std::span<const Fp>(mvec).subspan(half, half)};
    int jmax = 0;
    for (const auto& lp : p.layers) jmax = std::max(jmax, lp.lin);
    const uint64_t J = uint64_t{1} << jmax;
    std::vector<std::vector<Fp2>> points(L);
    std::vector<Fp2> values(L);
    for (size_t l = 0; l < L; ++l) {
      const LayerPlan& lp = p.layers[l];
      points[l] = tr.ChallengeFp2s("accuracy.layer_point", lp.lout + p.lnp);
      const Fp2 q = pv.RevealValue(lp.aq, points[l]);
      const Fp2 r = pv.RevealValue(lp.ar, points[l]);
      values[l] = CP(kF) * q + r;
    }
    std::vector<Fp2> gam = tr.ChallengeFp2s("accuracy.layer_coefficients", L);
    std::vector<std::vector<Fp2>> tables(3 * L);
    SumOfProducts shape{static_cast<size_t>(jmax) + 1, 3 * L, {}};
    Fp2 sum = Fp2::Zero();
    for (size_t l = 0; l < L; ++l) {
      const LayerPlan& lp = p.layers[l];
      const uint64_t ip = uint64_t{1} << lp.lin, kp = uint64_t{1} << lp.lout;
      std::vector<Fp2> ek = EqTable(std::span<const Fp2>(points[l]).first(lp.lout));
      // The low row variables only; ζ_l enters as the third factor eq(ζ_l, z).
      std::vector<Fp2> ei = EqTable(std::span<const Fp2>(points[l]).subspan(lp.lout, p.lnp - 1));
      std::vector<Fp2> hr(2 * J, Fp2::Zero()), wr(2 * J, Fp2::Zero()), ez(2 * J);
      const Fp2 zeta = points[l].back();
      std::fill(ez.begin(), ez.begin() + static_cast<std::ptrdiff_t>(J), Fp2::One() - zeta);
      std::fill(ez.begin() + static_cast<std::ptrdiff_t>(J), ez.end(), zeta);
      const std::vector<Fp>& H = hin[l];
      for (uint64_t i = 0; i < Np; ++i) {
        const uint64_t zoff = i >= Nh ? J : 0;
        const Fp2 e = ei[i & (Nh - 1)];
        for (uint64_t j = 0; j < ip; ++j)
          if (H[i * ip + j] != Fp::Zero()) hr[zoff + j] += e * H[i * ip + j];
      }
      for (int z = 0; z < 2; ++z) {
        std::vector<Fp> w = PlanWeights(p, l, halves[z]);
        for (uint64_t k = 0; k < kp; ++k)
          for (uint64_t j = 0; j < ip; ++j)
            if (w[k * ip + j] != Fp::Zero()) wr[z * J + j] += ek[k] * w[k * ip + j];
      }
      tables[3 * l] = std::move(hr);
      tables[3 * l + 1] = std::move(wr);
      tables[3 * l + 2] = std::move(ez);
      const uint32_t f0 = static_cast<uint32_t>(3 * l);
      shape.terms.push_back(ProductTerm{gam[l], {f0, f0 + 1, f0 + 2}});
      sum += gam[l] * values[l];
    }
    std::vector<MultilinearRef> refs(tables.begin(), tables.end());
    SumcheckClaim sc = pv.Sumcheck(shape, refs, sum);
    auto s = std::span<const Fp2>(sc.point);
    const Fp2 sz = s[jmax];
    for (size_t l = 0; l < L; ++l) {
      const std::vector<Fp2> pt = PrivateLayerInputPoint(p, l, s, points[l], jmax);
      if (l == 0) {
        if (committed) pv.RevealValue(p.xa, pt);
      } else {
        pv.RevealValue(p.layers[l - 1].h, pt);
      }
    }
    for (size_t l = 0; l < L; ++l) {
      const LayerPlan& lp = p.layers[l];
      auto rk = std::span<const Fp2>(points[l]).first(lp.lout);
      const Fp2 wv = sc.values[3 * l + 1] * ZeroHigh(s, lp.lin, jmax).Inverse();
      if (l > 0) {
        model_claim("model weights", p.mlayout.WeightPoint(l, rk, s.first(lp.lin), sz), wv);
        continue;
      }
      // Layer 0: its weights at the input's columns, a functional of M (batched at 4b).
      layer0 = Layer0Claim{{rk.begin(), rk.end()},
                           {s.begin(), s.begin() + static_cast<std::ptrdiff_t>(lp.lin)},
                           sz,
                           wv};
      if (audit) {
        std::vector<Fp2> g(mvec.size(), Fp2::Zero());
        AddLayer0Weight(p, Layer0Claim{layer0.rk, layer0.sj, Fp2::Zero(), wv}, Fp2::One(), g);
        Fp2 unmasked = Fp2::Zero();
        for (uint64_t x = 0; x < halves[0].size(); ++x) unmasked += g[x] * halves[0][x];
        audit->push_back({"model weights (layer 0, input columns)", wv, unmasked, sz});
      }
    }
  } else {
    const size_t L = p.layers.size();
    int jmax = 0;
    for (const auto& lp : p.layers) jmax = std::max(jmax, lp.lin);
    std::vector<std::vector<Fp2>> points(L);
    std::vector<Fp2> values(L);
    for (size_t l = 0; l < L; ++l) {
      const LayerPlan& lp = p.layers[l];
      points[l] = tr.ChallengeFp2s("accuracy.layer_point", lp.lout + p.lnp);
      const Fp2 q = pv.RevealValue(lp.aq, points[l]);  // sent in this order: q's limbs, then r's
      const Fp2 r = pv.RevealValue(lp.ar, points[l]);
      values[l] = CP(kF) * q + r;
    }
    std::vector<Fp2> gam = tr.ChallengeFp2s("accuracy.layer_coefficients", L);
    std::vector<std::vector<Fp2>> tables(2 * L);
    SumOfProducts shape{static_cast<size_t>(jmax), 2 * L, {}};
    Fp2 sum = Fp2::Zero();
    for (size_t l = 0; l < L; ++l) {
      const LayerPlan& lp = p.layers[l];
      const uint64_t ip = uint64_t{1} << lp.lin, kp = uint64_t{1} << lp.lout;
      std::vector<Fp2> ek = EqTable(std::span<const Fp2>(points[l]).first(lp.lout));
      std::vector<Fp2> ei = EqTable(std::span<const Fp2>(points[l]).subspan(lp.lout));
      std::vector<Fp2> hr(uint64_t{1} << jmax, Fp2::Zero()), wr(uint64_t{1} << jmax, Fp2::Zero());
      const std::vector<Fp>& H = hin[l];
      for (uint64_t i = 0; i < Np; ++i)
        for (uint64_t j = 0; j < ip; ++j)
          if (H[i * ip + j] != Fp::Zero()) hr[j] += ei[i] * H[i * ip + j];
      for (uint64_t k = 0; k < kp; ++k)
        for (uint64_t j = 0; j < ip; ++j)
          if (lp.w[k * ip + j] != 0) wr[j] += ek[k] * Fp2(Fp::FromSigned(lp.w[k * ip + j]));
      tables[2 * l] = std::move(hr);
      tables[2 * l + 1] = std::move(wr);
      shape.terms.push_back(
          ProductTerm{gam[l], {static_cast<uint32_t>(2 * l), static_cast<uint32_t>(2 * l + 1)}});
      sum += gam[l] * values[l];
    }
    std::vector<MultilinearRef> refs(tables.begin(), tables.end());
    SumcheckClaim sc = pv.Sumcheck(shape, refs, sum);
    for (size_t l = 0; l < L; ++l) {
      const LayerPlan& lp = p.layers[l];
      std::vector<Fp2> pt = Concat(std::span<const Fp2>(sc.point).first(lp.lin),
                                   std::span<const Fp2>(points[l]).subspan(lp.lout));
      if (l == 0) {
        if (committed) pv.RevealValue(p.xa, pt);
      } else {
        pv.RevealValue(p.layers[l - 1].h, pt);
      }
    }
  }
  hin.clear();

  phase("layer products");
  // 3. The zero-check of every element-wise relation (on the real half).
  std::vector<PcsClaim> data_claims;
  {
    ZeroCheck zc = BuildZeroCheck(p);
    const size_t vars = p.lkmax + p.lnp;
    std::vector<Fp2> tau = tr.ChallengeFp2s("accuracy.zerocheck_point", vars);
    std::vector<Fp2> gam = tr.ChallengeFp2s("accuracy.zerocheck_coefficients", zc.rels.size());
    SumOfProducts shape = zc.Shape(vars, gam);
    const uint64_t size = uint64_t{1} << vars, Km = p.Kmax();
    std::vector<Fp2> eqtau = EqTable(tau);
    std::vector<std::vector<Fp>> base(zc.factors.size());
    std::vector<std::vector<Fp2>> ext(zc.factors.size());
    std::vector<MultilinearRef> refs;
    for (size_t f = 0; f < zc.factors.size(); ++f) {
      const Factor& fa = zc.factors[f];
      if (fa.kind == FK::kGate) {
        const Gate& g = zc.gates[fa.id];
        ext[f].assign(size, Fp2::Zero());
        for (uint64_t i = 0; i < (g.sel ? n : Nh); ++i) {
          for (uint64_t k = 0; k < (uint64_t{1} << g.a); ++k)
            ext[f][i * Km + k] = eqtau[i * Km + k];
        }
        refs.emplace_back(ext[f]);
        continue;
      }
      base[f].assign(size, Fp::Zero());
      auto& t = base[f];
      if (fa.kind == FK::kColVec) {
        const auto& v = zc.colvecs[fa.id];
        for (uint64_t i = 0; i < Np; ++i) std::copy(v.begin(), v.end(), t.begin() + i * Km);
      } else if (fa.kind == FK::kBias) {
        const ModelBlock& b = p.mlayout.bias[fa.id];
        const uint64_t width = uint64_t{1} << b.log_cols;
        for (uint64_t i = 0; i < Np; ++i) {
          const Fp* src = mvec.data() + (i >= Nh ? p.mlayout.real_size() : 0) + b.offset;
          if (fa.bcast >= 0) {
            for (uint64_t k = 0; k < (uint64_t{1} << fa.bcast); ++k) t[i * Km + k] = src[0];
          } else {
            std::copy(src, src + width, t.begin() + i * Km);
          }
        }
      } else {
        const std::vector<Fp>* src = nullptr;
        int a = 0;
        if (fa.kind == FK::kCol) {
          src = &cols[fa.id];
          a = p.cols[fa.id].a;
        } else if (fa.kind == FK::kDataset) {
          src = &ds->matrix;
          a = p.ld;
        } else {
          src = &p.pred_onehot;
          a = p.lko;
        }
        const uint64_t w = uint64_t{1} << a;
        for (uint64_t i = 0; i < Np; ++i) {
          if (fa.bcast >= 0) {
            for (uint64_t k = 0; k < (uint64_t{1} << fa.bcast); ++k) t[i * Km + k] = (*src)[i];
          } else {
            std::copy(src->begin() + i * w, src->begin() + (i + 1) * w, t.begin() + i * Km);
          }
        }
      }
      refs.emplace_back(base[f]);
    }
    SumcheckClaim sc = pv.Sumcheck(shape, refs, Fp2::Zero());
    auto s = std::span<const Fp2>(sc.point);
    for (size_t f = 0; f < zc.factors.size(); ++f) {
      const Factor& fa = zc.factors[f];
      if (fa.kind == FK::kBias) {
        const int a = fa.bcast >= 0 ? 0 : p.layers[fa.id].lout;
        const int width = fa.bcast >= 0 ? fa.bcast : a;
        model_claim("model bias",
                    p.mlayout.BiasPoint(static_cast<size_t>(fa.id), s.first(a), s.back()),
                    sc.values[f] * ZeroHigh(s, width, p.lkmax).Inverse());
        continue;
      }
      if (fa.kind != FK::kCol && fa.kind != FK::kDataset) continue;
      const int a = fa.bcast >= 0 ? 0 : fa.kind == FK::kCol ? p.cols[fa.id].a : p.ld;
      const int width = fa.bcast >= 0 ? fa.bcast : a;
      std::vector<Fp2> pt = FactorPoint(p, a, s);
      const Fp2 value = sc.values[f] * ZeroHigh(s, width, p.lkmax).Inverse();
      if (fa.kind == FK::kCol) {
        pv.AddClaim(fa.id, pt, value);
      } else {
        pv.AuditData("test set matrix", ds->matrix, pt, value);
        data_claims.push_back({1, pt, value});
      }
    }
  }

  phase("zero-check");
  // 4. Committed mode: one-hot rows, labels bound to the committed label column, and the count.
  if (committed) {
    std::vector<Fp2> r1 = tr.ChallengeFp2s("accuracy.onehot_point", p.lnp);
    std::vector<Fp2> hp = Concat(std::vector<Fp2>(p.lko, Half()), r1);
    pv.RevealPublic(p.o, hp);
    pv.RevealPublic(p.y, hp);
    std::vector<Fp2> rho = tr.ChallengeFp2s("accuracy.label_point", p.lnp);
    const Fp2 lambda = tr.ChallengeFp2("accuracy.label_lambda");
    std::vector<Fp2> lpt = Concat(BitsPoint(p.label_col, p.ld), rho);
    const Fp2 mlab = EvaluateMultilinear(ds->matrix, lpt);
    pv.SendValue(mlab);
    pv.AuditData("test set labels", ds->matrix, lpt, mlab);
    data_claims.push_back({1, lpt, mlab});
    std::vector<Fp2> er = EqTable(rho), e(Np * Kop);
    std::vector<Fp> real_half(Np * Kop, Fp::Zero());
    for (uint64_t i = 0; i < Np; ++i)
      for (uint64_t k = 0; k < Kop; ++k) {
        e[i * Kop + k] = er[i] * C(p.class_fixed[k]);
        if (i < Nh) real_half[i * Kop + k] = Fp::One();
      }
    MultilinearRef refs[] = {cols[p.o], cols[p.y], e, real_half};
    SumcheckClaim sc = pv.Sumcheck(CountShape(p, lambda), refs,
                                   C(static_cast<int64_t>(st.correct)) + lambda * mlab);
    pv.AddClaim(p.o, sc.point, sc.values[0]);
    pv.AddClaim(p.y, sc.point, sc.values[1]);
  }

  phase("count");
  // 4b. Private model: the model vector equals its range-checked limbs and has zero padding.
  if (p.priv) {
    std::vector<Fp2> tau = tr.ChallengeFp2s("accuracy.model_point", p.mlayout.log_size());
    const Fp2 gamma = tr.ChallengeFp2("accuracy.model_padding_coefficient");
    std::vector<Fp2> eqt = EqTable(tau);
    std::vector<Fp> pad = p.mlayout.PaddingSelector();
    // The other claims on M ride along (one evaluation row in the opening instead of 2L + 1):
    // + λ·Σ_x M(x)·g(x), g = Σ_k γ_k·eq(x_k, ·) + γ_0·G_0.
    const Fp2 lambda = tr.ChallengeFp2("accuracy.model_batch_lambda");
    std::vector<Fp2> gam =
        tr.ChallengeFp2s("accuracy.model_batch_coefficients", model_claims.size() + 1);
    std::vector<Fp2> g(mvec.size(), Fp2::Zero());
    Fp2 sum = gam[0] * layer0.value;
    AddLayer0Weight(p, layer0, gam[0], g);
    for (size_t k = 0; k < model_claims.size(); ++k) {
      sum += gam[k + 1] * model_claims[k].value;
      std::vector<Fp2> eq = EqTable(model_claims[k].point);
      for (size_t x = 0; x < eq.size(); ++x) g[x] += gam[k + 1] * eq[x];
    }
    std::vector<MultilinearRef> refs = {eqt, mvec};
    for (int c : p.mlimbs.limbs) refs.emplace_back(cols[c]);
    refs.emplace_back(pad);
    refs.emplace_back(g);
    SumcheckClaim sc = pv.Sumcheck(ModelLinkShape(p, gamma, lambda), refs, lambda * sum);
    model_claims.clear();
    model_claim("model (limb link and batch)", sc.point, sc.values[1]);
    for (size_t l = 0; l < p.mlimbs.limbs.size(); ++l)
      pv.AddClaim(p.mlimbs.limbs[l], sc.point, sc.values[2 + l]);
  }
  // 5. Batch every claim on the witness into one, and open it with the test set's and the
  //    helper's claims.
  std::vector<Fp2> packed_point;
  Fp2 packed_value;
  {
    auto& claims = pv.claims();
    std::vector<Fp2> gam = tr.ChallengeFp2s("accuracy.batch_coefficients", claims.size());
    Fp2 sum = Fp2::Zero();
    std::vector<Fp2> g(packed.size(), Fp2::Zero());
    for (size_t k = 0; k < claims.size(); ++k) {
      sum += gam[k] * claims[k].value;
      std::vector<Fp2> eq = EqTable(claims[k].point);
      const uint64_t off = p.offset[claims[k].col];
      for (size_t x = 0; x < eq.size(); ++x) g[off + x] += gam[k] * eq[x];
    }
    MultilinearRef refs[] = {packed, g};
    SumcheckClaim sc = pv.Sumcheck(
        SumOfProducts{static_cast<size_t>(p.log_total), 2, {ProductTerm{Fp2::One(), {0, 1}}}}, refs,
        sum);
    packed_point = sc.point;
    packed_value = sc.values[0];
  }
  std::vector<const PcsProverData*> polys = {&pdata};
  if (committed) polys.push_back(&ds->prover);
  if (p.priv) polys.push_back(&model_src->prover);
  polys.push_back(&hdata);
  std::vector<PcsClaim> pcs_claims = {{0, packed_point, packed_value}};
  pcs_claims.insert(pcs_claims.end(), data_claims.begin(), data_claims.end());
  for (PcsClaim& c : model_claims) {
    c.poly_index = polys.size() - 2;
    pcs_claims.push_back(std::move(c));
  }
  pcs_claims.push_back({polys.size() - 1, helper_point, helper_value});
  phase("batch");
  // A dishonest prover (tamper tests) may hold false claims, which PcsOpen refuses; the
  // cheating opener with no alteration writes the same proof without that check.
  out.opening = tamper == AccuracyTamper::kNone
                    ? PcsOpen(polys, pcs_claims, tr)
                    : PcsOpenCheatingForTest(polys, pcs_claims, tr, [](size_t, PcsGroupProof&) {});
  phase("opening");
  return Encode(out);
}

// ---- verifier ----

class Verifier {
 public:
  Verifier(Transcript& tr, const ProofData& p) : tr_(tr), p_(p) {}
  Result<Fp2> Receive() {
    if (next_eval_ >= p_.evaluations.size())
      return Status::Rejected("proof has too few evaluations");
    Fp2 v = p_.evaluations[next_eval_++];
    tr_.AbsorbFp2("accuracy.evaluation", v);
    return v;
  }
  Result<Fp2> Reveal(int c, std::span<const Fp2> point) {
    ZK_ASSIGN_OR_RETURN(Fp2 v, Receive());
    claims_.push_back({c, {point.begin(), point.end()}, v});
    return v;
  }
  Result<Fp2> RevealValue(const Bnd& b, std::span<const Fp2> point) {
    auto coefs = LimbCoefs(b.k);
    Fp2 acc = C(-b.offset);
    for (size_t l = 0; l < b.limbs.size(); ++l) {
      ZK_ASSIGN_OR_RETURN(Fp2 v, Reveal(b.limbs[l], point));
      acc += Fp2(coefs[l]) * v;
    }
    return acc;
  }
  void AddClaim(int c, std::vector<Fp2> point, Fp2 v) {
    claims_.push_back({c, std::move(point), v});
  }
  Result<SumcheckClaim> Sumcheck(const SumOfProducts& shape, Fp2 sum, const char* what) {
    if (next_sc_ >= p_.sumchecks.size()) return Status::Rejected("proof has too few sumchecks");
    auto r = VerifyMaskedSumcheck(Scheme{}, shape, sum, p_.sumchecks[next_sc_++], tr_);
    if (!r.ok()) return Status::Rejected(std::string(what) + ": " + r.status().message());
    return r;
  }
  std::vector<Claim>& claims() { return claims_; }
  bool all_used() const {
    return next_eval_ == p_.evaluations.size() && next_sc_ == p_.sumchecks.size();
  }

 private:
  Transcript& tr_;
  const ProofData& p_;
  std::vector<Claim> claims_;
  size_t next_eval_ = 0, next_sc_ = 0;
};

Status Expect(bool ok, const std::string& what) {
  return ok ? Status::Ok() : Status::Rejected(what);
}

// W̃(r_k, s_j) for a padded weight matrix (2^lout × 2^lin, row k at k·2^lin).
Fp2 WeightAt(const LayerPlan& lp, std::span<const Fp2> rk, std::span<const Fp2> sj) {
  std::vector<Fp2> ek = EqTable(rk), ej = EqTable(sj);
  const uint64_t ip = uint64_t{1} << lp.lin;
  Fp2 acc = Fp2::Zero();
  for (uint64_t k = 0; k < lp.out; ++k) {
    Fp2 row = Fp2::Zero();
    for (uint64_t j = 0; j < ip; ++j)
      if (lp.w[k * ip + j] != 0) row += ej[j] * Fp2(Fp::FromSigned(lp.w[k * ip + j]));
    acc += ek[k] * row;
  }
  return acc;
}

Status VerifyProofData(const ProofData& pd, const AccuracyStatement& st) {
  ZK_ASSIGN_OR_RETURN(Plan p, DeriveShape(st));
  if (pd.witness_commitment.params.log_size != p.log_total || !pd.witness_commitment.params.hiding)
    return Status::Rejected("witness commitment has the wrong shape");
  if (pd.helper_commitment.params.log_size != static_cast<int>(p.layout.log_entries) ||
      !pd.helper_commitment.params.hiding) {
    return Status::Rejected("helper commitment has the wrong shape");
  }
  Transcript tr(p.priv ? kPrivateModelTranscriptLabel : kTranscriptLabel);
  tr.AbsorbBytes("accuracy.statement", pd.statement_bytes);
  tr.AbsorbBytes("accuracy.witness_commitment", pd.witness_commitment.Serialize());
  Verifier vf(tr, pd);

  // 1. The range lookup.
  std::vector<Fp2> helper_point;
  Fp2 helper_value;
  {
    const ZkLookupLayout& layout = p.layout;
    const Fp2 alpha = tr.ChallengeFp2("accuracy.lookup_alpha");
    const Fp2 beta = tr.ChallengeFp2("accuracy.lookup_beta");
    tr.AbsorbBytes("accuracy.helper_commitment", pd.helper_commitment.Serialize());
    std::vector<Fp2> r = tr.ChallengeFp2s("accuracy.lookup_point", layout.log_entries);
    const Fp2 lambda = tr.ChallengeFp2("accuracy.lookup_lambda");
    ZK_ASSIGN_OR_RETURN(SumcheckClaim sc,
                        vf.Sumcheck(ZkLookupShape(layout, alpha, beta, lambda),
                                    ZkLookupClaimedSum(layout, r, lambda), "range lookup"));
    Status pub =
        ZkLookupCheckPublic(layout, RangeTable(), alpha, beta, lambda, r, sc.point, sc.values);
    if (!pub.ok()) return Status::Rejected("range lookup: " + pub.message());
    std::vector<Fp2> ep = ZkLookupEntryPoint(layout, sc.point);
    Fp2 combined = Fp2::Zero();
    for (size_t g = 0; g < p.range_cols.size(); ++g) {
      const int c = p.range_cols[g];
      ZK_ASSIGN_OR_RETURN(
          Fp2 u,
          vf.Reveal(c, std::span<const Fp2>(ep).first(static_cast<size_t>(p.cols[c].log_size))));
      combined += layout.SegmentWeight(g, ep) * u;
    }
    ZK_RETURN_IF_ERROR(Expect(combined == sc.values[kZkInputs],
                              "range lookup: column values do not match the looked-up entries"));
    vf.AddClaim(p.mult, ZkLookupMultiplicityPoint(layout, sc.point), sc.values[kZkMultiplicities]);
    helper_point = ep;
    helper_value = sc.values[kZkHelper];
  }

  // 2. Layer products.
  std::vector<PcsClaim> model_claims;
  Layer0Claim layer0;
  {
    // Both modes: each layer's product A = 2^F·Q + R at a random point, and the layer's input
    // (the clamped test set, the public inputs, or the previous layer's activations) where the
    // product sumcheck ends.
    const size_t L = p.layers.size();
    int jmax = 0;
    for (const auto& lp : p.layers) jmax = std::max(jmax, lp.lin);
    std::vector<std::vector<Fp2>> points(L);
    std::vector<Fp2> values(L);
    for (size_t l = 0; l < L; ++l) {
      const LayerPlan& lp = p.layers[l];
      points[l] = tr.ChallengeFp2s("accuracy.layer_point", lp.lout + p.lnp);
      ZK_ASSIGN_OR_RETURN(Fp2 q, vf.RevealValue(lp.aq, points[l]));
      ZK_ASSIGN_OR_RETURN(Fp2 r, vf.RevealValue(lp.ar, points[l]));
      values[l] = CP(kF) * q + r;
    }
    auto layer_input_at = [&](size_t l, std::span<const Fp2> pt) -> Result<Fp2> {
      if (l > 0) return vf.RevealValue(p.layers[l - 1].h, pt);
      if (!p.committed) return EvaluateMultilinear(SignedVec(p.x_pub), pt);
      ZK_ASSIGN_OR_RETURN(Fp2 xa, vf.RevealValue(p.xa, pt));
      return C(kClampV) - xa;
    };
    if (p.priv) {
      std::vector<Fp2> gam = tr.ChallengeFp2s("accuracy.layer_coefficients", L);
      SumOfProducts shape{static_cast<size_t>(jmax) + 1, 3 * L, {}};
      Fp2 sum = Fp2::Zero();
      for (size_t l = 0; l < L; ++l) {
        const uint32_t f0 = static_cast<uint32_t>(3 * l);
        shape.terms.push_back(ProductTerm{gam[l], {f0, f0 + 1, f0 + 2}});
        sum += gam[l] * values[l];
      }
      ZK_ASSIGN_OR_RETURN(SumcheckClaim sc, vf.Sumcheck(shape, sum, "layer products"));
      auto s = std::span<const Fp2>(sc.point);
      const Fp2 sz = s[jmax];
      for (size_t l = 0; l < L; ++l) {
        const LayerPlan& lp = p.layers[l];
        const std::vector<Fp2> pt = PrivateLayerInputPoint(p, l, s, points[l], jmax);
        ZK_ASSIGN_OR_RETURN(const Fp2 h, layer_input_at(l, pt));
        const Fp2 high = ZeroHigh(s, lp.lin, jmax);
        ZK_RETURN_IF_ERROR(Expect(sc.values[3 * l] == h * high,
                                  "layer " + std::to_string(l) + ": product input mismatch"));
        ZK_RETURN_IF_ERROR(Expect(sc.values[3 * l + 2] == EqOne(points[l].back(), sz),
                                  "layer " + std::to_string(l) + ": row-half selector"));
      }
      for (size_t l = 0; l < L; ++l) {
        const LayerPlan& lp = p.layers[l];
        auto rk = std::span<const Fp2>(points[l]).first(lp.lout);
        const Fp2 high = ZeroHigh(s, lp.lin, jmax);
        if (high == Fp2::Zero()) return Status::Rejected("layer products: degenerate point");
        const Fp2 wv = sc.values[3 * l + 1] * high.Inverse();
        if (l > 0) {
          model_claims.push_back({0, p.mlayout.WeightPoint(l, rk, s.first(lp.lin), sz), wv});
          continue;
        }
        layer0 = Layer0Claim{{rk.begin(), rk.end()},
                             {s.begin(), s.begin() + static_cast<std::ptrdiff_t>(lp.lin)},
                             sz,
                             wv};
      }
    } else {
      Fp2 sum = Fp2::Zero();
      std::vector<Fp2> gam = tr.ChallengeFp2s("accuracy.layer_coefficients", L);
      SumOfProducts shape{static_cast<size_t>(jmax), 2 * L, {}};
      for (size_t l = 0; l < L; ++l) {
        shape.terms.push_back(
            ProductTerm{gam[l], {static_cast<uint32_t>(2 * l), static_cast<uint32_t>(2 * l + 1)}});
        sum += gam[l] * values[l];
      }
      ZK_ASSIGN_OR_RETURN(SumcheckClaim sc, vf.Sumcheck(shape, sum, "layer products"));
      auto s = std::span<const Fp2>(sc.point);
      for (size_t l = 0; l < L; ++l) {
        const LayerPlan& lp = p.layers[l];
        const Fp2 high = ZeroHigh(s, lp.lin, jmax);
        auto rk = std::span<const Fp2>(points[l]).first(lp.lout);
        auto ri = std::span<const Fp2>(points[l]).subspan(lp.lout);
        ZK_RETURN_IF_ERROR(
            Expect(sc.values[2 * l + 1] == WeightAt(lp, rk, s.first(lp.lin)) * high,
                   "layer " + std::to_string(l) + ": the weights are not the statement's"));
        const std::vector<Fp2> pt = Concat(s.first(lp.lin), ri);
        ZK_ASSIGN_OR_RETURN(const Fp2 h, layer_input_at(l, pt));
        ZK_RETURN_IF_ERROR(Expect(sc.values[2 * l] == h * high,
                                  "layer " + std::to_string(l) + ": product input mismatch"));
      }
    }
  }

  // 3. Zero-check.
  std::vector<PcsClaim> data_claims;
  {
    ZeroCheck zc = BuildZeroCheck(p);
    const size_t vars = p.lkmax + p.lnp;
    std::vector<Fp2> tau = tr.ChallengeFp2s("accuracy.zerocheck_point", vars);
    std::vector<Fp2> gam = tr.ChallengeFp2s("accuracy.zerocheck_coefficients", zc.rels.size());
    ZK_ASSIGN_OR_RETURN(SumcheckClaim sc,
                        vf.Sumcheck(zc.Shape(vars, gam), Fp2::Zero(), "element-wise relations"));
    auto s = std::span<const Fp2>(sc.point);
    for (size_t f = 0; f < zc.factors.size(); ++f) {
      const Factor& fa = zc.factors[f];
      const Fp2 v = sc.values[f];
      switch (fa.kind) {
        case FK::kGate:
          ZK_RETURN_IF_ERROR(
              Expect(v == GateAt(p, zc.gates[fa.id], tau, s), "zero-check: selector table"));
          break;
        case FK::kColVec: {
          const int a = zc.colvec_a[fa.id];
          ZK_RETURN_IF_ERROR(Expect(
              v == EvaluateMultilinear(zc.colvecs[fa.id], s.first(a)) * ZeroHigh(s, a, p.lkmax),
              "zero-check: public column table"));
          break;
        }
        case FK::kBias: {
          const int a = fa.bcast >= 0 ? 0 : p.layers[fa.id].lout;
          const Fp2 high = ZeroHigh(s, fa.bcast >= 0 ? fa.bcast : a, p.lkmax);
          if (high == Fp2::Zero()) return Status::Rejected("zero-check: degenerate point");
          model_claims.push_back(
              {0, p.mlayout.BiasPoint(static_cast<size_t>(fa.id), s.first(a), s.back()),
               v * high.Inverse()});
          break;
        }
        case FK::kPub:
          ZK_RETURN_IF_ERROR(
              Expect(v == EvaluateMultilinear(p.pred_onehot, FactorPoint(p, p.lko, s)) *
                              ZeroHigh(s, p.lko, p.lkmax),
                     "zero-check: the predictions are not the statement's"));
          break;
        case FK::kCol:
        case FK::kDataset: {
          const int a = fa.bcast >= 0 ? 0 : fa.kind == FK::kCol ? p.cols[fa.id].a : p.ld;
          const int width = fa.bcast >= 0 ? fa.bcast : a;
          const Fp2 high = ZeroHigh(s, width, p.lkmax);
          if (high == Fp2::Zero()) return Status::Rejected("zero-check: degenerate point");
          const Fp2 value = v * high.Inverse();
          if (fa.kind == FK::kCol)
            vf.AddClaim(fa.id, FactorPoint(p, a, s), value);
          else
            data_claims.push_back({1, FactorPoint(p, a, s), value});
          break;
        }
      }
    }
  }

  // 4. One-hot rows, labels and the count.
  if (p.committed) {
    std::vector<Fp2> r1 = tr.ChallengeFp2s("accuracy.onehot_point", p.lnp);
    std::vector<Fp2> hp = Concat(std::vector<Fp2>(p.lko, Half()), r1);
    ZK_ASSIGN_OR_RETURN(Fp2 osum, vf.Reveal(p.o, hp));
    ZK_ASSIGN_OR_RETURN(Fp2 ysum, vf.Reveal(p.y, hp));
    // Every row (both halves) has one prediction; the real rows < n and every blinding row
    // one label.
    std::vector<Fp2> e1 = EqTable(r1);
    Fp2 sel = Fp2::Zero();
    for (uint64_t i = 0; i < p.Np(); ++i)
      if (i < p.n || i >= p.Nh()) sel += e1[i];
    const Fp2 width = C(static_cast<int64_t>(p.Kop()));
    ZK_RETURN_IF_ERROR(
        Expect(osum * width == Fp2::One(), "a row does not have exactly one prediction"));
    ZK_RETURN_IF_ERROR(Expect(ysum * width == sel, "a row does not have exactly one label"));
    std::vector<Fp2> rho = tr.ChallengeFp2s("accuracy.label_point", p.lnp);
    const Fp2 lambda = tr.ChallengeFp2("accuracy.label_lambda");
    std::vector<Fp2> lpt = Concat(BitsPoint(p.label_col, p.ld), rho);
    ZK_ASSIGN_OR_RETURN(Fp2 mlab, vf.Receive());
    data_claims.push_back({1, lpt, mlab});
    ZK_ASSIGN_OR_RETURN(
        SumcheckClaim sc,
        vf.Sumcheck(CountShape(p, lambda), C(static_cast<int64_t>(st.correct)) + lambda * mlab,
                    "correct count and labels"));
    auto s = std::span<const Fp2>(sc.point);
    const Fp2 e = EqEval(rho, s.subspan(p.lko)) *
                  EvaluateMultilinear(SignedVec(p.class_fixed), s.first(p.lko));
    ZK_RETURN_IF_ERROR(Expect(sc.values[2] == e, "correct count: class table"));
    ZK_RETURN_IF_ERROR(
        Expect(sc.values[3] == Fp2::One() - s.back(), "correct count: real-half selector"));
    vf.AddClaim(p.o, sc.point, sc.values[0]);
    vf.AddClaim(p.y, sc.point, sc.values[1]);
  }

  // 4b. Private model: the model vector is its range-checked limbs, zero on the padding.
  if (p.priv) {
    std::vector<Fp2> tau = tr.ChallengeFp2s("accuracy.model_point", p.mlayout.log_size());
    const Fp2 gamma = tr.ChallengeFp2("accuracy.model_padding_coefficient");
    const Fp2 lambda = tr.ChallengeFp2("accuracy.model_batch_lambda");
    std::vector<Fp2> gam =
        tr.ChallengeFp2s("accuracy.model_batch_coefficients", model_claims.size() + 1);
    Fp2 sum = gam[0] * layer0.value;
    for (size_t k = 0; k < model_claims.size(); ++k) sum += gam[k + 1] * model_claims[k].value;
    ZK_ASSIGN_OR_RETURN(SumcheckClaim sc, vf.Sumcheck(ModelLinkShape(p, gamma, lambda),
                                                      lambda * sum, "model limbs and claims"));
    const size_t nl = p.mlimbs.limbs.size();
    ZK_RETURN_IF_ERROR(Expect(sc.values[0] == EqEval(tau, sc.point), "model limbs: eq table"));
    ZK_RETURN_IF_ERROR(
        Expect(sc.values[2 + nl] == EvaluateMultilinear(p.mlayout.PaddingSelector(), sc.point),
               "model limbs: padding selector"));
    Fp2 g = gam[0] * Layer0WeightAt(p, layer0, sc.point);
    for (size_t k = 0; k < model_claims.size(); ++k)
      g += gam[k + 1] * EqEval(model_claims[k].point, sc.point);
    ZK_RETURN_IF_ERROR(Expect(sc.values[3 + nl] == g, "model claims: selector"));
    model_claims.clear();
    model_claims.push_back({0, sc.point, sc.values[1]});
    for (size_t l = 0; l < nl; ++l) vf.AddClaim(p.mlimbs.limbs[l], sc.point, sc.values[2 + l]);
  }

  // 5. Batch and open.
  std::vector<Fp2> packed_point;
  Fp2 packed_value;
  {
    auto& claims = vf.claims();
    std::vector<Fp2> gam = tr.ChallengeFp2s("accuracy.batch_coefficients", claims.size());
    Fp2 sum = Fp2::Zero();
    for (size_t k = 0; k < claims.size(); ++k) sum += gam[k] * claims[k].value;
    ZK_ASSIGN_OR_RETURN(
        SumcheckClaim sc,
        vf.Sumcheck(
            SumOfProducts{static_cast<size_t>(p.log_total), 2, {ProductTerm{Fp2::One(), {0, 1}}}},
            sum, "claim batching"));
    Fp2 g = Fp2::Zero();
    for (size_t k = 0; k < claims.size(); ++k)
      g += gam[k] * EqEval(PackedPoint(p, claims[k].col, claims[k].point), sc.point);
    ZK_RETURN_IF_ERROR(Expect(sc.values[1] == g, "claim batching: selector"));
    packed_point = sc.point;
    packed_value = sc.values[0];
  }
  if (!vf.all_used()) return Status::Rejected("proof carries unused evaluations or sumchecks");
  std::vector<PcsCommitment> commitments = {pd.witness_commitment};
  if (p.committed) commitments.push_back(st.test_set->pcs);
  if (p.priv) commitments.push_back(st.model_commitment->pcs);
  commitments.push_back(pd.helper_commitment);
  std::vector<PcsClaim> claims = {{0, packed_point, packed_value}};
  claims.insert(claims.end(), data_claims.begin(), data_claims.end());
  for (PcsClaim& c : model_claims) {
    c.poly_index = commitments.size() - 2;
    claims.push_back(std::move(c));
  }
  claims.push_back({commitments.size() - 1, helper_point, helper_value});
  Status opened = PcsVerify(commitments, claims, pd.opening, tr);
  if (!opened.ok()) return Status::Rejected("opening: " + opened.message());
  return Status::Ok();
}

}  // namespace

// ---- statement ----

Bytes AccuracyStatement::Serialize() const {
  ByteWriter w;
  const bool priv = model_commitment.has_value();
  w.String("zektra.accuracy.statement");
  w.U32(priv ? kAccuracyPrivateModelStatementVersion : kAccuracyStatementVersion);
  w.U8(static_cast<uint8_t>(mode));
  w.String(model_spec);
  w.U32(static_cast<uint32_t>(output));
  w.U32(static_cast<uint32_t>(fraction_bits));
  w.U64(feature_names.size());
  for (const auto& f : feature_names) w.String(f);
  w.String(label_name);
  w.U64(classes.size());
  for (double c : classes) w.U64(std::bit_cast<uint64_t>(c));
  auto vec = [&](const std::vector<int64_t>& v) {
    w.U64(v.size());
    for (int64_t x : v) w.U64(static_cast<uint64_t>(x));
  };
  vec(mean);
  vec(multiplier);
  w.U64(layers.size());
  for (const auto& l : layers) {
    w.U64(l.inputs);
    w.U64(l.outputs);
    vec(priv ? std::vector<int64_t>{} : l.weights);  // a private model's weights stay secret
    vec(priv ? std::vector<int64_t>{} : l.bias);
  }
  w.String(test_set ? test_set->ToJson() : std::string());
  w.U64(correct);
  w.U64(total);
  vec(inputs);
  w.U64(predictions.size());
  for (uint32_t p : predictions) w.U32(p);
  if (priv) w.String(model_commitment->ToJson());
  return w.Take();
}

Result<AccuracyStatement> AccuracyStatement::Parse(ByteSpan bytes) {
  ByteReader r(bytes);
  AccuracyStatement s;
  if (r.String("statement tag") != "zektra.accuracy.statement")
    return Status::BadInput("statement: wrong tag");
  const uint32_t version = r.U32("statement version");
  if (version != kAccuracyStatementVersion && version != kAccuracyPrivateModelStatementVersion)
    return Status::BadInput("statement: unsupported version");
  const uint8_t mode = r.U8("mode");
  if (mode != 1 && mode != 2) return Status::BadInput("statement: mode");
  s.mode = static_cast<AccuracyMode>(mode);
  s.model_spec = r.String("model");
  const uint32_t output = r.U32("output");
  if (output > 2) return Status::BadInput("statement: output kind");
  s.output = static_cast<ml::OutputKind>(output);
  s.fraction_bits = static_cast<int>(r.U32("fraction bits") & 0xFF);
  const uint64_t nf = r.Count("feature names", 8, 1 << 16);
  for (uint64_t i = 0; i < nf && r.ok(); ++i) s.feature_names.push_back(r.String("feature name"));
  s.label_name = r.String("label");
  const uint64_t nc = r.Count("classes", 8, 1 << 12);
  for (uint64_t i = 0; i < nc && r.ok(); ++i)
    s.classes.push_back(std::bit_cast<double>(r.U64("class")));
  auto vec = [&](std::vector<int64_t>& v, const char* what) {
    const uint64_t n = r.Count(what, 8);
    v.reserve(n);
    for (uint64_t i = 0; i < n && r.ok(); ++i) v.push_back(static_cast<int64_t>(r.U64(what)));
  };
  vec(s.mean, "mean");
  vec(s.multiplier, "multiplier");
  const uint64_t nl = r.Count("layers", 32, 8);
  for (uint64_t i = 0; i < nl && r.ok(); ++i) {
    ml::Layer l;
    l.inputs = r.U64("layer inputs");
    l.outputs = r.U64("layer outputs");
    vec(l.weights, "weights");
    vec(l.bias, "bias");
    s.layers.push_back(std::move(l));
  }
  std::string ts = r.String("test set");
  s.correct = r.U64("correct");
  s.total = r.U64("total");
  vec(s.inputs, "inputs");
  const uint64_t np = r.Count("predictions", 4);
  s.predictions.reserve(np);
  for (uint64_t i = 0; i < np && r.ok(); ++i) s.predictions.push_back(r.U32("prediction"));
  std::string mc;
  if (version == kAccuracyPrivateModelStatementVersion) mc = r.String("model commitment");
  ZK_RETURN_IF_ERROR(r.Finish("statement"));
  if (version == kAccuracyPrivateModelStatementVersion) {
    for (const auto& l : s.layers)
      if (!l.weights.empty() || !l.bias.empty())
        return Status::BadInput("statement: a private-model statement holds weights");
    ZK_ASSIGN_OR_RETURN(ModelCommitment m,
                        ModelCommitment::FromJson(mc, "statement model commitment"));
    s.model_commitment = std::move(m);
  }
  if (!ts.empty()) {
    ZK_ASSIGN_OR_RETURN(DatasetCommitment dc,
                        DatasetCommitment::FromJson(ts, "statement test set"));
    s.test_set = std::move(dc);
  }
  return s;
}

std::string AccuracyStatement::WeightsDigestHex() const {
  if (model_commitment) return "";
  ml::Model m;
  m.fraction_bits = fraction_bits;
  m.layers = layers;
  return m.WeightsDigestHex();
}

nlohmann::json AccuracyStatement::ToJson() const {
  nlohmann::json j;
  j["mode"] = mode == AccuracyMode::kCommittedTestSet ? "committed_test_set" : "public_inputs";
  j["model"] = model_spec;
  j["output"] = ml::OutputKindName(output);
  j["fraction_bits"] = fraction_bits;
  j["features"] = feature_names.size();
  j["label"] = label_name;
  j["classes"] = classes;
  if (model_commitment) {
    j["model_commitment"] = model_commitment->IdHex();
    j["private_model"] = true;
  } else {
    j["weights_sha256"] = WeightsDigestHex();
    j["private_model"] = false;
  }
  j["total"] = total;
  if (test_set) {
    j["test_set_commitment"] = test_set->IdHex();
    j["correct"] = correct;
    j["accuracy"] = accuracy();
  } else {
    j["predictions"] = predictions;
  }
  return j;
}

Result<Bytes> ProveTestAccuracy(const ml::Model& model, const ml::Table& table,
                                const CommittedDataset& dataset, AccuracyTamper tamper,
                                std::vector<RevealedEvaluation>* audit) {
  return ProveImpl(model, table, &dataset, nullptr, tamper, audit);
}

Result<Bytes> ProveTestAccuracyPrivateModel(const ml::Model& model,
                                            const CommittedModel& committed_model,
                                            const ml::Table& table, const CommittedDataset& dataset,
                                            AccuracyTamper tamper,
                                            std::vector<RevealedEvaluation>* audit) {
  return ProveImpl(model, table, &dataset, &committed_model, tamper, audit);
}

Result<Bytes> ProveInferencePrivateModel(const ml::Model& model,
                                         const CommittedModel& committed_model,
                                         const ml::Table& table, AccuracyTamper tamper,
                                         std::vector<RevealedEvaluation>* audit) {
  return ProveImpl(model, table, nullptr, &committed_model, tamper, audit);
}

Result<Bytes> ProveInference(const ml::Model& model, const ml::Table& table, AccuracyTamper tamper,
                             std::vector<RevealedEvaluation>* audit) {
  return ProveImpl(model, table, nullptr, nullptr, tamper, audit);
}

Result<AccuracyStatement> ReadAccuracyStatement(ByteSpan proof_file) {
  ZK_ASSIGN_OR_RETURN(ProofContainer c, ProofContainer::Parse(proof_file));
  if (c.kind() != ProofKind::kTestAccuracy) return Status::BadInput("not a proof of test accuracy");
  ZK_ASSIGN_OR_RETURN(ByteSpan st, c.Require(kTagStatement, "statement"));
  return AccuracyStatement::Parse(st);
}

AccuracyVerifyOutcome VerifyAccuracy(ByteSpan proof_file,
                                     const DatasetCommitment* expected_test_set,
                                     const ModelCommitment* expected_model) {
  AccuracyVerifyOutcome out;
  auto data = Decode(proof_file);
  if (!data.ok()) {
    out.status = data.status();
    return out;
  }
  auto st = AccuracyStatement::Parse(data->statement_bytes);
  if (!st.ok()) {
    out.status = st.status();
    return out;
  }
  out.statement = *st;
  if (expected_test_set) {
    if (!st->test_set) {
      out.status = Status::Rejected("the proof is about public inputs, not a committed test set");
      return out;
    }
    if (!(expected_test_set->Id() == st->test_set->Id())) {
      out.status = Status::Rejected("the proof is about test set " + st->test_set->IdHex() +
                                    ", not " + expected_test_set->IdHex());
      return out;
    }
  }
  if (expected_model) {
    if (!st->model_commitment) {
      out.status = Status::Rejected("the proof is about a model with public weights, not model " +
                                    expected_model->IdHex());
      return out;
    }
    if (!(expected_model->Id() == st->model_commitment->Id())) {
      out.status = Status::Rejected("the proof is about model " + st->model_commitment->IdHex() +
                                    ", not " + expected_model->IdHex());
      return out;
    }
  }
  out.status = VerifyProofData(*data, *st);
  return out;
}

Status CheckModelMatchesAccuracyStatement(const ml::Model& model, const AccuracyStatement& st) {
  if (st.model_commitment) {
    ZK_RETURN_IF_ERROR(CheckModelMatchesCommitmentPublicPart(model, *st.model_commitment));
    return Status::Rejected(
        "the proof is about a private model: its weights cannot be compared with a model file "
        "(check the model commitment instead)");
  }
  if (model.spec.ToString() != st.model_spec || model.output != st.output)
    return Status::Rejected("model file: architecture differs from the proof's");
  if (model.fraction_bits != st.fraction_bits || model.layers.size() != st.layers.size())
    return Status::Rejected("model file: shape differs from the proof's");
  for (size_t l = 0; l < st.layers.size(); ++l) {
    const auto &a = model.layers[l], &b = st.layers[l];
    if (a.inputs != b.inputs || a.outputs != b.outputs || a.weights != b.weights ||
        a.bias != b.bias)
      return Status::Rejected("model file: weights of layer " + std::to_string(l) +
                              " differ from the proven ones");
  }
  if (model.standardizer.mean != st.mean || model.standardizer.multiplier != st.multiplier)
    return Status::Rejected("model file: preprocessing differs from the proven one");
  if (model.feature_names != st.feature_names)
    return Status::Rejected("model file: features differ");
  if (model.classes != st.classes) return Status::Rejected("model file: classes differ");
  return Status::Ok();
}

}  // namespace zektra::pot
