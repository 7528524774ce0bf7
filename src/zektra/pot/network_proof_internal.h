// Internals of the network proof of training (pot/network_training_proof.h), shared by its
// protocol (network_protocol.cc: shape, tables, the relations run once for both roles, the
// proof's wire format) and its prover and verifier (network_training_proof.cc). Not a public
// interface: everything here may change with the proof's version.
#pragma once

#include <array>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "zektra/base/timer.h"
#include "zektra/crypto/random.h"
#include "zektra/pot/blinding.h"
#include "zektra/pot/network_training_proof.h"
#include "zektra/pot/packed_witness.h"
#include "zektra/pot/proof_envelope.h"
#include "zektra/pot/run_schedule.h"
#include "zektra/pot/standardisation_relation.h"
#include "zektra/zk/logup.h"
#include "zektra/zk/logup_zk.h"
#include "zektra/zk/multilinear.h"
#include "zektra/zk/pcs.h"

namespace zektra::pot::netpot {

using Pt = std::span<const Fp2>;

constexpr int kF = 16;
constexpr int kValueBits = 24;    // weights, bias, data, errors: |v| < 2^24
constexpr int kWideBits = 32;     // acc_q, grad_q, bias_grad_q: |v| < 2^31
constexpr int kLogitBits = 22;    // real-class logits |z| < 2^22 (real 64)
constexpr int kMaxLogInner = 12;  // fan-in, batch ≤ 2^12: products stay < 2^61
constexpr int kExpTableLog = 16;  // unclamped exp indices −(2^16 − 1) .. 0
constexpr uint64_t kMaxWitness = uint64_t{1} << 26;
constexpr size_t kMaxPackedLog = 27;
constexpr int kMaxRangeBinLog = 23;  // entries of one range lookup (unless a column is larger)
constexpr int64_t kPadLogitOffset = -(int64_t{1} << 23);  // padded classes: z = −2^23
constexpr int64_t kVo = int64_t{1} << kValueBits, kWo = int64_t{1} << (kWideBits - 1);
constexpr int64_t kMo = int64_t{1} << kLogitBits;  // offset of the row maximum

// Sections of the proof container (distinct from the linear proof's tags, so a container is
// recognised by its statement tag).
enum : uint32_t {
  kTagStatement = 16,
  kTagCommitment = 17,
  kTagLookups = 18,  // version 1 only (plain logUp proofs); retired
  kTagEvaluations = 19,
  kTagSumchecks = 20,
  kTagOpening = 21,
  kTagHelperCommitment = 22,  // the lookups' committed inverses (zk/logup_zk.h)
};
inline constexpr const char* kTranscriptLabel = "zektra.pot.network.v2";

inline size_t CeilLog2(uint64_t n) {
  return n <= 1 ? 0 : std::bit_width(n - 1);
}
inline int BitLen(uint64_t x) {
  return x == 0 ? 0 : std::bit_width(x);
}

// A bounded integer tensor as limb columns: value = Σ coef_l(k)·limb_l − offset.
// A plain BVar is one column holding the value itself, not range-checked: its bound follows

// A plain BVar is one column holding the value itself, not range-checked: its bound follows
// from the relations it enters (see DeriveShape).
struct BVar {
  int k = 0;
  int64_t offset = 0;
  std::vector<int> cols;
  bool plain = false;
};

// ---- public shape ----

// The run's step schedule (pot/run_schedule.h: tau counts the blinding variable ζ, the top one
// of every step domain; lr likewise for the dataset rows) and this proof's column layout.
struct Shape : RunSchedule, DataStandardisation {
  // One dense layer: W (O × J), its update chain, its products; hidden layers add ReLU and
  // back-propagation columns. Domains: TOJ (j, o, t), TO (o, t), TIO (o, i, t).
  struct Layer {
    bool hidden = false;
    uint64_t J = 0, O = 0;  // real input / output widths
    size_t lj = 0, lo = 0;  // log of the padded widths
    BVar W, GQ, GR, UR, BIAS, BGQ, BGR, BUR, AQ, AR, DL;
    BVar HM, NEG, BQ, BR;  // hidden: h − s, h − z, back-propagation quotient and remainder
    int U = -1, BU = -1, SG = -1;
    std::vector<int64_t> final_w, final_b, init_w, init_b;  // padded
    uint64_t Jp() const { return uint64_t{1} << lj; }
    uint64_t Op() const { return uint64_t{1} << lo; }
  };
  uint64_t K = 0, D = 0;
  size_t lk = 0;  // log padded classes
  std::vector<Layer> layers;

