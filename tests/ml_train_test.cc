// The trainers on small synthetic data, thread independence, bounds, and the witness trace:
// every relation the proof of training will check is recomputed here from the trace alone.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>

#include "zektra/base/thread_pool.h"
#include "zektra/ml/pipeline.h"
#include "zektra/ml/rng.h"

namespace zektra::ml {
namespace {

Table Synth(Task task, int classes, uint64_t rows = 600, uint64_t features = 6, uint64_t seed = 1) {
  auto t = GenerateSynthetic({rows, features, task, classes, seed});
  ZK_CHECK(t.ok(), "synthetic data");
  return std::move(t).value();
}

TrainOutcome Train(const Table& t, const std::string& model, uint64_t epochs = 20, TrainingObserver* obs = nullptr,
                   bool compare_float = false) {
  TrainRequest r;
  r.spec = *ModelSpec::Parse(model);
  r.hyper.epochs = epochs;
  r.observer = obs;
  r.compare_float = compare_float;
  auto out = TrainOnTable(t, r);
  EXPECT_TRUE(out.ok()) << out.status().message();
  return std::move(out).value();
}

TEST(MlTrain, EveryModelLearnsSyntheticData) {
  Table binary = Synth(Task::kBinary, 2);
  Table multi = Synth(Task::kMulticlass, 4);
  Table reg = Synth(Task::kRegression, 2);
  EXPECT_GT(Train(binary, "logreg").test->headline(), 0.85);
  EXPECT_GT(Train(binary, "mlp:8").test->headline(), 0.85);
  EXPECT_GT(Train(multi, "softmax").test->headline(), 0.7);
  EXPECT_GT(Train(multi, "mlp:16,8").test->headline(), 0.7);
  EXPECT_GT(Train(reg, "linreg").test->headline(), 0.9);
}

TEST(MlTrain, FixedMatchesFloatReference) {
  Table multi = Synth(Task::kMulticlass, 3, 800);
  for (const char* m : {"softmax", "mlp:12"}) {
    TrainOutcome o = Train(multi, m, 20, nullptr, true);
    ASSERT_TRUE(o.float_test.has_value());
    EXPECT_NEAR(o.test->headline(), o.float_test->headline(), 0.01) << m;
  }
  TrainOutcome lin = Train(Synth(Task::kRegression, 2), "linreg", 20, nullptr, true);
  EXPECT_NEAR(lin.test->headline(), lin.float_test->headline(), 0.01);
}

TEST(MlTrain, ResultDoesNotDependOnThreadCount) {
  Table multi = Synth(Task::kMulticlass, 3, 300, 40);
  size_t saved = ThreadCount();
  SetThreadCount(1);
  TrainOutcome one = Train(multi, "mlp:300", 2);
  SetThreadCount(4);
  TrainOutcome four = Train(multi, "mlp:300", 2);
  SetThreadCount(saved);
  EXPECT_EQ(one.model.WeightsDigestHex(), four.model.WeightsDigestHex());
  EXPECT_EQ(one.model.layers[0].weights, four.model.layers[0].weights);
}

TEST(MlTrain, DivergenceIsOutOfRangeNotWrapAround) {
  Table reg = Synth(Task::kRegression, 2, 200, 30);
  TrainRequest r;
  r.spec = *ModelSpec::Parse("linreg");
  r.hyper.epochs = 50;
  r.hyper.lr = 16;
  r.hyper.schedule = LrSchedule::kConstant;
  auto out = TrainOnTable(reg, r);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kOutOfRange);
  EXPECT_NE(out.status().message().find("step "), std::string::npos);
}

TEST(MlTrain, RejectsBadHyperparameters) {
  Table binary = Synth(Task::kBinary, 2, 50);
  TrainRequest r;
  r.spec = *ModelSpec::Parse("logreg");
  r.hyper.batch = 24;
  EXPECT_EQ(TrainOnTable(binary, r).status().code(), StatusCode::kInvalidArgument);
  r.hyper.batch = 32;
  r.hyper.lr = -1;
  EXPECT_EQ(TrainOnTable(binary, r).status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(ModelSpec::Parse("mlp:").ok());
  EXPECT_FALSE(ModelSpec::Parse("mlp:3,x").ok());
  EXPECT_FALSE(ModelSpec::Parse("svm").ok());
  EXPECT_EQ(ModelSpec::Parse("mlp:32,16")->ToString(), "mlp:32,16");
  // logreg on three classes is bad input, not a crash.
  EXPECT_EQ(TrainOnTable(Synth(Task::kMulticlass, 3, 50), {*ModelSpec::Parse("logreg"), {}, false, nullptr, {}})
                .status().code(), StatusCode::kBadInput);
}

// ---- The trace: recompute every relation from the recorded tensors alone.

const TrainingTrace::Tensor& Get(const TrainingTrace& t, const std::string& name) {
  const auto* p = t.Find(name);
  ZK_CHECK(p != nullptr, "tensor missing from the trace");
  return *p;
}

// Each relation failure names itself and the step, so a tampered trace reports what broke.
#define REQUIRE(cond) \
  do { \
    if (!(cond)) return std::string(#cond) + " fails at step " + std::to_string(t); \
  } while (0)
#define REQUIRE_EQ(a, b) REQUIRE((a) == (b))
#define REQUIRE_GE(a, b) REQUIRE((a) >= (b))
#define REQUIRE_LT(a, b) REQUIRE((a) < (b))
#define REQUIRE_LE(a, b) REQUIRE((a) <= (b))

std::string CheckTrace(const TrainingTrace& trace, const FixedPointFormat& fp, size_t layers, OutputKind output,
                const PreparedSet& train, uint64_t seed) {
  const int f = fp.fraction_bits();
  const auto& rows = Get(trace, "batch_rows");
  const size_t B = rows.shape[1];
  const int log_b = std::countr_zero(B);
  for (uint64_t t = 0; t < trace.steps(); ++t) {
    // Batch order is the public permutation of the seed.
    const uint64_t steps_per_epoch = (train.rows + B - 1) / B;
    const uint64_t epoch = t / steps_per_epoch, s = t % steps_per_epoch;
    auto perm = EpochPermutation(seed, epoch, train.rows);
    for (size_t i = 0; i < B; ++i) REQUIRE_EQ(rows.step(t)[i], static_cast<int64_t>(perm[(s * B + i) % train.rows]));
    const int64_t eta = Get(trace, "learning_rate").step(t)[0];
    for (size_t l = 0; l < layers; ++l) {
      const std::string p = "layer" + std::to_string(l) + ".";
      const auto& in_t = Get(trace, p + "input");
      const size_t in = in_t.shape[2];
      auto input = in_t.step(t);
      auto weight = Get(trace, p + "weight").step(t);
      auto bias = Get(trace, p + "bias").step(t);
      const size_t out = bias.size();
      auto aq = Get(trace, p + "acc_q").step(t), ar = Get(trace, p + "acc_r").step(t), z = Get(trace, p + "z").step(t);
      auto delta = Get(trace, p + "delta").step(t);
      if (l == 0) {  // the input is the committed data at the batch's rows
        for (size_t i = 0; i < B; ++i) {
          for (size_t j = 0; j < in; ++j) REQUIRE_EQ(input[i * in + j], train.x[rows.step(t)[i] * in + j]);
        }
      } else {  // the input is the previous layer's ReLU
        auto h = Get(trace, "layer" + std::to_string(l - 1) + ".h").step(t);
        for (size_t i = 0; i < B * in; ++i) REQUIRE_EQ(input[i], h[i]);
      }
      for (size_t i = 0; i < B; ++i) {
        for (size_t k = 0; k < out; ++k) {
          __int128 acc = 0;
          for (size_t j = 0; j < in; ++j) acc += static_cast<__int128>(input[i * in + j]) * weight[k * in + j];
          REQUIRE_EQ(acc, static_cast<__int128>(aq[i * out + k]) * (int64_t{1} << f) + ar[i * out + k]);
          REQUIRE_GE(ar[i * out + k], 0);
          REQUIRE_LT(ar[i * out + k], int64_t{1} << f);
          REQUIRE_EQ(z[i * out + k], aq[i * out + k] + bias[k]);
        }
      }
      if (l + 1 < layers) {
        auto h = Get(trace, p + "h").step(t);
        auto cq = Get(trace, p + "back_q").step(t), cr = Get(trace, p + "back_r").step(t);
        const std::string up = "layer" + std::to_string(l + 1) + ".";
        auto w_up = Get(trace, up + "weight").step(t);
        auto d_up = Get(trace, up + "delta").step(t);
        const size_t k_up = Get(trace, up + "bias").step(t).size();
        for (size_t i = 0; i < B; ++i) {
          for (size_t j = 0; j < out; ++j) {
            REQUIRE_EQ(h[i * out + j], std::max<int64_t>(z[i * out + j], 0));
            REQUIRE_LT(h[i * out + j], fp.value_limit());
            __int128 back = 0;
            for (size_t k = 0; k < k_up; ++k) back += static_cast<__int128>(d_up[i * k_up + k]) * w_up[k * out + j];
            REQUIRE_EQ(back, static_cast<__int128>(cq[i * out + j]) * (int64_t{1} << f) + cr[i * out + j]);
            REQUIRE_GE(cr[i * out + j], 0);
            REQUIRE_LT(cr[i * out + j], int64_t{1} << f);
            REQUIRE_EQ(delta[i * out + j], z[i * out + j] > 0 ? cq[i * out + j] : 0);
          }
        }
      }
      auto gq = Get(trace, p + "grad_q").step(t), gr = Get(trace, p + "grad_r").step(t);
      auto uq = Get(trace, p + "update_q").step(t), ur = Get(trace, p + "update_r").step(t);
      auto bq = Get(trace, p + "bias_grad_q").step(t), br = Get(trace, p + "bias_grad_r").step(t);
      auto ubq = Get(trace, p + "bias_update_q").step(t), ubr = Get(trace, p + "bias_update_r").step(t);
      const bool last_step = t + 1 == trace.steps();
      for (size_t k = 0; k < out; ++k) {
        for (size_t j = 0; j < in; ++j) {
          __int128 g = 0;
          for (size_t i = 0; i < B; ++i) g += static_cast<__int128>(delta[i * out + k]) * input[i * in + j];
          const size_t idx = k * in + j;
          REQUIRE_EQ(g, static_cast<__int128>(gq[idx]) * (int64_t{1} << (f + log_b)) + gr[idx]);
          REQUIRE_GE(gr[idx], 0);
          REQUIRE_LT(gr[idx], int64_t{1} << (f + log_b));
          REQUIRE_EQ(eta * gq[idx], uq[idx] * (int64_t{1} << f) + ur[idx]);  // no L2 in these runs
          REQUIRE_GE(ur[idx], 0);
          REQUIRE_LT(ur[idx], int64_t{1} << f);
          if (!last_step) {
            REQUIRE_EQ(Get(trace, p + "weight").step(t + 1)[idx], weight[idx] - uq[idx]);
          }
        }
        int64_t sum = 0;
        for (size_t i = 0; i < B; ++i) sum += delta[i * out + k];
        REQUIRE_EQ(sum, bq[k] * static_cast<int64_t>(B) + br[k]);
        REQUIRE_EQ(eta * bq[k], ubq[k] * (int64_t{1} << f) + ubr[k]);
        if (!last_step) {
          REQUIRE_EQ(Get(trace, p + "bias").step(t + 1)[k], bias[k] - ubq[k]);
        }
      }
    }
    // Output layer: nonlinearity by table, error = p − target.
    const std::string last = "layer" + std::to_string(layers - 1) + ".";
    auto z = Get(trace, last + "z").step(t);
    auto prob = Get(trace, "output.p").step(t), target = Get(trace, "output.target").step(t);
    auto delta = Get(trace, last + "delta").step(t);
    const size_t k = prob.size() / B;
    for (size_t i = 0; i < B * k; ++i) REQUIRE_EQ(delta[i], prob[i] - target[i]);
    if (output == OutputKind::kSigmoid) {
      auto index = Get(trace, "output.lookup_index").step(t);
      for (size_t i = 0; i < B; ++i) {
        REQUIRE_EQ(index[i], std::clamp(z[i] >> (f - kTableStepBits), kSigmoidIndexMin, kSigmoidIndexMax));
        REQUIRE_EQ(prob[i], fp.SigmoidAt(index[i]));
      }
    } else if (output == OutputKind::kSoftmax) {
      auto m = Get(trace, "output.row_max").step(t), ei = Get(trace, "output.exp_index").step(t);
      auto ev = Get(trace, "output.exp_value").step(t), es = Get(trace, "output.exp_sum").step(t);
      auto pr = Get(trace, "output.p_r").step(t);
      for (size_t i = 0; i < B; ++i) {
        int64_t sum = 0;
        for (size_t c = 0; c < k; ++c) {
          REQUIRE_LE(z[i * k + c], m[i]);
          REQUIRE_EQ(ei[i * k + c], std::max((z[i * k + c] - m[i]) >> (f - kTableStepBits), kExpIndexMin));
          REQUIRE_EQ(ev[i * k + c], fp.ExpAt(ei[i * k + c]));
          sum += ev[i * k + c];
          REQUIRE_EQ(ev[i * k + c] << f, prob[i * k + c] * es[i] + pr[i * k + c]);
          REQUIRE_GE(pr[i * k + c], 0);
          REQUIRE_LT(pr[i * k + c], es[i]);
        }
        REQUIRE_EQ(sum, es[i]);
        REQUIRE(std::find(z.begin() + i * k, z.begin() + (i + 1) * k, m[i]) != z.begin() + (i + 1) * k);
      }
    } else {
      for (size_t i = 0; i < B; ++i) REQUIRE_EQ(prob[i], z[i]);
    }
  }
  return "";
}

void TraceRun(const Table& table, const std::string& model, size_t layers, OutputKind output) {
  TrainingTrace trace;
  TrainRequest r;
  r.spec = *ModelSpec::Parse(model);
  r.hyper.epochs = 2;
  r.hyper.batch = 16;
  r.hyper.seed = 11;
  r.observer = &trace;
  auto out = TrainOnTable(table, r);
  ASSERT_TRUE(out.ok()) << out.status().message();
  auto train = PrepareForModel(out->model, table, &out->split.train);
  ASSERT_TRUE(train.ok());
  EXPECT_EQ(trace.steps(), out->steps);
  EXPECT_EQ(trace.steps(), 2 * ((out->train_rows + 15) / 16));
  EXPECT_EQ(Get(trace, "layer0.weight").shape[0], trace.steps());
  FixedPointFormat fp;
  EXPECT_EQ(CheckTrace(trace, fp, layers, output, *train, 11), "");
  // The final model is the last traced weights minus the last update.
  const auto& w = Get(trace, "layer0.weight");
  const auto& u = Get(trace, "layer0.update_q");
  auto last_w = w.step(trace.steps() - 1), last_u = u.step(trace.steps() - 1);
  for (size_t i = 0; i < last_w.size(); ++i) ASSERT_EQ(out->model.layers[0].weights[i], last_w[i] - last_u[i]);
}

TEST(MlTrace, LogisticRegressionRelationsHold) {
  TraceRun(Synth(Task::kBinary, 2, 120, 5), "logreg", 1, OutputKind::kSigmoid);
}
TEST(MlTrace, SoftmaxRelationsHold) {
  TraceRun(Synth(Task::kMulticlass, 3, 100, 4), "softmax", 1, OutputKind::kSoftmax);
}
TEST(MlTrace, LinearRegressionRelationsHold) {
  TraceRun(Synth(Task::kRegression, 2, 100, 4), "linreg", 1, OutputKind::kIdentity);
}
TEST(MlTrace, MlpRelationsHold) {
  TraceRun(Synth(Task::kMulticlass, 3, 100, 6), "mlp:8,5", 3, OutputKind::kSoftmax);
  TraceRun(Synth(Task::kBinary, 2, 100, 6), "mlp:7", 2, OutputKind::kSigmoid);
}

TEST(MlTrace, TamperedTraceIsCaught) {
  // The checker is not vacuous: one changed value in any of these tensors breaks a relation.
  Table table = Synth(Task::kMulticlass, 3, 80, 5);
  TrainingTrace trace;
  TrainRequest r;
  r.spec = *ModelSpec::Parse("mlp:6");
  r.hyper.epochs = 1;
  r.hyper.batch = 8;
  r.hyper.seed = 11;
  r.observer = &trace;
  auto out = TrainOnTable(table, r);
  ASSERT_TRUE(out.ok());
  auto train = PrepareForModel(out->model, table, &out->split.train);
  FixedPointFormat fp;
  ASSERT_EQ(CheckTrace(trace, fp, 2, OutputKind::kSoftmax, *train, 11), "");
  for (const char* name : {"layer0.acc_r", "layer0.z", "layer0.h", "layer0.back_q", "layer1.grad_r", "layer1.update_q",
                           "layer0.bias_update_q", "output.exp_index", "output.p_r", "batch_rows", "layer0.input"}) {
    TrainingTrace bad = trace;
    TrainingTrace::Tensor* tensor = bad.Mutable(name);
    ASSERT_NE(tensor, nullptr) << name;
    tensor->data[tensor->step_size() + 1] += 1;  // step 1, one element
    EXPECT_NE(CheckTrace(bad, fp, 2, OutputKind::kSoftmax, *train, 11), "") << name;
  }
}

}  // namespace
}  // namespace zektra::ml
