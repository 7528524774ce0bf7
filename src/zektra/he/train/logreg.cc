#include "zektra/he/train/logreg.h"

#include <cmath>
#include <string>

#include "zektra/he/poly_ops.h"

namespace zektra::he::train {

Status TrainConfig::Validate() const {
  if (iterations < 1 || iterations > 64) {
    return Status::InvalidArgument("iterations must lie in 1..64 (got " +
                                   std::to_string(iterations) + ")");
  }
  if (!(learning_rate > 0 && learning_rate <= 100)) {
    return Status::InvalidArgument("learning rate must lie in (0, 100]");
  }
  if (!(sigmoid_range >= 1 && sigmoid_range <= 64)) {
    return Status::InvalidArgument("sigmoid range must lie in [1, 64]");
  }
  return Status::Ok();
}

TrainConfig DefaultTrainConfig() {
  return TrainConfig{};
}

SigmoidCubic FitSigmoidCubic(double range) {
  // Normal equations of min ∫ (σ(t) − 1/2 − a1 t − a3 t³)² dt over [−R, R]; σ − 1/2 is odd,
  // so the even coefficients of the best cubic vanish. Trapezoid rule on 4096 cells.
  constexpr int kCells = 4096;
  double s11 = 0, s13 = 0, s33 = 0, b1 = 0, b3 = 0;
  for (int i = 0; i <= kCells; ++i) {
    const double t = -range + 2 * range * i / kCells;
    const double w = (i == 0 || i == kCells) ? 0.5 : 1.0;
    const double f = 1 / (1 + std::exp(-t)) - 0.5;
    const double t2 = t * t;
    s11 += w * t2;
    s13 += w * t2 * t2;
    s33 += w * t2 * t2 * t2;
    b1 += w * t * f;
    b3 += w * t2 * t * f;
  }
  const double det = s11 * s33 - s13 * s13;
  SigmoidCubic p;
  p.range = range;
  p.a1 = (b1 * s33 - b3 * s13) / det;
  p.a3 = (s11 * b3 - s13 * b1) / det;
  return p;
}

std::vector<double> NesterovEta(int iterations) {
  std::vector<double> eta;
  double lambda = 1;
  for (int k = 0; k < iterations; ++k) {
    const double next = (1 + std::sqrt(1 + 4 * lambda * lambda)) / 2;
    eta.push_back((1 - lambda) / next);
    lambda = next;
  }
  return eta;
}

int LevelsFor(int iterations) {
  return iterations <= 1 ? 1 : 3 * iterations - 2;
}

Result<CkksParameters> TrainingParameters(int iterations) {
  if (iterations < 1 || iterations > 64)
    return Status::InvalidArgument("iterations must lie in 1..64");
  const int levels = LevelsFor(iterations);
  for (int log_n = 14; log_n <= kMaxLogN; ++log_n) {
    // A rough bound first, so hopeless rings are not searched digit by digit.
    if (60 + 50 * levels + 60 > MaxLogPQ(log_n, SecurityLevel::k128)) continue;
    for (uint32_t dnum = 1; dnum <= static_cast<uint32_t>(levels + 1); ++dnum) {
      CkksParameterSpec spec;
      spec.log_n = log_n;
      spec.base_prime_bits = 60;
      spec.scale_bits = 50;
      spec.levels = levels;
      spec.special_prime_bits = 60;
      spec.dnum = dnum;
      auto params = MakeParameters(spec);
      if (params.ok()) return params;
    }
  }
  return Status::InvalidArgument(
      std::to_string(iterations) + " iterations need " + std::to_string(levels) +
      " levels, more than any ring up to N = 2^16 holds at 128-bit security "
      "(bootstrapping is not implemented)");
}

int MaxIterationsFor(const HeContext& context) {
  int k = 0;
  while (LevelsFor(k + 1) <= static_cast<int>(context.max_level())) ++k;
  return k;
}

Result<PackingLayout> PackingLayout::For(size_t features_with_bias, size_t slots) {
  if (features_with_bias < 2) return Status::InvalidArgument("packing: need at least one feature");
  PackingLayout l;
  l.features = features_with_bias;
  l.feature_slots = 1;
  while (l.feature_slots < features_with_bias) l.feature_slots <<= 1;
  l.row_width = 2 * l.feature_slots;
  l.slots = slots;
  if (l.row_width > slots) {
    return Status::InvalidArgument("packing: " + std::to_string(features_with_bias - 1) +
                                   " features need " + std::to_string(l.row_width) +
                                   " slots per row, more than the " + std::to_string(slots) +
                                   " slots of a ciphertext");
  }
  l.rows_per_ciphertext = slots / l.row_width;
  return l;
}

std::vector<int64_t> RequiredRotationSteps(size_t slots) {
  std::vector<int64_t> steps;
  for (size_t s = 1; s < slots; s <<= 1) steps.push_back(static_cast<int64_t>(s));
  return steps;
}

std::vector<std::vector<double>> PackRows(const PackingLayout& layout, const std::vector<double>& z,
                                          size_t rows) {
  std::vector<std::vector<double>> out(layout.CiphertextsFor(rows),
                                       std::vector<double>(layout.slots, 0.0));
  for (size_t r = 0; r < rows; ++r) {
    std::vector<double>& slots = out[r / layout.rows_per_ciphertext];
    const size_t base = (r % layout.rows_per_ciphertext) * layout.row_width;
    for (size_t j = 0; j < layout.features; ++j) {
      slots[base + j] = z[r * layout.features + j];
      slots[base + layout.feature_slots + j] = z[r * layout.features + j];
    }
  }
  return out;
}

std::vector<double> SignedRows(const std::vector<double>& x, const std::vector<int>& y, size_t rows,
                               size_t d) {
  std::vector<double> z(rows * (d + 1));
  for (size_t r = 0; r < rows; ++r) {
    const double sign = y[r] ? 1.0 : -1.0;
    z[r * (d + 1)] = sign;
    for (size_t j = 0; j < d; ++j) z[r * (d + 1) + 1 + j] = sign * x[r * d + j];
  }
  return z;
}

PlainResult PlainTrain(const std::vector<double>& z, size_t rows, size_t features,
                       const TrainConfig& config) {
  const SigmoidCubic p = FitSigmoidCubic(config.sigmoid_range);
  const std::vector<double> eta = NesterovEta(config.iterations);
  PlainResult out;
  std::vector<double> beta(features, 0.0), v(features, 0.0), grad(features);
  const double n = static_cast<double>(rows);
  for (int k = 0; k < config.iterations; ++k) {
    std::fill(grad.begin(), grad.end(), 0.0);
    for (size_t r = 0; r < rows; ++r) {
      const double* zr = z.data() + r * features;
      double t = 0;
      for (size_t j = 0; j < features; ++j) t += zr[j] * v[j];
      out.max_abs_inner = std::max(out.max_abs_inner, std::fabs(t));
      const double s = p(-t);  // σ(−t)
      for (size_t j = 0; j < features; ++j) grad[j] -= s * zr[j] / n;
    }
    for (size_t j = 0; j < features; ++j) {
      const double next = v[j] - config.learning_rate * grad[j];
      v[j] = (1 - eta[k]) * next + eta[k] * beta[j];
      beta[j] = next;
    }
  }
  out.beta = beta;
  return out;
}

namespace {

// The training circuit over one context; every step returns a Status on mismatch.
class Circuit {
 public:
  Circuit(const HeContextPtr& context, const PackingLayout& layout, const EvaluationKeys& keys,
          EncryptedTrainStats* stats)
      : c_(context), ev_(context), enc_(context), layout_(layout), keys_(keys), stats_(stats) {}