  // Columns.
  PackedLayout layout;
  BVar G, R8, P, RHO, WS, M, XS, REM, DC;  // softmax output over TIK, TI; data over RJ
  int E = -1, S = -1, A = -1;
  int m_exp = -1, m_hot = -1;
  // The zero-knowledge lookups (zk/logup_zk.h): range groups (limb columns of one length),
  // then exp, then one-hot. Each looks up the live (real) lower half of its columns.
  enum class LookupKind { kRange, kExp, kOneHot };
  struct Lookup {
    LookupKind kind = LookupKind::kRange;
    std::vector<int> cols;  // range: the limb columns (inputs); others: none (derived inputs)
    ZkLookupLayout layout;
    int multiplicities = -1;  // split multiplicities m' (2^(k+1) entries) in the witness
    int helper = -1;          // v's segment in the helper polynomial
  };
  std::vector<Lookup> lookups;
  LookupTable onehot_table;
  PackedLayout helper_layout;
  // The masks of the relation and lookup sumchecks, in protocol order, as witness columns
  // (pot/blinding.h): ids from first_mask on.
  struct Mask {
    int col = -1;
    size_t vars = 0, degree = 0;
  };
  std::vector<Mask> masks;
  int first_mask = -1;

  uint64_t Kp() const { return uint64_t{1} << lk; }
  const LookupTable& Table(const Lookup& l) const;
  size_t vTIK() const { return tau + lb + lk; }
  size_t vTI() const { return tau + lb; }
  size_t vRJ() const { return lr + ld; }
};

const LookupTable& RangeTable();
const LookupTable& ExpTable();
LookupTable OneHotTable(uint64_t K, uint64_t Kp);
// The public shape of a run, from the statement alone; BadInput names what is out of range.
Result<Shape> DeriveShape(const NetworkTrainingStatement& st);
std::vector<Fp> SignedTable(std::span<const int64_t> v);

// ---- the proof object ----

using ProofData = WitnessProofSections;
inline constexpr WitnessProofTags kSectionTags{kTagStatement,   kTagCommitment, kTagHelperCommitment,
                                               kTagEvaluations, kTagSumchecks,  kTagOpening};
constexpr size_t kMaxSumchecks = 1024;  // relations, one per lookup, the batch
Bytes Encode(const ProofData& p);
Result<ProofData> Decode(ByteSpan bytes);

// ---- one protocol, two roles ----
//
// The protocol is written once. The prover's Io evaluates committed columns and runs the
// sumchecks and lookups on the witness; the verifier's Io reads the same values from the proof
// and checks. Every check is a verifier check (the prover's Io ignores them: a dishonest
// witness produces a proof that the verifier rejects).

struct Witness {
  std::vector<std::vector<Fp>> cols;  // built by the prover; freed once packed (views)
  // After packing, column c is read from the packed vector (the same values at its offset), so
  // the separate copies can go: 2^log_total·8 bytes less at the prover's peak.
  std::vector<std::span<const Fp>> views;
  std::span<const Fp> col(int c) const {
    return views.empty() ? std::span<const Fp>(cols[c]) : views[c];
  }
  struct LayerTensors {
    std::vector<Fp> x;          // Tp·B·Jp: the layer's input (data for layer 0, h below)
    std::vector<Fp> w, dl;      // Tp·Op·Jp weights, Tp·B·Op errors (integers in the field)
    std::vector<Fp> z, hm, bq;  // hidden: pre-activation, h − sign, back-propagation quotient
  };
  std::vector<LayerTensors> layers;
  std::vector<Fp> p_int, rho_int, g_int;  // softmax integer tensors in the field
  std::vector<Fp> s_broadcast;            // S over (c, i, t)
  std::vector<Fp> exp_index, onehot_in, onehot_out;
  const std::vector<Fp>* data_matrix = nullptr;
  std::vector<SumcheckMask> masks;  // of Shape::masks, their tables in cols

