#include "zektra/pot/network_training_proof.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "zektra/base/timer.h"
#include "zektra/crypto/random.h"
#include "zektra/pot/network_proof_internal.h"
#include "zektra/pot/network_witness.h"
#include "zektra/zk/multilinear.h"
#include "zektra/zk/proof_format.h"

namespace zektra::pot {
using namespace netpot;  // NOLINT: this file is the prover and verifier of netpot's protocol
namespace {

Status Fail(const std::string& why) {
  return Status::InvalidArgument("cannot prove this run: " + why);
}

// Writes bounded variables of the blinding half: limbs uniformly random, or all but the top one
// random and the top one solved so that the variable stands for a given field value.
class BlindingWriter {
 public:
  explicit BlindingWriter(std::vector<std::vector<Fp>>& cols) : cols_(cols) {
    for (int k = 1; k <= 48; ++k) {
      const auto cf = LimbCoefs(k);
      top_inverse_[k] = cf[LimbCount(k) - 1].Inverse();
    }
  }
  Fp Random() { return rng_.Next(); }
  // v stands for `value` at x.
  void Set(const BVar& v, uint64_t x, Fp value) {
    if (v.plain) {
      cols_[v.cols[0]][x] = value;
      return;
    }
    const auto cf = LimbCoefs(v.k);
    const size_t top = v.cols.size() - 1;
    Fp acc = value + Fp::FromSigned(v.offset);
    for (size_t l = 0; l < top; ++l) {
      const Fp r = rng_.Next();
      cols_[v.cols[l]][x] = r;
      acc -= cf[l] * r;
    }
    cols_[v.cols[top]][x] = acc * top_inverse_[v.k];
  }
  // v random at x; returns the value it stands for.
  Fp Draw(const BVar& v, uint64_t x) {
    if (v.plain) return cols_[v.cols[0]][x] = rng_.Next();
    const auto cf = LimbCoefs(v.k);
    Fp acc = Fp::FromSigned(-v.offset);
    for (size_t l = 0; l < v.cols.size(); ++l) {
      const Fp r = rng_.Next();
      cols_[v.cols[l]][x] = r;
      acc += cf[l] * r;
    }
    return acc;
  }
  Fp& at(int c, uint64_t x) { return cols_[c][x]; }

