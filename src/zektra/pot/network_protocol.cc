// The network proof of training's protocol, written once for both roles (see Io in
// network_proof_internal.h), its public shape and tables, and its wire format.
#include <algorithm>
#include <bit>

#include "zektra/base/serialize.h"
#include "zektra/base/thread_pool.h"
#include "zektra/ml/rng.h"
#include "zektra/pot/network_proof_internal.h"
#include "zektra/zk/multilinear.h"
#include "zektra/zk/proof_format.h"
#include "zektra/zk/sumcheck_matrix.h"

namespace zektra::pot::netpot {

const LookupTable& Shape::Table(const Lookup& l) const {
  switch (l.kind) {
    case LookupKind::kExp:
      return ExpTable();
    case LookupKind::kOneHot:
      return onehot_table;
    default:
      return RangeTable();
  }
}

const LookupTable& RangeTable() {
  static const LookupTable table = LookupTable::Range(16);
  return table;
}
// (unclamped index i, T_exp[max(i, −4096)]) for i = 0, −1, …, −(2^16 − 1).
const LookupTable& ExpTable() {
  static const LookupTable table = [] {
    ml::FixedPointFormat fp;
    std::vector<Fp> in, out;
    for (int64_t k = 0; k < (int64_t{1} << kExpTableLog); ++k) {
      in.push_back(Fp::FromSigned(-k));
      out.push_back(Fp::FromSigned(fp.ExpAt(std::max(-k, ml::kExpIndexMin))));
    }
    return LookupTable::Function(std::move(in), std::move(out));
  }();
  return table;
}
// (2^F·a + c, 2^F·[a = c]) for classes a < K and slots c < Kp: ties the one-hot target to the
// committed label 2^F·class.
LookupTable OneHotTable(uint64_t K, uint64_t Kp) {
  std::vector<Fp> in, out;
  for (uint64_t a = 0; a < K; ++a) {
    for (uint64_t c = 0; c < Kp; ++c) {
      in.push_back(Fp::From((a << kF) + c));
      out.push_back(Fp::From(a == c ? uint64_t{1} << kF : 0));
    }
  }
  return LookupTable::Function(std::move(in), std::move(out));
}

Result<Shape> DeriveShape(const NetworkTrainingStatement& st) {
  Shape s;
  auto bad = [](const std::string& why) { return Status::BadInput("statement: " + why); };
  if (st.spec.kind != ml::ModelKind::kSoftmax && st.spec.kind != ml::ModelKind::kMlp)
    return bad("model must be softmax or mlp");
  const uint64_t d = st.dataset.features;
  if (st.classes < 2 || st.classes > 256) return bad("class count out of range");
  if (st.spec.kind == ml::ModelKind::kMlp && st.classes < 3)
    return bad("mlp proofs need a softmax output (3 or more classes)");
  if (st.spec.kind == ml::ModelKind::kMlp && (st.spec.hidden.empty() || st.spec.hidden.size() > 8))
    return bad("mlp hidden layers");
  ZK_ASSIGN_OR_RETURN(static_cast<RunSchedule&>(s),
                      DeriveRunSchedule(st.dataset, st, /*min_batch=*/2, kMaxLogInner));
  if (st.mean.size() != d || st.multiplier.size() != d)
    return bad("preprocessing vectors do not match the feature count");
  std::vector<uint64_t> widths = {d};
  if (st.spec.kind == ml::ModelKind::kMlp) {
    for (size_t h : st.spec.hidden) {
      if (h == 0 || h > (uint64_t{1} << kMaxLogInner)) return bad("hidden width out of range");
      widths.push_back(h);
    }
  }
  widths.push_back(st.classes);
  if (st.final_layers.size() + 1 != widths.size()) return bad("layer count");
  for (size_t l = 0; l < st.final_layers.size(); ++l) {
    const ml::Layer& fl = st.final_layers[l];
    if (fl.inputs != widths[l] || fl.outputs != widths[l + 1] ||
        fl.weights.size() != fl.inputs * fl.outputs || fl.bias.size() != fl.outputs) {
      return bad("final layer " + std::to_string(l) + " shape");
    }
    for (int64_t w : fl.weights)
      if (w <= -kVo || w >= kVo) return bad("final weight out of range");
    for (int64_t b : fl.bias)
      if (b <= -kVo || b >= kVo) return bad("final bias out of range");
  }
  s.K = st.classes;
  s.D = d;
  ml::FixedPointFormat fp;
  std::vector<ml::Layer> init = ml::InitialLayers(st.spec, d, s.K, st.seed, fp);
  const size_t L = st.final_layers.size();
  if (init.size() != L) return bad("initial layers");
  s.layers.resize(L);
  for (size_t l = 0; l < L; ++l) {
    Shape::Layer& ly = s.layers[l];
    ly.hidden = l + 1 < L;
    ly.J = widths[l];
    ly.O = widths[l + 1];
    // Layer 0 reads the features only (not the label column): its input is padded to 2^⌈log d⌉.
    ly.lj = l == 0 ? std::max<size_t>(1, CeilLog2(d)) : s.layers[l - 1].lo;
    ly.lo = std::max<size_t>(1, CeilLog2(ly.O));
    const size_t layer_log = s.tau + std::max({ly.lo + ly.lj, s.lb + ly.lj, s.lb + ly.lo});
    if ((uint64_t{1} << layer_log) > kMaxWitness) {
      return bad("run too large: layer " + std::to_string(l) +
                 "'s per-step columns (steps × weights or steps × batch × width, padded, with "
                 "the blinding half) need 2^" + std::to_string(layer_log) +
                 " entries; the prover's limit is 2^" +
                 std::to_string(std::countr_zero(kMaxWitness)));
    }
    auto pad = [&](const ml::Layer& layer, std::vector<int64_t>& w, std::vector<int64_t>& b) {
      w.assign(ly.Op() * ly.Jp(), 0);
      b.assign(ly.Op(), 0);
      for (uint64_t o = 0; o < ly.O; ++o) {
        for (uint64_t j = 0; j < ly.J; ++j) w[o * ly.Jp() + j] = layer.weights[o * ly.J + j];
        b[o] = layer.bias[o];
      }
    };
    pad(st.final_layers[l], ly.final_w, ly.final_b);
    pad(init[l], ly.init_w, ly.init_b);
  }
  s.lk = s.layers.back().lo;
  if ((s.N() << s.ld) > kMaxWitness) {
    return bad("run too large: the data columns (rows × columns, padded, with the blinding "
               "half) need 2^" + std::to_string(s.lr + s.ld) + " entries; the prover's limit is 2^" +
               std::to_string(std::countr_zero(kMaxWitness)));
  }

  // The label column holds the raw 2^F·class: mean 0, mult 2^32.
  ZK_RETURN_IF_ERROR(SetDataStandardisation(s, st.mean, st.multiplier, 0, int64_t{1} << 32, s));

  // Columns of the packed witness.
  PackedLayout& Lay = s.layout;
  std::vector<int> limb_cols;
  auto bvar = [&](const std::string& name, int k, int64_t offset, size_t log_size,
                  bool range = true) {
    if (!range) return BVar{16, 0, {Lay.Add(name, static_cast<int>(log_size))}, true};
    BVar v{k, offset, {}, false};
    for (int l = 0; l < LimbCount(k); ++l) {
      v.cols.push_back(Lay.Add(name + "." + std::to_string(l), static_cast<int>(log_size)));
      limb_cols.push_back(v.cols.back());
    }
    return v;
  };
  const int lb = static_cast<int>(s.lb);
  for (size_t l = 0; l < L; ++l) {
    Shape::Layer& ly = s.layers[l];
    const std::string p = "layer" + std::to_string(l) + ".";
    const size_t toj = s.tau + ly.lo + ly.lj, to = s.tau + ly.lo, tio = s.tau + s.lb + ly.lo;
    ly.W = bvar(p + "weight", 25, kVo, toj);
    ly.GQ = bvar(p + "grad_q", 32, kWo, toj);
    ly.GR = bvar(p + "grad_r", 16 + lb, 0, toj);
    ly.U = Lay.Add(p + "update_q", static_cast<int>(toj));
    ly.UR = bvar(p + "update_r", 16, 0, toj);
    ly.BIAS = bvar(p + "bias", 25, kVo, to);
    ly.BGQ = bvar(p + "bias_grad_q", 32, kWo, to);
    ly.BGR = bvar(p + "bias_grad_r", lb, 0, to);
    ly.BU = Lay.Add(p + "bias_update_q", static_cast<int>(to));
    ly.BUR = bvar(p + "bias_update_r", 16, 0, to);
    // acc_q needs no range check: a hidden layer's z = h − (h − z) and the output's
    // z = m − gap are bounded by checked columns, so acc_q = z − bias is. The output error needs
    // none either: δ = p − (a table output in {0, 2^16}) with p checked.
    ly.AQ = bvar(p + "acc_q", 32, kWo, tio, false);
    ly.AR = bvar(p + "acc_r", 16, 0, tio);
    ly.DL = bvar(p + "delta", 25, kVo, tio, ly.hidden);
    if (ly.hidden) {
      ly.HM = bvar(p + "h_minus_sign", 24, 0, tio);
      ly.NEG = bvar(p + "h_minus_z", 32, 0, tio);
      ly.BQ = bvar(p + "back_q", 32, kWo, tio);
      ly.BR = bvar(p + "back_r", 16, 0, tio);
      ly.SG = Lay.Add(p + "relu_sign", static_cast<int>(tio));
    }
  }
  const size_t tik = s.vTIK(), ti = s.vTI(), rj = s.vRJ();
  s.G = bvar("gap", 24, 0, tik);
  s.R8 = bvar("exp_index_r", 8, 0, tik);
  s.E = Lay.Add("exp_value", static_cast<int>(tik));
  s.P = bvar("p", 17, 0, tik);
  s.RHO = bvar("p_r", 24, 0, tik);
  s.WS = bvar("sum_slack", 24, 0, tik);
  s.A = Lay.Add("argmax", static_cast<int>(tik));  // a 16-bit limb column: range-checked
  limb_cols.push_back(s.A);
  s.M = bvar("row_max", 23, kMo, ti);
  s.S = Lay.Add("exp_sum", static_cast<int>(ti));
  s.XS = bvar("x_std", 25, kVo, rj);
  s.REM = bvar("std_rem", 32, 0, rj);
  s.DC.k = 48;
  for (int l = 0; l < 3; ++l) {
    s.DC.cols.push_back(Lay.Add("centred." + std::to_string(l), static_cast<int>(rj)));
    limb_cols.push_back(s.DC.cols.back());
  }
  s.onehot_table = OneHotTable(s.K, s.Kp());
  s.m_exp = Lay.Add("exp_multiplicities", kExpTableLog + 1);
  s.m_hot = Lay.Add("onehot_multiplicities", static_cast<int>(s.onehot_table.log_size() + 1));
  // Range lookups: every limb column (2^s entries, the lower half live) is a segment of one of
  // a few lookups. Columns sorted by decreasing size fill bins of 2^23 entries, then bins of the
  // remainder's two leading binary digits exactly, and the rest one bin rounded up to a power
  // of two (padding < 1/4 of the remainder); few lookups keep the verifier's per-lookup table
  // work (2^16 inverses) and the proof's helper claims few.
  {
    std::vector<int> sorted = limb_cols;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [&](int a, int b) { return Lay.log_size(a) > Lay.log_size(b); });
    uint64_t total = 0;
    for (int c : sorted) total += Lay.size(c);
    std::vector<uint64_t> bins;
    uint64_t rest = total;
    // Bins of at most 2^23 entries (unless one column is larger): a larger lookup sumcheck is
    // slower per entry (its Fp2 tables leave the cache) and needs more memory at its peak.
    const uint64_t cap = std::max<uint64_t>(uint64_t{1} << kMaxRangeBinLog,
                                            sorted.empty() ? 0 : Lay.size(sorted.front()));
    while (rest >= cap) {
      bins.push_back(cap);
      rest -= cap;
    }
    for (int digit = 0; digit < 2 && rest > 0; ++digit) {
      const uint64_t bin = std::bit_floor(rest);
      bins.push_back(bin);
      rest -= bin;
    }
    if (rest > 0) bins.push_back(std::bit_ceil(rest));
    size_t at = 0;
    for (uint64_t bin : bins) {
      Shape::Lookup l;
      uint64_t filled = 0;
      std::vector<size_t> sizes;
      while (at < sorted.size() && filled + Lay.size(sorted[at]) <= bin) {
        filled += Lay.size(sorted[at]);
        sizes.push_back(Lay.log_size(sorted[at]));
        l.cols.push_back(sorted[at++]);
      }
      if (l.cols.empty()) continue;
      l.layout = ZkLookupLayout::Pack(sizes, false, RangeTable().log_size());
      l.multiplicities = Lay.Add("range_multiplicities." + std::to_string(s.lookups.size()),
                                 static_cast<int>(RangeTable().log_size() + 1));
      s.lookups.push_back(std::move(l));
    }
    ZK_CHECK(at == sorted.size(), "range lookup bins do not hold every limb column");
    const size_t tik_len = tik;
    Shape::Lookup ex;
    ex.kind = Shape::LookupKind::kExp;
    ex.layout =
        ZkLookupLayout::Pack(std::span<const size_t>(&tik_len, 1), true, ExpTable().log_size());
    ex.multiplicities = s.m_exp;
    s.lookups.push_back(std::move(ex));
    Shape::Lookup hot;
    hot.kind = Shape::LookupKind::kOneHot;
    hot.layout =
        ZkLookupLayout::Pack(std::span<const size_t>(&tik_len, 1), true, s.onehot_table.log_size());
    hot.multiplicities = s.m_hot;
    s.lookups.push_back(std::move(hot));
    for (size_t k = 0; k < s.lookups.size(); ++k) {
      s.masks.push_back({-1, s.lookups[k].layout.log_domain(), 4});
      s.lookups[k].helper = s.helper_layout.Add("helper." + std::to_string(k),
                                                static_cast<int>(s.lookups[k].layout.log_entries));
    }
    s.helper_layout.Finalize();
  }
  // The masks of the relation sumchecks, in protocol order (after the lookups' above).
  for (size_t l = 0; l < L; ++l) {
    const Shape::Layer& ly = s.layers[l];
    s.masks.push_back({-1, ly.lj + s.tau, 3});  // forward product
    s.masks.push_back({-1, s.lb + s.tau, 3});   // gradient product
    if (ly.hidden) {
      s.masks.push_back({-1, s.layers[l + 1].lo + s.tau, 3});  // back-propagation
      s.masks.push_back({-1, s.tau + s.lb + ly.lo, 3});        // ReLU
    }
    s.masks.push_back({-1, ly.lo + ly.lj + s.tau, 2});  // weight update
    s.masks.push_back({-1, ly.lo + s.tau, 2});          // bias update
  }
  s.masks.push_back({-1, s.vTIK(), 3});  // softmax relations
  s.masks.push_back({-1, s.vRJ(), 2});   // standardisation and data gather
  for (size_t m = 0; m < s.masks.size(); ++m) {
    s.masks[m].col = Lay.Add("mask." + std::to_string(m),
                             static_cast<int>(MaskTableLog(s.masks[m].vars, s.masks[m].degree)));
  }
  s.first_mask = s.masks.front().col;
  Lay.Finalize();
  // The packed witness bounds the prover's memory (about 40 bytes per entry at its peak).
  if (Lay.log_total() > kMaxPackedLog)
    return bad("run too large: the witness has 2^" + std::to_string(Lay.log_total()) +
               " entries (at most 2^" + std::to_string(kMaxPackedLog) + "); use fewer epochs");
  return s;
}

