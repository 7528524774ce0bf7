#include "zektra/he/context.h"

#include <cmath>
#include <cstring>

#include "zektra/base/thread_pool.h"
#include "zektra/crypto/sha256.h"

namespace zektra::he {

Result<std::shared_ptr<const HeContext>> HeContext::Create(const CkksParameters& params) {
  ZK_RETURN_IF_ERROR(ValidateParameters(params));
  return std::shared_ptr<const HeContext>(new HeContext(params));
}

HeContext::HeContext(const CkksParameters& params) : params_(params) {
  for (uint64_t q : params.q) moduli_.emplace_back(q);
  for (uint64_t p : params.p) moduli_.emplace_back(p);
  ntt_.resize(moduli_.size());
  ParallelFor(0, moduli_.size(), [&](size_t b, size_t e) {
    for (size_t i = b; i < e; ++i) ntt_[i] = std::make_unique<NttTables>(params.log_n, moduli_[i]);
  });
  Digest digest = Sha256::Hash(SerializeParameters(params));
  std::memcpy(fingerprint_.data(), digest.data(), 32);
  std::memcpy(&id_, digest.data(), 8);

  double acc = 0;
  for (uint64_t q : params.q) {
    acc += std::log2(static_cast<double>(q));
    log_q_prefix_.push_back(acc);
  }
  const size_t nq = params.q.size();
  rescale_inv_.resize(nq);
  rescale_inv_shoup_.resize(nq);
  for (size_t l = 1; l < nq; ++l) {
    for (size_t i = 0; i < l; ++i) {
      uint64_t inv = InvMod(params.q[l] % params.q[i], moduli_[i]);
      rescale_inv_[l].push_back(inv);
      rescale_inv_shoup_[l].push_back(ShoupPrecompute(inv, params.q[i]));
    }
  }
  for (size_t i = 0; i < nq; ++i) {
    uint64_t p_mod = 1;
    for (uint64_t p : params.p) p_mod = MulMod(p_mod, p % params.q[i], moduli_[i]);
    p_mod_q_.push_back(p_mod);
    uint64_t inv = InvMod(p_mod, moduli_[i]);
    p_inv_mod_q_.push_back(inv);
    p_inv_mod_q_shoup_.push_back(ShoupPrecompute(inv, params.q[i]));
  }
}

uint64_t HeContext::GaloisElementForStep(int64_t step) const {
  const int64_t slots_count = static_cast<int64_t>(slots());
  int64_t s = ((step % slots_count) + slots_count) % slots_count;
  const uint64_t two_n = 2 * n();
  uint64_t g = 1, base = 5;  // 5^s mod 2N by square-and-multiply (2N ≤ 2^17: no overflow)
  for (uint64_t e = static_cast<uint64_t>(s); e > 0; e >>= 1) {
    if (e & 1) g = g * base % two_n;
    base = base * base % two_n;
  }
  return g;
}

const std::vector<uint32_t>& HeContext::GaloisPermutation(uint64_t galois_element) const {
  std::lock_guard<std::mutex> lock(galois_mutex_);
  auto it = galois_perms_.find(galois_element);
  if (it != galois_perms_.end()) return *it->second;
  const size_t count = n();
  const uint64_t mask = 2 * count - 1;
  auto perm = std::make_unique<std::vector<uint32_t>>(count);
  for (size_t i = 0; i < count; ++i) {
    uint64_t e = (EvaluationExponent(i, log_n()) * galois_element) & mask;
    (*perm)[i] = static_cast<uint32_t>(BitReverse((e - 1) >> 1, log_n()));
  }
  auto& ref = *perm;
  galois_perms_.emplace(galois_element, std::move(perm));
  return ref;
}

namespace {

Status CheckPoly(const RnsPoly& poly, size_t n, size_t limbs, const std::string& what) {
  if (poly.n != n || poly.limbs != limbs || poly.data.size() != n * limbs) {
    return Status::InvalidArgument(what + " has " + std::to_string(poly.limbs) + " limbs of " +
                                   std::to_string(poly.n) + " coefficients; expected " +
                                   std::to_string(limbs) + " of " + std::to_string(n));
  }
  return Status::Ok();
}

}  // namespace

Status HeContext::CheckPlaintext(const Plaintext& pt, const char* what) const {
  if (pt.context_id != id_) {
    return Status::InvalidArgument(std::string(what) + " was made under another context");
  }
  if (pt.level > max_level()) return Status::InvalidArgument(std::string(what) + " level too high");
  if (!(pt.scale > 0) || !std::isfinite(pt.scale)) {
    return Status::InvalidArgument(std::string(what) + " has an invalid scale");
  }
  return CheckPoly(pt.poly, n(), pt.level + 1, what);
}

Status HeContext::CheckCiphertext(const Ciphertext& ct, const char* what) const {
  if (ct.context_id != id_) {
    return Status::InvalidArgument(std::string(what) + " was made under another context");
  }
  if (ct.level > max_level()) return Status::InvalidArgument(std::string(what) + " level too high");
  if (ct.parts.size() < 2 || ct.parts.size() > 3) {
    return Status::InvalidArgument(std::string(what) + " must have 2 or 3 parts");
  }
  if (!(ct.scale > 0) || !std::isfinite(ct.scale)) {
    return Status::InvalidArgument(std::string(what) + " has an invalid scale");
  }
  for (const auto& part : ct.parts) ZK_RETURN_IF_ERROR(CheckPoly(part, n(), ct.level + 1, what));
  return Status::Ok();
}

}  // namespace zektra::he