  // ct·coeff brought to (level, scale) exactly: one constant multiply whose encoding
  // scale makes the following rescale land on `scale`, then dropping primes.
  Result<Ciphertext> ScaledTo(const Ciphertext& ct, double coeff, size_t level,
                              double scale) const {
    if (ct.level < level + 1) {
      return Status::Internal("encrypted training: a term at level " + std::to_string(ct.level) +
                              " cannot be brought to level " + std::to_string(level));
    }
    const HeContext& c = *c_;
    const double q = static_cast<double>(c.modulus(ct.level).value);
    const double encoding_scale = scale * q / ct.scale;
    Plaintext pt;
    pt.level = ct.level;
    pt.scale = encoding_scale;
    pt.context_id = c.id();
    const Basis basis = LevelBasis(ct.level);
    const std::vector<uint64_t> residues = RealToResidues(c, basis, coeff * encoding_scale);
    pt.poly = RnsPoly::Uninitialized(c.n(), basis.size());
    for (size_t k = 0; k < basis.size(); ++k) std::fill_n(pt.poly.limb(k), c.n(), residues[k]);
    ZK_ASSIGN_OR_RETURN(Ciphertext product, ev_.MultiplyPlain(ct, pt));
    ZK_ASSIGN_OR_RETURN(Ciphertext out, ev_.Rescale(product));
    out.scale = scale;  // equal up to floating-point rounding of the line above
    if (out.level > level) return ev_.ModSwitchTo(out, level);
    return out;
  }

  Result<Ciphertext> MulRelinRescale(const Ciphertext& a, const Ciphertext& b) {
    if (stats_) ++stats_->multiplications;
    ZK_ASSIGN_OR_RETURN(Ciphertext p, ev_.MultiplyRelin(a, b, *keys_.relin));
    return ev_.Rescale(p);
  }

