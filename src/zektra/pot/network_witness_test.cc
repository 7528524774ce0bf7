// The network prover's witness builder (pot/network_witness.h): its real half is a fixed
// function of the run (a recorded digest, the same under every thread count, blind to the
// fresh randomness), and its blinding half is fresh on every build.
#include "zektra/pot/network_witness.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "tests/network_run_util.h"
#include "zektra/base/bytes.h"
#include "zektra/base/thread_pool.h"
#include "zektra/ml/pipeline.h"

namespace zektra::pot::netpot {
namespace {

using Run = testing::NetRun;

std::unique_ptr<Run> TrainRun(uint64_t rows, uint64_t features, int classes, uint64_t data_seed,
                              const std::string& model, uint64_t epochs, uint64_t batch) {
  return testing::TrainNetRun(testing::SyntheticClasses(rows, features, classes, data_seed), model,
                              epochs, batch);
}

struct Built {
  Shape shape;
  BuiltWitness built;
  std::string digest;  // hex of RealHalfDigest
};

Built Build(const Run& run, NetworkTamper tamper = NetworkTamper::kNone) {
  auto prepared = PrepareNetworkStatement(run.witness(), tamper);
  ZK_CHECK(prepared.ok(), prepared.status().message().c_str());
  Built b;
  b.shape = std::move(prepared->shape);
  auto built = BuildNetworkWitness(run.witness(), b.shape, tamper);
  ZK_CHECK(built.ok(), built.status().message().c_str());
  b.built = std::move(*built);
  b.digest = ToHex(RealHalfDigest(b.shape, b.built.witness));
  return b;
}

class ThreadCountRestorer {
 public:
  ThreadCountRestorer() : saved_(ThreadCount()) {}
  ~ThreadCountRestorer() { SetThreadCount(saved_); }

 private:
  size_t saved_;
};

// Recorded from the serial builder this one replaced (commit 1d77e7b): the parallel builder
// must produce the same real half bit for bit. A change of the trainer, the shape or the column
// layout changes these on purpose; then re-record them from a build that is known good.
TEST(PotNetworkWitness, RealHalfMatchesRecordedDigest) {
  auto mlp = TrainRun(80, 4, 3, 13, "mlp:6", 2, 8);
  EXPECT_EQ(Build(*mlp).digest, "243ad7a1b0333a8758129de5141f6bf5208215512b190770be1d065d765d6728");
  auto softmax = TrainRun(96, 5, 3, 11, "softmax", 2, 8);
  EXPECT_EQ(Build(*softmax).digest,
            "9aa3a639707cf5830f0141abd4aff4f9d3e045262ecf88528cffa1b09fa9644a");
}

TEST(PotNetworkWitness, RealHalfDoesNotDependOnThreadCount) {
  ThreadCountRestorer restore;
  auto run = TrainRun(300, 7, 4, 21, "mlp:10,6", 3, 16);
  SetThreadCount(1);
  const std::string serial = Build(*run).digest;
  for (size_t threads : {2, 3, 8}) {
    SetThreadCount(threads);
    EXPECT_EQ(Build(*run).digest, serial) << threads << " threads";
  }
}

TEST(PotNetworkWitness, DigestSeesOneChangedValue) {
  auto run = TrainRun(80, 4, 3, 13, "mlp:6", 2, 8);
  const std::string honest = Build(*run).digest;
  EXPECT_NE(Build(*run, NetworkTamper::kActivation).digest, honest);
  EXPECT_NE(Build(*run, NetworkTamper::kSoftmaxEntry).digest, honest);
  EXPECT_NE(Build(*run, NetworkTamper::kWeightUpdate).digest, honest);
  EXPECT_NE(Build(*run, NetworkTamper::kReluSign).digest, honest);
  EXPECT_NE(Build(*run, NetworkTamper::kMultiplicity).digest, honest);
}

TEST(PotNetworkWitness, BlindingHalfIsFreshOnEveryBuild) {
  auto run = TrainRun(80, 4, 3, 13, "mlp:6", 2, 8);
  const Built a = Build(*run), b = Build(*run);
  EXPECT_EQ(a.digest, b.digest);
  const Shape& s = a.shape;
  // Free values of the blinding half: a weight limb, a remainder, a mask, and the random split
  // of a multiplicity column.
  for (int c : {s.layers[0].W.cols[0], s.layers[0].AR.cols[0], s.masks[0].col,
                s.lookups[0].multiplicities}) {
    const auto ca = a.built.witness.col(c), cb = b.built.witness.col(c);
    ASSERT_EQ(ca.size(), cb.size());
    size_t same = 0;
    // (A mask's table has structural zeros; only non-zero entries count.)
    for (size_t x = ca.size() / 2; x < ca.size(); ++x)
      same += ca[x] == cb[x] && ca[x] != Fp::Zero();
    EXPECT_LT(same, ca.size() / 8) << s.layout.name(c);
  }
}

// The steps run in parallel; a trace broken at two steps still names the first, as the serial
// loop did.
TEST(PotNetworkWitness, FirstFailingStepIsReported) {
  ThreadCountRestorer restore;
  SetThreadCount(8);
  auto run = TrainRun(300, 7, 4, 21, "mlp:10,6", 3, 16);
  auto* p = const_cast<ml::TrainingTrace::Tensor*>(run->trace.Find("output.p"));
  ASSERT_NE(p, nullptr);
  ASSERT_GT(run->trace.steps(), 40u);
  p->data[37 * p->step_size()] += 1;
  p->data[5 * p->step_size()] += 1;
  auto prepared = PrepareNetworkStatement(run->witness(), NetworkTamper::kNone);
  ASSERT_TRUE(prepared.ok()) << prepared.status().message();
  auto built = BuildNetworkWitness(run->witness(), prepared->shape, NetworkTamper::kNone);
  ASSERT_FALSE(built.ok());
  EXPECT_NE(built.status().message().find("softmax at step 5 "), std::string::npos)
      << built.status().message();
}

}  // namespace
}  // namespace zektra::pot::netpot
