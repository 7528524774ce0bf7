#include "zektra/ml/trainer.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <numeric>

#include "zektra/base/thread_pool.h"
#include "zektra/base/timer.h"
#include "zektra/ml/kernels.h"
#include "zektra/ml/rng.h"

namespace zektra::ml {

size_t TrainingTrace::Tensor::step_size() const {
  size_t n = 1;
  for (size_t i = 1; i < shape.size(); ++i) n *= shape[i];
  return n;
}

void TrainingTrace::OnStep(uint64_t step, const std::vector<WitnessTensor>& tensors) {
  ZK_CHECK(step == steps_, "trace steps must arrive in order");
  for (const auto& t : tensors) {
    Tensor& dst = tensors_[t.name];
    if (dst.shape.empty()) {
      dst.shape.push_back(0);
      dst.shape.insert(dst.shape.end(), t.shape.begin(), t.shape.end());
    }
    ZK_CHECK(dst.shape[0] == steps_, "a witness tensor is missing from an earlier step");
    dst.data.insert(dst.data.end(), t.data.begin(), t.data.end());
    dst.shape[0] = steps_ + 1;
  }
  ++steps_;
}

const TrainingTrace::Tensor* TrainingTrace::Find(const std::string& name) const {
  auto it = tensors_.find(name);
  return it == tensors_.end() ? nullptr : &it->second;
}

Status CheckBatch(uint64_t batch, const FixedPointFormat& fp) {
  if (batch == 0 || !std::has_single_bit(batch) || batch > fp.MaxFanIn()) {
    return Status::InvalidArgument("batch size must be a power of two in [1, " +
                                   std::to_string(fp.MaxFanIn()) + "], got " + std::to_string(batch));
  }
  return Status::Ok();
}

namespace {

// Rough work (multiply-adds) below which a loop runs on one thread: the pool's hand-off costs
// tens of microseconds, more than small layers take.
constexpr size_t kParallelWork = size_t{1} << 16;
size_t Grain(size_t work_per_item) { return std::max<size_t>(1, kParallelWork / std::max<size_t>(1, work_per_item)); }

Status CheckLayers(const FixedPointFormat& fp, const std::vector<Layer>& layers, size_t cols) {
  if (layers.empty()) return Status::InvalidArgument("a model needs at least one layer");
  size_t in = cols;
  for (size_t l = 0; l < layers.size(); ++l) {
    const Layer& layer = layers[l];
    if (layer.inputs != in || layer.weights.size() != layer.inputs * layer.outputs ||
        layer.bias.size() != layer.outputs || layer.outputs == 0) {
      return Status::BadInput("layer " + std::to_string(l) + " has inconsistent shapes");
    }
    if (layer.inputs > fp.MaxFanIn() || layer.outputs > fp.MaxFanIn()) {
      return Status::OutOfRange("layer " + std::to_string(l) + " is wider than the proof supports (" +
                                std::to_string(fp.MaxFanIn()) + ")");
    }
    for (int64_t w : layer.weights) {
      if (!fp.InRange(w)) return Status::OutOfRange("layer " + std::to_string(l) + " weight out of range");
    }
    for (int64_t b : layer.bias) {
      if (!fp.InRange(b)) return Status::OutOfRange("layer " + std::to_string(l) + " bias out of range");
    }
    in = layer.outputs;
  }
  return Status::Ok();
}

// Records the first failure of a parallel loop.
class FirstError {
 public:
  void Set(std::string message) {
    if (!failed_.exchange(true)) message_ = std::move(message);
  }
  bool failed() const { return failed_.load(std::memory_order_relaxed); }
  Status status() const { return failed() ? Status::OutOfRange(message_) : Status::Ok(); }

