#include "zektra/pot/network_training_proof.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <mutex>

#include "zektra/base/thread_pool.h"
#include "zektra/base/timer.h"
#include "zektra/crypto/random.h"
#include "zektra/field/kernels.h"
#include "zektra/field/uninit_vector.h"
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

// Column c of the witness: its segment of the packed values.
using Columns = std::vector<std::span<Fp>>;

// The limb coefficients of every bound k ≤ 48 and the inverse of the top one, computed once
// per proof (LimbCoefs inverts a power of two for k < 16: too slow once per entry).
struct LimbTables {
  std::array<std::array<Fp, 3>, 49> coefs{};
  std::array<Fp, 49> top_inverse{};
  LimbTables() {
    for (int k = 1; k <= 48; ++k) {
      coefs[k] = LimbCoefs(k);
      top_inverse[k] = coefs[k][LimbCount(k) - 1].Inverse();
    }
  }
};

// Generators for chunks of a parallel loop: a chunk leases one that no running chunk holds, so
// draws need no lock and every value is still a fresh uniform draw (each generator's buffer is
// consumed once, in order, and wiped by RandomFields). One generator per concurrent chunk, kept
// for the whole blinding half, so a chunk does not refill a 2^14-element buffer for a few draws.
class RandomFieldsPool {
 public:
  class Lease {
   public:
    Lease(RandomFieldsPool& pool, RandomFields* rng) : pool_(pool), rng_(rng) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() {
      std::lock_guard<std::mutex> lock(pool_.mu_);
      pool_.free_.push_back(rng_);
    }
    RandomFields& rng() { return *rng_; }

   private:
    RandomFieldsPool& pool_;
    RandomFields* rng_;
  };
  Lease Acquire() {
    std::lock_guard<std::mutex> lock(mu_);
    if (free_.empty()) {
      all_.push_back(std::make_unique<RandomFields>());
      return Lease(*this, all_.back().get());
    }
    RandomFields* r = free_.back();
    free_.pop_back();
    return Lease(*this, r);
  }

 private:
  std::mutex mu_;
  std::vector<std::unique_ptr<RandomFields>> all_;
  std::vector<RandomFields*> free_;
};

