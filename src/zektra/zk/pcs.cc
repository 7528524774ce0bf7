#include "zektra/zk/pcs.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <string>

#include "zektra/base/thread_pool.h"
#include "zektra/crypto/random.h"
#include "zektra/field/kernels.h"
#include "zektra/field/ntt.h"
#include "zektra/zk/multilinear.h"

namespace zektra {

// Gives PcsOpen's helpers access to the prover data without widening its public API.
struct PcsProverDataAccess {
  static std::span<const Fp> evaluation_row(const PcsProverData& d, uint64_t r) {
    return d.evaluations_.subspan(r * d.params_.cols(), d.params_.cols());
  }
  static std::span<const Fp> padding_row(const PcsProverData& d, uint64_t r) {
    return std::span<const Fp>(d.padding_).subspan(r * d.params_.padding, d.params_.padding);
  }
  static const std::vector<Fp>& codewords(const PcsProverData& d) { return d.codewords_; }
  static const std::vector<Digest>& salts(const PcsProverData& d) { return d.salts_; }
  static const MerkleTree& tree(const PcsProverData& d) { return d.tree_; }
  static uint32_t& openings_used(const PcsProverData& d) { return d.openings_used_; }
};

namespace {

// Version 1: every row committed. Version 2 adds committed_rows (written only when it is
// below 2^log_rows, so full commitments keep their version-1 bytes and identities).
constexpr uint32_t kCommitmentVersion = 1;
constexpr uint32_t kCommitmentVersionZeroTail = 2;
constexpr uint32_t kProofVersion = 1;
constexpr char kCommitmentMagic[4] = {'Z', 'K', 'P', 'C'};
constexpr char kProofMagic[4] = {'Z', 'K', 'P', 'O'};
constexpr uint64_t kMaxPadding = uint64_t{1} << 26;
// Rows encoded per block of the commit: 32 rows give every column's hash state 256 bytes
// (four SHA-256 blocks) per update, so the per-call cost is amortised, while the block
// (32·L words, 64 MiB at the largest codewords) stays small next to the matrices.
constexpr uint64_t kCommitBlockRows = 32;
// Columns transposed together: one 64-byte line of each row of the block.
constexpr uint64_t kCommitTileCols = 8;
constexpr size_t kMinCommitTilesPerThread = 64;
// Largest codeword matrix kept for openings (see SetPcsCodewordCacheBytes).
std::atomic<uint64_t> g_codeword_cache_bytes{kPcsDefaultCodewordCacheBytes};
// Columns per tile of the prover's row combination: the accumulators (16 bytes per column
// per output) stay in L1/L2 while the rows stream past.
constexpr size_t kCombineTile = 512;

// Reed–Solomon codewords are evaluations on the coset 7·⟨ω_L⟩: 7 generates F_p^*, so the
// coset misses 0 and the subgroup, and its points are distinct (what hiding needs).
constexpr Fp kCosetShift = Fp::From(Fp::kGenerator);

ByteSpan DigestBytes(const Digest& d) {
  return ByteSpan(d.data(), d.size());
}

// Uniform field elements written in place, so no copy of the secret randomness is left behind.
void FillRandomFp(std::span<Fp> out) {
  static_assert(sizeof(Fp) == sizeof(uint64_t));
  RandomBytes(out.data(), out.size() * sizeof(Fp));
  for (Fp& x : out) {
    if (x.v >= Fp::kModulus) x = RandomFp();  // probability 2^-32 per element
  }
}

// shift^i for i < n: encoding scales the message by these and runs a plain NTT, which equals
// CosetNtt on the zero-padded message but touches only the K nonzero entries and has no
// serial chain of multiplications per row.
std::vector<Fp> CosetPowers(uint64_t n) {
  std::vector<Fp> powers(n);
  Fp acc = Fp::One();
  for (Fp& x : powers) {
    x = acc;
    acc *= kCosetShift;
  }
  return powers;
}

// Encodes the message head || tail (a row's evaluations and its padding, stored apart).
void EncodeRow(std::span<const Fp> head, std::span<const Fp> tail, std::span<const Fp> powers,
               std::span<Fp> codeword) {
  const size_t n = head.size() + tail.size();
  MulVectors(head, powers.first(head.size()), codeword.first(head.size()));
  MulVectors(tail, powers.subspan(head.size(), tail.size()), codeword.subspan(head.size(), tail.size()));
  std::fill(codeword.begin() + n, codeword.end(), Fp::Zero());
  Ntt(codeword);
}

void EncodeRow(std::span<const Fp> message, std::span<const Fp> powers, std::span<Fp> codeword) {
  EncodeRow(message, {}, powers, codeword);
}

void EncodeMessageRow(const PcsProverData& d, uint64_t r, std::span<const Fp> powers,
                      std::span<Fp> codeword) {
  EncodeRow(PcsProverDataAccess::evaluation_row(d, r), PcsProverDataAccess::padding_row(d, r),
            powers, codeword);
}

// Encodes an F_{p^2} message componentwise (the code is F_p-linear and the domain is in F_p).
std::vector<Fp2> EncodeFp2Row(std::span<const Fp2> message, uint64_t codeword_len) {
  const std::vector<Fp> powers = CosetPowers(message.size());
  std::vector<Fp> re(message.size()), im(message.size()), re_code(codeword_len),
      im_code(codeword_len);
  for (size_t i = 0; i < message.size(); ++i) {
    re[i] = message[i].c0;
    im[i] = message[i].c1;
  }
  EncodeRow(re, powers, re_code);
  EncodeRow(im, powers, im_code);
  std::vector<Fp2> out(codeword_len);
  for (size_t j = 0; j < codeword_len; ++j) out[j] = Fp2(re_code[j], im_code[j]);
  // The prover encodes secret masks with this; the copies are wiped (cheap next to the NTTs).
  SecureWipe(re);
  SecureWipe(im);
  SecureWipe(re_code);
  SecureWipe(im_code);
  return out;
}

std::span<const Fp> AsFpSpan(std::span<const Fp2> v) {
  static_assert(sizeof(Fp2) == 2 * sizeof(Fp));
  return std::span<const Fp>(reinterpret_cast<const Fp*>(v.data()), v.size() * 2);
}

// ---------------------------------------------------------------------------------------
// Batch plan: which claims are proven together. Computed identically by both sides from the
// commitments' parameters and the claims.

bool SameShape(const PcsParams& a, const PcsParams& b) {
  return a.log_cols == b.log_cols && a.padding == b.padding &&
         a.log_codeword_len == b.log_codeword_len && a.queries == b.queries && a.hiding == b.hiding;
}

struct EvalRowPlan {
  std::vector<Fp2> point_low;  // the shared low part of the points
  std::vector<size_t> claims;  // positions in the group's claim list
};

struct GroupPlan {
  PcsParams shape;                // code shape shared by the group (log_size of the first poly)
  std::vector<size_t> polys;      // polynomial indices, increasing
  std::vector<size_t> claims;     // claim indices, in statement order
  std::vector<EvalRowPlan> rows;  // one combined evaluation row per distinct low point
  uint64_t mask_count() const { return shape.hiding ? 1 + rows.size() : 0; }
};

std::vector<GroupPlan> PlanGroups(std::span<const PcsParams> params,
                                  std::span<const PcsClaim> claims) {
  std::vector<GroupPlan> groups;
  for (size_t k = 0; k < claims.size(); ++k) {
    const PcsParams& p = params[claims[k].poly_index];
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const GroupPlan& g) { return SameShape(g.shape, p); });
    if (it == groups.end()) {
      groups.push_back(GroupPlan{p, {}, {}, {}});
      it = groups.end() - 1;
    }
    GroupPlan& g = *it;
    if (std::find(g.polys.begin(), g.polys.end(), claims[k].poly_index) == g.polys.end()) {
      g.polys.push_back(claims[k].poly_index);
    }
    const size_t position = g.claims.size();
    g.claims.push_back(k);
    std::span<const Fp2> low(claims[k].point.data(), static_cast<size_t>(p.log_cols));
    auto row = std::find_if(g.rows.begin(), g.rows.end(), [&](const EvalRowPlan& r) {
      return std::equal(r.point_low.begin(), r.point_low.end(), low.begin(), low.end());
    });
    if (row == g.rows.end()) {
      g.rows.push_back(EvalRowPlan{std::vector<Fp2>(low.begin(), low.end()), {}});
      row = g.rows.end() - 1;
    }
    row->claims.push_back(position);
  }
  for (GroupPlan& g : groups) std::sort(g.polys.begin(), g.polys.end());
  return groups;
}