// ---- small helpers shared by both sides ----

std::vector<Fp2> Half(size_t n) {
  return std::vector<Fp2>(n, Fp2(Fp::From(2).Inverse()));
}
ProductTerm T(Fp2 c, std::vector<uint32_t> f) {
  return ProductTerm{c, std::move(f)};
}

Fp2 EvalSigned(std::span<const int64_t> v, Pt point) {
  std::vector<Fp> f(v.size());
  for (size_t i = 0; i < v.size(); ++i) f[i] = Fp::FromSigned(v[i]);
  return EvaluateMultilinear(f, point);
}
// Σ_t eq(a, t)·eq(b, t)·f(t).
Fp2 WeightedEq(Pt a, Pt b, std::span<const Fp> f) {
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
// Σ_{t ≥ 1} eq(s, t)·eq(r, t − 1).
Fp2 ShiftEval(Pt r, Pt s) {
  std::vector<Fp2> er = EqTable(r), es = EqTable(s);
  Fp2 acc = Fp2::Zero();
  for (size_t t = 1; t < er.size(); ++t) acc += es[t] * er[t - 1];
  return acc;
}
// The step domain is (t_low, ζ): the chain of weights runs within each half, never across.
Fp2 ShiftEvalZ(const Shape& s, Pt r, Pt x) {
  return ShiftEval(r.first(s.tl), x.first(s.tl)) * EqEval(r.subspan(s.tl), x.subspan(s.tl));
}
// eq(r_ζ, x_ζ)·[x_low = 0]: both halves start from the public initial weights.
Fp2 InitEvalZ(const Shape& s, Pt r, Pt x) {
  return EqEval(x.first(s.tl), BitsPoint(0, s.tl)) * EqEval(r.subspan(s.tl), x.subspan(s.tl));
}
// Σ_ζ eq(r, (Th − 1, ζ)): both halves end at the statement's final weights.
Fp2 LastStepEq(const Shape& s, Pt r) {
  return EqEval(r.first(s.tl), BitsPoint(s.Th() - 1, s.tl));
}
// MLE of c ↦ c over lk variables.
Fp2 IndexEval(Pt point) {
  Fp2 acc = Fp2::Zero();
  for (size_t k = 0; k < point.size(); ++k) acc += Pow2x(static_cast<int>(k)) * point[k];
  return acc;
}
// Σ_{c ≥ K} eq(point, c): the padded-class indicator's extension.
Fp2 PaddedClassEval(const Shape& s, Pt point) {
  std::vector<Fp2> e = EqTable(point);
  Fp2 acc = Fp2::Zero();
  for (uint64_t c = s.K; c < s.Kp(); ++c) acc += e[c];
  return acc;
}

// Updates and shift over (param, t): multilinears EqEta, qlo, qhi, Aw, wlo, wk, Eq, U:
//   EqEta·q − (the update claim) + λ·(Aw·w − Eq·U),
// q = qlo + 2^16 qhi − 2^31, w = wlo + 2^9 wk − 2^24, Aw = Eq − Shift + γ·Init.
SumOfProducts UpdateShape(size_t vars, Fp2 lambda) {
  SumOfProducts s{vars, 8, {}};
  s.terms = {T(Fp2::One(), {0, 1}), T(Pow2x(16), {0, 2}),         T(-Pow2x(31), {0}),
             T(lambda, {3, 4}),     T(lambda * Pow2x(9), {3, 5}), T(-lambda * Pow2x(24), {3}),
             T(-lambda, {6, 7})};
  return s;
}
SumOfProducts Product3(size_t vars) {
  return SumOfProducts{vars, 3, {T(Fp2::One(), {0, 1, 2})}};
}
// Softmax zero-check over (c, i, t): multilinears eq, E, P, S_b, ρ, A, G, eq·pad:
//   eq·(2^16·E − P·S − ρ) + λ1·eq·A·G + λ2·(eq·pad)·A = 0.
SumOfProducts SoftmaxShape(size_t vars, Fp2 l1, Fp2 l2) {
  return SumOfProducts{vars,
                       8,
                       {T(Pow2x(16), {0, 1}), T(-Fp2::One(), {0, 2, 3}), T(-Fp2::One(), {0, 4}),
                        T(l1, {0, 5, 6}), T(l2, {7, 5})}};
}

Bytes Encode(const ProofData& p) {
  return EncodeWitnessProof(ProofKind::kTrainingRun, kSectionTags, p);
}

Result<ProofData> Decode(ByteSpan bytes) {
  return DecodeWitnessProof(bytes, ProofKind::kTrainingRun, kSectionTags, kMaxSumchecks,
                            "proof of training");
}

// Weight (or bias) updates and the step-to-step shift over (param, t), param of `pv` variables:
// η(t)·q = 2^16·U + U_r, W[t+1] = W[t] − U[t], W[0] = init, W[Tp−1] − U[Tp−1] = final.
Status UpdateRelation(Io& io, Transcript& tr, const Shape& s, size_t pv, const BVar& W,
                      const BVar& Q, int Ucol, const BVar& UR, std::span<const int64_t> final_v,
                      std::span<const int64_t> init_v, const std::string& what) {
  const size_t vars = pv + s.tau;
  std::vector<Fp2> r = tr.ChallengeFp2s("pot.update_point", vars);
  const Fp2 lambda = tr.ChallengeFp2("pot.update_lambda"),
            gamma = tr.ChallengeFp2("pot.update_gamma");
  ZK_ASSIGN_OR_RETURN(Fp2 u, io.Reveal(Ucol, r));
  ZK_ASSIGN_OR_RETURN(Fp2 ur, io.RevealB(UR, r));
  Pt rp = Pt(r).first(pv), rt = Pt(r).subspan(pv);
  const Fp2 sum =
      Pow2x(16) * u + ur +
      lambda * (LastStepEq(s, rt) * EvalSigned(final_v, rp) + gamma * EvalSigned(init_v, rp));
  ZK_ASSIGN_OR_RETURN(SumcheckClaim sc,
                      io.Sumcheck(
                          UpdateShape(vars, lambda), sum,
                          [&] {
                            const uint64_t P = uint64_t{1} << pv;
                            std::vector<Fp2> eq = EqTable(r), ep = EqTable(rp),
                                             et = EqTable(rt.first(s.tl)),
                                             ez = EqTable(rt.subspan(s.tl));
                            std::vector<Fp2> eqeta(eq.size()), aw(eq.size());
                            for (uint64_t t = 0; t < s.Tp(); ++t) {
                              const uint64_t tl = t % s.Th(), z = t / s.Th();
                              const Fp2 shift = tl >= 1 ? et[tl - 1] * ez[z] : Fp2::Zero();
                              const Fp2 init = tl == 0 ? gamma * ez[z] : Fp2::Zero();
                              for (uint64_t j = 0; j < P; ++j) {
                                const uint64_t x = t * P + j;
                                eqeta[x] = eq[x] * SignedFp2(s.eta[t]);
                                aw[x] = eq[x] - ep[j] * shift + ep[j] * init;
                              }
                            }
                            Inputs in;
                            in.Own(std::move(eqeta));
                            in.refs.emplace_back(io.wit().col(Q.cols[0]));
                            in.refs.emplace_back(io.wit().col(Q.cols[1]));
                            in.Own(std::move(aw));
                            in.refs.emplace_back(io.wit().col(W.cols[0]));
                            in.refs.emplace_back(io.wit().col(W.cols[1]));
                            in.Own(std::move(eq));
                            in.refs.emplace_back(io.wit().col(Ucol));
                            return in;
                          },
                          what));
  Pt sp = Pt(sc.point).first(pv), st = Pt(sc.point).subspan(pv);
  const Fp2 ep = EqEval(rp, sp), eq = EqEval(r, sc.point);
  ZK_RETURN_IF_ERROR(io.Check(sc.values[0] == ep * WeightedEq(rt, st, SignedTable(s.eta)),
                              what + ": learning-rate table"));
  ZK_RETURN_IF_ERROR(
      io.Check(sc.values[3] == eq - ep * ShiftEvalZ(s, rt, st) + gamma * ep * InitEvalZ(s, rt, st),
               what + ": shift table"));
  ZK_RETURN_IF_ERROR(io.Check(sc.values[6] == eq, what + ": selector"));
  io.AddClaim(Q.cols[0], sc.point, sc.values[1]);
  io.AddClaim(Q.cols[1], sc.point, sc.values[2]);
  io.AddClaim(W.cols[0], sc.point, sc.values[4]);
  io.AddClaim(W.cols[1], sc.point, sc.values[5]);
  io.AddClaim(Ucol, sc.point, sc.values[7]);
  return Status::Ok();
}

// ReLU zero-check over (o, i, t) of a hidden layer: s² = s, h − s + s = s·z (h = s·z with
// h = HM + s), δ = s·back_q. Multilinears eq, s, HM, z, δ, back_q.
SumOfProducts ReluShape(size_t vars, Fp2 l1, Fp2 l2) {
  return SumOfProducts{vars,
                       6,
                       {T(Fp2::One(), {0, 1, 1}), T(-Fp2::One(), {0, 1}), T(l1, {0, 2}),
                        T(l1, {0, 1}), T(-l1, {0, 1, 3}), T(l2, {0, 4}), T(-l2, {0, 1, 5})}};
}

Result<Openings> RunProtocol(Io& io, Transcript& tr, const Shape& s, std::span<const Fp> packed) {
  const bool prover = io.prover();
  const uint64_t B = s.B(), Kp = s.Kp(), Tp = s.Tp();
  const size_t lb = s.lb, lk = s.lk, tau = s.tau;
  const size_t L = s.layers.size();
  auto col = [&](int c) { return io.wit().col(c); };
  auto lw = [&](size_t l) -> const Witness::LayerTensors& { return io.wit().layers[l]; };

  std::vector<GatherClaim> gathers;
  const Shape::Layer& out_layer = s.layers.back();
  // 1. Lookups (zk/logup_zk.h): α, β for each; the committed helpers; one masked sumcheck each.
  //    Range: every limb column. Exp: (index, e) with index = −(gap + r8)/2^8 (derived, not
  //    committed). One-hot target: (y + c, P − δ) ∈ {(2^F·a + c, 2^F·[a = c])}, tying the
  //    one-hot target to the committed label.
  {
    auto entries = [&](const Shape::Lookup& l, bool outputs) -> std::vector<Fp> {
      switch (l.kind) {
        case Shape::LookupKind::kExp:
          if (outputs) return {col(s.E).begin(), col(s.E).end()};
          return io.wit().exp_index;
        case Shape::LookupKind::kOneHot:
          return outputs ? io.wit().onehot_out : io.wit().onehot_in;
        default: {
          if (outputs) return {};
          std::vector<Fp> v(uint64_t{1} << l.layout.log_entries, Fp::Zero());
          for (size_t g = 0; g < l.cols.size(); ++g)
            std::copy(col(l.cols[g]).begin(), col(l.cols[g]).end(),
                      v.begin() + static_cast<std::ptrdiff_t>(l.layout.segments[g].offset));
          return v;
        }
      }
    };
    auto lookup_name = [](const Shape::Lookup& l) {
      return l.kind == Shape::LookupKind::kExp      ? std::string("exp lookup")
             : l.kind == Shape::LookupKind::kOneHot ? std::string("one-hot target lookup")
                                                    : std::string("range lookup");
    };
    std::vector<std::pair<Fp2, Fp2>> ab;
    for (size_t k = 0; k < s.lookups.size(); ++k) {
      const Fp2 alpha = tr.ChallengeFp2("pot.lookup_alpha");
      ab.emplace_back(alpha, tr.ChallengeFp2("pot.lookup_beta"));
    }
    // Each lookup's inverses go straight into its segment of the committed helper, where the
    // lookup's sumcheck later reads them (a range lookup in place; the exp and one-hot lookups,
    // whose v repeats over a larger domain, from a copy).
    ZK_RETURN_IF_ERROR(io.CommitHelper([&](PackedValues& helper) {
      for (size_t k = 0; k < s.lookups.size(); ++k) {
        const Shape::Lookup& l = s.lookups[k];
        ZkLookupHelperInto(l.layout, entries(l, false), entries(l, true), ab[k].first,
                           ab[k].second, helper.column(s.helper_layout, l.helper));
      }
    }));
    for (size_t k = 0; k < s.lookups.size(); ++k) {
      const Shape::Lookup& l = s.lookups[k];
      const LookupTable& table = s.Table(l);
      // Named copies, not a structured binding: lambdas below capture them (clang refuses to
      // capture structured bindings before C++20 P1091 support).
      const Fp2 alpha = ab[k].first, beta = ab[k].second;
      const std::string what = lookup_name(l);
      std::vector<Fp2> r = tr.ChallengeFp2s("pot.lookup_point", l.layout.log_entries);
      const Fp2 lambda = tr.ChallengeFp2("pot.lookup_lambda");
      ZK_ASSIGN_OR_RETURN(
          SumcheckClaim sc,
          io.Sumcheck(
              ZkLookupShape(l.layout, alpha, beta, lambda), ZkLookupClaimedSum(l.layout, r, lambda),
              [&] {
                Inputs in;
                // The entries (fresh vectors) become tables, and v is read in place from the
                // committed helper (which outlives the sumcheck): no copies.
                in.lookup = std::make_shared<ZkLookupTables>(ZkLookupProverTablesBorrowingHelper(
                    l.layout, table, entries(l, false), entries(l, true),
                    io.helper_segment(l.helper), col(l.multiplicities), alpha, beta, lambda, r));
                in.refs = in.lookup->ConsumingRefs();  // dropped after this sumcheck
                return in;
              },
              what));
      if (!prover) {
        Status pub =
            ZkLookupCheckPublic(l.layout, table, alpha, beta, lambda, r, sc.point, sc.values);
        if (!pub.ok()) return Status::Rejected(what + ": " + pub.message());
      }
      std::vector<Fp2> ep = ZkLookupEntryPoint(l.layout, sc.point);
      io.AddClaim(l.multiplicities, ZkLookupMultiplicityPoint(l.layout, sc.point),
                  sc.values[kZkMultiplicities]);
      io.AddHelperClaim(s.helper_layout.PackedPoint(l.helper, ep), sc.values[kZkHelper]);
      if (l.kind == Shape::LookupKind::kRange) {
        Fp2 combined = Fp2::Zero();
        for (size_t g = 0; g < l.cols.size(); ++g) {
          const int c = l.cols[g];
          ZK_ASSIGN_OR_RETURN(Fp2 u, io.Reveal(c, Pt(ep).first(s.layout.log_size(c))));
          combined += l.layout.SegmentWeight(g, ep) * u;
        }
        ZK_RETURN_IF_ERROR(io.Check(combined == sc.values[kZkInputs],
                                    what + ": column values do not match the looked-up entries"));
        continue;
      }
      // One segment covering the entries: its weight is 1, the entry point is the column's.
      const Fp2 in_value = sc.values[kZkInputs], out_value = sc.values[kZkOutputs];
      if (l.kind == Shape::LookupKind::kExp) {
        ZK_ASSIGN_OR_RETURN(Fp2 g, io.RevealB(s.G, ep));
        ZK_ASSIGN_OR_RETURN(Fp2 r8, io.RevealB(s.R8, ep));
        ZK_RETURN_IF_ERROR(io.Check(Pow2x(8) * in_value + g + r8 == Fp2::Zero(),
                                    "exp lookup: index ≠ −(gap + remainder)/2^8"));
        io.AddClaim(s.E, ep, out_value);
      } else {
        ZK_ASSIGN_OR_RETURN(Fp2 p, io.RevealB(s.P, ep));
        ZK_ASSIGN_OR_RETURN(Fp2 dl, io.RevealB(out_layer.DL, ep));
        ZK_RETURN_IF_ERROR(
            io.Check(out_value == p - dl, "error relation: delta ≠ p − one-hot target"));
        Pt pc = Pt(ep).first(lk), pit = Pt(ep).subspan(lk);
        gathers.push_back({true, {}, EqTable(pit), in_value - IndexEval(pc)});
      }
    }
  }
  // The value of layer l's input at (j, i, t): a gather claim on the data (l = 0) or the
  // hidden activation h = (h − sign) + sign of layer l − 1.
  auto input_claim = [&](size_t l, Pt pj, Pt pi, Pt pt, std::vector<Fp2> w_ti, Fp2 value,
                         const std::string& what) -> Status {
    if (l == 0) {
      gathers.push_back({false, {pj.begin(), pj.end()}, std::move(w_ti), value});
      return Status::Ok();
    }
    std::vector<Fp2> pt3 = ConcatPoints({pj, pi, pt});
    ZK_ASSIGN_OR_RETURN(Fp2 hm, io.RevealB(s.layers[l - 1].HM, pt3));
    ZK_ASSIGN_OR_RETURN(Fp2 sg, io.Reveal(s.layers[l - 1].SG, pt3));
    return io.Check(hm + sg == value, what + ": activation value");
  };
  for (size_t l = 0; l < L; ++l) {
    const Shape::Layer& ly = s.layers[l];
    const uint64_t Jp = ly.Jp();
    const size_t lj = ly.lj, lo = ly.lo;
    const std::string name = "layer " + std::to_string(l);
    // 4. Forward: Σ_j X[t][i][j]·W[t][o][j] = 2^16·acc_q + acc_r at a random (o, i, t).
    {
      std::vector<Fp2> ra = tr.ChallengeFp2s("pot.forward_point", tau + lb + lo);
      Pt ro = Pt(ra).first(lo), ri = Pt(ra).subspan(lo, lb), rt = Pt(ra).subspan(lo + lb);
      ZK_ASSIGN_OR_RETURN(Fp2 aq, io.RevealB(ly.AQ, ra));
      ZK_ASSIGN_OR_RETURN(Fp2 ar, io.RevealB(ly.AR, ra));
      ZK_ASSIGN_OR_RETURN(SumcheckClaim sc,
                          io.Sumcheck(
                              Product3(lj + tau), Pow2x(16) * aq + ar,
                              [&] {
                                Inputs in;
                                std::vector<Fp2> et = EqTable(rt), eqt(Tp * Jp);
                                for (uint64_t t = 0; t < Tp; ++t)
                                  for (uint64_t j = 0; j < Jp; ++j) eqt[t * Jp + j] = et[t];
                                in.Own(std::move(eqt));
                                in.Own(ContractMiddleIndex(lw(l).x, Tp, Jp, EqTable(ri)));
                                in.Own(ContractMiddleIndex(lw(l).w, Tp, Jp, EqTable(ro)));
                                return in;
                              },
                              name + " forward product"));
      Pt sj = Pt(sc.point).first(lj), st = Pt(sc.point).subspan(lj);
      ZK_RETURN_IF_ERROR(
          io.Check(sc.values[0] == EqEval(rt, st), name + " forward product: eq table"));
      ZK_RETURN_IF_ERROR(input_claim(l, sj, ri, st, OuterTI(s, EqTable(st), EqTable(ri)),
                                     sc.values[1], name + " forward product"));
      ZK_ASSIGN_OR_RETURN(Fp2 w, io.RevealB(ly.W, ConcatPoints({sj, ro, st})));
      ZK_RETURN_IF_ERROR(io.Check(w == sc.values[2], name + " forward product: weight value"));
    }
    // 5. Gradient: Σ_i δ[t][i][o]·X[t][i][j] = 2^(16+b)·grad_q + grad_r at a random (j, o, t).
    {
      std::vector<Fp2> rg = tr.ChallengeFp2s("pot.gradient_point", tau + lo + lj);
      Pt rj = Pt(rg).first(lj), ro = Pt(rg).subspan(lj, lo), rt = Pt(rg).subspan(lj + lo);
      ZK_ASSIGN_OR_RETURN(Fp2 q, io.RevealB(ly.GQ, rg));
      ZK_ASSIGN_OR_RETURN(Fp2 r, io.RevealB(ly.GR, rg));
      ZK_ASSIGN_OR_RETURN(SumcheckClaim sc,
                          io.Sumcheck(
                              Product3(lb + tau), Pow2x(16 + static_cast<int>(lb)) * q + r,
                              [&] {
                                Inputs in;
                                std::vector<Fp2> et = EqTable(rt), eqt(Tp * B);
                                for (uint64_t t = 0; t < Tp; ++t)
                                  for (uint64_t i = 0; i < B; ++i) eqt[t * B + i] = et[t];
                                in.Own(std::move(eqt));
                                in.Own(ContractMiddleIndex(lw(l).dl, Tp * B, 1, EqTable(ro)));
                                in.Own(ContractMiddleIndex(lw(l).x, Tp * B, 1, EqTable(rj)));
                                return in;
                              },
                              name + " gradient product"));
      Pt si = Pt(sc.point).first(lb), st = Pt(sc.point).subspan(lb);
      ZK_RETURN_IF_ERROR(
          io.Check(sc.values[0] == EqEval(rt, st), name + " gradient product: eq table"));
      ZK_ASSIGN_OR_RETURN(Fp2 dl, io.RevealB(ly.DL, ConcatPoints({ro, si, st})));
      ZK_RETURN_IF_ERROR(io.Check(dl == sc.values[1], name + " gradient product: error value"));
      ZK_RETURN_IF_ERROR(input_claim(l, rj, si, st, OuterTI(s, EqTable(st), EqTable(si)),
                                     sc.values[2], name + " gradient product"));
    }
    if (ly.hidden) {
      const Shape::Layer& up = s.layers[l + 1];
      const uint64_t Cp = up.Op();
      const size_t lc = up.lo;
      // 6. Back-propagation: Σ_c δ_{l+1}[t][i][c]·W_{l+1}[t][c][o] = 2^16·back_q + back_r.
      {
        std::vector<Fp2> rb = tr.ChallengeFp2s("pot.backprop_point", tau + lb + lo);
        Pt ro = Pt(rb).first(lo), ri = Pt(rb).subspan(lo, lb), rt = Pt(rb).subspan(lo + lb);
        ZK_ASSIGN_OR_RETURN(Fp2 bq, io.RevealB(ly.BQ, rb));
        ZK_ASSIGN_OR_RETURN(Fp2 br, io.RevealB(ly.BR, rb));
        ZK_ASSIGN_OR_RETURN(SumcheckClaim sc,
                            io.Sumcheck(
                                Product3(lc + tau), Pow2x(16) * bq + br,
                                [&] {
                                  Inputs in;
                                  std::vector<Fp2> et = EqTable(rt), eqt(Tp * Cp);
                                  for (uint64_t t = 0; t < Tp; ++t)
                                    for (uint64_t c = 0; c < Cp; ++c) eqt[t * Cp + c] = et[t];
                                  in.Own(std::move(eqt));
                                  in.Own(ContractMiddleIndex(lw(l + 1).dl, Tp, Cp, EqTable(ri)));
                                  in.Own(ContractMiddleIndex(lw(l + 1).w, Tp * Cp, 1, EqTable(ro)));
                                  return in;
                                },
                                name + " back-propagation"));
        Pt sc_c = Pt(sc.point).first(lc), st = Pt(sc.point).subspan(lc);
        ZK_RETURN_IF_ERROR(
            io.Check(sc.values[0] == EqEval(rt, st), name + " back-propagation: eq table"));
        ZK_ASSIGN_OR_RETURN(Fp2 dl, io.RevealB(up.DL, ConcatPoints({sc_c, ri, st})));
        ZK_RETURN_IF_ERROR(io.Check(dl == sc.values[1], name + " back-propagation: error value"));
        ZK_ASSIGN_OR_RETURN(Fp2 w, io.RevealB(up.W, ConcatPoints({ro, sc_c, st})));
        ZK_RETURN_IF_ERROR(io.Check(w == sc.values[2], name + " back-propagation: weight value"));
      }
      // 7. ReLU: sign s ∈ {0, 1}, h = s·z, δ = s·back_q (zero-check), h − s ≥ 0 and h − z ≥ 0
      //    (range checks; the linear part at a random point): s = 1 ⇒ z = h ≥ 1, s = 0 ⇒ h = 0 ≥ z.
      {
        std::vector<Fp2> r = tr.ChallengeFp2s("pot.relu_point", tau + lb + lo);
        r.back() = Fp2::Zero();  // ζ = 0: the pointwise relations bind the real half only
        const Fp2 l1 = tr.ChallengeFp2("pot.relu_lambda1"),
                  l2 = tr.ChallengeFp2("pot.relu_lambda2");
        ZK_ASSIGN_OR_RETURN(SumcheckClaim sc, io.Sumcheck(
                                                  ReluShape(tau + lb + lo, l1, l2), Fp2::Zero(),
                                                  [&] {
                                                    Inputs in;
                                                    in.Own(EqTable(r));
                                                    in.refs.emplace_back(col(ly.SG));
                                                    in.refs.emplace_back(lw(l).hm);
                                                    in.refs.emplace_back(lw(l).z);
                                                    in.refs.emplace_back(lw(l).dl);
                                                    in.refs.emplace_back(lw(l).bq);
                                                    return in;
                                                  },
                                                  name + " ReLU"));
        const std::vector<Fp2>& sp = sc.point;
        Pt so = Pt(sp).first(lo), st = Pt(sp).subspan(lo + lb);
        ZK_RETURN_IF_ERROR(io.Check(sc.values[0] == EqEval(r, sp), name + " ReLU: eq table"));
        io.AddClaim(ly.SG, sp, sc.values[1]);
        ZK_ASSIGN_OR_RETURN(Fp2 hm, io.RevealB(ly.HM, sp));
        ZK_RETURN_IF_ERROR(io.Check(hm == sc.values[2], name + " ReLU: activation value"));
        ZK_ASSIGN_OR_RETURN(Fp2 aq, io.RevealB(ly.AQ, sp));
        ZK_ASSIGN_OR_RETURN(Fp2 b, io.RevealB(ly.BIAS, ConcatPoints({so, st})));
        ZK_RETURN_IF_ERROR(io.Check(aq + b == sc.values[3], name + " ReLU: pre-activation value"));
        ZK_ASSIGN_OR_RETURN(Fp2 dl, io.RevealB(ly.DL, sp));
        ZK_RETURN_IF_ERROR(io.Check(dl == sc.values[4], name + " ReLU: error value"));
        ZK_ASSIGN_OR_RETURN(Fp2 bq, io.RevealB(ly.BQ, sp));
        ZK_RETURN_IF_ERROR(io.Check(bq == sc.values[5], name + " ReLU: back-propagation value"));
        std::vector<Fp2> rx = tr.ChallengeFp2s("pot.relu_linear_point", tau + lb + lo);
        Pt xo = Pt(rx).first(lo), xt = Pt(rx).subspan(lo + lb);
        ZK_ASSIGN_OR_RETURN(Fp2 hm2, io.RevealB(ly.HM, rx));
        ZK_ASSIGN_OR_RETURN(Fp2 sg2, io.Reveal(ly.SG, rx));
        ZK_ASSIGN_OR_RETURN(Fp2 aq2, io.RevealB(ly.AQ, rx));
        ZK_ASSIGN_OR_RETURN(Fp2 b2, io.RevealB(ly.BIAS, ConcatPoints({xo, xt})));
        ZK_ASSIGN_OR_RETURN(Fp2 neg, io.RevealB(ly.NEG, rx));
        ZK_RETURN_IF_ERROR(io.Check(hm2 + sg2 - aq2 - b2 == neg, name + " ReLU: h − z relation"));
      }
    }
    // 8. Bias gradient: Σ_i δ[t][i][o] = B·bias_grad_q + bias_grad_r at a random (o, t).
    {
      std::vector<Fp2> rb = tr.ChallengeFp2s("pot.bias_grad_point", tau + lo);
      Pt bo = Pt(rb).first(lo), bt = Pt(rb).subspan(lo);
      ZK_ASSIGN_OR_RETURN(Fp2 dh, io.RevealB(ly.DL, ConcatPoints({bo, Half(lb), bt})));
      ZK_ASSIGN_OR_RETURN(Fp2 bq, io.RevealB(ly.BGQ, rb));
      ZK_ASSIGN_OR_RETURN(Fp2 br, io.RevealB(ly.BGR, rb));
      const Fp2 bsz = Pow2x(static_cast<int>(lb));
      ZK_RETURN_IF_ERROR(io.Check(bsz * dh == bsz * bq + br, name + " bias gradient relation"));
    }
    // 9. Weight and bias updates with the shift check.
    ZK_RETURN_IF_ERROR(UpdateRelation(io, tr, s, lo + lj, ly.W, ly.GQ, ly.U, ly.UR, ly.final_w,
                                      ly.init_w, name + " weight update"));
    ZK_RETURN_IF_ERROR(UpdateRelation(io, tr, s, lo, ly.BIAS, ly.BGQ, ly.BU, ly.BUR, ly.final_b,
                                      ly.init_b, name + " bias update"));
  }
  // 10. Softmax zero-check over (c, i, t): division, argmax gap, argmax on a real class.
  {
    std::vector<Fp2> r = tr.ChallengeFp2s("pot.softmax_point", s.vTIK());
    r.back() = Fp2::Zero();  // ζ = 0: the pointwise relations bind the real half only
    const Fp2 l1 = tr.ChallengeFp2("pot.softmax_lambda1"),
              l2 = tr.ChallengeFp2("pot.softmax_lambda2");
    ZK_ASSIGN_OR_RETURN(SumcheckClaim sc, io.Sumcheck(
                                              SoftmaxShape(s.vTIK(), l1, l2), Fp2::Zero(),
                                              [&] {
                                                Inputs in;
                                                std::vector<Fp2> eq = EqTable(r), eqpad(eq.size());
                                                for (uint64_t x = 0; x < eq.size(); ++x)
                                                  eqpad[x] = (x % Kp) >= s.K ? eq[x] : Fp2::Zero();
                                                in.Own(std::move(eq));
                                                in.refs.emplace_back(col(s.E));
                                                in.refs.emplace_back(io.wit().p_int);
                                                in.refs.emplace_back(io.wit().s_broadcast);
                                                in.refs.emplace_back(io.wit().rho_int);
                                                in.refs.emplace_back(col(s.A));
                                                in.refs.emplace_back(io.wit().g_int);
                                                in.Own(std::move(eqpad));
                                                return in;
                                              },
                                              "softmax relations"));
    const std::vector<Fp2>& sp = sc.point;
    Pt sc_c = Pt(sp).first(lk), sit = Pt(sp).subspan(lk);
    ZK_RETURN_IF_ERROR(io.Check(sc.values[0] == EqEval(r, sp), "softmax relations: eq table"));
    io.AddClaim(s.E, sp, sc.values[1]);
    ZK_ASSIGN_OR_RETURN(Fp2 p, io.RevealB(s.P, sp));
    ZK_RETURN_IF_ERROR(io.Check(p == sc.values[2], "softmax relations: p value"));
    io.AddClaim(s.S, sit, sc.values[3]);
    ZK_ASSIGN_OR_RETURN(Fp2 rho, io.RevealB(s.RHO, sp));
    ZK_RETURN_IF_ERROR(io.Check(rho == sc.values[4], "softmax relations: remainder value"));
    io.AddClaim(s.A, sp, sc.values[5]);
    ZK_ASSIGN_OR_RETURN(Fp2 g, io.RevealB(s.G, sp));
    ZK_RETURN_IF_ERROR(io.Check(g == sc.values[6], "softmax relations: gap value"));
    const Fp2 pad = EqEval(Pt(r).subspan(lk), sit) * [&] {
      std::vector<Fp2> a = EqTable(Pt(r).first(lk)), b = EqTable(sc_c);
      Fp2 acc = Fp2::Zero();
      for (uint64_t c = s.K; c < Kp; ++c) acc += a[c] * b[c];
      return acc;
    }();
    ZK_RETURN_IF_ERROR(io.Check(sc.values[7] == pad, "softmax relations: padding table"));
  }
  // 11. Softmax linear relations at random points (Schwartz–Zippel on the extensions).
  {
    std::vector<Fp2> rx = tr.ChallengeFp2s("pot.linear_point", s.vTIK());
    Pt rc = Pt(rx).first(lk), rit = Pt(rx).subspan(lk), rt = Pt(rx).subspan(lk + lb);
    ZK_ASSIGN_OR_RETURN(Fp2 g, io.RevealB(s.G, rx));
    ZK_ASSIGN_OR_RETURN(Fp2 m, io.RevealB(s.M, rit));
    ZK_ASSIGN_OR_RETURN(Fp2 aq, io.RevealB(out_layer.AQ, rx));
    ZK_ASSIGN_OR_RETURN(Fp2 b, io.RevealB(out_layer.BIAS, ConcatPoints({rc, rt})));
    const Fp2 z = aq + b + SignedFp2(kPadLogitOffset) * PaddedClassEval(s, rc);
    ZK_RETURN_IF_ERROR(io.Check(g == m - z, "softmax: gap ≠ row maximum − logit"));
    ZK_ASSIGN_OR_RETURN(Fp2 ws, io.RevealB(s.WS, rx));
    ZK_ASSIGN_OR_RETURN(Fp2 sum, io.Reveal(s.S, rit));
    ZK_ASSIGN_OR_RETURN(Fp2 rho, io.RevealB(s.RHO, rx));
    ZK_RETURN_IF_ERROR(
        io.Check(ws == sum - Fp2::One() - rho, "softmax: remainder not below the sum"));
    std::vector<Fp2> ry = tr.ChallengeFp2s("pot.row_point", s.vTI());
    std::vector<Fp2> hy = ConcatPoints({Half(lk), ry});
    // Kp·a(½, y) = 1 (the indicator sums to one per row) and Kp·e(½, y) = S(y): claims whose
    // values are public or follow from S(y), so nothing is sent for them.
    const Fp2 inv_kp = Fp2(Fp::From(Kp).Inverse());
    io.AddPublicClaim(s.A, hy, inv_kp);
    ZK_ASSIGN_OR_RETURN(Fp2 sy, io.Reveal(s.S, ry));
    io.AddPublicClaim(s.E, hy, inv_kp * sy);
  }
  // 12. Standardisation of the committed raw data, merged with every gather claim.
  Openings out;
  {
    DataRelationChallenges ch;
    ch.point = tr.ChallengeFp2s("pot.standardise_point", s.vRJ());
    ch.mu = tr.ChallengeFp2("pot.standardise_mu");
    ch.rho = tr.ChallengeFp2("pot.gather_rho");
    ch.gammas = tr.ChallengeFp2s("pot.gather_coefficients", gathers.size());
    Fp2 sum = Fp2::Zero();
    for (size_t k = 0; k < gathers.size(); ++k) sum += ch.gammas[k] * gathers[k].value;
    std::array<std::vector<Fp2>, kDataWitness + 1> coef;
    ZK_ASSIGN_OR_RETURN(
        SumcheckClaim sc,
        io.Sumcheck(
            DataRelationShape(s.vRJ()), ch.rho * sum,
            [&] {
              coef = DataRelationTables(s, s, gathers, ch);
              Inputs in;
              for (int c : {s.XS.cols[0], s.XS.cols[1], s.REM.cols[0], s.REM.cols[1], s.DC.cols[0],
                            s.DC.cols[1], s.DC.cols[2]})
                in.refs.emplace_back(col(c));
              in.refs.emplace_back(*io.wit().data_matrix);
              for (auto& v : coef) in.refs.emplace_back(v);
              return in;
            },
            "standardisation and data gather"));
    if (!prover) {
      const auto expect = DataRelationTablesAt(s, s, gathers, ch, sc.point);
      for (size_t c = 0; c <= kDataWitness; ++c) {
        ZK_RETURN_IF_ERROR(
            io.Check(sc.values[kDataWitness + c] == expect[c],
                     "standardisation and data gather: public table " + std::to_string(c)));
      }
    }
    const int cs[] = {s.XS.cols[0], s.XS.cols[1], s.REM.cols[0], s.REM.cols[1],
                      s.DC.cols[0], s.DC.cols[1], s.DC.cols[2]};
    for (int k = 0; k < 7; ++k) io.AddClaim(cs[k], sc.point, sc.values[k]);
    out.data_point = sc.point;
    out.data_value = sc.values[7];
  }
  // 13. Batch every claim on the packed witness into one.
  ZK_ASSIGN_OR_RETURN(out.packed, io.Batch(s.layout, packed));
  if (!io.all_used())
    return Status::Rejected("proof carries unused evaluations, lookups or sumchecks");
  return out;
}

}  // namespace zektra::pot::netpot