  Witness() = default;
  Witness(Witness&&) = default;
  Witness& operator=(Witness&&) = default;
  Witness(const Witness&) = delete;
  Witness& operator=(const Witness&) = delete;
  ~Witness() { ReleaseTensors(); }
  // Wipes and frees the field tensors above (layers, softmax, exp and one-hot), which only
  // the relations read: the prover drops them before the claim batching, whose selector
  // table then reuses their memory. The packed columns (views) and the masks stay.
  void ReleaseTensors() {
    auto drop = [](std::vector<Fp>& v) {
      SecureWipe(v);
      std::vector<Fp>().swap(v);
    };
    for (LayerTensors& t : layers)
      for (std::vector<Fp>* v : {&t.x, &t.w, &t.dl, &t.z, &t.hm, &t.bq}) drop(*v);
    layers.clear();
    for (std::vector<Fp>* v :
         {&p_int, &rho_int, &g_int, &s_broadcast, &exp_index, &onehot_in, &onehot_out})
      drop(*v);
  }
};

// The process's peak resident memory so far in GiB (VmHWM; 0 where /proc is absent), printed
// beside the ZEKTRA_POT_PROFILE phase times to see which phase sets the peak.
inline double PeakRssGiB() {
  std::FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) return 0;
  char line[256];
  double kib = 0;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::sscanf(line, "VmHWM: %lf kB", &kib) == 1) break;
  }
  std::fclose(f);
  return kib / (1024.0 * 1024.0);
}

struct Inputs {
  std::vector<std::vector<Fp2>> owned;
  std::vector<MultilinearRef> refs;
  std::shared_ptr<ZkLookupTables> lookup;  // a lookup sumcheck's tables (refs point into it)
  // The table is built for this one sumcheck and dropped after it: the prover folds it in place.
  void Own(std::vector<Fp2> v) {
    owned.push_back(std::move(v));
    refs.push_back(MultilinearRef::Consumable(owned.back()));
  }
  Inputs() { owned.reserve(16); }
};

class Io {
 public:
  Io(Transcript& tr, ProofData* out, const ProofData* in, const Witness* w, const Shape& s,
     std::vector<RevealedEvaluation>* audit = nullptr)
      : tr_(tr), out_(out), in_(in), w_(w), s_(s), audit_(audit) {}
  Io(const Io&) = delete;
  Io& operator=(const Io&) = delete;
  ~Io() {
    helper_data_.reset();  // it borrows helper_values_, which wipes itself after
  }
  bool prover() const { return w_ != nullptr; }
  const Witness& wit() const { return *w_; }

  Result<Fp2> Send(std::function<Fp2()> honest) {
    Fp2 v;
    if (prover()) {
      v = honest();
      out_->evaluations.push_back(v);
    } else {
      if (next_eval_ >= in_->evaluations.size())
        return Status::Rejected("proof has too few evaluations");
      v = in_->evaluations[next_eval_++];
    }
    tr_.AbsorbFp2("pot.evaluation", v);
    return v;
  }
  // Sends column c at point and records the claim.
  Result<Fp2> Reveal(int c, Pt point) {
    ZK_ASSIGN_OR_RETURN(Fp2 v, Send([&] { return EvaluateMultilinear(w_->col(c), point); }));
    AddClaim(c, point, v);
    return v;
  }
  Result<Fp2> RevealB(const BVar& v, Pt point) {
    std::vector<Fp2> limbs;
    for (int c : v.cols) {
      ZK_ASSIGN_OR_RETURN(Fp2 x, Reveal(c, point));
      limbs.push_back(x);
    }
    return Recompose(v.k, limbs, v.offset);
  }
  void AddClaim(int c, Pt point, Fp2 v) {
    if (audit_ && prover() && c < s_.first_mask) Audit(c, point, v);
    claims_.push_back({c, {point.begin(), point.end()}, v});
  }
  // A claim whose value the verifier derives itself (nothing is sent for it).
  void AddPublicClaim(int c, Pt point, Fp2 v) {
    claims_.push_back({c, {point.begin(), point.end()}, v});
  }
  Status Check(bool ok, const std::string& what) {
    return ok || prover() ? Status::Ok() : Status::Rejected(what);
  }