// Writes bounded variables of the blinding half: limbs uniformly random, or all but the top one
// random and the top one solved so that the variable stands for a given field value. One per
// chunk of a parallel loop (its own generator); chunks write disjoint entries.
class BlindingWriter {
 public:
  BlindingWriter(const Columns& cols, const LimbTables& limbs, RandomFields& rng)
      : cols_(cols), limbs_(limbs), rng_(rng) {}
  Fp Random() { return rng_.Next(); }
  // v stands for `value` at x.
  void Set(const BVar& v, uint64_t x, Fp value) {
    if (v.plain) {
      cols_[v.cols[0]][x] = value;
      return;
    }
    const auto& cf = limbs_.coefs[v.k];
    const size_t top = v.cols.size() - 1;
    Fp acc = value + Fp::FromSigned(v.offset);
    for (size_t l = 0; l < top; ++l) {
      const Fp r = rng_.Next();
      cols_[v.cols[l]][x] = r;
      acc -= cf[l] * r;
    }
    cols_[v.cols[top]][x] = acc * limbs_.top_inverse[v.k];
  }
  // v random at x; returns the value it stands for.
  Fp Draw(const BVar& v, uint64_t x) {
    if (v.plain) return cols_[v.cols[0]][x] = rng_.Next();
    const auto& cf = limbs_.coefs[v.k];
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
  const Columns& cols_;
  const LimbTables& limbs_;
  RandomFields& rng_;
};

// The blinding half (steps t ≥ Th, dataset rows ≥ Nh): a run over the field on the dataset
// commitment's blinding rows. Every relation the verifier checks at a point with a random ζ
// holds on it (standardisation, products and their truncations, ReLU and softmax linear
// relations, Σ argmax = 1, Σ exp = S, updates from the public initial layers to the statement's
// final ones); every value a relation leaves free is uniformly random. The pointwise nonlinear
// relations are zero-checked on the real half only and the lookups see only the real half, so
// nothing here is tied to the real run.
//
// Parallel: the rows of a batch are independent through the forward pass, the softmax and the
// back-propagation (one loop over i per step), and the weights are independent per output
// unit through the gradients and updates (one loop over (layer, o) per step); the steps are a
// chain (each starts from the previous one's weights).
Status FillBlindingHalf(const Shape& s, const CommittedDataset& dataset,
                        std::span<const int64_t> real_xs, const Columns& cols, Witness& w) {
  const uint64_t B = s.B(), Kp = s.Kp(), Dp = s.Dp(), Tp = s.Tp(), Th = s.Th(), N = s.N(),
                 Nh = s.Nh(), D = s.D;
  const size_t L = s.layers.size();
  const std::vector<Fp>& raw = dataset.matrix;
  if (raw.size() != N * Dp) return Fail("the dataset commitment has no blinding rows");
  const LimbTables limbs;
  RandomFieldsPool pool;
  // body(b, e, bw) over [0, n) in parallel, each chunk with its own writer.
  auto parallel = [&](uint64_t n, size_t min_per_thread, const auto& body) {
    ParallelFor(
        0, n,
        [&](size_t b, size_t e) {
          RandomFieldsPool::Lease lease = pool.Acquire();
          BlindingWriter bw(cols, limbs, lease.rng());
          body(b, e, bw);
        },
        min_per_thread);
  };
  // Standardised data of every row, the blinding rows solved from the committed raw values.
  std::vector<Fp> xs(N * Dp, Fp::Zero());
  for (uint64_t x = 0; x < Nh * Dp; ++x) xs[x] = Fp::FromSigned(real_xs[x]);
  const Fp inv32 = Pow2(-32);
  // Per data column: the limb coefficients of its bound, which limb is solved, 1/its
  // coefficient, the offset 2^(k−1).
  struct DataColumn {
    std::array<Fp, 3> cf;
    int top = 0;
    Fp top_inverse, offset, mult, mean;
  };
  std::vector<DataColumn> data_cols(Dp);
  for (uint64_t j = 0; j < Dp; ++j) {
    DataColumn& dc = data_cols[j];
    dc.cf = limbs.coefs[s.col_k[j]];
    dc.top = dc.cf[2] != Fp::Zero() ? 2 : dc.cf[1] != Fp::Zero() ? 1 : 0;
    dc.top_inverse = dc.cf[dc.top].Inverse();
    dc.offset = Pow2(s.col_k[j] - 1);
    dc.mult = Fp::FromSigned(s.col_mult[j]);
    dc.mean = Fp::FromSigned(s.col_mean[j]);
  }
  parallel(N - Nh, 16, [&](size_t b, size_t e, BlindingWriter& bw) {
    for (uint64_t r = Nh + b; r < Nh + e; ++r) {
      for (uint64_t j = 0; j < Dp; ++j) {
        const uint64_t x = r * Dp + j;
        if (!s.train_row[r]) {
          for (int c : s.DC.cols) bw.at(c, x) = bw.Random();
          bw.Draw(s.REM, x);
          xs[x] = bw.Draw(s.XS, x);
          continue;
        }
        const DataColumn& dc = data_cols[j];
        const Fp d = raw[x] - dc.mean;
        Fp acc = d + dc.offset;  // Σ_l cf_l·limb_l = d + 2^(k−1)
        for (int l = 0; l < 3; ++l) {
          if (l == dc.top) continue;
          bw.at(s.DC.cols[l], x) = bw.Random();
          acc -= dc.cf[l] * bw.at(s.DC.cols[l], x);
        }
        bw.at(s.DC.cols[dc.top], x) = acc * dc.top_inverse;
        const Fp rem = bw.Draw(s.REM, x);
        xs[x] = (dc.mult * d - rem) * inv32;
        bw.Set(s.XS, x, xs[x]);
      }
    }
  });
  // The run: weights from the public initial layers, inputs from the blinding rows. X[l] and
  // DL[l] hold one step's layer inputs (B × Jp) and errors (B × Op).
  std::vector<std::vector<Fp>> W(L), bias(L), X(L), DL(L);
  std::vector<uint64_t> first_unit(L + 1, 0);  // (layer, o) flattened for the weight loop
  uint64_t widest = 0;                         // the largest Op or Jp (scratch rows)
  for (size_t l = 0; l < L; ++l) {
    W[l] = SignedTable(s.layers[l].init_w);
    bias[l] = SignedTable(s.layers[l].init_b);
    X[l].assign(B * s.layers[l].Jp(), Fp::Zero());
    DL[l].assign(B * s.layers[l].Op(), Fp::Zero());
    first_unit[l + 1] = first_unit[l] + s.layers[l].Op();
    widest = std::max({widest, s.layers[l].Op(), s.layers[l].Jp()});
  }
  std::vector<Fp> zout(B * Kp, Fp::Zero());
  const Fp inv16 = Pow2(-16), inv8 = Pow2(-8), two16 = Pow2(16);
  const Fp inv_grad = Pow2(-16 - static_cast<int>(s.lb)), inv_b = Pow2(-static_cast<int>(s.lb));
  const Shape::Layer& out = s.layers.back();
  for (uint64_t t = Th; t < Tp; ++t) {
    const Fp eta = Fp::FromSigned(s.eta[t]);
    const bool last = t + 1 == Tp;
    // Rows of the batch: forward, softmax output, back-propagation.
    parallel(B, 2, [&](size_t b, size_t e, BlindingWriter& bw) {
      std::vector<Fp> back(widest);
      for (uint64_t i = b; i < e; ++i) {
        const uint64_t ti = t * B + i, row = s.row_of[ti];
        {
          const uint64_t Jp = s.layers[0].Jp();
          Fp* x0 = X[0].data() + i * Jp;
          for (uint64_t j = 0; j < Jp; ++j)
            x0[j] = row != kNoRow && j < D ? xs[row * Dp + j] : Fp::Zero();
        }
        for (size_t l = 0; l < L; ++l) {
          const Shape::Layer& ly = s.layers[l];
          const uint64_t Op = ly.Op(), Jp = ly.Jp();
          Witness::LayerTensors& lt = w.layers[l];
          const Fp* xi = X[l].data() + i * Jp;
          std::copy(xi, xi + Jp, lt.x.begin() + static_cast<std::ptrdiff_t>(ti * Jp));
          for (uint64_t o = 0; o < Op; ++o) {
            const uint64_t x = ti * Op + o;
            const Fp acc = DotProduct(std::span<const Fp>(xi, Jp),
                                      std::span<const Fp>(W[l].data() + o * Jp, Jp));
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
              X[l + 1][i * Op + o] = hm + sg;  // the next layer's Jp is this layer's Op
            } else {
              zout[i * Op + o] = z + (o < s.K ? Fp::Zero() : Fp::FromSigned(kPadLogitOffset));
            }
          }
        }
        // Softmax output.
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
          const Fp ex = bw.at(s.E, x) = bw.Random();
          sum += ex;
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
        // Back-propagation: errors of the hidden layers with this step's weights.
        for (size_t l = L - 1; l-- > 0;) {
          const Shape::Layer& ly = s.layers[l];
          const Shape::Layer& up = s.layers[l + 1];
          const uint64_t Op = ly.Op(), Cp = up.Op();
          // back[o] = Σ_c DL[l + 1][i, c]·W[l + 1][c, o], one row of W[l + 1] at a time.
          const std::span<Fp> acc_of(back.data(), Op);
          std::fill(acc_of.begin(), acc_of.end(), Fp::Zero());
          for (uint64_t c = 0; c < Cp; ++c)
            Axpy(DL[l + 1][i * Cp + c], std::span<const Fp>(W[l + 1].data() + c * up.Jp(), Op),
                 acc_of);
          for (uint64_t o = 0; o < Op; ++o) {
            const uint64_t x = ti * Op + o;
            const Fp acc = acc_of[o];
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
    });
    // Output units of every layer: this step's weights, gradients, updates.
    parallel(first_unit[L], 2, [&](size_t b, size_t e, BlindingWriter& bw) {
      std::vector<Fp> grad(widest);
      for (uint64_t unit = b; unit < e; ++unit) {
        const size_t l = static_cast<size_t>(
            std::upper_bound(first_unit.begin(), first_unit.end(), unit) - first_unit.begin() - 1);
        const uint64_t o = unit - first_unit[l];
        const Shape::Layer& ly = s.layers[l];
        const uint64_t Op = ly.Op(), Jp = ly.Jp();
        Witness::LayerTensors& lt = w.layers[l];
        // grad[j] = Σ_i DL[l][i, o]·X[l][i, j], one row of X[l] at a time.
        const std::span<Fp> g_of(grad.data(), Jp);
        std::fill(g_of.begin(), g_of.end(), Fp::Zero());
        for (uint64_t i = 0; i < B; ++i)
          Axpy(DL[l][i * Op + o], std::span<const Fp>(X[l].data() + i * Jp, Jp), g_of);
        for (uint64_t j = 0; j < Jp; ++j) {
          const uint64_t x = (t * Op + o) * Jp + j;
          Fp& weight = W[l][o * Jp + j];
          bw.Set(ly.W, x, weight);
          lt.w[x] = weight;
          const Fp g = g_of[j];
          const Fp gq = (g - bw.Draw(ly.GR, x)) * inv_grad;
          bw.Set(ly.GQ, x, gq);
          Fp u;
          if (!last) {
            u = (eta * gq - bw.Draw(ly.UR, x)) * inv16;
          } else {  // the blinding run ends at the statement's weights too
            u = weight - Fp::FromSigned(ly.final_w[o * Jp + j]);
            bw.Set(ly.UR, x, eta * gq - two16 * u);
          }
          bw.at(ly.U, x) = u;
          weight -= u;
        }
        const uint64_t y = t * Op + o;
        bw.Set(ly.BIAS, y, bias[l][o]);
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
    });
  }
  SecureWipe(xs);
  for (size_t l = 0; l < L; ++l) {
    for (auto* v : {&W[l], &bias[l], &X[l], &DL[l]}) SecureWipe(*v);
  }
  SecureWipe(zout);
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
  const uint64_t Th = s.Th(), Nh = s.Nh();
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

  // Standardised data over all dataset rows (zero outside the training part; the blinding
  // rows ≥ Nh are FillBlindingHalf's).
  std::vector<int64_t> XS(N * Dp, 0), REM(Nh * Dp, 0), DC(Nh * Dp, 0);
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

  // Integer witness of the real half (steps t < Th), layer by layer. Every step reads only the
  // trace, the data and its own entries, so the steps run in parallel; the tensors are zeroed
  // in parallel too (their first touch is most of their cost).
  using Ints = UninitVector<int64_t>;
  auto zeroed = [](uint64_t n) {
    Ints v(n);
    ParallelFor(
        0, n, [&](size_t b, size_t e) { std::fill(v.begin() + b, v.begin() + e, 0); },
        size_t{1} << 16);
    return v;
  };
  struct LayerInts {
    Ints X, W, GQ, GR, U, UR, BI, BGQ, BGR, BU, BUR, AQ, AR, DL;
    Ints Z, H, SG, HM, NEG, BQ, BR;
  };
  std::vector<LayerInts> li(L);
  for (size_t l = 0; l < L; ++l) {
    const auto& ly = s.layers[l];
    LayerInts& v = li[l];
    const uint64_t nW = Th * ly.Op() * ly.Jp(), nB = Th * ly.Op(), nA = Th * B * ly.Op();
    for (auto* t : {&v.W, &v.GQ, &v.GR, &v.U, &v.UR}) *t = zeroed(nW);
    for (auto* t : {&v.BI, &v.BGQ, &v.BGR, &v.BU, &v.BUR}) *t = zeroed(nB);
    for (auto* t : {&v.AQ, &v.AR, &v.DL}) *t = zeroed(nA);
    if (ly.hidden)
      for (auto* t : {&v.Z, &v.H, &v.SG, &v.HM, &v.NEG, &v.BQ, &v.BR}) *t = zeroed(nA);
    v.X = zeroed(Th * B * ly.Jp());
  }
  const uint64_t nTIK = Tp * B * Kp, hTIK = Th * B * Kp, hTI = Th * B;
  Ints G = zeroed(hTIK), R8 = zeroed(hTIK), E = zeroed(hTIK), P = zeroed(hTIK), RHO = zeroed(hTIK),
       WS = zeroed(hTIK), A = zeroed(hTIK), IDX = zeroed(hTIK), HOT = zeroed(hTIK);
  Ints M = zeroed(hTI), S = zeroed(hTI);
  const int64_t vlim = int64_t{1} << kValueBits;
  // The first failure in step order, as the serial loop would report it.
  std::vector<Status> step_failure(Th, Status::Ok());
  auto real_step = [&](uint64_t t, std::vector<int64_t>& z) -> Status {
    const bool real = t < s.steps;
    // Forward pass (from the trace, or computed for a padding step: input 0, final weights).
    for (size_t l = 0; l < L; ++l) {
      const auto& ly = s.layers[l];
      LayerInts& v = li[l];
      const uint64_t Op = ly.Op(), Jp = ly.Jp(), O = ly.O, J = ly.J;
      if (l == 0) {
        if (real) {
          for (uint64_t i = 0; i < B; ++i) {
            const uint64_t row = s.row_of[t * B + i];
            for (uint64_t j = 0; j < D; ++j) v.X[(t * B + i) * Jp + j] = XS[row * Dp + j];
          }
        }
      } else {
        for (uint64_t i = 0; i < B; ++i)
          for (uint64_t j = 0; j < Jp; ++j)
            v.X[(t * B + i) * Jp + j] = li[l - 1].H[(t * B + i) * Jp + j];
      }
      if (real) {
        const auto tw = lt[l].w->step(t), tgq = lt[l].gq->step(t), tgr = lt[l].gr->step(t),
                   tu = lt[l].u->step(t), tur = lt[l].ur->step(t);
        for (uint64_t o = 0; o < O; ++o) {
          for (uint64_t j = 0; j < J; ++j) {
            const uint64_t x = (t * Op + o) * Jp + j;
            v.W[x] = tw[o * J + j];
            v.GQ[x] = tgq[o * J + j];
            v.GR[x] = tgr[o * J + j];
            v.U[x] = tu[o * J + j];
            v.UR[x] = tur[o * J + j];
          }
          const uint64_t y = t * Op + o;
          v.BI[y] = lt[l].b->step(t)[o];
          v.BGQ[y] = lt[l].bgq->step(t)[o];
          v.BGR[y] = lt[l].bgr->step(t)[o];
          v.BU[y] = lt[l].bu->step(t)[o];
          v.BUR[y] = lt[l].bur->step(t)[o];
        }
      } else {
        for (uint64_t o = 0; o < O; ++o) {
          for (uint64_t j = 0; j < J; ++j) v.W[(t * Op + o) * Jp + j] = ly.final_w[o * Jp + j];
          v.BI[t * Op + o] = ly.final_b[o];
        }
      }
      const std::span<const int64_t> taq = real ? lt[l].aq->step(t) : std::span<const int64_t>();
      const std::span<const int64_t> tar = real ? lt[l].ar->step(t) : std::span<const int64_t>();
      const std::span<const int64_t> th =
          real && ly.hidden ? lt[l].h->step(t) : std::span<const int64_t>();
      for (uint64_t i = 0; i < B; ++i) {
        for (uint64_t o = 0; o < O; ++o) {
          const uint64_t x = (t * B + i) * Op + o;
          if (real) {
            v.AQ[x] = taq[i * O + o];
            v.AR[x] = tar[i * O + o];
          } else {
            __int128 acc = 0;
            for (uint64_t j = 0; j < Jp; ++j)
              acc += static_cast<__int128>(v.X[(t * B + i) * Jp + j]) * v.W[(t * Op + o) * Jp + j];
            const int64_t a64 = static_cast<int64_t>(acc);
            v.AQ[x] = ml::FloorShift(a64, kF);
            v.AR[x] = ml::ShiftRemainder(a64, kF);
          }
          if (ly.hidden) {
            const int64_t zv = v.AQ[x] + v.BI[t * Op + o];
            v.Z[x] = zv;
            v.H[x] = real ? th[i * O + o] : std::max<int64_t>(zv, 0);
            if (v.H[x] >= vlim) return Fail("a hidden activation leaves the provable range");
            v.SG[x] = zv > 0 ? 1 : 0;
          }
        }
      }
    }
    // Softmax output (every step; compared with the trace on real steps).
    const LayerInts& out = li[L - 1];
    const std::span<const int64_t> tpp = real ? tp->step(t) : std::span<const int64_t>();
    const std::span<const int64_t> tdl = real ? lt[L - 1].dl->step(t) : std::span<const int64_t>();
    for (uint64_t i = 0; i < B; ++i) {
      const uint64_t row = real ? s.row_of[t * B + i] : 0;
      const int64_t label = real ? XS[row * Dp + D] : 0;  // 2^F·class (the raw label)
      const uint64_t ti = t * B + i;
      int64_t m = INT64_MIN;
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
      }
      S[ti] = sum;
      for (uint64_t c = 0; c < Kp; ++c) {
        const uint64_t x = ti * Kp + c;
        const int64_t y =
            (c < K && label == (static_cast<int64_t>(c) << kF)) ? (int64_t{1} << kF) : 0;
        P[x] = (E[x] << kF) / sum;
        RHO[x] = (E[x] << kF) - P[x] * sum;
        WS[x] = sum - 1 - RHO[x];
        const int64_t delta = P[x] - y;
        if (real && c < K) {
          if (P[x] != tpp[i * K + c] || delta != tdl[i * K + c])
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
        const std::span<const int64_t> tbq = real ? lt[l].bq->step(t) : std::span<const int64_t>();
        const std::span<const int64_t> tbr = real ? lt[l].br->step(t) : std::span<const int64_t>();
        const std::span<const int64_t> tdlh = real ? lt[l].dl->step(t) : std::span<const int64_t>();
        for (uint64_t i = 0; i < B; ++i) {
          for (uint64_t o = 0; o < O; ++o) {
            const uint64_t x = (t * B + i) * Op + o;
            if (real) {
              v.BQ[x] = tbq[i * O + o];
              v.BR[x] = tbr[i * O + o];
              v.DL[x] = tdlh[i * O + o];
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
    return Status::Ok();
  };
  ParallelFor(
      0, Th,
      [&](size_t b, size_t e) {
        std::vector<int64_t> z(Kp);
        for (uint64_t t = b; t < e; ++t) {
          step_failure[t] = real_step(t, z);
          if (!step_failure[t].ok()) return;  // later steps of this chunk are not reported
        }
      },
      1);
  for (const Status& f : step_failure) ZK_RETURN_IF_ERROR(f);
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
      ParallelFor(
          0, v.Z.size(),
          [&](size_t b, size_t e) {
            for (uint64_t x = b; x < e; ++x) {
              v.HM[x] = v.H[x] - v.SG[x];
              v.NEG[x] = v.H[x] - v.Z[x];
            }
          },
          size_t{1} << 14);
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
      // The entry a quarter into the column (of both halves).
      li[0].U[li[0].U.size() / 2 + 1] += 1;
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

  // The columns, written straight into the packed polynomial: real halves here, blinding
  // halves by FillBlindingHalf, multiplicities and masks after. Every column's real half is
  // written in full (zero-padded entries included); the zeroed buffer covers the rest.
  BuiltWitness built;
  built.packed = PackedValues(s.layout);
  Columns cols(static_cast<size_t>(s.layout.count()));
  for (int c = 0; c < s.layout.count(); ++c) cols[c] = built.packed.column(s.layout, c);
  Witness w;
  std::atomic<bool> out_of_range{false};
  constexpr size_t kMinConvert = size_t{1} << 14;
  auto limbs = [&](const BVar& v, std::span<const int64_t> vals) {
    if (v.plain) {
      const std::span<Fp> col = cols[v.cols[0]];
      ParallelFor(
          0, vals.size(),
          [&](size_t b, size_t e) {
            for (size_t x = b; x < e; ++x) col[x] = Fp::FromSigned(vals[x]);
          },
          kMinConvert);
      return;
    }
    const Fp inv_first = LimbCoefs(v.k)[0].Inverse();
    ParallelFor(
        0, vals.size(),
        [&](size_t b, size_t e) {
          bool bad = false;
          for (size_t x = b; x < e; ++x) {
            const int64_t u = vals[x] + v.offset;
            if (u < 0 || u >= (int64_t{1} << v.k)) {
              bad = true;
              cols[v.cols[0]][x] = Fp::FromSigned(u) * inv_first;
              continue;
            }
            auto lv = LimbValues(static_cast<uint64_t>(u), v.k);
            for (size_t l = 0; l < v.cols.size(); ++l) cols[v.cols[l]][x] = Fp::From(lv[l]);
          }
          if (bad) out_of_range = true;
        },
        kMinConvert);
  };
  auto plain = [&](int c, std::span<const int64_t> vals) { limbs(BVar{0, 0, {c}, true}, vals); };
  // A field tensor over both halves: the real half from `real`, the blinding half left for
  // FillBlindingHalf.
  auto field = [&](std::span<const int64_t> real, uint64_t full) {
    std::vector<Fp> f(full);
    ParallelFor(
        0, real.size(),
        [&](size_t b, size_t e) {
          for (size_t x = b; x < e; ++x) f[x] = Fp::FromSigned(real[x]);
        },
        kMinConvert);
    return f;
  };
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
    plain(ly.U, v.U);
    plain(ly.BU, v.BU);
    auto& lwt = w.layers[l];
    lwt.x = field(v.X, 2 * v.X.size());
    lwt.w = field(v.W, 2 * v.W.size());
    lwt.dl = field(v.DL, 2 * v.DL.size());
    if (ly.hidden) {
      limbs(ly.HM, v.HM);
      limbs(ly.NEG, v.NEG);
      limbs(ly.BQ, v.BQ);
      limbs(ly.BR, v.BR);
      plain(ly.SG, v.SG);
      lwt.z = field(v.Z, 2 * v.Z.size());
      lwt.hm = field(v.HM, 2 * v.HM.size());
      lwt.bq = field(v.BQ, 2 * v.BQ.size());
    }
    for (Ints* t : {&v.X,  &v.W,  &v.GQ, &v.GR, &v.U, &v.UR, &v.BI, &v.BGQ, &v.BGR, &v.BU, &v.BUR,
                    &v.AQ, &v.AR, &v.DL, &v.Z,  &v.H, &v.SG, &v.HM, &v.NEG, &v.BQ,  &v.BR}) {
      SecureWipe(t->data(), t->size() * sizeof(int64_t));
      Ints().swap(*t);  // free the integer copies early
    }
  }
  limbs(s.G, G);
  limbs(s.R8, R8);
  limbs(s.P, P);
  limbs(s.RHO, RHO);
  limbs(s.WS, WS);
  limbs(s.M, M);
  limbs(s.XS, std::span<const int64_t>(XS).first(Nh * Dp));
  limbs(s.REM, REM);
  ParallelFor(
      0, Nh * Dp,
      [&](size_t b, size_t e) {
        for (uint64_t x = b; x < e; ++x) {
          const int k = s.col_k[x % Dp];
          auto lv = LimbValues(static_cast<uint64_t>(DC[x] + (int64_t{1} << (k - 1))), k);
          for (int l = 0; l < 3; ++l) cols[s.DC.cols[l]][x] = Fp::From(lv[l]);
        }
      },
      kMinConvert);
  plain(s.E, E);
  plain(s.A, A);
  plain(s.S, S);
  if (out_of_range && tamper == NetworkTamper::kNone)
    return Fail("a witness value is outside its provable bound");
  phase("columns");

  // Multiplicities of the live (real) halves only (entries outside a table are skipped: only a
  // dishonest witness has them), split at random into m' (zk/logup_zk.h). A range lookup's
  // real halves are counted as one range (a histogram per chunk, merged).
  auto put = [&](int c, std::span<const Fp> values) {
    ZK_CHECK(values.size() == cols[c].size(), "witness column size");
    std::copy(values.begin(), values.end(), cols[c].begin());
  };
  for (const auto& l : s.lookups) {
    if (l.kind != Shape::LookupKind::kRange) continue;
    std::vector<uint64_t> first(l.cols.size() + 1, 0);  // of each real half in the range
    for (size_t k = 0; k < l.cols.size(); ++k) first[k + 1] = first[k] + cols[l.cols[k]].size() / 2;
    std::vector<uint64_t> m(uint64_t{1} << 16, 0);
    std::mutex merge;
    ParallelFor(
        0, first.back(),
        [&](size_t b, size_t e) {
          std::vector<uint64_t> local(m.size(), 0);
          size_t k = static_cast<size_t>(std::upper_bound(first.begin(), first.end(), b) -
                                         first.begin() - 1);
          for (size_t at = b; at < e; ++k) {
            const std::span<const Fp> v = cols[l.cols[k]];
            const size_t end = std::min<size_t>(e, first[k + 1]);
            for (; at < end; ++at) {
              const uint64_t value = v[at - first[k]].v;
              if (value < (uint64_t{1} << 16)) ++local[value];
            }
          }
          std::lock_guard<std::mutex> lock(merge);
          for (size_t y = 0; y < m.size(); ++y) m[y] += local[y];
        },
        size_t{1} << 15);
    std::vector<Fp> mf(m.size());
    for (size_t k = 0; k < m.size(); ++k) mf[k] = Fp::From(m[k]);
    put(l.multiplicities, ZkSplitMultiplicities(mf));
  }
  {
    std::vector<Fp> me(uint64_t{1} << kExpTableLog, Fp::Zero());
    std::vector<Fp> mh(uint64_t{1} << s.onehot_table.log_size(), Fp::Zero());
    for (uint64_t x = 0; x < hTIK; ++x) {
      if (-IDX[x] >= 0 && -IDX[x] < (int64_t{1} << kExpTableLog)) me[-IDX[x]] += Fp::One();
      const uint64_t a = static_cast<uint64_t>(HOT[x] >> kF), c = x % Kp;
      if (HOT[x] >= 0 && a < K) mh[a * Kp + c] += Fp::One();
    }
    put(s.m_exp, ZkSplitMultiplicities(me));
    put(s.m_hot, ZkSplitMultiplicities(mh));
  }
  w.p_int = field(P, nTIK);
  w.rho_int = field(RHO, nTIK);
  w.g_int = field(G, nTIK);
  w.exp_index = field(IDX, nTIK);
  w.onehot_in = field(HOT, nTIK);
  {
    const std::vector<Fp>& dl = w.layers[L - 1].dl;
    w.onehot_out.resize(nTIK);
    w.s_broadcast.resize(nTIK);
    ParallelFor(
        0, hTIK,
        [&](size_t b, size_t e) {
          for (uint64_t x = b; x < e; ++x) {
            w.onehot_out[x] = Fp::FromSigned(P[x]) - dl[x];
            w.s_broadcast[x] = Fp::FromSigned(S[x / Kp]);
          }
        },
        kMinConvert);
  }
  phase("multiplicities");
  w.data_matrix = &wit.dataset->matrix;
  ZK_RETURN_IF_ERROR(FillBlindingHalf(s, *wit.dataset, XS, cols, w));
  phase("blinding");
  if (tamper == NetworkTamper::kBlindingRelation) {
    const auto& l0 = s.layers[0];
    cols[l0.U][Th * l0.Op() * l0.Jp() + 1] += Fp::One();
  }
  if (tamper == NetworkTamper::kMultiplicity) cols[s.lookups[0].multiplicities][5] += Fp::One();
  // The sumchecks' masking polynomials are witness columns too (pot/blinding.h).
  for (const Shape::Mask& m : s.masks) {
    w.masks.push_back(SumcheckMask::Random(m.vars, m.degree));
    put(m.col, w.masks.back().table());
  }
  for (Ints* t : {&G, &R8, &E, &P, &RHO, &WS, &A, &IDX, &HOT, &M, &S})
    SecureWipe(t->data(), t->size() * sizeof(int64_t));
  SecureWipe(XS);
  SecureWipe(REM);
  SecureWipe(DC);
  w.views.assign(cols.begin(), cols.end());
  phase("masks");
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
  // Sub-phases also print the process's CPU time: on a shared machine the wall time of a
  // parallel phase says little, the CPU time it spent says what it costs.
  std::clock_t sub_cpu = std::clock();
  auto sub_phase = [&](const char* name) {
    const std::clock_t now = std::clock();
    if (profile)
      std::fprintf(stderr, "netpot:   witness/%s %.3fs (cpu %.3fs)\n", name, sub_timer.Seconds(),
                   static_cast<double>(now - sub_cpu) / CLOCKS_PER_SEC);
    sub_timer.Reset();
    sub_cpu = now;
  };
  ZK_ASSIGN_OR_RETURN(BuiltWitness built, BuildNetworkWitness(wit, s, tamper, sub_phase));
  Witness& w = built.witness;
  const std::span<const Fp> packed = built.packed.values();
  phase("witness");

  ProofData out;
  out.statement_bytes = st.Serialize();
  // Borrowed, not copied: `packed` outlives `pdata` (declared after it) and stays unchanged
  // until the opening, which saves a 2^log_total copy of the witness.
  PcsProverData pdata = PcsCommitBorrowing(
      packed, PcsParamsWithZeroTail(
                  ChoosePcsParams(static_cast<int>(s.layout.log_total()), true, 100, 1),
                  s.layout.used()));
  out.witness_commitment = pdata.commitment();
  phase("commit");
  Transcript tr(kTranscriptLabel);
  tr.AbsorbBytes("pot.statement", out.statement_bytes);
  tr.AbsorbBytes("pot.witness_commitment", out.witness_commitment.Serialize());
  Io io(tr, &out, nullptr, &w, s, audit);
  io.BeforeBatch([&w] { w.ReleaseTensors(); });
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