struct GroupChallenges {
  std::vector<Fp2> row_coefficients;    // α: rows of each polynomial in order, then masks
  std::vector<Fp2> claim_coefficients;  // γ: one per claim of the group
  std::vector<Fp2> mask_coefficients;   // ξ: one per evaluation row (hiding)
  std::vector<uint64_t> queries;
};

void DrawCoefficients(Transcript& transcript, const GroupPlan& g, std::span<const PcsParams> params,
                      GroupChallenges& ch) {
  uint64_t total_rows = g.mask_count();
  for (size_t p : g.polys) total_rows += params[p].rows();
  ch.row_coefficients = transcript.ChallengeFp2s("pcs.row_coefficients", total_rows);
  ch.claim_coefficients = transcript.ChallengeFp2s("pcs.claim_coefficients", g.claims.size());
  if (g.shape.hiding)
    ch.mask_coefficients = transcript.ChallengeFp2s("pcs.mask_coefficients", g.rows.size());
}

// For polynomial g.polys[slot], the coefficient of each of its rows in each combined output:
// output 0 is the proximity row (α), output 1+r is evaluation row r (Σ γ·eq(z_high)).
// An output the polynomial does not take part in is left empty.
std::vector<std::vector<Fp2>> PolyCoefficients(const GroupPlan& g, size_t slot,
                                               std::span<const PcsParams> params,
                                               std::span<const PcsClaim> claims,
                                               const GroupChallenges& ch) {
  const size_t poly = g.polys[slot];
  const uint64_t rows = params[poly].rows();
  uint64_t offset = 0;
  for (size_t s = 0; s < slot; ++s) offset += params[g.polys[s]].rows();
  std::vector<std::vector<Fp2>> coefficients(1 + g.rows.size());
  coefficients[0].assign(ch.row_coefficients.begin() + offset,
                         ch.row_coefficients.begin() + offset + rows);
  for (size_t r = 0; r < g.rows.size(); ++r) {
    for (size_t position : g.rows[r].claims) {
      const PcsClaim& claim = claims[g.claims[position]];
      if (claim.poly_index != poly) continue;
      std::span<const Fp2> high(claim.point.data() + g.shape.log_cols,
                                claim.point.size() - static_cast<size_t>(g.shape.log_cols));
      std::vector<Fp2> eq = EqTable(high);
      std::vector<Fp2>& out = coefficients[1 + r];
      if (out.empty()) out.assign(rows, Fp2::Zero());
      const Fp2 gamma = ch.claim_coefficients[position];
      for (uint64_t i = 0; i < rows; ++i) out[i] += gamma * eq[i];
    }
  }
  return coefficients;
}

// ⟨eq(z_low), v[0..cols)⟩ must equal Σ γ·y (+ ξ·β); returns the right-hand side.
Fp2 ExpectedRowEvaluation(const GroupPlan& g, size_t row, std::span<const PcsClaim> claims,
                          const GroupChallenges& ch, std::span<const Fp2> mask_evaluations) {
  Fp2 expected = Fp2::Zero();
  for (size_t position : g.rows[row].claims) {
    expected += ch.claim_coefficients[position] * claims[g.claims[position]].value;
  }
  if (g.shape.hiding) expected += ch.mask_coefficients[row] * mask_evaluations[row];
  return expected;
}

Fp2 LowEvaluation(const EvalRowPlan& row, std::span<const Fp2> v, uint64_t cols) {
  std::vector<Fp2> eq = EqTable(row.point_low);
  Fp2 acc = Fp2::Zero();
  for (uint64_t c = 0; c < cols; ++c) acc += eq[c] * v[c];
  return acc;
}

void AbsorbStatement(Transcript& transcript, std::span<const PcsCommitment> commitments,
                     std::span<const PcsClaim> claims) {
  transcript.AbsorbU64("pcs.commitment_count", commitments.size());
  for (const PcsCommitment& c : commitments)
    transcript.AbsorbBytes("pcs.commitment", c.Serialize());
  transcript.AbsorbU64("pcs.claim_count", claims.size());
  for (const PcsClaim& claim : claims) {
    transcript.AbsorbU64("pcs.claim.poly", claim.poly_index);
    transcript.AbsorbFp2s("pcs.claim.point", claim.point);
    transcript.AbsorbFp2("pcs.claim.value", claim.value);
  }
}

void AbsorbRows(Transcript& transcript, const PcsGroupProof& gp) {
  transcript.AbsorbFp2s("pcs.proximity_row", gp.proximity_row);
  for (const auto& v : gp.evaluation_rows) transcript.AbsorbFp2s("pcs.evaluation_row", v);
}

// ---------------------------------------------------------------------------------------
// Wire format helpers.

void WriteFp2s(ByteWriter& out, std::span<const Fp2> v) {
  out.U64(v.size());
  for (const Fp2& x : v) {
    out.U64(x.c0.v);
    out.U64(x.c1.v);
  }
}

void WriteFps(ByteWriter& out, std::span<const Fp> v) {
  out.U64(v.size());
  for (const Fp& x : v) out.U64(x.v);
}

Fp ReadFp(ByteReader& in, const char* what) {
  uint64_t v = in.U64(what);
  if (in.ok() && v >= Fp::kModulus) {
    in.Fail(std::string(what) + " is not a canonical field element (at byte " +
            std::to_string(in.offset() - 8) + ")");
    return Fp::Zero();
  }
  return Fp::From(v);
}

std::vector<Fp> ReadFps(ByteReader& in, const char* what) {
  uint64_t n = in.Count(what, 8);
  std::vector<Fp> out;
  if (!in.ok()) return out;
  out.resize(n);
  for (Fp& x : out) {
    x = ReadFp(in, what);
    if (!in.ok()) return {};
  }
  return out;
}

std::vector<Fp2> ReadFp2s(ByteReader& in, const char* what) {
  uint64_t n = in.Count(what, 16);
  std::vector<Fp2> out;
  if (!in.ok()) return out;
  out.resize(n);
  for (Fp2& x : out) {
    x.c0 = ReadFp(in, what);
    x.c1 = ReadFp(in, what);
    if (!in.ok()) return {};
  }
  return out;
}

