// HeContext: one validated CKKS parameter set and every table derived from it.
//
// Built once by HeContext::Create (which refuses parameters that fail
// ValidateParameters, including the security table); then shared, read-only and
// thread-safe, by the role objects (KeyGenerator, Encoder, Encryptor, Decryptor,
// Evaluator), in the manner of SEAL. Cost: one NTT table per prime (O(N) words each)
// and a few per-level constants.
//
// Prime indexing: 0..L are q_0..q_L, L+1..L+K are p_0..p_{K-1}.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "zektra/base/status.h"
#include "zektra/he/ciphertext.h"
#include "zektra/he/modarith.h"
#include "zektra/he/ntt.h"
#include "zektra/he/params.h"

namespace zektra::he {

class HeContext {
 public:
  static Result<std::shared_ptr<const HeContext>> Create(const CkksParameters& params);

  const CkksParameters& params() const { return params_; }
  int log_n() const { return params_.log_n; }
  size_t n() const { return params_.n(); }
  size_t slots() const { return params_.n() / 2; }
  size_t max_level() const { return params_.q.size() - 1; }
  size_t num_q() const { return params_.q.size(); }
  size_t num_p() const { return params_.p.size(); }
  size_t num_moduli() const { return num_q() + num_p(); }
  size_t alpha() const { return params_.alpha(); }
  size_t dnum() const { return params_.dnum; }
  double default_scale() const { return params_.scale; }

  const Modulus& modulus(size_t i) const { return moduli_[i]; }
  const NttTables& ntt(size_t i) const { return *ntt_[i]; }

  // SHA-256 of the serialized parameters; its first 8 bytes are the context id stamped
  // on every key, plaintext and ciphertext made under this context.
  const std::array<uint8_t, 32>& fingerprint() const { return fingerprint_; }
  uint64_t id() const { return id_; }

  // log2 of q_0·…·q_level.
  double LogModulus(size_t level) const { return log_q_prefix_[level]; }

  // q_level^{-1} mod q_i for i < level (rescaling), with Shoup companions.
  const std::vector<uint64_t>& RescaleInverse(size_t level) const { return rescale_inv_[level]; }
  const std::vector<uint64_t>& RescaleInverseShoup(size_t level) const {
    return rescale_inv_shoup_[level];
  }
  // P mod q_i and P^{-1} mod q_i.
  uint64_t PModQ(size_t i) const { return p_mod_q_[i]; }
  uint64_t PInvModQ(size_t i) const { return p_inv_mod_q_[i]; }
  uint64_t PInvModQShoup(size_t i) const { return p_inv_mod_q_shoup_[i]; }

  // Galois elements: 5^step mod 2N rotates slots left by `step`; 2N-1 conjugates.
  uint64_t GaloisElementForStep(int64_t step) const;
  uint64_t ConjugationElement() const { return 2 * n() - 1; }
  // Slot permutation of an NTT-form polynomial under X -> X^g: out[i] = in[perm[i]].
  const std::vector<uint32_t>& GaloisPermutation(uint64_t galois_element) const;

  // Checks that a plaintext / ciphertext belongs to this context and is well-formed.
  Status CheckPlaintext(const Plaintext& pt, const char* what) const;
  Status CheckCiphertext(const Ciphertext& ct, const char* what) const;

 private:
  explicit HeContext(const CkksParameters& params);

  CkksParameters params_;
  std::vector<Modulus> moduli_;
  std::vector<std::unique_ptr<NttTables>> ntt_;
  std::array<uint8_t, 32> fingerprint_{};
  uint64_t id_ = 0;
  std::vector<double> log_q_prefix_;
  std::vector<std::vector<uint64_t>> rescale_inv_, rescale_inv_shoup_;
  std::vector<uint64_t> p_mod_q_, p_inv_mod_q_, p_inv_mod_q_shoup_;
  mutable std::mutex galois_mutex_;
  mutable std::map<uint64_t, std::unique_ptr<std::vector<uint32_t>>> galois_perms_;
};

using HeContextPtr = std::shared_ptr<const HeContext>;

}  // namespace zektra::he