  Result<SumcheckClaim> Sumcheck(const SumOfProducts& shape, Fp2 sum,
                                 const std::function<Inputs()>& build, const std::string& what) {
    if (next_mask_ >= s_.masks.size() || s_.masks[next_mask_].vars != shape.num_variables ||
        s_.masks[next_mask_].degree != shape.Degree()) {
      ZK_CHECK(!prover(), "a sumcheck differs from its mask in the shape");
      return Status::Rejected(what + ": sumcheck differs from its mask");
    }
    const Shape::Mask& mask = s_.masks[next_mask_];
    SumcheckClaim claim;
    if (prover()) {
      Timer timer;
      Inputs in = build();
      out_->sumchecks.push_back(
          ProveWitnessMaskedSumcheck(w_->masks[next_mask_], shape, in.refs, sum, tr_, &claim));
      if (in.lookup) {
        // The looked-up entries, the helper (taken over from the caller, not copied) and m′
        // are witness data: wiped before their memory goes back to the heap.
        SecureWipe(in.lookup->inputs);
        SecureWipe(in.lookup->outputs);
        SecureWipe(in.lookup->helper);
        SecureWipe(in.lookup->multiplicities);
      }
      if (std::getenv("ZEKTRA_POT_PROFILE"))
        std::fprintf(stderr, "netpot: %s over 2^%zu: %.3fs (peak RSS %.2f GiB)\n", what.c_str(),
                     shape.num_variables, timer.Seconds(), PeakRssGiB());
    } else {
      if (next_sc_ >= in_->sumchecks.size()) return Status::Rejected("proof has too few sumchecks");
      auto r = VerifyWitnessMaskedSumcheck(shape, sum, in_->sumchecks[next_sc_], tr_);
      if (!r.ok()) return Status::Rejected(what + ": " + r.status().message());
      claim = std::move(*r);
    }
    const auto& mask_values =
        prover() ? out_->sumchecks.back().mask_values : in_->sumchecks[next_sc_].mask_values;
    std::vector<std::vector<Fp2>> points = MaskClaimPoints(mask.vars, mask.degree, claim.point);
    for (size_t k = 0; k < points.size(); ++k) AddClaim(mask.col, points[k], mask_values[k]);
    ++next_mask_;
    if (!prover()) ++next_sc_;
    return claim;
  }