Digest ReadDigest(ByteReader& in, const char* what) {
  Digest d{};
  ByteSpan raw = in.Raw(32, what);
  if (in.ok()) std::copy(raw.begin(), raw.end(), d.begin());
  return d;
}

void WriteTreeOpening(ByteWriter& out, const PcsTreeOpening& t) {
  WriteFps(out, t.columns);
  out.U64(t.salts.size());
  for (const Digest& s : t.salts) out.Raw(DigestBytes(s));
  t.path.Serialize(out);
}

bool ReadTreeOpening(ByteReader& in, PcsTreeOpening& t) {
  t.columns = ReadFps(in, "column values");
  uint64_t salts = in.Count("salt count", 32);
  if (!in.ok()) return false;
  t.salts.resize(salts);
  for (Digest& s : t.salts) s = ReadDigest(in, "salt");
  if (!in.ok()) return false;
  auto path = MerkleMultiProof::Parse(in);
  if (!path.ok()) return false;
  t.path = std::move(path).value();
  return in.ok();
}

// ---------------------------------------------------------------------------------------
// Prover internals.

// Fresh random F_{p^2} mask rows for one group, their codewords and their salted tree.
struct MaskCommitment {
  std::vector<Fp2> messages;   // mask_count × K
  std::vector<Fp2> codewords;  // L × mask_count, column-major
  std::vector<Digest> salts;   // L
  MerkleTree tree;

  ~MaskCommitment() {
    SecureWipe(messages);
    SecureWipe(codewords);
    SecureWipe(salts);
  }
};

void CommitMasks(const GroupPlan& g, MaskCommitment& m) {
  const uint64_t count = g.mask_count(), K = g.shape.message_len(), L = g.shape.codeword_len();
  m.messages.resize(count * K);
  FillRandomFp(std::span<Fp>(reinterpret_cast<Fp*>(m.messages.data()), m.messages.size() * 2));
  m.codewords.resize(L * count);
  for (uint64_t i = 0; i < count; ++i) {
    std::vector<Fp2> cw = EncodeFp2Row(std::span<const Fp2>(m.messages).subspan(i * K, K), L);
    for (uint64_t j = 0; j < L; ++j) m.codewords[j * count + i] = cw[j];
    SecureWipe(cw);
  }
  m.salts.resize(L);
  RandomBytes(m.salts.data(), m.salts.size() * sizeof(Digest));
  const size_t leaf_bytes = count * sizeof(Fp2);
  ByteSpan all(reinterpret_cast<const uint8_t*>(m.codewords.data()),
               m.codewords.size() * sizeof(Fp2));
  m.tree = MerkleTree::Build(L, [&](MerkleHasher& h, size_t j) {
    return h.Leaf(DigestBytes(m.salts[j]), all.subspan(j * leaf_bytes, leaf_bytes));
  });
}

// out[o] = Σ_polys Σ_rows coefficients[slot][o][r] · message_row_r, for o in outputs.
void CombineRows(std::span<const PcsProverData* const> polys, const GroupPlan& g,
                 const std::vector<std::vector<std::vector<Fp2>>>& coefficients,
                 std::vector<std::vector<Fp2>>& out) {
  const uint64_t K = g.shape.message_len();
  const size_t outputs = out.size();
  const size_t tiles = (K + kCombineTile - 1) / kCombineTile;
  ParallelFor(
      0, tiles,
      [&](size_t tile_begin, size_t tile_end) {
        for (size_t tile = tile_begin; tile < tile_end; ++tile) {
          const uint64_t c0 = tile * kCombineTile, c1 = std::min<uint64_t>(K, c0 + kCombineTile);
          for (size_t slot = 0; slot < g.polys.size(); ++slot) {
            const PcsProverData& data = *polys[g.polys[slot]];
            const uint64_t rows = data.params().rows(), C = data.params().cols();
            // The tile's columns split between the evaluations [0, C) and the padding.
            const uint64_t e1 = std::min(c1, C), p0 = std::max(c0, C);
            for (size_t o = 0; o < outputs; ++o) {
              const std::vector<Fp2>& coef = coefficients[slot][o];
              if (coef.empty()) continue;
              Fp2* acc = out[o].data();
              for (uint64_t r = 0; r < rows; ++r) {
                if (c0 < e1) {
                  Axpy(coef[r], PcsProverDataAccess::evaluation_row(data, r).subspan(c0, e1 - c0),
                       std::span<Fp2>(acc + c0, e1 - c0));
                }
                if (p0 < c1) {
                  Axpy(coef[r], PcsProverDataAccess::padding_row(data, r).subspan(p0 - C, c1 - p0),
                       std::span<Fp2>(acc + p0, c1 - p0));
                }
              }
            }
          }
        }
      },
      1);
}

// Columns of a column-major matrix at the queries, concatenated in query order.
std::vector<Fp> GatherColumns(std::span<const Fp> column_major, uint64_t width,
                              std::span<const uint64_t> queries) {
  std::vector<Fp> out;
  out.reserve(queries.size() * width);
  for (uint64_t q : queries) {
    auto col = column_major.subspan(q * width, width);
    out.insert(out.end(), col.begin(), col.end());
  }
  return out;
}

// The queried columns of a committed codeword matrix: read from the kept matrix, or, when
// it was too large to keep (PcsCodewordCacheBytes), recomputed by re-encoding every row and
// keeping only the queried entries (t·rows values).
std::vector<Fp> QueriedColumns(const PcsProverData& d, std::span<const uint64_t> queries) {
  const PcsParams& p = d.params();
  const uint64_t R = p.rows(), L = p.codeword_len();
  const std::vector<Fp>& codewords = PcsProverDataAccess::codewords(d);
  if (!codewords.empty()) return GatherColumns(codewords, R, queries);
  std::vector<Fp> out(queries.size() * R);
  const std::vector<Fp> powers = CosetPowers(p.message_len());
  ParallelFor(
      0, R,
      [&](size_t r0, size_t r1) {
        std::vector<Fp> codeword(L);
        for (size_t r = r0; r < r1; ++r) {
          EncodeMessageRow(d, r, powers, codeword);
          for (size_t k = 0; k < queries.size(); ++k) out[k * R + r] = codeword[queries[k]];
        }
        if (p.hiding) SecureWipe(codeword);
      },
      1);
  return out;
}

PcsTreeOpening OpenTree(std::vector<Fp> columns, std::span<const Digest> salts,
                        const MerkleTree& tree, std::span<const uint64_t> queries) {
  PcsTreeOpening t;
  t.columns = std::move(columns);
  if (!salts.empty()) {
    for (uint64_t q : queries) t.salts.push_back(salts[q]);
  }
  t.path = tree.Open(queries);
  return t;
}

// ---------------------------------------------------------------------------------------
// Verifier internals.

Status CheckTreeShape(const PcsTreeOpening& t, uint64_t queries, uint64_t width, bool hiding,
                      const std::string& where) {
  if (t.columns.size() % queries != 0 || t.columns.size() / queries != width) {
    return Status::Rejected(where + ": has " + std::to_string(t.columns.size()) +
                            " column values, expected " + std::to_string(queries) + " queries × " +
                            std::to_string(width));
  }
  if (t.salts.size() != (hiding ? queries : 0)) {
    return Status::Rejected(where + ": has " + std::to_string(t.salts.size()) +
                            " salts, expected " + std::to_string(hiding ? queries : 0));
  }
  return Status::Ok();
}

