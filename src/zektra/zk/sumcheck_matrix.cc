#include "zektra/zk/sumcheck_matrix.h"

#include "zektra/base/thread_pool.h"
#include "zektra/zk/multilinear.h"

namespace zektra {
namespace {

constexpr size_t kMaxLog = 40;

std::vector<Fp2> Concat(std::span<const Fp2> a, std::span<const Fp2> b) {
  std::vector<Fp2> out(a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

}  // namespace

std::vector<Fp2> ContractMiddleIndex(std::span<const Fp> x, size_t outer, size_t inner,
                                     std::span<const Fp2> eq) {
  const size_t middle = eq.size();
  ZK_CHECK(x.size() == outer * middle * inner, "tensor size does not match its shape");
  std::vector<Fp2> out(outer * inner, Fp2::Zero());
  // Accumulate c0 and c1 of eq[m]·x separately: Fp2 × Fp is two base multiplications.
  auto row_block = [&](size_t h, size_t l_begin, size_t l_end) {
    Fp2* o = &out[h * inner];
    for (size_t m = 0; m < middle; ++m) {
      const Fp2 e = eq[m];
      const Fp* row = &x[(h * middle + m) * inner];
      for (size_t l = l_begin; l < l_end; ++l) o[l] += e * row[l];
    }
  };
  if (inner == 1) {
    ParallelFor(0, outer, [&](size_t b, size_t e) {
      for (size_t h = b; h < e; ++h) {
        const Fp* row = &x[h * middle];
        Fp2 acc = Fp2::Zero();
        for (size_t m = 0; m < middle; ++m) acc += eq[m] * row[m];
        out[h] = acc;
      }
    }, 256);
  } else if (outer >= 2 * ThreadCount()) {
    ParallelFor(0, outer, [&](size_t b, size_t e) {
      for (size_t h = b; h < e; ++h) row_block(h, 0, inner);
    }, 1);
  } else {
    for (size_t h = 0; h < outer; ++h) {
      ParallelFor(0, inner, [&](size_t b, size_t e) { row_block(h, b, e); }, 1024);
    }
  }
  return out;
}

// ---- C = A·B ----

static Status CheckMatrixDims(const MatrixProductDims& d, size_t point_size) {
  if (d.log_rows > kMaxLog || d.log_inner > kMaxLog || d.log_cols > kMaxLog) {
    return Status::InvalidArgument("matrix dimensions too large");
  }
  if (point_size != d.log_cols + d.log_rows) {
    return Status::InvalidArgument("matrix product: point for C has " + std::to_string(point_size) +
                                   " coordinates, expected " + std::to_string(d.log_cols + d.log_rows));
  }
  return Status::Ok();
}

static void AbsorbMatrixStatement(const MatrixProductDims& d, std::span<const Fp2> c_point,
                                  Fp2 c_value, Transcript& t) {
  t.AbsorbBytes("matmul.protocol", AsBytes("zektra.matmul.v1"));
  t.AbsorbU64("matmul.log_rows", d.log_rows);
  t.AbsorbU64("matmul.log_inner", d.log_inner);
  t.AbsorbU64("matmul.log_cols", d.log_cols);
  t.AbsorbFp2s("matmul.c_point", c_point);
  t.AbsorbFp2("matmul.c_value", c_value);
}

MatrixProductProof ProveMatrixProduct(const MatrixProductDims& dims, std::span<const Fp> a,
                                      std::span<const Fp> b, std::span<const Fp2> c_point,
                                      Fp2 c_value, Transcript& transcript,
                                      MatrixProductClaims* claims) {
  ZK_CHECK(CheckMatrixDims(dims, c_point.size()).ok(), "bad matrix product dimensions");
  const size_t rows = size_t{1} << dims.log_rows, inner = size_t{1} << dims.log_inner,
               cols = size_t{1} << dims.log_cols;
  ZK_CHECK(a.size() == rows * inner && b.size() == inner * cols, "matrix sizes do not match dims");
  auto r_k = c_point.first(dims.log_cols);
  auto r_i = c_point.subspan(dims.log_cols);
  // A(j, r_i): contract the row index (high block) of A; B(r_k, j): the column index of B.
  std::vector<Fp2> a_at_ri = ContractMiddleIndex(a, 1, inner, EqTable(r_i));
  std::vector<Fp2> b_at_rk = ContractMiddleIndex(b, inner, 1, EqTable(r_k));
  AbsorbMatrixStatement(dims, c_point, c_value, transcript);
  std::vector<MultilinearRef> inputs = {a_at_ri, b_at_rk};
  ProvedSumcheck proved =
      ProveSumcheck(SumOfProducts::Product(dims.log_inner, 2), inputs, c_value, transcript);
  if (claims != nullptr) {
    const auto& r_j = proved.claim.point;
    claims->a = {Concat(r_j, r_i), proved.claim.values[0]};
    claims->b = {Concat(r_k, r_j), proved.claim.values[1]};
  }
  return {std::move(proved.proof)};
}

Result<MatrixProductClaims> VerifyMatrixProduct(const MatrixProductDims& dims,
                                                std::span<const Fp2> c_point, Fp2 c_value,
                                                const MatrixProductProof& proof,
                                                Transcript& transcript) {
  ZK_RETURN_IF_ERROR(CheckMatrixDims(dims, c_point.size()));
  AbsorbMatrixStatement(dims, c_point, c_value, transcript);
  ZK_ASSIGN_OR_RETURN(SumcheckClaim sc,
                      VerifySumcheck(SumOfProducts::Product(dims.log_inner, 2), c_value,
                                     proof.sumcheck, transcript));
  auto r_k = c_point.first(dims.log_cols);
  auto r_i = c_point.subspan(dims.log_cols);
  MatrixProductClaims claims;
  claims.a = {Concat(sc.point, r_i), sc.values[0]};
  claims.b = {Concat(r_k, sc.point), sc.values[1]};
  return claims;
}

Result<MatrixProductProof> MatrixProductProof::Read(ByteReader& in) {
  ZK_ASSIGN_OR_RETURN(SumcheckProof sc, SumcheckProof::Read(in));
  return MatrixProductProof{std::move(sc)};
}

// ---- data-parallel matrix–vector products ----

namespace {

// Variables of the sumcheck: the contracted index (low block) then t'.
size_t ContractedLog(const BatchedMatVecDims& d) {
  return d.contraction == Contraction::kInner ? d.log_inner : d.log_rows;
}
size_t FixedLog(const BatchedMatVecDims& d) {
  return d.contraction == Contraction::kInner ? d.log_rows : d.log_inner;
}

Status CheckBatchedDims(const BatchedMatVecDims& d, size_t point_size) {
  if (d.log_steps > kMaxLog || d.log_rows > kMaxLog || d.log_inner > kMaxLog ||
      d.log_steps + d.log_rows + d.log_inner > kMaxLog) {
    return Status::InvalidArgument("batched mat-vec dimensions too large");
  }
  if (d.contraction != Contraction::kInner && d.contraction != Contraction::kRows) {
    return Status::InvalidArgument("unknown contraction");
  }
  if (point_size != FixedLog(d) + d.log_steps) {
    return Status::InvalidArgument("batched mat-vec: output point has " + std::to_string(point_size) +
                                   " coordinates, expected " + std::to_string(FixedLog(d) + d.log_steps));
  }
  return Status::Ok();
}

SumOfProducts BatchedShape(const BatchedMatVecDims& d) {
  // Multilinears over (contracted, t'): 0 = eq(r_t, t'), 1 = X fixed at the output index, 2 = v.
  return SumOfProducts::Product(ContractedLog(d) + d.log_steps, 3);
}

void AbsorbBatchedStatement(const BatchedMatVecDims& d, std::span<const Fp2> z_point, Fp2 z_value,
                            Transcript& t) {
  t.AbsorbBytes("matvec.protocol", AsBytes("zektra.batched_matvec.v1"));
  t.AbsorbU64("matvec.log_steps", d.log_steps);
  t.AbsorbU64("matvec.log_rows", d.log_rows);
  t.AbsorbU64("matvec.log_inner", d.log_inner);
  t.AbsorbU64("matvec.contraction", d.contraction == Contraction::kInner ? 0 : 1);
  t.AbsorbFp2s("matvec.z_point", z_point);
  t.AbsorbFp2("matvec.z_value", z_value);
}

// The claims on X and v from the sumcheck point s = (s_c, s_t) and the fixed coordinates.
BatchedMatVecClaims MakeBatchedClaims(const BatchedMatVecDims& d, std::span<const Fp2> z_point,
                                      std::span<const Fp2> s, Fp2 x_value, Fp2 v_value) {
  auto r_fixed = z_point.first(FixedLog(d));
  auto s_c = s.first(ContractedLog(d));
  auto s_t = s.subspan(ContractedLog(d));
  BatchedMatVecClaims claims;
  if (d.contraction == Contraction::kInner) {
    claims.x.point = Concat(Concat(s_c, r_fixed), s_t);  // (j, i, t)
  } else {
    claims.x.point = Concat(Concat(r_fixed, s_c), s_t);  // (j, i, t)
  }
  claims.x.value = x_value;
  claims.v = {std::vector<Fp2>(s.begin(), s.end()), v_value};
  return claims;
}

}  // namespace

BatchedMatVecProof ProveBatchedMatVec(const BatchedMatVecDims& dims, std::span<const Fp> x,
                                      std::span<const Fp> v, std::span<const Fp2> z_point,
                                      Fp2 z_value, Transcript& transcript,
                                      BatchedMatVecClaims* claims) {
  ZK_CHECK(CheckBatchedDims(dims, z_point.size()).ok(), "bad batched mat-vec dimensions");
  const size_t steps = size_t{1} << dims.log_steps, rows = size_t{1} << dims.log_rows,
               inner = size_t{1} << dims.log_inner;
  const size_t contracted = size_t{1} << ContractedLog(dims);
  ZK_CHECK(x.size() == steps * rows * inner, "X size does not match dims");
  ZK_CHECK(v.size() == steps * contracted, "vector tensor size does not match dims");
  auto r_fixed = z_point.first(FixedLog(dims));
  auto r_t = z_point.subspan(FixedLog(dims));
  // X with its output index fixed: a (t', contracted) table.
  std::vector<Fp2> x_fixed = dims.contraction == Contraction::kInner
                                 ? ContractMiddleIndex(x, steps, inner, EqTable(r_fixed))
                                 : ContractMiddleIndex(x, steps * rows, 1, EqTable(r_fixed));
  // eq(r_t, t') spread over the contracted index so all three share the variables.
  std::vector<Fp2> eq_t = EqTable(r_t);
  std::vector<Fp2> eq_spread(steps * contracted);
  for (size_t t = 0; t < steps; ++t) {
    std::fill(eq_spread.begin() + t * contracted, eq_spread.begin() + (t + 1) * contracted, eq_t[t]);
  }
  AbsorbBatchedStatement(dims, z_point, z_value, transcript);
  std::vector<MultilinearRef> inputs = {eq_spread, x_fixed, v};
  ProvedSumcheck proved = ProveSumcheck(BatchedShape(dims), inputs, z_value, transcript);
  if (claims != nullptr) {
    *claims = MakeBatchedClaims(dims, z_point, proved.claim.point, proved.claim.values[1],
                                proved.claim.values[2]);
  }
  return {std::move(proved.proof)};
}

Result<BatchedMatVecClaims> VerifyBatchedMatVec(const BatchedMatVecDims& dims,
                                                std::span<const Fp2> z_point, Fp2 z_value,
                                                const BatchedMatVecProof& proof,
                                                Transcript& transcript) {
  ZK_RETURN_IF_ERROR(CheckBatchedDims(dims, z_point.size()));
  AbsorbBatchedStatement(dims, z_point, z_value, transcript);
  ZK_ASSIGN_OR_RETURN(SumcheckClaim sc,
                      VerifySumcheck(BatchedShape(dims), z_value, proof.sumcheck, transcript));
  auto r_t = z_point.subspan(FixedLog(dims));
  auto s_t = std::span<const Fp2>(sc.point).subspan(ContractedLog(dims));
  if (sc.values[0] != EqEval(r_t, s_t)) {
    return Status::Rejected("batched mat-vec: the eq(r_t, s_t) value is wrong");
  }
  return MakeBatchedClaims(dims, z_point, sc.point, sc.values[1], sc.values[2]);
}

Result<BatchedMatVecProof> BatchedMatVecProof::Read(ByteReader& in) {
  ZK_ASSIGN_OR_RETURN(SumcheckProof sc, SumcheckProof::Read(in));
  return BatchedMatVecProof{std::move(sc)};
}

}  // namespace zektra