  Result<Ciphertext> Rotate(const Ciphertext& a, int64_t step) {
    if (stats_) ++stats_->rotations;
    return ev_.Rotate(a, step, *keys_.galois);
  }

  // Σ_{k<count} rot(a, k·stride) for count a power of two, by doubling.
  Result<Ciphertext> SumRotations(Ciphertext a, size_t stride, size_t count) {
    for (size_t s = stride; s < stride * count; s <<= 1) {
      ZK_ASSIGN_OR_RETURN(Ciphertext r, Rotate(a, static_cast<int64_t>(s)));
      ZK_ASSIGN_OR_RETURN(a, ev_.Add(a, r));
    }
    return a;
  }

  // Sum over all rows of a ciphertext in the packed layout; every block gets the total.
  Result<Ciphertext> RowSum(const Ciphertext& a) {
    return SumRotations(a, layout_.row_width, layout_.rows_per_ciphertext);
  }

  // Plaintext with `value` in the first half of every row block, 0 elsewhere.
  Result<Plaintext> HalfMask(double value, size_t level, double scale) const {
    std::vector<double> slots(layout_.slots, 0.0);
    for (size_t i = 0; i < layout_.slots; ++i) {
      if (i % layout_.row_width < layout_.feature_slots) slots[i] = value;
    }
    return enc_.Encode(slots, scale, level);
  }

  const Evaluator& ev() const { return ev_; }