Status CheckTree(const PcsTreeOpening& t, const Digest& root, uint64_t leaf_count, uint64_t width,
                 std::span<const uint64_t> queries, const std::string& where) {
  std::vector<Digest> leaves(queries.size());
  MerkleHasher hasher;
  for (size_t q = 0; q < queries.size(); ++q) {
    ByteSpan column = FpBytes(std::span<const Fp>(t.columns).subspan(q * width, width));
    leaves[q] =
        t.salts.empty() ? hasher.Leaf(column) : hasher.Leaf(DigestBytes(t.salts[q]), column);
  }
  Status s = VerifyMerkleMultiProof(root, leaf_count, queries, leaves, t.path);
  if (!s.ok())
    return Status::Rejected(where + ": the opened columns fail the Merkle check (" + s.message() +
                            ")");
  return Status::Ok();
}

Status CheckGroupShape(const GroupPlan& g, const PcsGroupProof& gp,
                       std::span<const PcsParams> params, const std::string& where) {
  const uint64_t K = g.shape.message_len(), t = g.shape.queries;
  if (gp.hiding != g.shape.hiding)
    return Status::Rejected(where + ": hiding flag does not match the commitments");
  if (gp.proximity_row.size() != K) {
    return Status::Rejected(where + ": proximity row has " +
                            std::to_string(gp.proximity_row.size()) + " entries, expected " +
                            std::to_string(K));
  }
  if (gp.evaluation_rows.size() != g.rows.size()) {
    return Status::Rejected(where + ": " + std::to_string(gp.evaluation_rows.size()) +
                            " evaluation rows, expected " + std::to_string(g.rows.size()));
  }
  for (size_t r = 0; r < gp.evaluation_rows.size(); ++r) {
    if (gp.evaluation_rows[r].size() != K) {
      return Status::Rejected(where + ": evaluation row " + std::to_string(r) + " has " +
                              std::to_string(gp.evaluation_rows[r].size()) + " entries, expected " +
                              std::to_string(K));
    }
  }
  if (gp.polys.size() != g.polys.size()) {
    return Status::Rejected(where + ": opens " + std::to_string(gp.polys.size()) +
                            " polynomials, expected " + std::to_string(g.polys.size()));
  }
  for (size_t slot = 0; slot < g.polys.size(); ++slot) {
    ZK_RETURN_IF_ERROR(CheckTreeShape(gp.polys[slot], t, params[g.polys[slot]].rows(),
                                      g.shape.hiding,
                                      where + ", polynomial " + std::to_string(g.polys[slot])));
  }
  if (g.shape.hiding) {
    if (gp.mask_evaluations.size() != g.rows.size()) {
      return Status::Rejected(where + ": " + std::to_string(gp.mask_evaluations.size()) +
                              " mask evaluations, expected " + std::to_string(g.rows.size()));
    }
    ZK_RETURN_IF_ERROR(CheckTreeShape(gp.mask, t, 2 * g.mask_count(), true, where + ", mask tree"));
  } else if (!gp.mask_evaluations.empty() || !gp.mask.columns.empty() || !gp.mask.salts.empty() ||
             !gp.mask.path.nodes.empty()) {
    return Status::Rejected(where + ": a non-hiding group carries mask data");
  }
  return Status::Ok();
}