 private:
  std::vector<std::vector<Fp>>& cols_;
  RandomFields rng_;
  std::array<Fp, 49> top_inverse_{};
};

// The blinding half (steps t ≥ Th, dataset rows ≥ Nh): a run over the field on the dataset
// commitment's blinding rows. Every relation the verifier checks at a point with a random ζ
// holds on it (standardisation, products and their truncations, ReLU and softmax linear
// relations, Σ argmax = 1, Σ exp = S, updates from the public initial layers to the statement's
// final ones); every value a relation leaves free is uniformly random. The pointwise nonlinear
// relations are zero-checked on the real half only and the lookups see only the real half, so
// nothing here is tied to the real run.
Status FillBlindingHalf(const Shape& s, const CommittedDataset& dataset,
                        const std::vector<int64_t>& real_xs, Witness& w) {
  const uint64_t B = s.B(), Kp = s.Kp(), Dp = s.Dp(), Tp = s.Tp(), Th = s.Th(), N = s.N(),
                 Nh = s.Nh(), D = s.D;
  const size_t L = s.layers.size();
  const std::vector<Fp>& raw = dataset.matrix;
  if (raw.size() != N * Dp) return Fail("the dataset commitment has no blinding rows");
  BlindingWriter bw(w.cols);
  // Standardised data of every row, the blinding rows solved from the committed raw values.
  std::vector<Fp> xs(N * Dp, Fp::Zero());
  for (uint64_t x = 0; x < Nh * Dp; ++x) xs[x] = Fp::FromSigned(real_xs[x]);
  const Fp inv32 = Pow2(-32);
  for (uint64_t r = Nh; r < N; ++r) {
    for (uint64_t j = 0; j < Dp; ++j) {
      const uint64_t x = r * Dp + j;
      if (!s.train_row[r]) {
        for (int c : s.DC.cols) bw.at(c, x) = bw.Random();
        bw.Draw(s.REM, x);
        xs[x] = bw.Draw(s.XS, x);
        continue;
      }
      const Fp d = raw[x] - Fp::FromSigned(s.col_mean[j]);
      const auto cf = LimbCoefs(s.col_k[j]);
      const int top = cf[2] != Fp::Zero() ? 2 : cf[1] != Fp::Zero() ? 1 : 0;
      Fp acc = d + Pow2(s.col_k[j] - 1);  // Σ_l cf_l·limb_l = d + 2^(k−1)
      for (int l = 0; l < 3; ++l) {
        if (l == top) continue;
        bw.at(s.DC.cols[l], x) = bw.Random();
        acc -= cf[l] * bw.at(s.DC.cols[l], x);
      }
      bw.at(s.DC.cols[top], x) = acc * cf[top].Inverse();
      const Fp rem = bw.Draw(s.REM, x);
      xs[x] = (Fp::FromSigned(s.col_mult[j]) * d - rem) * inv32;
      bw.Set(s.XS, x, xs[x]);
    }
  }
  // The run: weights from the public initial layers, inputs from the blinding rows.
  std::vector<std::vector<Fp>> W(L), bias(L), X(L), DL(L);
  for (size_t l = 0; l < L; ++l) {
    W[l] = SignedTable(s.layers[l].init_w);
    bias[l] = SignedTable(s.layers[l].init_b);
  }
  const Fp inv16 = Pow2(-16), inv8 = Pow2(-8), two16 = Pow2(16);
  const Shape::Layer& out = s.layers.back();
  for (uint64_t t = Th; t < Tp; ++t) {
    const Fp eta = Fp::FromSigned(s.eta[t]);
    const bool last = t + 1 == Tp;
    std::vector<Fp> zout;
    // Forward.
    for (size_t l = 0; l < L; ++l) {
      const Shape::Layer& ly = s.layers[l];
      const uint64_t Op = ly.Op(), Jp = ly.Jp();
      Witness::LayerTensors& lt = w.layers[l];
      if (l == 0) {
        X[0].assign(B * Jp, Fp::Zero());
        for (uint64_t i = 0; i < B; ++i) {
          const uint64_t row = s.row_of[t * B + i];
          if (row == kNoRow) continue;
          for (uint64_t j = 0; j < D; ++j) X[0][i * Jp + j] = xs[row * Dp + j];
        }
      }
      for (uint64_t o = 0; o < Op; ++o) {
        for (uint64_t j = 0; j < Jp; ++j) {
          const uint64_t x = (t * Op + o) * Jp + j;
          bw.Set(ly.W, x, W[l][o * Jp + j]);
          lt.w[x] = W[l][o * Jp + j];
        }
        bw.Set(ly.BIAS, t * Op + o, bias[l][o]);
      }
      std::vector<Fp> next(l + 1 < L ? B * Op : 0);
      if (l + 1 == L) zout.assign(B * Op, Fp::Zero());
      for (uint64_t i = 0; i < B; ++i) {
        for (uint64_t j = 0; j < Jp; ++j) lt.x[(t * B + i) * Jp + j] = X[l][i * Jp + j];
        for (uint64_t o = 0; o < Op; ++o) {
          const uint64_t x = (t * B + i) * Op + o;
          Fp acc = Fp::Zero();
          for (uint64_t j = 0; j < Jp; ++j) acc += X[l][i * Jp + j] * W[l][o * Jp + j];
          const Fp ar = bw.Draw(ly.AR, x);
          const Fp aq = (acc - ar) * inv16;
          bw.Set(ly.AQ, x, aq);
          const Fp z = aq + bias[l][o];
          if (ly.hidden) {
            const Fp sg = bw.at(ly.SG, x) = bw.Random();
            const Fp hm = bw.Draw(ly.HM, x);
            bw.Set(ly.NEG, x, hm + sg - z);
            lt.z[x] = z;
            lt.hm[x] = hm;
            next[i * Op + o] = hm + sg;
          } else {
            zout[i * Op + o] = z + (o < s.K ? Fp::Zero() : Fp::FromSigned(kPadLogitOffset));
          }
        }
      }
      if (l + 1 < L) X[l + 1] = std::move(next);
    }
    // Softmax output.
    DL[L - 1].assign(B * Kp, Fp::Zero());
    for (uint64_t i = 0; i < B; ++i) {
      const uint64_t ti = t * B + i, row = s.row_of[ti];
      const Fp label = row == kNoRow ? Fp::Zero() : xs[row * Dp + D];
      const Fp m = bw.Draw(s.M, ti);
      Fp sum = Fp::Zero(), asum = Fp::Zero();
      for (uint64_t c = 0; c < Kp; ++c) {
        const uint64_t x = ti * Kp + c;
        const Fp g = m - zout[i * Kp + c];
        bw.Set(s.G, x, g);
        const Fp r8 = bw.Draw(s.R8, x);
        w.exp_index[x] = -(g + r8) * inv8;
        w.g_int[x] = g;
        const Fp e = bw.at(s.E, x) = bw.Random();
        sum += e;
        const Fp a = c + 1 < Kp ? bw.Random() : Fp::One() - asum;
        bw.at(s.A, x) = a;
        asum += a;
      }
      bw.at(s.S, ti) = sum;
      for (uint64_t c = 0; c < Kp; ++c) {
        const uint64_t x = ti * Kp + c;
        const Fp p = bw.Draw(s.P, x), rho = bw.Draw(s.RHO, x);
        bw.Set(s.WS, x, sum - Fp::One() - rho);
        w.p_int[x] = p;
        w.rho_int[x] = rho;
        w.s_broadcast[x] = sum;
        const Fp dl = bw.Draw(out.DL, x);
        w.layers[L - 1].dl[x] = dl;
        DL[L - 1][i * Kp + c] = dl;
        w.onehot_in[x] = label + Fp::From(c);
        w.onehot_out[x] = p - dl;
      }
    }
    // Backward: errors of the hidden layers with this step's weights, then gradients.
    for (size_t l = L - 1; l-- > 0;) {
      const Shape::Layer& ly = s.layers[l];
      const Shape::Layer& up = s.layers[l + 1];
      const uint64_t Op = ly.Op(), Cp = up.Op();
      DL[l].assign(B * Op, Fp::Zero());
      for (uint64_t i = 0; i < B; ++i) {
        for (uint64_t o = 0; o < Op; ++o) {
          const uint64_t x = (t * B + i) * Op + o;
          Fp acc = Fp::Zero();
          for (uint64_t c = 0; c < Cp; ++c)
            acc += DL[l + 1][i * Cp + c] * W[l + 1][c * up.Jp() + o];
          const Fp br = bw.Draw(ly.BR, x);
          const Fp bq = (acc - br) * inv16;
          bw.Set(ly.BQ, x, bq);
          w.layers[l].bq[x] = bq;
          const Fp dl = bw.Draw(ly.DL, x);
          w.layers[l].dl[x] = dl;
          DL[l][i * Op + o] = dl;
        }
      }
    }
    for (size_t l = 0; l < L; ++l) {
      const Shape::Layer& ly = s.layers[l];
      const uint64_t Op = ly.Op(), Jp = ly.Jp();
      const Fp inv_grad = Pow2(-16 - static_cast<int>(s.lb)), inv_b = Pow2(-static_cast<int>(s.lb));
      for (uint64_t o = 0; o < Op; ++o) {
        for (uint64_t j = 0; j < Jp; ++j) {
          const uint64_t x = (t * Op + o) * Jp + j;
          Fp g = Fp::Zero();
          for (uint64_t i = 0; i < B; ++i) g += DL[l][i * Op + o] * X[l][i * Jp + j];
          const Fp gq = (g - bw.Draw(ly.GR, x)) * inv_grad;
          bw.Set(ly.GQ, x, gq);
          Fp u;
          if (!last) {
            u = (eta * gq - bw.Draw(ly.UR, x)) * inv16;
          } else {  // the blinding run ends at the statement's weights too
            u = W[l][o * Jp + j] - Fp::FromSigned(ly.final_w[o * Jp + j]);
            bw.Set(ly.UR, x, eta * gq - two16 * u);
          }
          bw.at(ly.U, x) = u;
          W[l][o * Jp + j] -= u;
        }
        const uint64_t y = t * Op + o;
        Fp dsum = Fp::Zero();
        for (uint64_t i = 0; i < B; ++i) dsum += DL[l][i * Op + o];
        const Fp bgq = (dsum - bw.Draw(ly.BGR, y)) * inv_b;
        bw.Set(ly.BGQ, y, bgq);
        Fp bu;
        if (!last) {
          bu = (eta * bgq - bw.Draw(ly.BUR, y)) * inv16;
        } else {
          bu = bias[l][o] - Fp::FromSigned(ly.final_b[o]);
          bw.Set(ly.BUR, y, eta * bgq - two16 * bu);
        }
        bw.at(ly.BU, y) = bu;
        bias[l][o] -= bu;
      }
    }
  }
  SecureWipe(xs);
  return Status::Ok();
}

}  // namespace

// ---- prover ----

namespace {
// The statement a proof of `model`'s training on `dataset` makes, after the checks that only
// the model allows (the statement's own bounds are DeriveShape's).
Result<NetworkTrainingStatement> StatementFor(const ml::Model& model,
                                              const DatasetCommitment& dataset) {
  if (!IsNetworkModel(model.spec)) return Fail("only softmax and mlp are provable here");
  if (model.output != ml::OutputKind::kSoftmax)
    return Fail("the output must be softmax (mlp proofs need 3 or more classes)");
  if (model.fraction_bits != kF) return Fail("fraction bits must be 16");
  if (model.hyper.l2 != 0) return Fail("L2 regularisation is not provable yet (use --l2 0)");
  for (size_t c = 0; c < model.classes.size(); ++c) {
    if (model.classes[c] != static_cast<double>(c))
      return Fail("class labels must be 0, 1, …, K−1 (relabel the data)");
  }
  NetworkTrainingStatement st;
  st.dataset = dataset;
  st.spec = model.spec;
  st.classes = model.classes.size();
  st.SetFromModel(model);
  st.mean = model.standardizer.mean;
  st.multiplier = model.standardizer.multiplier;
  st.final_layers = model.layers;
  return st;
}
}  // namespace

Status CheckNetworkTrainingProvable(const ml::Model& model, uint64_t rows, uint64_t features) {
  ZK_ASSIGN_OR_RETURN(NetworkTrainingStatement st,
                      StatementFor(model, PlannedDatasetCommitment(rows, features, kF)));
  return DeriveShape(st).status();
}

Result<StatementAndShape> netpot::PrepareNetworkStatement(const NetworkTrainingWitness& wit,
                                                          NetworkTamper tamper) {
  if (!wit.table || !wit.dataset || !wit.model || !wit.trace)
    return Status::InvalidArgument("incomplete witness");
  ZK_ASSIGN_OR_RETURN(NetworkTrainingStatement st,
                      StatementFor(*wit.model, wit.dataset->commitment));
  if (tamper == NetworkTamper::kFinalWeights && !st.final_layers.empty() &&
      !st.final_layers[0].weights.empty()) {
    st.final_layers[0].weights[0] += 1;
  }
  ZK_ASSIGN_OR_RETURN(Shape s, DeriveShape(st));
  return StatementAndShape{std::move(st), std::move(s)};
}

Result<BuiltWitness> netpot::BuildNetworkWitness(
    const NetworkTrainingWitness& wit, const Shape& s, NetworkTamper tamper,
    const std::function<void(const char*)>& phase_done) {
  if (!wit.table || !wit.dataset || !wit.model || !wit.trace)
    return Status::InvalidArgument("incomplete witness");
  auto phase = [&](const char* name) {
    if (phase_done) phase_done(name);
  };
  const ml::Table& table = *wit.table;
  const ml::TrainingTrace& trace = *wit.trace;
  if (trace.steps() != s.steps)
    return Fail("the trace has " + std::to_string(trace.steps()) + " steps, the statement " +
                std::to_string(s.steps));
  if (table.rows != wit.dataset->commitment.rows ||
      table.cols() != wit.dataset->commitment.features)
    return Fail("table does not match the dataset commitment");

  const uint64_t B = s.B(), Kp = s.Kp(), K = s.K, Dp = s.Dp(), Tp = s.Tp(), N = s.N(), D = s.D;
  const uint64_t Th = s.Th();
  const size_t lb = s.lb;
  ml::FixedPointFormat fp;
  auto need = [&](const char* name) -> Result<const ml::TrainingTrace::Tensor*> {
    const auto* t = trace.Find(name);
    if (!t) return Fail(std::string("trace has no tensor ") + name);
    return t;
  };
  const size_t L = s.layers.size();
  struct LayerTrace {
    const ml::TrainingTrace::Tensor *w, *b, *aq, *ar, *dl, *gq, *gr, *bgq, *bgr, *u, *ur, *bu, *bur;
    const ml::TrainingTrace::Tensor *h = nullptr, *bq = nullptr, *br = nullptr;
  };
  std::vector<LayerTrace> lt(L);
  for (size_t l = 0; l < L; ++l) {
    const std::string p = "layer" + std::to_string(l) + ".";
    auto get = [&](const char* n) { return need((p + n).c_str()); };
    ZK_ASSIGN_OR_RETURN(lt[l].w, get("weight"));
    ZK_ASSIGN_OR_RETURN(lt[l].b, get("bias"));
    ZK_ASSIGN_OR_RETURN(lt[l].aq, get("acc_q"));
    ZK_ASSIGN_OR_RETURN(lt[l].ar, get("acc_r"));
    ZK_ASSIGN_OR_RETURN(lt[l].dl, get("delta"));
    ZK_ASSIGN_OR_RETURN(lt[l].gq, get("grad_q"));
    ZK_ASSIGN_OR_RETURN(lt[l].gr, get("grad_r"));
    ZK_ASSIGN_OR_RETURN(lt[l].bgq, get("bias_grad_q"));
    ZK_ASSIGN_OR_RETURN(lt[l].bgr, get("bias_grad_r"));
    ZK_ASSIGN_OR_RETURN(lt[l].u, get("update_q"));
    ZK_ASSIGN_OR_RETURN(lt[l].ur, get("update_r"));
    ZK_ASSIGN_OR_RETURN(lt[l].bu, get("bias_update_q"));
    ZK_ASSIGN_OR_RETURN(lt[l].bur, get("bias_update_r"));
    if (s.layers[l].hidden) {
      ZK_ASSIGN_OR_RETURN(lt[l].h, get("h"));
      ZK_ASSIGN_OR_RETURN(lt[l].bq, get("back_q"));
      ZK_ASSIGN_OR_RETURN(lt[l].br, get("back_r"));
    }
  }
  ZK_ASSIGN_OR_RETURN(auto* tp, need("output.p"));

  // Standardised data over all dataset rows (zero outside the training part).
  std::vector<int64_t> XS(N * Dp, 0), REM(N * Dp, 0), DC(N * Dp, 0);
  for (uint64_t r = 0; r < table.rows; ++r) {
    if (!s.train_row[r]) continue;
    for (uint64_t j = 0; j <= D; ++j) {
      const double raw = j < D ? table.row(r)[j] : table.labels[r];
      ZK_ASSIGN_OR_RETURN(int64_t q, ml::QuantizeRaw(raw, fp));
      const __int128 d = static_cast<__int128>(q) - s.col_mean[j];
      const __int128 prod = d * s.col_mult[j];
      const __int128 xs = prod >> 32;
      if (xs <= -kVo || xs >= kVo - 1) {
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

  phase("data");

  // Integer witness over the padded domains, layer by layer.
  struct LayerInts {
    std::vector<int64_t> X, W, GQ, GR, U, UR, BI, BGQ, BGR, BU, BUR, AQ, AR, DL;
    std::vector<int64_t> Z, H, SG, HM, NEG, BQ, BR;
  };
  std::vector<LayerInts> li(L);
  for (size_t l = 0; l < L; ++l) {
    const auto& ly = s.layers[l];
    LayerInts& v = li[l];
    const uint64_t nW = Tp * ly.Op() * ly.Jp(), nB = Tp * ly.Op(), nA = Tp * B * ly.Op();
    for (auto* t : {&v.W, &v.GQ, &v.GR, &v.U, &v.UR}) t->assign(nW, 0);
    for (auto* t : {&v.BI, &v.BGQ, &v.BGR, &v.BU, &v.BUR}) t->assign(nB, 0);
    for (auto* t : {&v.AQ, &v.AR, &v.DL}) t->assign(nA, 0);
    if (ly.hidden)
      for (auto* t : {&v.Z, &v.H, &v.SG, &v.HM, &v.NEG, &v.BQ, &v.BR}) t->assign(nA, 0);
    v.X.assign(Tp * B * ly.Jp(), 0);
  }
  for (uint64_t k = 0; k < s.steps * B; ++k) {
    const uint64_t row = s.row_of[k];
    for (uint64_t j = 0; j < D; ++j) li[0].X[k * s.layers[0].Jp() + j] = XS[row * Dp + j];
  }
  const uint64_t nTIK = Tp * B * Kp, nTI = Tp * B;
  std::vector<int64_t> G(nTIK, 0), R8(nTIK, 0), E(nTIK, 0), P(nTIK, 0), RHO(nTIK, 0), WS(nTIK, 0),
      A(nTIK, 0), IDX(nTIK, 0), Y(nTIK, 0), HOT(nTIK, 0);
  std::vector<int64_t> M(nTI, 0), S(nTI, 0);
  const int64_t vlim = int64_t{1} << kValueBits;
  for (uint64_t t = 0; t < Th; ++t) {  // the real half (the blinding half comes later)
    const bool real = t < s.steps;
    // Forward pass (from the trace, or computed for a padding step: input 0, final weights).
    for (size_t l = 0; l < L; ++l) {
      const auto& ly = s.layers[l];
      LayerInts& v = li[l];
      const uint64_t Op = ly.Op(), Jp = ly.Jp(), O = ly.O, J = ly.J;
      if (l > 0) {
        for (uint64_t i = 0; i < B; ++i)
          for (uint64_t j = 0; j < Jp; ++j)
            v.X[(t * B + i) * Jp + j] = li[l - 1].H[(t * B + i) * Jp + j];
      }
      for (uint64_t o = 0; o < O; ++o) {
        for (uint64_t j = 0; j < J; ++j) {
          const uint64_t x = (t * Op + o) * Jp + j;
          if (real) {
            v.W[x] = lt[l].w->step(t)[o * J + j];
            v.GQ[x] = lt[l].gq->step(t)[o * J + j];
            v.GR[x] = lt[l].gr->step(t)[o * J + j];
            v.U[x] = lt[l].u->step(t)[o * J + j];
            v.UR[x] = lt[l].ur->step(t)[o * J + j];
          } else {
            v.W[x] = ly.final_w[o * Jp + j];
          }
        }
        const uint64_t y = t * Op + o;
        if (real) {
          v.BI[y] = lt[l].b->step(t)[o];
          v.BGQ[y] = lt[l].bgq->step(t)[o];
          v.BGR[y] = lt[l].bgr->step(t)[o];
          v.BU[y] = lt[l].bu->step(t)[o];
          v.BUR[y] = lt[l].bur->step(t)[o];
        } else {
          v.BI[y] = ly.final_b[o];
        }
      }
      for (uint64_t i = 0; i < B; ++i) {
        for (uint64_t o = 0; o < O; ++o) {
          const uint64_t x = (t * B + i) * Op + o;
          if (real) {
            v.AQ[x] = lt[l].aq->step(t)[i * O + o];
            v.AR[x] = lt[l].ar->step(t)[i * O + o];
          } else {
            __int128 acc = 0;
            for (uint64_t j = 0; j < Jp; ++j)
              acc += static_cast<__int128>(v.X[(t * B + i) * Jp + j]) * v.W[(t * Op + o) * Jp + j];
            const int64_t a64 = static_cast<int64_t>(acc);
            v.AQ[x] = ml::FloorShift(a64, kF);
            v.AR[x] = ml::ShiftRemainder(a64, kF);
          }
          if (ly.hidden) {
            const int64_t z = v.AQ[x] + v.BI[t * Op + o];
            v.Z[x] = z;
            v.H[x] = real ? lt[l].h->step(t)[i * O + o] : std::max<int64_t>(z, 0);
            if (v.H[x] >= vlim) return Fail("a hidden activation leaves the provable range");
            v.SG[x] = z > 0 ? 1 : 0;
          }
        }
      }
    }
    // Softmax output (every step; compared with the trace on real steps).
    const LayerInts& out = li[L - 1];
    for (uint64_t i = 0; i < B; ++i) {
      const uint64_t row = real ? s.row_of[t * B + i] : 0;
      const int64_t label = real ? XS[row * Dp + D] : 0;  // 2^F·class (the raw label)
      const uint64_t ti = t * B + i;
      int64_t m = INT64_MIN;
      std::vector<int64_t> z(Kp);
      for (uint64_t c = 0; c < Kp; ++c) {
        const uint64_t x = ti * Kp + c;
        z[c] = out.AQ[x] + out.BI[t * Kp + c] + (c < K ? 0 : kPadLogitOffset);
        if (c < K) {
          if (z[c] <= -kMo || z[c] >= kMo)
            return Fail("a logit at step " + std::to_string(t) +
                        " is beyond the provable softmax range (|z| < 64)");
          m = std::max(m, z[c]);
        }
      }
      M[ti] = m;
      bool chosen = false;
      int64_t sum = 0;
      for (uint64_t c = 0; c < Kp; ++c) {
        const uint64_t x = ti * Kp + c;
        G[x] = m - z[c];
        IDX[x] = ml::FloorShift(-G[x], 8);
        R8[x] = -G[x] - IDX[x] * 256;
        E[x] = fp.ExpAt(std::max(IDX[x], ml::kExpIndexMin));
        sum += E[x];
        if (!chosen && c < K && G[x] == 0) {
          A[x] = 1;
          chosen = true;
        }
        HOT[x] = label + static_cast<int64_t>(c);
        Y[x] = (c < K && label == (static_cast<int64_t>(c) << kF)) ? (int64_t{1} << kF) : 0;
      }
      S[ti] = sum;
      for (uint64_t c = 0; c < Kp; ++c) {
        const uint64_t x = ti * Kp + c;
        P[x] = (E[x] << kF) / sum;
        RHO[x] = (E[x] << kF) - P[x] * sum;
        WS[x] = sum - 1 - RHO[x];
        const int64_t delta = P[x] - Y[x];
        if (real && c < K) {
          if (P[x] != tp->step(t)[i * K + c] || delta != lt[L - 1].dl->step(t)[i * K + c])
            return Fail("the trace's softmax at step " + std::to_string(t) +
                        " is not reproducible");
        }
        li[L - 1].DL[x] = delta;
      }
    }
    // Backward pass: from the trace, or computed for a padding step (η = 0: no updates).
    for (size_t l = L; l-- > 0;) {
      const auto& ly = s.layers[l];
      LayerInts& v = li[l];
      const uint64_t Op = ly.Op(), Jp = ly.Jp(), O = ly.O;
      if (ly.hidden) {
        const auto& up = s.layers[l + 1];
        const LayerInts& vu = li[l + 1];
        for (uint64_t i = 0; i < B; ++i) {
          for (uint64_t o = 0; o < O; ++o) {
            const uint64_t x = (t * B + i) * Op + o;
            if (real) {
              v.BQ[x] = lt[l].bq->step(t)[i * O + o];
              v.BR[x] = lt[l].br->step(t)[i * O + o];
              v.DL[x] = lt[l].dl->step(t)[i * O + o];
            } else {
              __int128 acc = 0;
              for (uint64_t c = 0; c < up.Op(); ++c)
                acc += static_cast<__int128>(vu.DL[(t * B + i) * up.Op() + c]) *
                       vu.W[(t * up.Op() + c) * up.Jp() + o];
              const int64_t a64 = static_cast<int64_t>(acc);
              v.BQ[x] = ml::FloorShift(a64, kF);
              v.BR[x] = ml::ShiftRemainder(a64, kF);
              v.DL[x] = v.Z[x] > 0 ? v.BQ[x] : 0;
              if (v.DL[x] <= -vlim || v.DL[x] >= vlim)
                return Fail("a padding-step error is out of range");
            }
          }
        }
      }
      if (!real) {
        for (uint64_t o = 0; o < Op; ++o) {
          int64_t sum = 0;
          for (uint64_t i = 0; i < B; ++i) sum += v.DL[(t * B + i) * Op + o];
          v.BGQ[t * Op + o] = ml::FloorShift(sum, static_cast<int>(lb));
          v.BGR[t * Op + o] = ml::ShiftRemainder(sum, static_cast<int>(lb));
          for (uint64_t j = 0; j < Jp; ++j) {
            __int128 g = 0;
            for (uint64_t i = 0; i < B; ++i)
              g += static_cast<__int128>(v.DL[(t * B + i) * Op + o]) * v.X[(t * B + i) * Jp + j];
            const int64_t g64 = static_cast<int64_t>(g);
            v.GQ[(t * Op + o) * Jp + j] = ml::FloorShift(g64, kF + static_cast<int>(lb));
            v.GR[(t * Op + o) * Jp + j] = ml::ShiftRemainder(g64, kF + static_cast<int>(lb));
          }
        }
      }
    }
  }
  for (size_t l = 0; l < L; ++l) {
    const auto& ly = s.layers[l];
    LayerInts& v = li[l];
    for (uint64_t o = 0; o < ly.O; ++o) {
      for (uint64_t j = 0; j < ly.J; ++j) {
        const uint64_t x = ((s.steps - 1) * ly.Op() + o) * ly.Jp() + j;
        if (tamper != NetworkTamper::kFinalWeights &&
            v.W[x] - v.U[x] != ly.final_w[o * ly.Jp() + j])
          return Fail("the trace does not end at the model's weights");
      }
    }
    if (ly.hidden) {
      for (uint64_t x = 0; x < v.Z.size(); ++x) {
        v.HM[x] = v.H[x] - v.SG[x];
        v.NEG[x] = v.H[x] - v.Z[x];
      }
    }
  }
  phase("integers");
  LayerInts& lo_ = li[L - 1];
  switch (tamper) {
    case NetworkTamper::kActivation:
      lo_.AQ[Kp + 1] += 1;
      break;
    case NetworkTamper::kSoftmaxEntry:
      P[1] += 1;
      lo_.DL[1] += 1;
      break;
    case NetworkTamper::kWeightUpdate:
      li[0].U[li[0].U.size() / 4 + 1] += 1;
      break;
    case NetworkTamper::kRowMax:
      M[2] += 256;
      for (uint64_t c = 0; c < Kp; ++c) G[2 * Kp + c] += 256;
      break;
    case NetworkTamper::kReluSign:
      if (L > 1) {
        LayerInts& h0 = li[0];
        // The first hidden unit whose sign is 1: claim it is 0 (keeping h).
        for (uint64_t x = 0; x < h0.SG.size(); ++x) {
          if (h0.SG[x] == 1) {
            h0.SG[x] = 0;
            h0.HM[x] = h0.H[x];
            break;
          }
        }
      }
      break;
    default:
      break;
  }

  Witness w;
  auto& cols = w.cols;
  cols.resize(s.layout.count());
  for (int c = 0; c < s.layout.count(); ++c) cols[c].assign(s.layout.size(c), Fp::Zero());
  bool out_of_range = false;
  auto limbs = [&](const BVar& v, const std::vector<int64_t>& vals) {
    if (v.plain) {
      for (size_t x = 0; x < vals.size(); ++x) cols[v.cols[0]][x] = Fp::FromSigned(vals[x]);
      return;
    }
    for (size_t x = 0; x < vals.size(); ++x) {
      const int64_t u = vals[x] + v.offset;
      if (u < 0 || u >= (int64_t{1} << v.k)) {
        out_of_range = true;
        cols[v.cols[0]][x] = Fp::FromSigned(u) * LimbCoefs(v.k)[0].Inverse();
        continue;
      }
      auto lv = LimbValues(static_cast<uint64_t>(u), v.k);
      for (size_t l = 0; l < v.cols.size(); ++l) cols[v.cols[l]][x] = Fp::From(lv[l]);
    }
  };
  auto field = [](const std::vector<int64_t>& v) { return SignedTable(v); };
  w.layers.resize(L);
  for (size_t l = 0; l < L; ++l) {
    const auto& ly = s.layers[l];
    LayerInts& v = li[l];
    limbs(ly.W, v.W);
    limbs(ly.GQ, v.GQ);
    limbs(ly.GR, v.GR);
    limbs(ly.UR, v.UR);
    limbs(ly.BIAS, v.BI);
    limbs(ly.BGQ, v.BGQ);
    limbs(ly.BGR, v.BGR);
    limbs(ly.BUR, v.BUR);
    limbs(ly.AQ, v.AQ);
    limbs(ly.AR, v.AR);
    limbs(ly.DL, v.DL);
    for (uint64_t x = 0; x < v.U.size(); ++x) cols[ly.U][x] = Fp::FromSigned(v.U[x]);
    for (uint64_t x = 0; x < v.BU.size(); ++x) cols[ly.BU][x] = Fp::FromSigned(v.BU[x]);
    auto& lwt = w.layers[l];
    lwt.x = field(v.X);
    lwt.w = field(v.W);
    lwt.dl = field(v.DL);
    if (ly.hidden) {
      limbs(ly.HM, v.HM);
      limbs(ly.NEG, v.NEG);
      limbs(ly.BQ, v.BQ);
      limbs(ly.BR, v.BR);
      for (uint64_t x = 0; x < v.SG.size(); ++x) cols[ly.SG][x] = Fp::FromSigned(v.SG[x]);
      lwt.z = field(v.Z);
      lwt.hm = field(v.HM);
      lwt.bq = field(v.BQ);
    }
    v = LayerInts{};  // free the integer copies early
  }
  limbs(s.G, G);
  limbs(s.R8, R8);
  limbs(s.P, P);
  limbs(s.RHO, RHO);
  limbs(s.WS, WS);
  limbs(s.M, M);
  limbs(s.XS, XS);
  limbs(s.REM, REM);
  for (uint64_t x = 0; x < N * Dp; ++x) {
    const int k = s.col_k[x % Dp];
    auto lv = LimbValues(static_cast<uint64_t>(DC[x] + (int64_t{1} << (k - 1))), k);
    for (int l = 0; l < 3; ++l) cols[s.DC.cols[l]][x] = Fp::From(lv[l]);
  }
  for (uint64_t x = 0; x < nTIK; ++x) {
    cols[s.E][x] = Fp::FromSigned(E[x]);
    cols[s.A][x] = Fp::FromSigned(A[x]);
  }
  for (uint64_t x = 0; x < nTI; ++x) cols[s.S][x] = Fp::FromSigned(S[x]);
  if (out_of_range && tamper == NetworkTamper::kNone)
    return Fail("a witness value is outside its provable bound");

  phase("columns");

  // Multiplicities of the live (real) halves only (entries outside a table are skipped: only a
  // dishonest witness has them), split at random into m' (zk/logup_zk.h).
  for (const auto& l : s.lookups) {
    if (l.kind != Shape::LookupKind::kRange) continue;
    std::vector<uint64_t> m(uint64_t{1} << 16, 0);
    for (int c : l.cols) {
      const std::vector<Fp>& v = cols[c];
      for (uint64_t x = 0; x < v.size() / 2; ++x)
        if (v[x].v < (uint64_t{1} << 16)) ++m[v[x].v];
    }
    std::vector<Fp> mf(m.size());
    for (size_t k = 0; k < m.size(); ++k) mf[k] = Fp::From(m[k]);
    cols[l.multiplicities] = ZkSplitMultiplicities(mf);
  }
  {
    std::vector<Fp> me(uint64_t{1} << kExpTableLog, Fp::Zero());
    std::vector<Fp> mh(uint64_t{1} << s.onehot_table.log_size(), Fp::Zero());
    for (uint64_t x = 0; x < nTIK / 2; ++x) {
      if (-IDX[x] >= 0 && -IDX[x] < (int64_t{1} << kExpTableLog)) me[-IDX[x]] += Fp::One();
      const uint64_t a = static_cast<uint64_t>(HOT[x] >> kF), c = x % Kp;
      if (HOT[x] >= 0 && a < K) mh[a * Kp + c] += Fp::One();
    }
    cols[s.m_exp] = ZkSplitMultiplicities(me);
    cols[s.m_hot] = ZkSplitMultiplicities(mh);
  }
  w.p_int = field(P);
  w.rho_int = field(RHO);
  w.g_int = field(G);
  w.exp_index = field(IDX);
  w.onehot_in = field(HOT);
  {
    const std::vector<Fp>& dl = w.layers[L - 1].dl;
    w.onehot_out.resize(nTIK);
    for (uint64_t x = 0; x < nTIK; ++x) w.onehot_out[x] = Fp::FromSigned(P[x]) - dl[x];
  }
  w.s_broadcast.resize(nTIK);
  for (uint64_t x = 0; x < nTIK; ++x) w.s_broadcast[x] = Fp::FromSigned(S[x / Kp]);
  phase("multiplicities");
  w.data_matrix = &wit.dataset->matrix;
  ZK_RETURN_IF_ERROR(FillBlindingHalf(s, *wit.dataset, XS, w));
  phase("blinding");
  if (tamper == NetworkTamper::kBlindingRelation) {
    const auto& l0 = s.layers[0];
    cols[l0.U][Th * l0.Op() * l0.Jp() + 1] += Fp::One();
  }
  if (tamper == NetworkTamper::kMultiplicity) cols[s.lookups[0].multiplicities][5] += Fp::One();
  // The sumchecks' masking polynomials are witness columns too (pot/blinding.h).
  for (const Shape::Mask& m : s.masks) {
    w.masks.push_back(SumcheckMask::Random(m.vars, m.degree));
    cols[m.col] = w.masks.back().table();
  }
  phase("masks");
  BuiltWitness built;
  built.packed = s.layout.Pack(cols);
  // From here on the columns are read from `packed` (Witness::col); their separate copies go.
  w.views.resize(static_cast<size_t>(s.layout.count()));
  for (int c = 0; c < s.layout.count(); ++c)
    w.views[c] =
        std::span<const Fp>(built.packed).subspan(s.layout.offset(c), s.layout.size(c));
  for (auto& c : cols) {
    SecureWipe(c);
    std::vector<Fp>().swap(c);
  }
  phase("pack");
  built.witness = std::move(w);
  return built;
}

Digest netpot::RealHalfDigest(const Shape& s, const Witness& w) {
  Sha256 h;
  auto lower = [&](std::span<const Fp> v) { h.Update(v.data(), v.size() / 2 * sizeof(Fp)); };
  for (int c = 0; c < s.layout.count(); ++c) {
    if (s.first_mask >= 0 && c >= s.first_mask) continue;
    const std::span<const Fp> col = w.col(c);
    bool split = c == s.m_exp || c == s.m_hot;
    for (const auto& l : s.lookups) split = split || l.multiplicities == c;
    if (!split) {
      lower(col);
      continue;
    }
    const size_t half = col.size() / 2;
    for (size_t y = 0; y < half; ++y) {
      const Fp count = col[y] + col[half + y];
      h.Update(&count, sizeof count);
    }
  }
  for (const Witness::LayerTensors& t : w.layers) {
    for (const std::vector<Fp>* v : {&t.x, &t.w, &t.dl, &t.z, &t.hm, &t.bq}) lower(*v);
  }
  for (const std::vector<Fp>* v :
       {&w.p_int, &w.rho_int, &w.g_int, &w.s_broadcast, &w.exp_index, &w.onehot_in, &w.onehot_out})
    lower(*v);
  return h.Final();
}

Result<Bytes> ProveNetworkTraining(const NetworkTrainingWitness& wit, NetworkTamper tamper,
                                   std::vector<RevealedEvaluation>* audit) {
  ZK_ASSIGN_OR_RETURN(StatementAndShape prepared, PrepareNetworkStatement(wit, tamper));
  const NetworkTrainingStatement& st = prepared.statement;
  const Shape& s = prepared.shape;
  Timer phase_timer, sub_timer;
  const bool profile = std::getenv("ZEKTRA_POT_PROFILE") != nullptr;
  auto phase = [&](const char* name) {
    if (profile)
      std::fprintf(stderr, "netpot: %s %.3fs (peak RSS %.2f GiB)\n", name, phase_timer.Seconds(),
                   PeakRssGiB());
    phase_timer.Reset();
  };
  auto sub_phase = [&](const char* name) {
    if (profile)
      std::fprintf(stderr, "netpot:   witness/%s %.3fs\n", name, sub_timer.Seconds());
    sub_timer.Reset();
  };
  ZK_ASSIGN_OR_RETURN(BuiltWitness built, BuildNetworkWitness(wit, s, tamper, sub_phase));
  Witness& w = built.witness;
  const std::vector<Fp>& packed = built.packed;
  phase("witness");

  ProofData out;
  out.statement_bytes = st.Serialize();
  // Borrowed, not copied: `packed` outlives `pdata` (declared after it) and stays unchanged
  // until the opening, which saves a 2^log_total copy of the witness.
  PcsProverData pdata = PcsCommitBorrowing(
      packed, ChoosePcsParams(static_cast<int>(s.layout.log_total()), true, 100, 1));
  out.witness_commitment = pdata.commitment();
  phase("commit");
  Transcript tr(kTranscriptLabel);
  tr.AbsorbBytes("pot.statement", out.statement_bytes);
  tr.AbsorbBytes("pot.witness_commitment", out.witness_commitment.Serialize());
  Io io(tr, &out, nullptr, &w, s, audit);
  ZK_ASSIGN_OR_RETURN(Openings op, RunProtocol(io, tr, s, packed));
  phase("relations");
  const PcsProverData* polys[] = {&pdata, io.helper_data(), &wit.dataset->prover};
  std::vector<PcsClaim> claims = {{0, op.packed.point, op.packed.value},
                                  {2, op.data_point, op.data_value}};
  for (const PcsClaim& c : io.helper_claims()) claims.push_back(c);
  out.opening = PcsOpen(polys, claims, tr);
  phase("opening");
  return Encode(out);
}

// ---- verifier ----

bool IsNetworkTrainingProof(ByteSpan proof_file) {
  auto c = ProofContainer::Parse(proof_file);
  return c.ok() && c->kind() == ProofKind::kTrainingRun && c->Find(kTagStatement) != nullptr;
}

Result<NetworkTrainingStatement> ReadNetworkStatement(ByteSpan proof_file) {
  ZK_ASSIGN_OR_RETURN(ProofContainer c, ProofContainer::Parse(proof_file));
  if (c.kind() != ProofKind::kTrainingRun) return Status::BadInput("not a proof of training");
  ZK_ASSIGN_OR_RETURN(ByteSpan st, c.Require(kTagStatement, "network statement"));
  return NetworkTrainingStatement::Parse(st);
}

namespace {
Status VerifyProofData(const ProofData& p, const NetworkTrainingStatement& st) {
  ZK_ASSIGN_OR_RETURN(Shape s, DeriveShape(st));
  if (p.witness_commitment.params.log_size != static_cast<int>(s.layout.log_total()) ||
      !p.witness_commitment.params.hiding) {
    return Status::Rejected("witness commitment has the wrong shape");
  }
  Transcript tr(kTranscriptLabel);
  tr.AbsorbBytes("pot.statement", p.statement_bytes);
  tr.AbsorbBytes("pot.witness_commitment", p.witness_commitment.Serialize());
  Io io(tr, nullptr, &p, nullptr, s);
  ZK_ASSIGN_OR_RETURN(Openings op, RunProtocol(io, tr, s, {}));
  const PcsCommitment commitments[] = {p.witness_commitment, p.helper_commitment, st.dataset.pcs};
  std::vector<PcsClaim> claims = {{0, op.packed.point, op.packed.value},
                                  {2, op.data_point, op.data_value}};
  for (const PcsClaim& c : io.helper_claims()) claims.push_back(c);
  Status opened = PcsVerify(commitments, claims, p.opening, tr);
  if (!opened.ok()) return Status::Rejected("opening: " + opened.message());
  return Status::Ok();
}
}  // namespace

NetworkVerifyOutcome VerifyNetworkTraining(ByteSpan proof_file,
                                           const DatasetCommitment* expected_dataset) {
  return VerifyWitnessProof<NetworkVerifyOutcome, NetworkTrainingStatement>(
      Decode(proof_file), expected_dataset, VerifyProofData);
}

Status CheckModelMatchesNetworkStatement(const ml::Model& model,
                                         const NetworkTrainingStatement& st) {
  if (model.spec.ToString() != st.spec.ToString())
    return Status::Rejected("model file: model kind differs from the proof");
  if (model.layers.size() != st.final_layers.size())
    return Status::Rejected("model file: layer count differs from the proof");
  for (size_t l = 0; l < model.layers.size(); ++l) {
    const auto& a = model.layers[l];
    const auto& b = st.final_layers[l];
    if (a.inputs != b.inputs || a.outputs != b.outputs || a.weights != b.weights ||
        a.bias != b.bias)
      return Status::Rejected("model file: weights of layer " + std::to_string(l) +
                              " differ from the proven ones");
  }
  if (model.standardizer.mean != st.mean || model.standardizer.multiplier != st.multiplier)
    return Status::Rejected("model file: preprocessing differs from the proven one");
  if (model.classes.size() != st.classes)
    return Status::Rejected("model file: class count differs from the proof");
  for (size_t c = 0; c < model.classes.size(); ++c)
    if (model.classes[c] != static_cast<double>(c))
      return Status::Rejected("model file: classes are not 0..K−1");
  if (model.hyper.epochs != st.epochs || model.hyper.batch != st.batch ||
      model.hyper.seed != st.seed)
    return Status::Rejected("model file: hyper-parameters differ from the proven ones");
  return Status::Ok();
}

}  // namespace zektra::pot