 private:
  std::atomic<bool> failed_{false};
  std::string message_;
};

// Buffers and arithmetic of the fixed-point network over one batch.
class FixedNetwork {
 public:
  FixedNetwork(const FixedPointFormat& fp, OutputKind output, std::vector<Layer>* layers, size_t batch)
      : fp_(fp), output_(output), layers_(*layers), batch_(batch), work_(layers->size()) {
    for (size_t l = 0; l < layers_.size(); ++l) {
      const Layer& layer = layers_[l];
      LayerWork& w = work_[l];
      w.w32.resize(layer.weights.size());
      RefreshWeights(l);
      w.acc.resize(batch * layer.outputs);
      w.z.resize(batch * layer.outputs);
      if (l + 1 < layers_.size()) w.h.resize(batch * layer.outputs);
    }
    const size_t k = layers_.back().outputs;
    p_.resize(batch * k);
    lookup_index_.resize(batch * k);
    if (output_ == OutputKind::kSoftmax) {
      exp_value_.resize(batch * k);
      exp_sum_.resize(batch);
      p_remainder_.resize(batch * k);
      row_max_.resize(batch);
    }
  }

  void RefreshWeights(size_t l) {
    const Layer& layer = layers_[l];
    for (size_t i = 0; i < layer.weights.size(); ++i) work_[l].w32[i] = static_cast<int32_t>(layer.weights[i]);
  }

  // rows[i] points at the i-th input row (width layers[0].inputs), i < n ≤ batch.
  Status Forward(const int32_t* const* rows, size_t n, uint64_t step) {
    const int f = fp_.fraction_bits();
    const int64_t limit = fp_.value_limit();
    for (size_t l = 0; l < layers_.size(); ++l) {
      const Layer& layer = layers_[l];
      LayerWork& w = work_[l];
      const bool hidden = l + 1 < layers_.size();
      const size_t in = layer.inputs, out = layer.outputs;
      FirstError error;
      ParallelFor(0, n, [&](size_t b, size_t e) {
        for (size_t i = b; i < e; ++i) {
          const int32_t* x = l == 0 ? rows[i] : work_[l - 1].h.data() + i * in;
          for (size_t k = 0; k < out; ++k) {
            int64_t acc = DotI32(x, w.w32.data() + k * in, in);
            int64_t z = FloorShift(acc, f) + layer.bias[k];
            w.acc[i * out + k] = acc;
            w.z[i * out + k] = z;
            if (hidden) {
              int64_t h = std::max<int64_t>(z, 0);
              if (h >= limit) {
                error.Set("step " + std::to_string(step) + ": hidden activation of layer " + std::to_string(l) +
                          " out of range (" + std::to_string(h) + " ≥ 2^" + std::to_string(fp_.value_bits()) +
                          "); lower the learning rate");
                return;
              }
              w.h[i * out + k] = static_cast<int32_t>(h);
            }
          }
        }
      }, Grain(in * out));
      ZK_RETURN_IF_ERROR(error.status());
    }
    // Output nonlinearity.
    const LayerWork& last = work_.back();
    const size_t k = layers_.back().outputs;
    for (size_t i = 0; i < n; ++i) {
      const int64_t* z = last.z.data() + i * k;
      switch (output_) {
        case OutputKind::kIdentity:
          for (size_t c = 0; c < k; ++c) p_[i * k + c] = z[c];
          break;
        case OutputKind::kSigmoid:
          for (size_t c = 0; c < k; ++c) {
            lookup_index_[i * k + c] = fp_.SigmoidIndex(z[c]);
            p_[i * k + c] = fp_.SigmoidAt(lookup_index_[i * k + c]);
          }
          break;
        case OutputKind::kSoftmax:
          row_max_[i] = *std::max_element(z, z + k);
          FixedSoftmax(fp_, z, k, &p_[i * k], &lookup_index_[i * k], &exp_value_[i * k], &exp_sum_[i],
                       &p_remainder_[i * k]);
          break;
      }
    }
    return Status::Ok();
  }

  // Target in fixed point for row i, output c.
  int64_t TargetFixed(int64_t target, size_t c) const {
    switch (output_) {
      case OutputKind::kIdentity: return target;
      case OutputKind::kSigmoid: return target * fp_.one();
      case OutputKind::kSoftmax: return static_cast<int64_t>(c) == target ? fp_.one() : 0;
    }
    return 0;
  }

  std::vector<Layer>& layers() { return layers_; }
  const std::vector<int64_t>& p() const { return p_; }