 private:
  HeContextPtr c_;
  Evaluator ev_;
  Encoder enc_;
  PackingLayout layout_;
  EvaluationKeys keys_;
  EncryptedTrainStats* stats_;
};

}  // namespace

Result<Ciphertext> TrainEncrypted(const HeContextPtr& context, const std::vector<Ciphertext>& data,
                                  size_t rows, const PackingLayout& layout,
                                  const TrainConfig& config, const EvaluationKeys& keys,
                                  EncryptedTrainStats* stats) {
  ZK_RETURN_IF_ERROR(config.Validate());
  if (keys.relin == nullptr || keys.galois == nullptr) {
    return Status::InvalidArgument(
        "encrypted training needs the relinearisation and rotation keys");
  }
  if (data.empty() || rows == 0) return Status::InvalidArgument("encrypted training: no data");
  if (layout.slots != context->slots()) {
    return Status::InvalidArgument("encrypted training: layout made for another slot count");
  }
  if (data.size() * layout.rows_per_ciphertext < rows) {
    return Status::BadInput("encrypted training: " + std::to_string(rows) + " rows need at least " +
                            std::to_string(layout.CiphertextsFor(rows)) + " ciphertexts, got " +
                            std::to_string(data.size()));
  }
  for (uint64_t step : RequiredRotationSteps(layout.slots)) {
    if (!keys.galois->Has(context->GaloisElementForStep(static_cast<int64_t>(step)))) {
      return Status::BadInput("encrypted training: the rotation keys lack the key for step " +
                              std::to_string(step));
    }
  }
  const size_t top = data[0].level;
  for (size_t i = 0; i < data.size(); ++i) {
    ZK_RETURN_IF_ERROR(context->CheckCiphertext(data[i], "training data"));
    if (data[i].level != top || data[i].scale != data[0].scale || data[i].size() != 2) {
      return Status::BadInput("encrypted training: data ciphertext " + std::to_string(i) +
                              " differs in level, scale or size from the first");
    }
  }
  if (static_cast<int>(top) < LevelsFor(config.iterations)) {
    return Status::InvalidArgument(
        "encrypted training: " + std::to_string(config.iterations) + " iterations need " +
        std::to_string(LevelsFor(config.iterations)) + " levels, the data has " +
        std::to_string(top) + " (generate keys for more iterations: he keygen --iters)");
  }

  Circuit circuit(context, layout, keys, stats);
  const Evaluator& ev = circuit.ev();
  const SigmoidCubic p = FitSigmoidCubic(config.sigmoid_range);
  const std::vector<double> eta = NesterovEta(config.iterations);
  const double n = static_cast<double>(rows);
  const double gamma = config.learning_rate;
  const double state_scale = context->default_scale();

  // Σ_r z_r, in every block: the gradient at 0 up to a constant.
  Ciphertext total = data[0];
  for (size_t i = 1; i < data.size(); ++i) {
    ZK_ASSIGN_OR_RETURN(total, ev.Add(total, data[i]));
  }
  ZK_ASSIGN_OR_RETURN(const Ciphertext c0, circuit.RowSum(total));

  // Iteration 0: v_0 = β_0 = 0, σ(0) = 1/2 exactly, η_0 = 0 so v_1 = β_1.
  ZK_ASSIGN_OR_RETURN(Ciphertext beta, circuit.ScaledTo(c0, gamma * 0.5 / n, top - 1, state_scale));
  Ciphertext v = beta;

  for (int k = 1; k < config.iterations; ++k) {
    const bool last = k == config.iterations - 1;
    const size_t level = v.level;
    const double step_coeff = (last ? 1.0 : 1.0 - eta[k]) * gamma * p.a3 / n;
    ZK_ASSIGN_OR_RETURN(
        Plaintext mask,
        circuit.HalfMask(step_coeff, level, static_cast<double>(context->modulus(level).value)));
    Ciphertext delta;
    for (size_t i = 0; i < data.size(); ++i) {
      ZK_ASSIGN_OR_RETURN(Ciphertext z, ev.ModSwitchTo(data[i], level));
      // t_r = z_r·v in the first half of each row block.
      ZK_ASSIGN_OR_RETURN(Ciphertext zv, circuit.MulRelinRescale(z, v));
      ZK_ASSIGN_OR_RETURN(Ciphertext t, circuit.SumRotations(zv, 1, layout.feature_slots));
      ZK_ASSIGN_OR_RETURN(Ciphertext t2, circuit.MulRelinRescale(t, t));
      ZK_ASSIGN_OR_RETURN(t2, ev.AddConst(t2, p.a1 / p.a3));
      // c·z with the second halves zeroed (they hold sums across row boundaries).
      ZK_ASSIGN_OR_RETURN(Ciphertext zc, ev.MultiplyPlain(z, mask));
      ZK_ASSIGN_OR_RETURN(zc, ev.Rescale(zc));
      ZK_ASSIGN_OR_RETURN(Ciphertext zt, circuit.MulRelinRescale(zc, t));
      // Left unrelinearised: the data ciphertexts' terms are summed first, then one
      // relinearisation and one rescale serve them all.
      if (stats) ++stats->multiplications;
      ZK_ASSIGN_OR_RETURN(Ciphertext term, ev.Multiply(zt, t2));
      if (i == 0) {
        delta = std::move(term);
      } else {
        ZK_ASSIGN_OR_RETURN(delta, ev.Add(delta, term));
      }
    }
    ZK_ASSIGN_OR_RETURN(delta, ev.Relinearize(delta, *keys.relin));
    ZK_ASSIGN_OR_RETURN(delta, ev.Rescale(delta));
    // δ = c·Σ_r z_r t_r (t_r² + a1/a3), then copied into the second halves (every block
    // holds the same sum, so a left rotation by d' brings block r+1's first half).
    ZK_ASSIGN_OR_RETURN(delta, circuit.RowSum(delta));
    ZK_ASSIGN_OR_RETURN(Ciphertext shifted,
                        circuit.Rotate(delta, static_cast<int64_t>(layout.feature_slots)));
    ZK_ASSIGN_OR_RETURN(delta, ev.Add(delta, shifted));
    const size_t out_level = delta.level;
    const double out_scale = delta.scale;

    // β_{k+1} = v_k + γ(1/2n)Σz − δ/(factor); v_{k+1} = (1−η)β_{k+1} + η β_k, where δ
    // already carries the factor (1 − η) (or 1 on the last iteration).
    auto combine = [&](std::vector<std::pair<const Ciphertext*, double>> terms, size_t lvl,
                       double scale) -> Result<Ciphertext> {
      Ciphertext acc;
      bool first = true;
      for (auto& [ct, coeff] : terms) {
        if (coeff == 0) continue;
        ZK_ASSIGN_OR_RETURN(Ciphertext s, circuit.ScaledTo(*ct, coeff, lvl, scale));
        if (first) {
          acc = std::move(s);
          first = false;
        } else {
          ZK_ASSIGN_OR_RETURN(acc, ev.Add(acc, s));
        }
      }
      return acc;
    };
    if (last) {
      ZK_ASSIGN_OR_RETURN(Ciphertext rest,
                          combine({{&v, 1.0}, {&c0, gamma * 0.5 / n}}, out_level, out_scale));
      ZK_ASSIGN_OR_RETURN(beta, ev.Sub(rest, delta));
      break;
    }
    ZK_ASSIGN_OR_RETURN(
        Ciphertext v_rest,
        combine({{&v, 1 - eta[k]}, {&beta, eta[k]}, {&c0, (1 - eta[k]) * gamma * 0.5 / n}},
                out_level, out_scale));
    ZK_ASSIGN_OR_RETURN(Ciphertext v_next, ev.Sub(v_rest, delta));
    ZK_ASSIGN_OR_RETURN(beta,
                        combine({{&v, 1.0}, {&c0, gamma * 0.5 / n}, {&delta, -1 / (1 - eta[k])}},
                                out_level - 1, state_scale));
    v = std::move(v_next);
  }
  if (stats) stats->final_level = beta.level;
  return beta;
}

}  // namespace zektra::he::train
