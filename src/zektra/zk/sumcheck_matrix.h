// Sumchecks for tensor products: C = A·B, and the data-parallel matrix–vector products
// that the proof of training stacks over all steps of a run.
//
// Both reduce one evaluation claim on the output to one evaluation claim on each input,
// by a degree-2 (matrix) or degree-3 (data-parallel) sumcheck over the contracted index.
// Layouts are row-major with power-of-two dimensions, so by the zk/multilinear.h
// convention the LAST index is the lowest variable block: A[i][j] has point (j, i),
// X[t][i][j] has point (j, i, t). Points below are written in that order.
//
// Matrix product (A: 2^a×2^b, B: 2^b×2^c, C = A·B: 2^a×2^c). For a point (r_k, r_i) of C:
//   C(r_k, r_i) = Σ_j A(j, r_i)·B(r_k, j)
// The prover partially evaluates A at r_i and B at r_k with eq tables (O(|A| + |B|)),
// then runs the product-of-two sumcheck over j; the outcome is A(r_j, r_i) and B(r_k, r_j).
//
// Data-parallel matrix–vector product (forward pass, for all steps t at once):
//   z[t][i] = Σ_j X[t][i][j]·w[t][j]
//   z(r_i, r_t) = Σ_{t', j} eq(r_t, t')·X(j, r_i, t')·w(j, t')
// one degree-3 sumcheck over the variables (j, t'); outcome X(s_j, r_i, s_t), w(s_j, s_t).
// The eq factor is checked by the verifier itself (EqEval).
// Transposed form (gradients): g[t][j] = Σ_i X[t][i][j]·d[t][i], claim g(r_j, r_t):
//   g(r_j, r_t) = Σ_{t', i} eq(r_t, t')·X(r_j, i, t')·d(i, t')
// outcome X(r_j, s_i, s_t), d(s_i, s_t).
//
// Soundness: that of the sumcheck, 2·b/|Fp2| resp. 3·(log J + log T)/|Fp2|, given that the
// caller checks the returned input claims (by PCS openings). Not zero-knowledge by itself.
#pragma once

#include <span>
#include <vector>

#include "zektra/zk/sumcheck.h"

namespace zektra {

// ---- C = A·B ----

struct MatrixProductDims {
  size_t log_rows = 0;   // a: A and C have 2^a rows
  size_t log_inner = 0;  // b: contracted dimension
  size_t log_cols = 0;   // c: B and C have 2^c columns
};

struct MatrixProductClaims {
  EvaluationClaim a;  // A at (r_j, r_i)
  EvaluationClaim b;  // B at (r_k, r_j)
};

struct MatrixProductProof {
  SumcheckProof sumcheck;
  void Write(ByteWriter& out) const { sumcheck.Write(out); }
  static Result<MatrixProductProof> Read(ByteReader& in);
};

// c_point = (r_k, r_i) has c + a coordinates; c_value = C(c_point).
MatrixProductProof ProveMatrixProduct(const MatrixProductDims& dims, std::span<const Fp> a,
                                      std::span<const Fp> b, std::span<const Fp2> c_point,
                                      Fp2 c_value, Transcript& transcript,
                                      MatrixProductClaims* claims = nullptr);
Result<MatrixProductClaims> VerifyMatrixProduct(const MatrixProductDims& dims,
                                                std::span<const Fp2> c_point, Fp2 c_value,
                                                const MatrixProductProof& proof,
                                                Transcript& transcript);

// ---- data-parallel z[t][i] = Σ_j X[t][i][j]·w[t][j] ----

enum class Contraction {
  kInner,  // z[t][i] = Σ_j X[t][i][j]·v[t][j]  (v = w, forward)
  kRows,   // z[t][j] = Σ_i X[t][i][j]·v[t][i]  (v = deltas, gradients)
};

struct BatchedMatVecDims {
  size_t log_steps = 0;  // T
  size_t log_rows = 0;   // I
  size_t log_inner = 0;  // J
  Contraction contraction = Contraction::kInner;
};

struct BatchedMatVecClaims {
  EvaluationClaim x;  // X at (s_j, r_i, s_t) (kInner) or (r_j, s_i, s_t) (kRows)
  EvaluationClaim v;  // the vector tensor at (s, s_t)
};

struct BatchedMatVecProof {
  SumcheckProof sumcheck;
  void Write(ByteWriter& out) const { sumcheck.Write(out); }
  static Result<BatchedMatVecProof> Read(ByteReader& in);
};

// x: T·I·J entries X[t][i][j]; v: T·J (kInner) or T·I (kRows) entries; z_point is the point
// of z: (r_i, r_t) for kInner, (r_j, r_t) for kRows; z_value = z(z_point).
BatchedMatVecProof ProveBatchedMatVec(const BatchedMatVecDims& dims, std::span<const Fp> x,
                                      std::span<const Fp> v, std::span<const Fp2> z_point,
                                      Fp2 z_value, Transcript& transcript,
                                      BatchedMatVecClaims* claims = nullptr);
Result<BatchedMatVecClaims> VerifyBatchedMatVec(const BatchedMatVecDims& dims,
                                                std::span<const Fp2> z_point, Fp2 z_value,
                                                const BatchedMatVecProof& proof,
                                                Transcript& transcript);

// out[h][l] = Σ_m eq[m]·x[h][m][l] for x of shape (H, M, L), M = eq.size(): fixes the middle
// index block of a row-major tensor to the point eq was built from. Parallel; O(H·M·L).
std::vector<Fp2> ContractMiddleIndex(std::span<const Fp> x, size_t outer, size_t inner,
                                     std::span<const Fp2> eq);

}  // namespace zektra
