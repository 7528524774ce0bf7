// Claim batching over a packed witness: completeness with claims that share columns and
// points (the prover merges them into one eq table per column and point), and rejection of a
// wrong claimed value, a wrong batched evaluation and a tampered round message.
#include "zektra/pot/packed_witness.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "zektra/base/thread_pool.h"
#include "zektra/crypto/random.h"
#include "zektra/zk/multilinear.h"

namespace zektra::pot {
namespace {

struct Batch {
  PackedLayout layout;
  std::vector<Fp> packed;
  std::vector<ColumnClaim> claims;
};

Batch MakeBatch() {
  Batch b;
  const int sizes[] = {9, 7, 7, 3, 12, 1, 0};
  const char* names[] = {"a", "b", "c", "d", "e", "f", "g"};
  for (int k = 0; k < 7; ++k) b.layout.Add(names[k], sizes[k]);
  b.layout.Finalize();
  b.packed = RandomFpVector(size_t{1} << b.layout.log_total());
  // P is zero beyond the used prefix (PackedLayout::used), as ProveClaimBatch requires.
  std::fill(b.packed.begin() + static_cast<std::ptrdiff_t>(b.layout.used()), b.packed.end(),
            Fp::Zero());
  for (int c = 0; c < b.layout.count(); ++c) {
    const size_t k = static_cast<size_t>(b.layout.log_size(c));
    std::vector<Fp2> shared(k), own(k);
    for (auto& x : shared) x = RandomFp2();
    for (auto& x : own) x = RandomFp2();
    std::span<const Fp> column(b.packed.data() + b.layout.offset(c), b.layout.size(c));
    // Two claims at one point, one at another, on every column.
    for (const auto* p : {&shared, &own, &shared})
      b.claims.push_back({c, *p, EvaluateMultilinear(column, *p)});
  }
  return b;
}

Result<BatchedClaim> ProveThenVerify(const Batch& b, const std::vector<ColumnClaim>& told,
                                     BatchedClaim* proved,
                                     void (*tamper)(PotMaskedProof&) = nullptr) {
  Transcript tp("test.batch"), tv("test.batch");
  PotMaskedProof proof;
  *proved = ProveClaimBatch(b.layout, b.packed, b.claims, tp, &proof);
  if (tamper != nullptr) tamper(proof);
  return VerifyClaimBatch(b.layout, told, proof, tv);
}

TEST(ClaimBatch, SharedPointsAndColumnsVerifyAndGiveThePackedEvaluation) {
  const size_t previous = ThreadCount();
  SetThreadCount(3);
  Batch b = MakeBatch();
  BatchedClaim proved;
  auto out = ProveThenVerify(b, b.claims, &proved);
  SetThreadCount(previous);
  ASSERT_TRUE(out.ok()) << out.status().message();
  EXPECT_EQ(out->point, proved.point);
  EXPECT_EQ(out->value, proved.value);
  EXPECT_EQ(out->value, EvaluateMultilinear(b.packed, out->point));  // the opening's job
}

TEST(ClaimBatch, AWrongClaimOrATamperedMessageIsRejected) {
  Batch b = MakeBatch();
  BatchedClaim proved;
  std::vector<ColumnClaim> wrong = b.claims;
  wrong[4].value += Fp2::One();  // the verifier is told a different value than was proven
  EXPECT_FALSE(ProveThenVerify(b, wrong, &proved).ok());
  auto bumped = ProveThenVerify(b, b.claims, &proved,
                                [](PotMaskedProof& p) { p.round_messages[3][0] += Fp2::One(); });
  EXPECT_FALSE(bumped.ok());
  auto final_bumped = ProveThenVerify(b, b.claims, &proved, [](PotMaskedProof& p) {
    p.final_values[1] += Fp2::One();  // g(s) is the verifier's own computation
  });
  EXPECT_FALSE(final_bumped.ok());
  // A false claim proven honestly: the batched evaluation no longer matches P.
  Batch lying = MakeBatch();
  lying.claims[7].value += Fp2::One();
  auto out = ProveThenVerify(lying, lying.claims, &proved);
  EXPECT_TRUE(!out.ok() || out->value != EvaluateMultilinear(lying.packed, out->point));
}

// PackedValues: starts as P of all-zero columns; a column written through its segment is the
// column Pack would have placed there; moving keeps the values.
TEST(PackedValuesTest, ColumnsWrittenInPlaceEqualPack) {
  PackedLayout layout;
  const int sizes[] = {9, 7, 12, 3};
  const char* names[] = {"a", "b", "c", "d"};
  for (int k = 0; k < 4; ++k) layout.Add(names[k], sizes[k]);
  layout.Finalize();
  PackedValues values(layout);
  ASSERT_EQ(values.values().size(), size_t{1} << layout.log_total());
  for (Fp v : values.values()) ASSERT_EQ(v, Fp::Zero());
  std::vector<std::vector<Fp>> columns(layout.count());
  for (int c = 0; c < layout.count(); ++c) {
    if (c == 2) continue;  // one column left unwritten: zero in both
    columns[c] = RandomFpVector(layout.size(c));
    const std::span<Fp> segment = values.column(layout, c);
    std::copy(columns[c].begin(), columns[c].end(), segment.begin());
  }
  const std::vector<Fp> packed = layout.Pack(columns);
  PackedValues moved(std::move(values));
  EXPECT_TRUE(values.values().empty());
  ASSERT_EQ(moved.values().size(), packed.size());
  EXPECT_TRUE(std::equal(packed.begin(), packed.end(), moved.values().begin()));
  PackedValues assigned;
  assigned = std::move(moved);
  EXPECT_TRUE(std::equal(packed.begin(), packed.end(), assigned.values().begin()));
}

}  // namespace
}  // namespace zektra::pot