Status CheckClaims(std::span<const PcsCommitment> commitments, std::span<const PcsClaim> claims) {
  if (claims.empty()) return Status::BadInput("no claims to open");
  for (size_t i = 0; i < commitments.size(); ++i) {
    Status s = ValidatePcsParams(commitments[i].params);
    if (!s.ok()) return Status::BadInput("commitment " + std::to_string(i) + ": " + s.message());
  }
  for (size_t k = 0; k < claims.size(); ++k) {
    const PcsClaim& c = claims[k];
    if (c.poly_index >= commitments.size()) {
      return Status::BadInput("claim " + std::to_string(k) + " names polynomial " +
                              std::to_string(c.poly_index) + " of " +
                              std::to_string(commitments.size()));
    }
    const int n = commitments[c.poly_index].params.log_size;
    if (c.point.size() != static_cast<size_t>(n)) {
      return Status::BadInput("claim " + std::to_string(k) + " has a point of " +
                              std::to_string(c.point.size()) + " coordinates, the polynomial has " +
                              std::to_string(n) + " variables");
    }
  }
  return Status::Ok();
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Parameters.

PcsParams MakePcsParams(int log_size, int log_cols, int log_inv_rate, bool hiding,
                        double target_bits, uint32_t max_openings) {
  ZK_CHECK(log_size >= 0 && log_size <= kPcsMaxLogSize, "log_size out of range");
  ZK_CHECK(log_cols >= 0 && log_cols <= log_size, "log_cols must be in [0, log_size]");
  ZK_CHECK(log_inv_rate >= 1 && log_inv_rate <= 4, "log_inv_rate must be in [1, 4]");
  ZK_CHECK(max_openings >= 1, "max_openings must be at least 1");
  PcsParams p;
  p.log_size = log_size;
  p.log_cols = log_cols;
  p.hiding = hiding;
  p.max_openings = hiding ? max_openings : 1;
  p.committed_rows = p.full_rows();
  const uint64_t cols = uint64_t{1} << log_cols;
  uint64_t padding = 0;
  // Padding depends on t and t on the rate; iterate to the fixed point (t grows slowly with K).
  for (int iteration = 0;; ++iteration) {
    ZK_CHECK(iteration < 64, "PCS parameters did not converge");
    const uint64_t K = cols + padding;
    // Blowup 2^log_inv_rate on the columns, but never a rate above 2/3 once padded.
    const uint64_t L = std::max(cols << log_inv_rate, std::bit_ceil(K + (K + 1) / 2));
    ZK_CHECK(std::countr_zero(L) <= kMaxNttLogSize, "codeword longer than the NTT supports");
    const uint64_t t = QueriesForTarget(K, L, target_bits, kPcsProximityRegime);
    ZK_CHECK(t > 0, "target soundness unreachable with this code");
    const uint64_t need = hiding ? t * p.max_openings : 0;
    ZK_CHECK(need <= kMaxPadding, "padding for hiding too large; lower max_openings");
    if (need <= padding || !hiding) {
      p.padding = static_cast<uint32_t>(padding);
      p.queries = static_cast<uint32_t>(t);
      p.log_codeword_len = std::countr_zero(L);
      return p;
    }
    padding = need;
  }
}

PcsParams ChoosePcsParams(int log_size, bool hiding, double target_bits, uint32_t max_openings) {
  ZK_CHECK(log_size >= 0 && log_size <= kPcsMaxLogSize, "log_size out of range");
  // The proof carries t·rows column values (8 bytes) and about two combined rows of cols
  // F_{p^2} entries (16 bytes): t·rows·8 ≈ 2·cols·16 balances at rows² ≈ 4·2^n / t.
  const double t_estimate =
      target_bits / -std::log2(PerQueryPassProbability(1u << 15, 1u << (15 + kPcsDefaultLogInvRate),
                                                       kPcsProximityRegime));
  long log_rows = std::lround((log_size + 2 - std::log2(t_estimate)) / 2);
  log_rows = std::clamp<long>(log_rows, 0, log_size);
  // Keep the codeword within the NTT's range (room for blowup and padding).
  const long max_log_cols = kMaxNttLogSize - kPcsDefaultLogInvRate - 1;
  log_rows = std::max<long>(log_rows, log_size - max_log_cols);
  return MakePcsParams(log_size, static_cast<int>(log_size - log_rows), kPcsDefaultLogInvRate,
                       hiding, target_bits, max_openings);
}

PcsParams PcsParamsWithZeroTail(PcsParams params, uint64_t live_length) {
  const uint64_t rows = (live_length + params.cols() - 1) / params.cols();
  params.committed_rows = std::clamp<uint64_t>(rows, 1, params.full_rows());
  return params;
}

Status ValidatePcsParams(const PcsParams& p) {
  if (p.log_size < 0 || p.log_size > kPcsMaxLogSize) {
    return Status::BadInput("log_size " + std::to_string(p.log_size) + " outside [0, 40]");
  }
  if (p.log_cols < 0 || p.log_cols > p.log_size) {
    return Status::BadInput("log_cols " + std::to_string(p.log_cols) + " outside [0, log_size]");
  }
  if (p.log_codeword_len < 1 || p.log_codeword_len > kMaxNttLogSize) {
    return Status::BadInput("log_codeword_len " + std::to_string(p.log_codeword_len) +
                            " outside [1, 26]");
  }
  if (p.padding > kMaxPadding)
    return Status::BadInput("padding " + std::to_string(p.padding) + " too large");
  if (p.log_cols > kMaxNttLogSize || p.message_len() >= p.codeword_len()) {
    return Status::BadInput("message length is not below the codeword length");
  }
  if (p.queries < 1 || p.queries > p.codeword_len()) {
    return Status::BadInput("queries " + std::to_string(p.queries) +
                            " outside [1, codeword length]");
  }
  if (p.max_openings < 1) return Status::BadInput("max_openings must be at least 1");
  if (p.committed_rows < 1 || p.committed_rows > p.full_rows()) {
    return Status::BadInput("committed_rows " + std::to_string(p.committed_rows) +
                            " outside [1, 2^" + std::to_string(p.log_rows()) + "]");
  }
  if (p.hiding) {
    if (uint64_t{p.queries} * p.max_openings > p.padding) {
      return Status::BadInput("hiding padding " + std::to_string(p.padding) +
                              " is below queries × max_openings");
    }
  } else if (p.padding != 0 || p.max_openings != 1) {
    return Status::BadInput("non-hiding parameters must have no padding and max_openings 1");
  }
  return Status::Ok();
}

PcsSoundness PcsParamsSoundness(const PcsParams& p) {
  return AnalyzePcsSoundness(p.message_len(), p.codeword_len(), p.queries, 1, kPcsProximityRegime);
}

// ---------------------------------------------------------------------------------------
// Commitments.

void PcsCommitment::Write(ByteWriter& out) const {
  const bool zero_tail = params.committed_rows != params.full_rows();
  out.Raw(ByteSpan(reinterpret_cast<const uint8_t*>(kCommitmentMagic), 4));
  out.U32(zero_tail ? kCommitmentVersionZeroTail : kCommitmentVersion);
  out.Raw(DigestBytes(root));
  out.U32(static_cast<uint32_t>(params.log_size));
  out.U32(static_cast<uint32_t>(params.log_cols));
  out.U32(static_cast<uint32_t>(params.log_codeword_len));
  out.U32(params.padding);
  out.U32(params.queries);
  out.U8(params.hiding ? 1 : 0);
  out.U32(params.max_openings);
  if (zero_tail) out.U64(params.committed_rows);
}

Result<PcsCommitment> PcsCommitment::Read(ByteReader& in) {
  ByteSpan magic = in.Raw(4, "commitment magic");
  if (!in.ok()) return in.status();
  if (!std::equal(magic.begin(), magic.end(), kCommitmentMagic)) {
    return Status::BadInput("not a Zektra polynomial commitment (bad magic)");
  }
  uint32_t version = in.U32("commitment version");
  if (in.ok() && version != kCommitmentVersion && version != kCommitmentVersionZeroTail) {
    return Status::BadInput("commitment version " + std::to_string(version) + " is not supported");
  }
  PcsCommitment c;
  c.root = ReadDigest(in, "commitment root");
  uint32_t log_size = in.U32("log_size"), log_cols = in.U32("log_cols"),
           log_len = in.U32("log_codeword_len");
  c.params.padding = in.U32("padding");
  c.params.queries = in.U32("queries");
  uint8_t hiding = in.U8("hiding flag");
  c.params.max_openings = in.U32("max_openings");
  const uint64_t committed_rows =
      version == kCommitmentVersionZeroTail ? in.U64("committed_rows") : 0;
  if (!in.ok()) return in.status();
  if (log_size > 64 || log_cols > 64 || log_len > 64 || hiding > 1) {
    return Status::BadInput("commitment parameters out of range");
  }
  c.params.log_size = static_cast<int>(log_size);
  c.params.log_cols = static_cast<int>(log_cols);
  c.params.log_codeword_len = static_cast<int>(log_len);
  c.params.hiding = hiding == 1;
  if (log_cols <= log_size && log_size <= kPcsMaxLogSize) {
    c.params.committed_rows =
        version == kCommitmentVersionZeroTail ? committed_rows : c.params.full_rows();
    // A zero tail is written only when it is one: version 2 with every row is not canonical.
    if (version == kCommitmentVersionZeroTail && committed_rows == c.params.full_rows())
      return Status::BadInput("commitment: version 2 names every row as committed");
  }
  Status s = ValidatePcsParams(c.params);
  if (!s.ok()) return s.WithContext("commitment");
  return c;
}

Bytes PcsCommitment::Serialize() const {
  ByteWriter w;
  Write(w);
  return w.Take();
}

Result<PcsCommitment> PcsCommitment::Parse(ByteSpan bytes) {
  ByteReader in(bytes);
  ZK_ASSIGN_OR_RETURN(PcsCommitment c, Read(in));
  ZK_RETURN_IF_ERROR(in.Finish("commitment"));
  return c;
}

// ---------------------------------------------------------------------------------------
// Prover data and commit.

void SetPcsCodewordCacheBytes(uint64_t bytes) { g_codeword_cache_bytes.store(bytes); }
uint64_t PcsCodewordCacheBytes() { return g_codeword_cache_bytes.load(); }

PcsProverData::~PcsProverData() {
  if (params_.hiding) {
    SecureWipe(owned_evaluations_);
    SecureWipe(padding_);
    SecureWipe(codewords_);
    SecureWipe(salts_);
  }
}

std::vector<Fp> PcsProverData::message_row(uint64_t r) const {
  ZK_CHECK(r < params_.rows(), "row out of range");
  std::span<const Fp> head = PcsProverDataAccess::evaluation_row(*this, r),
                      tail = PcsProverDataAccess::padding_row(*this, r);
  std::vector<Fp> row(head.begin(), head.end());
  row.insert(row.end(), tail.begin(), tail.end());
  return row;
}

PcsProverData PcsCommitWith(std::span<const Fp> evaluations, const PcsParams& params,
                            const Digest* seed, bool borrow);

PcsProverData PcsCommit(std::span<const Fp> evaluations, const PcsParams& params) {
  return PcsCommitWith(evaluations, params, nullptr, false);
}

PcsProverData PcsCommit(std::span<const Fp> evaluations, const PcsParams& params,
                        const Digest& randomness_seed) {
  return PcsCommitWith(evaluations, params, &randomness_seed, false);
}

PcsProverData PcsCommitBorrowing(std::span<const Fp> evaluations, const PcsParams& params,
                                 const Digest* randomness_seed) {
  return PcsCommitWith(evaluations, params, randomness_seed, true);
}

// Streams of the deterministic generator: padding of row r uses stream r; salts use one
// stream above every row index.
constexpr uint64_t kSaltStream = uint64_t{1} << 62;

PcsProverData PcsCommitWith(std::span<const Fp> evaluations, const PcsParams& params,
                            const Digest* seed, bool borrow) {
  Status valid = ValidatePcsParams(params);
  ZK_CHECK(valid.ok(), "PcsCommit with invalid parameters");
  ZK_CHECK(evaluations.size() == (uint64_t{1} << params.log_size),
           "evaluation count is not 2^log_size");
  const uint64_t R = params.rows(), L = params.codeword_len(), P = params.padding;
  // Rows from R on are zero by the parameters; a caller whose tail is not is committing to
  // another polynomial than the one it will prove claims about.
  ZK_CHECK(std::all_of(evaluations.begin() + static_cast<std::ptrdiff_t>(R * params.cols()),
                       evaluations.end(), [](Fp v) { return v == Fp::Zero(); }),
           "PcsCommit: evaluations beyond committed_rows are not zero");
  PcsProverData data;
  data.params_ = params;
  if (borrow) {
    data.evaluations_ = evaluations;
  } else {
    data.owned_evaluations_.assign(evaluations.begin(), evaluations.end());
    data.evaluations_ = data.owned_evaluations_;
  }
  if (P > 0) {
    data.padding_.resize(R * P);
    ParallelFor(
        0, R,
        [&](size_t r0, size_t r1) {
          for (size_t r = r0; r < r1; ++r) {
            auto pad = std::span<Fp>(data.padding_).subspan(r * P, P);
            if (seed != nullptr) {
              DeterministicFps(*seed, r, pad);
            } else {
              FillRandomFp(pad);
            }
          }
        },
        16);
  }

  // Encode a block of rows at a time; each column's slice of the block is appended to that
  // column's leaf hash (and stored, when the codeword matrix is kept), so the hashing reads
  // the block while it is in cache and a large codeword matrix never exists whole.
  const bool keep_codewords = R * L * sizeof(Fp) <= PcsCodewordCacheBytes();
  if (keep_codewords) data.codewords_.resize(L * R);
  if (params.hiding) {
    data.salts_.resize(L);
    if (seed != nullptr) {
      DeterministicBytes(*seed, kSaltStream, data.salts_.data(), L * sizeof(Digest));
    } else {
      RandomBytes(data.salts_.data(), L * sizeof(Digest));
    }
  }
  MerkleLeafStreams leaves(L);
  if (params.hiding) {
    for (uint64_t j = 0; j < L; ++j) leaves.Append(j, DigestBytes(data.salts_[j]));
  }
  const uint64_t block = std::min<uint64_t>(R, kCommitBlockRows);
  const uint64_t tile = std::min<uint64_t>(L, kCommitTileCols);
  const std::vector<Fp> powers = CosetPowers(params.message_len());
  std::vector<Fp> encoded(block * L);
  for (uint64_t first = 0; first < R; first += block) {
    const uint64_t count = std::min(block, R - first);  // the last block may be short
    ParallelFor(
        0, count,
        [&](size_t i0, size_t i1) {
          for (size_t i = i0; i < i1; ++i) {
            EncodeMessageRow(data, first + i, powers, std::span<Fp>(encoded).subspan(i * L, L));
          }
        },
        1);
    // Tiles of 8 columns: every row of the block contributes one full cache line per tile.
    ParallelFor(
        0, L / tile,
        [&](size_t t0, size_t t1) {
          Fp columns[kCommitTileCols][kCommitBlockRows];
          for (size_t t = t0; t < t1; ++t) {
            const uint64_t j0 = t * tile;
            for (uint64_t i = 0; i < count; ++i) {
              const Fp* row = encoded.data() + i * L + j0;
              for (uint64_t c = 0; c < tile; ++c) columns[c][i] = row[c];
            }
            for (uint64_t c = 0; c < tile; ++c) {
              std::span<const Fp> slice(columns[c], count);
              if (keep_codewords) {
                std::copy(slice.begin(), slice.end(), data.codewords_.begin() + (j0 + c) * R + first);
              }
              leaves.Append(j0 + c, FpBytes(slice));
            }
          }
          if (params.hiding) SecureWipe(&columns[0][0], sizeof(columns));
        },
        kMinCommitTilesPerThread);
  }
  if (params.hiding) SecureWipe(encoded);
  data.tree_ = leaves.Finish();
  return data;
}

// ---------------------------------------------------------------------------------------
// Opening.

namespace {

PcsOpeningProof OpenImpl(std::span<const PcsProverData* const> polys,
                         std::span<const PcsClaim> claims, Transcript& transcript,
                         const std::function<void(size_t, PcsGroupProof&)>* alter_rows) {
  std::vector<PcsCommitment> commitments;
  std::vector<PcsParams> params;
  for (const PcsProverData* p : polys) {
    ZK_CHECK(p != nullptr, "null polynomial");
    commitments.push_back(p->commitment());
    params.push_back(p->params());
  }
  Status claims_ok = CheckClaims(commitments, claims);
  ZK_CHECK(claims_ok.ok(), "PcsOpen: claims do not fit the polynomials");
  std::vector<GroupPlan> plan = PlanGroups(params, claims);
  // Hiding budget: each opening reveals t more columns; the padding absorbs max_openings.
  for (const GroupPlan& g : plan) {
    if (!g.shape.hiding) continue;
    for (size_t p : g.polys) {
      ZK_CHECK(polys[p]->openings_used() < polys[p]->params().max_openings,
               "hiding commitment opened more often than its padding allows (max_openings)");
    }
  }
  for (const GroupPlan& g : plan) {
    if (g.shape.hiding) {
      for (size_t p : g.polys) ++PcsProverDataAccess::openings_used(*polys[p]);
    }
  }

  AbsorbStatement(transcript, commitments, claims);
  PcsOpeningProof proof;
  proof.groups.resize(plan.size());
  std::vector<MaskCommitment> masks(plan.size());
  for (size_t gi = 0; gi < plan.size(); ++gi) {
    const GroupPlan& g = plan[gi];
    PcsGroupProof& gp = proof.groups[gi];
    gp.hiding = g.shape.hiding;
    if (!g.shape.hiding) continue;
    CommitMasks(g, masks[gi]);
    gp.mask_root = masks[gi].tree.root();
    const uint64_t K = g.shape.message_len();
    for (size_t r = 0; r < g.rows.size(); ++r) {
      std::span<const Fp2> mask(masks[gi].messages.data() + (1 + r) * K, K);
      gp.mask_evaluations.push_back(LowEvaluation(g.rows[r], mask, g.shape.cols()));
    }
    transcript.AbsorbDigest("pcs.mask_root", gp.mask_root);
    transcript.AbsorbFp2s("pcs.mask_evaluations", gp.mask_evaluations);
  }

  std::vector<GroupChallenges> challenges(plan.size());
  for (size_t gi = 0; gi < plan.size(); ++gi)
    DrawCoefficients(transcript, plan[gi], params, challenges[gi]);

  for (size_t gi = 0; gi < plan.size(); ++gi) {
    const GroupPlan& g = plan[gi];
    const GroupChallenges& ch = challenges[gi];
    PcsGroupProof& gp = proof.groups[gi];
    const uint64_t K = g.shape.message_len();
    std::vector<std::vector<std::vector<Fp2>>> coefficients;
    for (size_t slot = 0; slot < g.polys.size(); ++slot) {
      coefficients.push_back(PolyCoefficients(g, slot, params, claims, ch));
    }
    std::vector<std::vector<Fp2>> out(1 + g.rows.size(), std::vector<Fp2>(K));
    CombineRows(polys, g, coefficients, out);
    if (g.shape.hiding) {
      // u gets every mask with its α; v_r gets mask 1+r with ξ_r.
      const uint64_t first_mask = ch.row_coefficients.size() - g.mask_count();
      const MaskCommitment& m = masks[gi];
      for (uint64_t i = 0; i < g.mask_count(); ++i) {
        const Fp2 alpha = ch.row_coefficients[first_mask + i];
        for (uint64_t c = 0; c < K; ++c) out[0][c] += alpha * m.messages[i * K + c];
      }
      for (size_t r = 0; r < g.rows.size(); ++r) {
        const Fp2 xi = ch.mask_coefficients[r];
        for (uint64_t c = 0; c < K; ++c) out[1 + r][c] += xi * m.messages[(1 + r) * K + c];
      }
    }
    gp.proximity_row = std::move(out[0]);
    for (size_t r = 0; r < g.rows.size(); ++r) {
      gp.evaluation_rows.push_back(std::move(out[1 + r]));
      // A cheating test prover may pass false claims on purpose.
      ZK_CHECK(alter_rows != nullptr ||
                   LowEvaluation(g.rows[r], gp.evaluation_rows[r], g.shape.cols()) ==
                       ExpectedRowEvaluation(g, r, claims, ch, gp.mask_evaluations),
               "PcsOpen: a claimed evaluation is false");
    }
    if (alter_rows != nullptr) (*alter_rows)(gi, gp);
    AbsorbRows(transcript, gp);
  }

  for (size_t gi = 0; gi < plan.size(); ++gi) {
    const GroupPlan& g = plan[gi];
    challenges[gi].queries =
        transcript.ChallengeDistinctIndices("pcs.queries", g.shape.codeword_len(), g.shape.queries);
  }

  for (size_t gi = 0; gi < plan.size(); ++gi) {
    const GroupPlan& g = plan[gi];
    PcsGroupProof& gp = proof.groups[gi];
    const std::vector<uint64_t>& queries = challenges[gi].queries;
    for (size_t p : g.polys) {
      const PcsProverData& d = *polys[p];
      gp.polys.push_back(OpenTree(QueriedColumns(d, queries), PcsProverDataAccess::salts(d),
                                  PcsProverDataAccess::tree(d), queries));
    }
    if (g.shape.hiding) {
      const MaskCommitment& m = masks[gi];
      gp.mask = OpenTree(GatherColumns(AsFpSpan(m.codewords), 2 * g.mask_count(), queries),
                         m.salts, m.tree, queries);
    }
  }
  return proof;
}

}  // namespace

PcsOpeningProof PcsOpen(std::span<const PcsProverData* const> polys,
                        std::span<const PcsClaim> claims, Transcript& transcript) {
  return OpenImpl(polys, claims, transcript, nullptr);
}

PcsOpeningProof PcsOpenCheatingForTest(
    std::span<const PcsProverData* const> polys, std::span<const PcsClaim> claims,
    Transcript& transcript, const std::function<void(size_t, PcsGroupProof&)>& alter_rows) {
  return OpenImpl(polys, claims, transcript, &alter_rows);
}

// ---------------------------------------------------------------------------------------
// Verification.

Status PcsVerify(std::span<const PcsCommitment> commitments, std::span<const PcsClaim> claims,
                 const PcsOpeningProof& proof, Transcript& transcript, double min_security_bits) {
  ZK_RETURN_IF_ERROR(CheckClaims(commitments, claims));
  std::vector<PcsParams> params;
  for (const PcsCommitment& c : commitments) params.push_back(c.params);
  std::vector<GroupPlan> plan = PlanGroups(params, claims);
  if (proof.groups.size() != plan.size()) {
    return Status::Rejected("proof has " + std::to_string(proof.groups.size()) +
                            " groups, the claims need " + std::to_string(plan.size()));
  }
  // All sizes are checked before any work that scales with them (t·rows column values must
  // be present in the proof, which bounds everything below by the proof's length).
  for (size_t gi = 0; gi < plan.size(); ++gi) {
    ZK_RETURN_IF_ERROR(
        CheckGroupShape(plan[gi], proof.groups[gi], params, "group " + std::to_string(gi)));
  }
  for (const GroupPlan& g : plan) {
    for (size_t p : g.polys) {
      const double bits = PcsParamsSoundness(params[p]).bits();
      if (!(bits >= min_security_bits)) {
        return Status::Rejected("commitment " + std::to_string(p) + ": its parameters give " +
                                std::to_string(bits) + " bits of soundness, below the required " +
                                std::to_string(min_security_bits));
      }
    }
  }

  AbsorbStatement(transcript, commitments, claims);
  for (size_t gi = 0; gi < plan.size(); ++gi) {
    if (!plan[gi].shape.hiding) continue;
    transcript.AbsorbDigest("pcs.mask_root", proof.groups[gi].mask_root);
    transcript.AbsorbFp2s("pcs.mask_evaluations", proof.groups[gi].mask_evaluations);
  }
  std::vector<GroupChallenges> challenges(plan.size());
  for (size_t gi = 0; gi < plan.size(); ++gi)
    DrawCoefficients(transcript, plan[gi], params, challenges[gi]);
  for (size_t gi = 0; gi < plan.size(); ++gi) AbsorbRows(transcript, proof.groups[gi]);
  for (size_t gi = 0; gi < plan.size(); ++gi) {
    challenges[gi].queries = transcript.ChallengeDistinctIndices(
        "pcs.queries", plan[gi].shape.codeword_len(), plan[gi].shape.queries);
  }

  for (size_t gi = 0; gi < plan.size(); ++gi) {
    const GroupPlan& g = plan[gi];
    const PcsGroupProof& gp = proof.groups[gi];
    const GroupChallenges& ch = challenges[gi];
    const std::string where = "group " + std::to_string(gi);
    const uint64_t L = g.shape.codeword_len(), t = g.shape.queries, G = g.rows.size();

    // The evaluation rows must explain the claims (cheap, so first).
    for (size_t r = 0; r < G; ++r) {
      if (LowEvaluation(g.rows[r], gp.evaluation_rows[r], g.shape.cols()) !=
          ExpectedRowEvaluation(g, r, claims, ch, gp.mask_evaluations)) {
        return Status::Rejected(where + ": evaluation row " + std::to_string(r) +
                                " does not match the claimed evaluations");
      }
    }
    // The opened columns must be the committed ones.
    for (size_t slot = 0; slot < g.polys.size(); ++slot) {
      const size_t p = g.polys[slot];
      ZK_RETURN_IF_ERROR(CheckTree(gp.polys[slot], commitments[p].root, L, params[p].rows(),
                                   ch.queries, where + ", polynomial " + std::to_string(p)));
    }
    if (g.shape.hiding) {
      ZK_RETURN_IF_ERROR(CheckTree(gp.mask, gp.mask_root, L, 2 * g.mask_count(), ch.queries,
                                   where + ", mask tree"));
    }
    // Enc(u), Enc(v_r) at each query must equal the same combinations of the opened columns.
    std::vector<std::vector<Fp2>> encoded;
    encoded.push_back(EncodeFp2Row(gp.proximity_row, L));
    for (const auto& v : gp.evaluation_rows) encoded.push_back(EncodeFp2Row(v, L));
    std::vector<std::vector<std::vector<Fp2>>> coefficients;
    for (size_t slot = 0; slot < g.polys.size(); ++slot) {
      coefficients.push_back(PolyCoefficients(g, slot, params, claims, ch));
    }
    const uint64_t first_mask = ch.row_coefficients.size() - g.mask_count();
    for (uint64_t q = 0; q < t; ++q) {
      std::vector<Fp2> combined(1 + G, Fp2::Zero());
      for (size_t slot = 0; slot < g.polys.size(); ++slot) {
        const uint64_t rows = params[g.polys[slot]].rows();
        const Fp* column = gp.polys[slot].columns.data() + q * rows;
        for (size_t o = 0; o <= G; ++o) {
          const std::vector<Fp2>& coef = coefficients[slot][o];
          if (coef.empty()) continue;
          Fp2 acc = Fp2::Zero();
          for (uint64_t r = 0; r < rows; ++r) acc += coef[r] * column[r];
          combined[o] += acc;
        }
      }
      if (g.shape.hiding) {
        const uint64_t count = g.mask_count();
        const Fp* mask_column = gp.mask.columns.data() + q * 2 * count;
        for (uint64_t i = 0; i < count; ++i) {
          const Fp2 value(mask_column[2 * i], mask_column[2 * i + 1]);
          combined[0] += ch.row_coefficients[first_mask + i] * value;
          if (i >= 1) combined[i] += ch.mask_coefficients[i - 1] * value;
        }
      }
      const uint64_t position = ch.queries[q];
      for (size_t o = 0; o <= G; ++o) {
        if (combined[o] != encoded[o][position]) {
          const std::string row =
              o == 0 ? "the proximity row" : "evaluation row " + std::to_string(o - 1);
          return Status::Rejected(where + ": " + row + " disagrees with opened column " +
                                  std::to_string(position) + " (query " + std::to_string(q) + ")");
        }
      }
    }
  }
  return Status::Ok();
}

Result<PcsSoundness> PcsOpeningSoundness(std::span<const PcsCommitment> commitments,
                                         std::span<const PcsClaim> claims) {
  ZK_RETURN_IF_ERROR(CheckClaims(commitments, claims));
  std::vector<PcsParams> params;
  for (const PcsCommitment& c : commitments) params.push_back(c.params);
  double gap = 0, query = 0, eval = 0;
  for (const GroupPlan& g : PlanGroups(params, claims)) {
    PcsSoundness s = AnalyzePcsSoundness(g.shape.message_len(), g.shape.codeword_len(),
                                         g.shape.queries, g.rows.size(), kPcsProximityRegime);
    gap += std::exp2(s.proximity_gap_log2);
    query += std::exp2(s.queries_log2);
    eval += std::exp2(s.evaluation_log2);
  }
  PcsSoundness total;
  total.proximity_gap_log2 = std::log2(gap);
  total.queries_log2 = std::log2(query);
  total.evaluation_log2 = std::log2(eval);
  total.total_log2 = std::min(0.0, std::log2(gap + query + eval));
  return total;
}

// ---------------------------------------------------------------------------------------
// Proof wire format.

void PcsOpeningProof::Write(ByteWriter& out) const {
  out.Raw(ByteSpan(reinterpret_cast<const uint8_t*>(kProofMagic), 4));
  out.U32(kProofVersion);
  out.U64(groups.size());
  for (const PcsGroupProof& g : groups) {
    out.U8(g.hiding ? 1 : 0);
    if (g.hiding) {
      out.Raw(DigestBytes(g.mask_root));
      WriteFp2s(out, g.mask_evaluations);
    }
    WriteFp2s(out, g.proximity_row);
    out.U64(g.evaluation_rows.size());
    for (const auto& v : g.evaluation_rows) WriteFp2s(out, v);
    out.U64(g.polys.size());
    for (const PcsTreeOpening& t : g.polys) WriteTreeOpening(out, t);
    if (g.hiding) WriteTreeOpening(out, g.mask);
  }
}

Bytes PcsOpeningProof::Serialize() const {
  ByteWriter w;
  Write(w);
  return w.Take();
}

size_t PcsOpeningProof::ByteSize() const {
  return Serialize().size();
}

Result<PcsOpeningProof> ParsePcsOpeningProof(ByteReader& in) {
  ByteSpan magic = in.Raw(4, "proof magic");
  if (!in.ok()) return in.status();
  if (!std::equal(magic.begin(), magic.end(), kProofMagic)) {
    return Status::BadInput("not a Zektra PCS opening proof (bad magic)");
  }
  uint32_t version = in.U32("proof version");
  if (!in.ok()) return in.status();
  if (version != kProofVersion) {
    return Status::BadInput("PCS proof version " + std::to_string(version) + " is not supported");
  }
  PcsOpeningProof proof;
  // A group takes at least 1 + 8 + 8 + 8 bytes.
  uint64_t groups = in.Count("group count", 25);
  if (!in.ok()) return in.status();
  proof.groups.resize(groups);
  for (PcsGroupProof& g : proof.groups) {
    uint8_t hiding = in.U8("hiding flag");
    if (in.ok() && hiding > 1) in.Fail("hiding flag " + std::to_string(hiding) + " is not 0 or 1");
    g.hiding = hiding == 1;
    if (g.hiding) {
      g.mask_root = ReadDigest(in, "mask root");
      g.mask_evaluations = ReadFp2s(in, "mask evaluations");
    }
    g.proximity_row = ReadFp2s(in, "proximity row");
    uint64_t rows = in.Count("evaluation row count", 8);
    if (!in.ok()) return in.status();
    g.evaluation_rows.resize(rows);
    for (auto& v : g.evaluation_rows) v = ReadFp2s(in, "evaluation row");
    uint64_t polys = in.Count("opened polynomial count", 24);
    if (!in.ok()) return in.status();
    g.polys.resize(polys);
    for (PcsTreeOpening& t : g.polys) {
      if (!ReadTreeOpening(in, t)) return in.status();
    }
    if (g.hiding && !ReadTreeOpening(in, g.mask)) return in.status();
    if (!in.ok()) return in.status();
  }
  return proof;
}

Result<PcsOpeningProof> ParsePcsOpeningProof(ByteSpan bytes) {
  ByteReader in(bytes);
  ZK_ASSIGN_OR_RETURN(PcsOpeningProof proof, ParsePcsOpeningProof(in));
  ZK_RETURN_IF_ERROR(in.Finish("PCS opening proof"));
  return proof;
}

}  // namespace zektra