  // The lookups' helper polynomial (zk/logup_zk.h): committed by the prover (hiding), read from
  // the proof by the verifier; both absorb the commitment.
  // `build` writes each lookup's segment of the helper (helper_layout) in place: the pages of
  // the unused tail are never touched, and no second copy of the helper exists.
  Status CommitHelper(const std::function<void(PackedValues&)>& build) {
    if (prover()) {
      Timer timer;
      // Borrowed by the prover data (no copy); wiped when the Io goes (~Io).
      helper_values_ = PackedValues(s_.helper_layout);
      build(helper_values_);
      if (std::getenv("ZEKTRA_POT_PROFILE"))
        std::fprintf(stderr, "netpot:   helper values %.3fs\n", timer.Seconds());
      helper_data_ = std::make_unique<PcsProverData>(PcsCommitBorrowing(
          helper_values_.values(),
          PcsParamsWithZeroTail(
              ChoosePcsParams(static_cast<int>(s_.helper_layout.log_total()), true, 100, 1),
              s_.helper_layout.used())));
      out_->helper_commitment = helper_data_->commitment();
      if (std::getenv("ZEKTRA_POT_PROFILE"))
        std::fprintf(
            stderr,
            "netpot: lookup helpers (2^%zu) and their commitment: %.3fs (peak RSS %.2f GiB)\n",
            s_.helper_layout.log_total(), timer.Seconds(), PeakRssGiB());
    }
    const PcsCommitment& c = prover() ? out_->helper_commitment : in_->helper_commitment;
    if (c.params.log_size != static_cast<int>(s_.helper_layout.log_total()) || !c.params.hiding)
      return Status::Rejected("helper commitment has the wrong shape");
    tr_.AbsorbBytes("pot.helper_commitment", c.Serialize());
    return Status::Ok();
  }
  void AddHelperClaim(std::vector<Fp2> point, Fp2 v) {
    helper_claims_.push_back({1, std::move(point), v});
  }
  const PcsProverData* helper_data() const { return helper_data_.get(); }
  // The committed helper's segment `c` (prover only).
  std::span<const Fp> helper_segment(int c) {
    return helper_values_.column(s_.helper_layout, c);
  }
  std::vector<PcsClaim>& helper_claims() { return helper_claims_; }

  // Prover: runs just before the claim batching (to free what only the relations needed).
  void BeforeBatch(std::function<void()> release) { before_batch_ = std::move(release); }

  Result<BatchedClaim> Batch(const PackedLayout& layout, std::span<const Fp> packed) {
    if (prover()) {
      if (before_batch_) before_batch_();
      Timer timer;
      BatchedClaim r = ProveClaimBatch(layout, packed, claims_, tr_, &out_->batch);
      if (std::getenv("ZEKTRA_POT_PROFILE"))
        std::fprintf(stderr, "netpot: batching %zu claims over 2^%zu: %.3fs (peak RSS %.2f GiB)\n",
                     claims_.size(), layout.log_total(), timer.Seconds(), PeakRssGiB());
      return r;
    }
    return VerifyClaimBatch(layout, claims_, in_->batch, tr_);
  }
  std::vector<ColumnClaim>& claims() { return claims_; }
  bool all_used() const {
    return prover() || (next_eval_ == in_->evaluations.size() && next_sc_ == in_->sumchecks.size());
  }

 private:
  // The value the real half alone gives at the same low coordinates (split multiplicities: the
  // sum of both halves, the true count).
  void Audit(int c, Pt point, Fp2 sent) {
    const std::span<const Fp> col = w_->col(c);
    const size_t half = col.size() / 2;
    Pt low = point.first(point.size() - 1);
    Fp2 unmasked = EvaluateMultilinear(std::span<const Fp>(col).first(half), low);
    bool split = false;
    for (const auto& l : s_.lookups) split = split || l.multiplicities == c;
    if (split) unmasked += EvaluateMultilinear(std::span<const Fp>(col).subspan(half), low);
    audit_->push_back({s_.layout.name(c), sent, unmasked, point.back()});
  }

  Transcript& tr_;
  ProofData* out_;
  const ProofData* in_;
  const Witness* w_;
  std::function<void()> before_batch_;
  const Shape& s_;
  std::vector<RevealedEvaluation>* audit_;
  std::vector<ColumnClaim> claims_;
  std::vector<PcsClaim> helper_claims_;
  PackedValues helper_values_;  // the committed helper, borrowed by helper_data_
  std::unique_ptr<PcsProverData> helper_data_;
  size_t next_eval_ = 0, next_sc_ = 0, next_mask_ = 0;
};

// The whole protocol after the commitment has been absorbed. Returns the claim on the packed
// polynomial and on the dataset, to be opened together.
struct Openings {
  BatchedClaim packed;
  std::vector<Fp2> data_point;
  Fp2 data_value;
};
Result<Openings> RunProtocol(Io& io, Transcript& tr, const Shape& s, std::span<const Fp> packed);

}  // namespace zektra::pot::netpot
