#include "zektra/pot/run_schedule.h"

#include <algorithm>
#include <bit>
#include <string>

#include "zektra/ml/rng.h"
#include "zektra/zk/multilinear.h"

namespace zektra::pot {

ml::Hyperparameters RunHyperparameters::Hyper() const {
  ml::Hyperparameters h;
  h.epochs = epochs;
  h.batch = batch;
  h.lr = lr;
  h.schedule = schedule;
  h.lr_step_epochs = lr_step_epochs;
  h.lr_decay = lr_decay;
  h.l2 = 0;
  h.seed = seed;
  h.test_split = test_split;
  h.fraction_bits = fraction_bits;
  return h;
}

void RunHyperparameters::SetFromModel(const ml::Model& model) {
  fraction_bits = model.fraction_bits;
  epochs = model.hyper.epochs;
  batch = model.hyper.batch;
  seed = model.hyper.seed;
  lr = model.hyper.lr;
  schedule = model.hyper.schedule;
  lr_step_epochs = model.hyper.lr_step_epochs;
  lr_decay = model.hyper.lr_decay;
  test_split = model.hyper.test_split;
}

void RunHyperparameters::WriteHyperparameters(ByteWriter& w) const {
  w.U32(static_cast<uint32_t>(fraction_bits));
  w.U64(epochs);
  w.U64(batch);
  w.U64(seed);
  w.U64(std::bit_cast<uint64_t>(lr));
  w.U32(static_cast<uint32_t>(schedule));
  w.U64(lr_step_epochs);
  w.U64(std::bit_cast<uint64_t>(lr_decay));
  w.U64(std::bit_cast<uint64_t>(test_split));
}

Status RunHyperparameters::ReadHyperparameters(ByteReader& r) {
  fraction_bits = static_cast<int>(r.U32("fraction bits") & 0xFF);
  epochs = r.U64("epochs");
  batch = r.U64("batch");
  seed = r.U64("seed");
  lr = std::bit_cast<double>(r.U64("lr"));
  const uint32_t sched = r.U32("schedule");
  if (sched > 1) return Status::BadInput("statement: schedule");
  schedule = static_cast<ml::LrSchedule>(sched);
  lr_step_epochs = r.U64("lr step");
  lr_decay = std::bit_cast<double>(r.U64("lr decay"));
  test_split = std::bit_cast<double>(r.U64("test split"));
  return r.ok() ? Status::Ok() : r.status();
}

void RunHyperparameters::AddHyperparametersJson(nlohmann::json& j) const {
  j["fraction_bits"] = fraction_bits;
  j["epochs"] = epochs;
  j["batch"] = batch;
  j["lr"] = lr;
  j["lr_schedule"] = schedule == ml::LrSchedule::kStep ? "step" : "constant";
  j["lr_step_epochs"] = lr_step_epochs;
  j["lr_decay"] = lr_decay;
  j["seed"] = seed;
  j["test_split"] = test_split;
  j["split"] = "seeded, label-independent";
}

namespace {
size_t CeilLog2(uint64_t n) {
  return n <= 1 ? 0 : std::bit_width(n - 1);
}
}  // namespace

Result<RunSchedule> DeriveRunSchedule(const DatasetCommitment& dataset,
                                      const RunHyperparameters& run, uint64_t min_batch,
                                      size_t max_log_inner) {
  auto bad = [](const std::string& why) { return Status::BadInput("statement: " + why); };
  constexpr int kF = 16;
  if (run.fraction_bits != kF || dataset.fraction_bits != kF)
    return bad("fraction bits must be 16");
  const uint64_t d = dataset.features;
  if (d == 0 || d + 1 > (uint64_t{1} << max_log_inner)) return bad("feature count out of range");
  if (dataset.rows == 0 || dataset.rows > (uint64_t{1} << 24)) return bad("row count out of range");
  const uint64_t max_batch = uint64_t{1} << max_log_inner;
  if (run.batch < min_batch || !std::has_single_bit(run.batch) || run.batch > max_batch) {
    return bad("batch must be a power of two in [" + std::to_string(min_batch) + ", " +
               std::to_string(max_batch) + "]");
  }
  if (run.epochs == 0 || run.epochs > (uint64_t{1} << 20)) return bad("epochs out of range");
  if (!(run.test_split >= 0 && run.test_split < 1)) return bad("test split out of range");
  if (!(run.lr > 0 && run.lr <= 16) || !(run.lr_decay > 0 && run.lr_decay <= 1))
    return bad("learning rate out of range");

  RunSchedule s;
  s.features = d;
  s.lb = std::countr_zero(run.batch);
  s.ld = dataset.log_cols();
  s.lr = dataset.log_rows();
  if (s.ld != CeilLog2(d + 1) || s.lr < 1) return bad("dataset shape");
  if (dataset.pcs.params.log_size != static_cast<int>(s.lr + s.ld))
    return bad("dataset commitment has the wrong size");

  auto split = ml::SplitRows(dataset.rows, nullptr, run.test_split, run.seed);
  if (!split.ok()) return bad(split.status().message());
  const std::vector<uint64_t>& train = split->train;
  const uint64_t n = train.size();
  if (n == 0) return bad("no training rows");
  if (n > (uint64_t{1} << 28) / run.epochs) return bad("epochs × training rows too large");
  const uint64_t per_epoch = (n + run.batch - 1) / run.batch;
  if (per_epoch > (uint64_t{1} << 20) / run.epochs) return bad("too many steps");
  s.steps = per_epoch * run.epochs;
  // At least 2^4 real (and blinding) steps, so that even a one-step run's per-step columns
  // have more blinding entries than evaluations of them are revealed.
  s.tl = std::max<size_t>(4, CeilLog2(s.steps));
  s.tau = s.tl + 1;

  const ml::Hyperparameters hyper = run.Hyper();
  const ml::FixedPointFormat fp;
  s.eta.assign(s.Tp(), 0);
  s.row_of.assign(s.Tp() * run.batch, kNoRow);
  for (uint64_t e = 0; e < run.epochs; ++e) {
    const int64_t eta = hyper.LearningRateFixed(e, fp);
    if (eta < 1 || eta > (int64_t{16} << kF)) return bad("learning rate out of range");
    const std::vector<uint64_t> perm = ml::EpochPermutation(run.seed, e, n);
    for (uint64_t step = 0; step < per_epoch; ++step) {
      const uint64_t t = e * per_epoch + step;
      s.eta[t] = s.eta[s.Th() + t] = eta;
      for (uint64_t i = 0; i < run.batch; ++i) {
        const uint64_t row = train[perm[(step * run.batch + i) % n]];
        s.row_of[t * run.batch + i] = row;
        s.row_of[(s.Th() + t) * run.batch + i] = s.Nh() + row;  // the blinding run's row
      }
    }
  }
  s.train_row.assign(s.N(), 0);
  for (uint64_t r : train) s.train_row[r] = s.train_row[s.Nh() + r] = 1;
  return s;
}

std::vector<Fp2> OuterTI(const RunSchedule& s, std::span<const Fp2> at, std::span<const Fp2> bi) {
  std::vector<Fp2> w(s.Tp() * s.B());
  for (uint64_t t = 0; t < s.Tp(); ++t)
    for (uint64_t i = 0; i < s.B(); ++i) w[t * s.B() + i] = at[t] * bi[i];
  return w;
}

std::vector<Fp2> RowWeights(const RunSchedule& s, std::span<const Fp2> w) {
  std::vector<Fp2> c(s.N(), Fp2::Zero());
  for (uint64_t k = 0; k < s.row_of.size(); ++k)
    if (s.row_of[k] != kNoRow) c[s.row_of[k]] += w[k];
  return c;
}

std::vector<Fp2> ColWeights(const RunSchedule& s, const GatherClaim& g) {
  std::vector<Fp2> e(s.Dp(), Fp2::Zero());
  if (g.label) {
    e[s.features] = Fp2::One();
  } else {
    std::vector<Fp2> eq = EqTable(g.pj);
    for (uint64_t j = 0; j < s.features; ++j) e[j] = eq[j];
  }
  return e;
}

Fp2 GatherKernelAt(const RunSchedule& s, std::span<const GatherClaim> gs,
                   std::span<const Fp2> gammas, std::span<const Fp2> point) {
  const std::vector<Fp2> er = EqTable(point.subspan(s.ld)), ej = EqTable(point.first(s.ld));
  Fp2 total = Fp2::Zero();
  for (size_t k = 0; k < gs.size(); ++k) {
    Fp2 c = Fp2::Zero();
    for (uint64_t m = 0; m < s.row_of.size(); ++m)
      if (s.row_of[m] != kNoRow) c += gs[k].w[m] * er[s.row_of[m]];
    const std::vector<Fp2> e = ColWeights(s, gs[k]);
    Fp2 ev = Fp2::Zero();
    for (uint64_t j = 0; j < s.Dp(); ++j) ev += e[j] * ej[j];
    total += gammas[k] * c * ev;
  }
  return total;
}

}  // namespace zektra::pot