  struct LayerWork {
    std::vector<int32_t> w32;
    std::vector<int64_t> acc, z;
    std::vector<int32_t> h;
    std::vector<int32_t> delta;
    std::vector<int64_t> back;        // hidden layers: Σ_k δ_{l+1}·W_{l+1} (exact)
    std::vector<int64_t> grad, bgrad; // exact sums
  };
  std::vector<LayerWork>& work() { return work_; }
  std::vector<int64_t> lookup_index_, exp_value_, exp_sum_, p_remainder_, row_max_;

 private:
  const FixedPointFormat& fp_;
  OutputKind output_;
  std::vector<Layer>& layers_;
  size_t batch_;
  std::vector<LayerWork> work_;
  std::vector<int64_t> p_;
};

double BatchLoss(OutputKind output, const double* p, size_t k, double target) {
  constexpr double kEps = 1e-7;
  switch (output) {
    case OutputKind::kIdentity: return (p[0] - target) * (p[0] - target);
    case OutputKind::kSigmoid: {
      double q = std::clamp(p[0], kEps, 1 - kEps);
      return target > 0.5 ? -std::log(q) : -std::log(1 - q);
    }
    case OutputKind::kSoftmax: {
      (void)k;
      return -std::log(std::clamp(p[static_cast<size_t>(target)], kEps, 1.0));
    }
  }
  return 0;
}

// Appends int64 copies of tensors to a witness (storage kept alive until the observer returns).
class WitnessBuilder {
 public:
  template <typename T>
  void Add(std::string name, std::vector<size_t> shape, const T* data, size_t n) {
    storage_.emplace_back(data, data + n);
    tensors_.push_back({std::move(name), std::move(shape), {}});
  }
  void Add(std::string name, std::vector<size_t> shape, std::vector<int64_t> values) {
    storage_.push_back(std::move(values));
    tensors_.push_back({std::move(name), std::move(shape), {}});
  }
  const std::vector<WitnessTensor>& Finish() {
    for (size_t i = 0; i < tensors_.size(); ++i) tensors_[i].data = storage_[i];
    return tensors_;
  }

 private:
  std::vector<std::vector<int64_t>> storage_;
  std::vector<WitnessTensor> tensors_;
};

}  // namespace

Result<FixedTrainResult> TrainFixed(const FixedPointFormat& fp, OutputKind output, const Hyperparameters& hyper,
                                    const TrainingData& data, std::vector<Layer> initial,
                                    const TrainOptions& options) {
  ZK_RETURN_IF_ERROR(CheckBatch(hyper.batch, fp));
  if (data.rows == 0 || data.x == nullptr || data.target.size() != data.rows) {
    return Status::InvalidArgument("training data is empty or inconsistent");
  }
  ZK_RETURN_IF_ERROR(CheckLayers(fp, initial, data.cols));
  if (hyper.epochs == 0) return Status::InvalidArgument("epochs must be resolved before training");
  const int64_t limit = fp.value_limit();
  for (size_t i = 0; i < data.rows * data.cols; ++i) {
    if (data.x[i] <= -limit || data.x[i] >= limit) return Status::OutOfRange("training input out of range");
  }
  const size_t k_out = initial.back().outputs;
  for (int64_t t : data.target) {
    bool ok = output == OutputKind::kIdentity ? fp.InRange(t)
              : output == OutputKind::kSigmoid ? (t == 0 || t == 1)
                                               : (t >= 0 && static_cast<size_t>(t) < k_out);
    if (!ok) return Status::OutOfRange("training target out of range");
  }
  if (output == OutputKind::kSigmoid && k_out != 1) return Status::InvalidArgument("sigmoid output needs width 1");

  const int f = fp.fraction_bits();
  const size_t B = hyper.batch;
  const int log_b = std::countr_zero(B);
  const int64_t l2 = hyper.L2Fixed(fp);
  FixedTrainResult result;
  result.layers = std::move(initial);
  std::vector<Layer>& layers = result.layers;
  const size_t L = layers.size();
  FixedNetwork net(fp, output, &layers, B);
  auto& work = net.work();
  for (size_t l = 0; l < L; ++l) {
    work[l].delta.resize(B * layers[l].outputs);
    work[l].grad.resize(layers[l].weights.size());
    work[l].bgrad.resize(layers[l].outputs);
    if (l + 1 < L) work[l].back.resize(B * layers[l].outputs);
  }
  const bool tracing = options.observer != nullptr;
  std::vector<const int32_t*> rows(B);
  std::vector<int64_t> batch_rows(B);
  std::vector<double> preal(k_out);
  const size_t steps_per_epoch = (data.rows + B - 1) / B;
  uint64_t step = 0;
  Timer timer;
  for (uint64_t epoch = 0; epoch < hyper.epochs; ++epoch) {
    const std::vector<uint64_t> perm = EpochPermutation(hyper.seed, epoch, data.rows);
    const int64_t eta = hyper.LearningRateFixed(epoch, fp);
    double loss_sum = 0;
    uint64_t loss_steps = 0;
    for (size_t s = 0; s < steps_per_epoch; ++s, ++step) {
      if (options.max_steps != 0 && step >= options.max_steps) break;
      for (size_t i = 0; i < B; ++i) {
        batch_rows[i] = static_cast<int64_t>(perm[(s * B + i) % data.rows]);
        rows[i] = data.x + static_cast<size_t>(batch_rows[i]) * data.cols;
      }
      std::vector<Layer> before;
      if (tracing) before = layers;
      ZK_RETURN_IF_ERROR(net.Forward(rows.data(), B, step));

      // Output error and the batch loss (the loss is for progress only, in double).
      double loss = 0;
      {
        auto& d = work[L - 1].delta;
        for (size_t i = 0; i < B; ++i) {
          int64_t t = data.target[batch_rows[i]];
          for (size_t c = 0; c < k_out; ++c) {
            int64_t delta = net.p()[i * k_out + c] - net.TargetFixed(t, c);
            if (delta <= -limit || delta >= limit) {
              return Status::OutOfRange("step " + std::to_string(step) + ": output error out of range (" +
                                        std::to_string(delta) + "); lower the learning rate");
            }
            d[i * k_out + c] = static_cast<int32_t>(delta);
            preal[c] = fp.ToReal(net.p()[i * k_out + c]);
          }
          double target_real = output == OutputKind::kIdentity ? fp.ToReal(t) : static_cast<double>(t);
          loss += BatchLoss(output, preal.data(), k_out, target_real);
        }
        loss /= static_cast<double>(B);
        loss_sum += loss;
        ++loss_steps;
      }

      // Backward: gradients of every layer, and the errors of the layer below, all from the
      // weights before this step's update.
      for (size_t l = L; l-- > 0;) {
        const Layer& layer = layers[l];
        auto& w = work[l];
        const size_t in = layer.inputs, out = layer.outputs;
        auto input_row = [&](size_t i) { return l == 0 ? rows[i] : work[l - 1].h.data() + i * in; };
        std::fill(w.grad.begin(), w.grad.end(), 0);
        // Split the input dimension across threads: each gradient entry has one owner.
        ParallelFor(0, in, [&](size_t j0, size_t j1) {
          for (size_t k = 0; k < out; ++k) {
            int64_t* g = w.grad.data() + k * in;
            for (size_t i = 0; i < B; ++i) AxpyI32(g + j0, w.delta[i * out + k], input_row(i) + j0, j1 - j0);
          }
        }, Grain(B * out));
        for (size_t k = 0; k < out; ++k) {
          int64_t sum = 0;
          for (size_t i = 0; i < B; ++i) sum += w.delta[i * out + k];
          w.bgrad[k] = sum;
        }
        if (l > 0) {
          auto& below = work[l - 1];
          FirstError error;
          ParallelFor(0, B, [&](size_t b, size_t e) {
            for (size_t i = b; i < e; ++i) {
              int64_t* back = below.back.data() + i * in;
              std::fill(back, back + in, 0);
              for (size_t k = 0; k < out; ++k) AxpyI32(back, w.delta[i * out + k], w.w32.data() + k * in, in);
              for (size_t j = 0; j < in; ++j) {
                int64_t q = FloorShift(back[j], f);
                int64_t delta = below.z[i * in + j] > 0 ? q : 0;
                if (delta <= -limit || delta >= limit) {
                  error.Set("step " + std::to_string(step) + ": back-propagated error of layer " +
                            std::to_string(l - 1) + " out of range; lower the learning rate");
                  return;
                }
                below.delta[i * in + j] = static_cast<int32_t>(delta);
              }
            }
          }, Grain(in * out));
          ZK_RETURN_IF_ERROR(error.status());
        }
      }

      // Updates.
      WitnessBuilder witness;
      for (size_t l = 0; l < L; ++l) {
        Layer& layer = layers[l];
        auto& w = work[l];
        const size_t n = layer.weights.size();
        std::vector<int64_t> gq, gr, l2q, l2r, uq, ur;
        if (tracing) {
          gq.resize(n), gr.resize(n), uq.resize(n), ur.resize(n);
          if (l2 != 0) l2q.resize(n), l2r.resize(n);
        }
        for (size_t idx = 0; idx < n; ++idx) {
          int64_t g = FloorShift(w.grad[idx], f + log_b);
          if (tracing) gq[idx] = g, gr[idx] = ShiftRemainder(w.grad[idx], f + log_b);
          if (l2 != 0) {
            int64_t prod = l2 * layer.weights[idx];
            int64_t reg = FloorShift(prod, f);
            if (tracing) l2q[idx] = reg, l2r[idx] = ShiftRemainder(prod, f);
            g += reg;
          }
          int64_t prod = eta * g;
          int64_t u = FloorShift(prod, f);
          if (tracing) uq[idx] = u, ur[idx] = ShiftRemainder(prod, f);
          int64_t next = layer.weights[idx] - u;
          if (next <= -limit || next >= limit) {
            return Status::OutOfRange("step " + std::to_string(step) + ": weight " + std::to_string(idx) +
                                      " of layer " + std::to_string(l) +
                                      " left the fixed-point range; lower the learning rate or add --l2");
          }
          layer.weights[idx] = next;
        }
        std::vector<int64_t> bq(layer.outputs), br(layer.outputs), ubq(layer.outputs), ubr(layer.outputs);
        for (size_t k = 0; k < layer.outputs; ++k) {
          bq[k] = FloorShift(w.bgrad[k], log_b);
          br[k] = ShiftRemainder(w.bgrad[k], log_b);
          int64_t prod = eta * bq[k];
          ubq[k] = FloorShift(prod, f);
          ubr[k] = ShiftRemainder(prod, f);
          int64_t next = layer.bias[k] - ubq[k];
          if (next <= -limit || next >= limit) {
            return Status::OutOfRange("step " + std::to_string(step) + ": bias of layer " + std::to_string(l) +
                                      " left the fixed-point range; lower the learning rate");
          }
          layer.bias[k] = next;
        }
        net.RefreshWeights(l);
        if (tracing) {
          const std::string p = "layer" + std::to_string(l) + ".";
          const size_t in = layer.inputs, out = layer.outputs;
          std::vector<int64_t> input(B * in);
          for (size_t i = 0; i < B; ++i) {
            const int32_t* x = l == 0 ? rows[i] : work[l - 1].h.data() + i * in;
            std::copy(x, x + in, input.begin() + i * in);
          }
          witness.Add(p + "input", {B, in}, std::move(input));
          witness.Add(p + "weight", {out, in}, before[l].weights.data(), n);
          witness.Add(p + "bias", {out}, before[l].bias.data(), out);
          std::vector<int64_t> aq(B * out), ar(B * out);
          for (size_t i = 0; i < B * out; ++i) aq[i] = FloorShift(w.acc[i], f), ar[i] = ShiftRemainder(w.acc[i], f);
          witness.Add(p + "acc_q", {B, out}, std::move(aq));
          witness.Add(p + "acc_r", {B, out}, std::move(ar));
          witness.Add(p + "z", {B, out}, w.z.data(), B * out);
          if (l + 1 < L) {
            witness.Add(p + "h", {B, out}, w.h.data(), B * out);
            std::vector<int64_t> cq(B * out), cr(B * out);
            for (size_t i = 0; i < B * out; ++i) cq[i] = FloorShift(w.back[i], f), cr[i] = ShiftRemainder(w.back[i], f);
            witness.Add(p + "back_q", {B, out}, std::move(cq));
            witness.Add(p + "back_r", {B, out}, std::move(cr));
          }
          witness.Add(p + "delta", {B, out}, w.delta.data(), B * out);
          witness.Add(p + "grad_q", {out, in}, std::move(gq));
          witness.Add(p + "grad_r", {out, in}, std::move(gr));
          witness.Add(p + "bias_grad_q", {out}, std::move(bq));
          witness.Add(p + "bias_grad_r", {out}, std::move(br));
          if (l2 != 0) {
            witness.Add(p + "l2_q", {out, in}, std::move(l2q));
            witness.Add(p + "l2_r", {out, in}, std::move(l2r));
          }
          witness.Add(p + "update_q", {out, in}, std::move(uq));
          witness.Add(p + "update_r", {out, in}, std::move(ur));
          witness.Add(p + "bias_update_q", {out}, std::move(ubq));
          witness.Add(p + "bias_update_r", {out}, std::move(ubr));
        }
      }
      if (tracing) {
        witness.Add("batch_rows", {B}, batch_rows.data(), B);
        witness.Add("learning_rate", {1}, std::vector<int64_t>{eta});
        witness.Add("l2", {1}, std::vector<int64_t>{l2});
        witness.Add("epoch", {1}, std::vector<int64_t>{static_cast<int64_t>(epoch)});
        std::vector<int64_t> target(B * k_out);
        for (size_t i = 0; i < B; ++i) {
          for (size_t c = 0; c < k_out; ++c) target[i * k_out + c] = net.TargetFixed(data.target[batch_rows[i]], c);
        }
        witness.Add("output.target", {B, k_out}, std::move(target));
        witness.Add("output.p", {B, k_out}, net.p().data(), B * k_out);
        if (output == OutputKind::kSigmoid) {
          witness.Add("output.lookup_index", {B, k_out}, net.lookup_index_.data(), B * k_out);
        } else if (output == OutputKind::kSoftmax) {
          witness.Add("output.row_max", {B}, net.row_max_.data(), B);
          witness.Add("output.exp_index", {B, k_out}, net.lookup_index_.data(), B * k_out);
          witness.Add("output.exp_value", {B, k_out}, net.exp_value_.data(), B * k_out);
          witness.Add("output.exp_sum", {B}, net.exp_sum_.data(), B);
          witness.Add("output.p_r", {B, k_out}, net.p_remainder_.data(), B * k_out);
        }
        options.observer->OnStep(step, witness.Finish());
      }
      result.final_loss = loss;
    }
    if (options.on_epoch) {
      options.on_epoch({epoch, hyper.epochs, loss_steps ? loss_sum / static_cast<double>(loss_steps) : 0,
                        timer.Seconds()});
    }
    if (options.max_steps != 0 && step >= options.max_steps) break;
  }
  result.steps = step;
  return result;
}

Result<std::vector<int64_t>> ForwardFixed(const FixedPointFormat& fp, OutputKind output,
                                          const std::vector<Layer>& layers, const int32_t* x, size_t rows) {
  if (layers.empty()) return Status::InvalidArgument("model has no layers");
  const size_t cols = layers[0].inputs;
  ZK_RETURN_IF_ERROR(CheckLayers(fp, layers, cols));
  const size_t k = layers.back().outputs;
  std::vector<int64_t> out(rows * k);
  constexpr size_t kChunk = 256;
  std::vector<Layer> copy = layers;  // FixedNetwork holds a mutable reference
  FixedNetwork net(fp, output, &copy, kChunk);
  std::vector<const int32_t*> ptrs(kChunk);
  for (size_t start = 0; start < rows; start += kChunk) {
    size_t n = std::min(kChunk, rows - start);
    for (size_t i = 0; i < n; ++i) ptrs[i] = x + (start + i) * cols;
    ZK_RETURN_IF_ERROR(net.Forward(ptrs.data(), n, start));
    std::copy(net.p().begin(), net.p().begin() + n * k, out.begin() + start * k);
  }
  return out;
}

// ---------------------------------------------------------------- float reference

std::vector<FloatLayer> ToFloatLayers(const std::vector<Layer>& layers, const FixedPointFormat& fp) {
  std::vector<FloatLayer> out;
  for (const Layer& l : layers) {
    FloatLayer fl{l.inputs, l.outputs, {}, {}};
    for (int64_t w : l.weights) fl.weights.push_back(fp.ToReal(w));
    for (int64_t b : l.bias) fl.bias.push_back(fp.ToReal(b));
    out.push_back(std::move(fl));
  }
  return out;
}

namespace {

void FloatOutput(OutputKind output, const double* z, size_t k, double* p) {
  switch (output) {
    case OutputKind::kIdentity:
      std::copy(z, z + k, p);
      break;
    case OutputKind::kSigmoid:
      for (size_t c = 0; c < k; ++c) p[c] = 1.0 / (1.0 + std::exp(-z[c]));
      break;
    case OutputKind::kSoftmax: {
      double m = *std::max_element(z, z + k);
      double sum = 0;
      for (size_t c = 0; c < k; ++c) sum += (p[c] = std::exp(z[c] - m));
      for (size_t c = 0; c < k; ++c) p[c] /= sum;
      break;
    }
  }
}

// Forward over n rows; z[l] and h[l] sized n × outputs.
void FloatForward(OutputKind output, const std::vector<FloatLayer>& layers, const float* const* rows, size_t n,
                  std::vector<std::vector<double>>& z, std::vector<std::vector<double>>& h, std::vector<double>& p) {
  const size_t L = layers.size();
  for (size_t l = 0; l < L; ++l) {
    const FloatLayer& layer = layers[l];
    const size_t in = layer.inputs, out = layer.outputs;
    const bool hidden = l + 1 < L;
    ParallelFor(0, n, [&](size_t b, size_t e) {
      for (size_t i = b; i < e; ++i) {
        for (size_t k = 0; k < out; ++k) {
          double acc = l == 0 ? DotF32F64(rows[i], layer.weights.data() + k * in, in)
                              : DotF64(h[l - 1].data() + i * in, layer.weights.data() + k * in, in);
          double v = acc + layer.bias[k];
          z[l][i * out + k] = v;
          if (hidden) h[l][i * out + k] = std::max(v, 0.0);
        }
      }
    }, Grain(in * out));
  }
  const size_t k = layers.back().outputs;
  for (size_t i = 0; i < n; ++i) FloatOutput(output, z[L - 1].data() + i * k, k, p.data() + i * k);
}

}  // namespace

Result<std::vector<FloatLayer>> TrainFloat(const FixedPointFormat& fp, OutputKind output, const Hyperparameters& hyper,
                                           const FloatTrainingData& data, std::vector<FloatLayer> layers,
                                           const std::function<void(const EpochReport&)>& on_epoch) {
  ZK_RETURN_IF_ERROR(CheckBatch(hyper.batch, fp));
  if (data.rows == 0 || data.target.size() != data.rows || layers.empty() || layers[0].inputs != data.cols) {
    return Status::InvalidArgument("float training data is empty or inconsistent");
  }
  const size_t B = hyper.batch, L = layers.size(), k_out = layers.back().outputs;
  std::vector<std::vector<double>> z(L), h(L), delta(L), grad(L);
  for (size_t l = 0; l < L; ++l) {
    z[l].resize(B * layers[l].outputs);
    h[l].resize(B * layers[l].outputs);
    delta[l].resize(B * layers[l].outputs);
    grad[l].resize(layers[l].weights.size());
  }
  std::vector<double> p(B * k_out);
  std::vector<const float*> rows(B);
  std::vector<size_t> batch_rows(B);
  const size_t steps_per_epoch = (data.rows + B - 1) / B;
  const double inv_b = 1.0 / static_cast<double>(B);
  Timer timer;
  for (uint64_t epoch = 0; epoch < hyper.epochs; ++epoch) {
    const std::vector<uint64_t> perm = EpochPermutation(hyper.seed, epoch, data.rows);
    const double eta = hyper.LearningRateReal(epoch, fp);
    double loss_sum = 0;
    for (size_t s = 0; s < steps_per_epoch; ++s) {
      for (size_t i = 0; i < B; ++i) {
        batch_rows[i] = perm[(s * B + i) % data.rows];
        rows[i] = data.x + batch_rows[i] * data.cols;
      }
      FloatForward(output, layers, rows.data(), B, z, h, p);
      double loss = 0;
      for (size_t i = 0; i < B; ++i) {
        double t = data.target[batch_rows[i]];
        for (size_t c = 0; c < k_out; ++c) {
          double y = output == OutputKind::kSoftmax ? (static_cast<double>(c) == t ? 1.0 : 0.0) : t;
          delta[L - 1][i * k_out + c] = p[i * k_out + c] - y;
        }
        loss += BatchLoss(output, p.data() + i * k_out, k_out, t);
      }
      loss_sum += loss * inv_b;
      for (size_t l = L; l-- > 0;) {
        FloatLayer& layer = layers[l];
        const size_t in = layer.inputs, out = layer.outputs;
        std::fill(grad[l].begin(), grad[l].end(), 0.0);
        ParallelFor(0, in, [&](size_t j0, size_t j1) {
          for (size_t k = 0; k < out; ++k) {
            double* g = grad[l].data() + k * in + j0;
            for (size_t i = 0; i < B; ++i) {
              double d = delta[l][i * out + k];
              if (l == 0) {
                AxpyF64F32(g, d, rows[i] + j0, j1 - j0);
              } else {
                AxpyF64(g, d, h[l - 1].data() + i * in + j0, j1 - j0);
              }
            }
          }
        }, Grain(B * out));
        if (l > 0) {
          ParallelFor(0, B, [&](size_t b, size_t e) {
            std::vector<double> back(in);
            for (size_t i = b; i < e; ++i) {
              std::fill(back.begin(), back.end(), 0.0);
              for (size_t k = 0; k < out; ++k) AxpyF64(back.data(), delta[l][i * out + k], layer.weights.data() + k * in, in);
              for (size_t j = 0; j < in; ++j) delta[l - 1][i * in + j] = z[l - 1][i * in + j] > 0 ? back[j] : 0.0;
            }
          }, Grain(in * out));
        }
        for (size_t idx = 0; idx < layer.weights.size(); ++idx) {
          double g = grad[l][idx] * inv_b + hyper.l2 * layer.weights[idx];
          layer.weights[idx] -= eta * g;
        }
        for (size_t k = 0; k < out; ++k) {
          double sum = 0;
          for (size_t i = 0; i < B; ++i) sum += delta[l][i * out + k];
          layer.bias[k] -= eta * sum * inv_b;
        }
      }
      for (const auto& layer : layers) {
        for (double w : layer.weights) {
          if (!std::isfinite(w)) return Status::OutOfRange("float reference diverged; lower the learning rate");
        }
      }
    }
    if (on_epoch) on_epoch({epoch, hyper.epochs, loss_sum / static_cast<double>(steps_per_epoch), timer.Seconds()});
  }
  return layers;
}

std::vector<double> ForwardFloat(OutputKind output, const std::vector<FloatLayer>& layers, const float* x, size_t rows) {
  const size_t L = layers.size(), k = layers.back().outputs, cols = layers[0].inputs;
  std::vector<double> out(rows * k);
  constexpr size_t kChunk = 256;
  std::vector<std::vector<double>> z(L), h(L);
  for (size_t l = 0; l < L; ++l) z[l].resize(kChunk * layers[l].outputs), h[l].resize(kChunk * layers[l].outputs);
  std::vector<double> p(kChunk * k);
  std::vector<const float*> ptrs(kChunk);
  for (size_t start = 0; start < rows; start += kChunk) {
    size_t n = std::min(kChunk, rows - start);
    for (size_t i = 0; i < n; ++i) ptrs[i] = x + (start + i) * cols;
    FloatForward(output, layers, ptrs.data(), n, z, h, p);
    std::copy(p.begin(), p.begin() + n * k, out.begin() + start * k);
  }
  return out;
}

}  // namespace zektra::ml
