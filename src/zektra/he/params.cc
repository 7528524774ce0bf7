#include "zektra/he/params.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <set>

#include "zektra/base/serialize.h"
#include "zektra/he/modarith.h"

namespace zektra::he {
namespace {

constexpr uint32_t kParamsMagic = 0x50454b5a;  // "ZKEP"
constexpr uint32_t kParamsVersion = 1;

double Log2Product(const std::vector<uint64_t>& primes, size_t begin, size_t end) {
  double bits = 0;
  for (size_t i = begin; i < end; ++i) bits += std::log2(static_cast<double>(primes[i]));
  return bits;
}

int BitLength(double log2_value) {
  return static_cast<int>(std::floor(log2_value)) + 1;
}

}  // namespace

int MaxLogPQ(int log_n, SecurityLevel level) {
  // Index: log_n - 12.
  static const int k128[] = {109, 218, 438, 881, 1747};
  static const int k192[] = {75, 152, 305, 611, 1228};
  static const int k256[] = {58, 118, 237, 476, 956};
  if (log_n < kMinLogN || log_n > kMaxLogN) return -1;
  switch (level) {
    case SecurityLevel::k128:
      return k128[log_n - kMinLogN];
    case SecurityLevel::k192:
      return k192[log_n - kMinLogN];
    case SecurityLevel::k256:
      return k256[log_n - kMinLogN];
  }
  return -1;
}

int TotalModulusBits(const CkksParameters& params) {
  return BitLength(Log2Product(params.q, 0, params.q.size()) +
                   Log2Product(params.p, 0, params.p.size()));
}

Status ValidateParameters(const CkksParameters& params) {
  if (params.log_n < kMinLogN || params.log_n > kMaxLogN) {
    return Status::InvalidArgument("ring degree 2^" + std::to_string(params.log_n) +
                                   " outside 2^12..2^16");
  }
  if (params.security != SecurityLevel::k128 && params.security != SecurityLevel::k192 &&
      params.security != SecurityLevel::k256) {
    return Status::InvalidArgument("security level must be 128, 192 or 256");
  }
  if (params.q.empty()) return Status::InvalidArgument("empty modulus chain");
  if (params.p.empty()) return Status::InvalidArgument("no special primes for key switching");
  if (params.dnum < 1 || params.dnum > params.q.size()) {
    return Status::InvalidArgument("dnum " + std::to_string(params.dnum) + " outside 1.." +
                                   std::to_string(params.q.size()));
  }
  const uint64_t two_n = 2 * params.n();
  std::set<uint64_t> seen;
  auto check_prime = [&](uint64_t v, const std::string& name) -> Status {
    if (v < 3 || v >= (uint64_t{1} << kMaxPrimeBits) || v < (uint64_t{1} << (kMinPrimeBits - 1))) {
      return Status::InvalidArgument(name + " has an unsupported size (20..61 bits)");
    }
    if (!IsPrime(v))
      return Status::InvalidArgument(name + " = " + std::to_string(v) + " is not prime");
    if ((v - 1) % two_n != 0) {
      return Status::InvalidArgument(name + " is not 1 mod 2N (no negacyclic NTT)");
    }
    if (!seen.insert(v).second) return Status::InvalidArgument(name + " repeats another prime");
    return Status::Ok();
  };
  for (size_t i = 0; i < params.q.size(); ++i) {
    ZK_RETURN_IF_ERROR(check_prime(params.q[i], "q[" + std::to_string(i) + "]"));
  }
  for (size_t i = 0; i < params.p.size(); ++i) {
    ZK_RETURN_IF_ERROR(check_prime(params.p[i], "p[" + std::to_string(i) + "]"));
  }
  if (!(params.scale >= 2.0 && std::isfinite(params.scale)) || std::log2(params.scale) > 60) {
    return Status::InvalidArgument("scale must be in [2, 2^60]");
  }
  // Hybrid key switching adds noise ≈ digit/P: P must cover every digit.
  const int p_bits = BitLength(Log2Product(params.p, 0, params.p.size()));
  const size_t alpha = params.alpha();
  for (size_t begin = 0; begin < params.q.size(); begin += alpha) {
    size_t end = std::min(begin + alpha, params.q.size());
    int digit_bits = BitLength(Log2Product(params.q, begin, end));
    if (digit_bits > p_bits) {
      return Status::InvalidArgument("special modulus P (" + std::to_string(p_bits) +
                                     " bits) is smaller than key-switching digit " +
                                     std::to_string(begin / alpha) + " (" +
                                     std::to_string(digit_bits) + " bits)");
    }
  }
  const int total = TotalModulusBits(params);
  const int bound = MaxLogPQ(params.log_n, params.security);
  if (total > bound) {
    return Status::InvalidArgument("log2(PQ) = " + std::to_string(total) + " bits exceeds the " +
                                   std::to_string(static_cast<int>(params.security)) +
                                   "-bit security bound of " + std::to_string(bound) +
                                   " bits for N = 2^" + std::to_string(params.log_n) +
                                   " (HomomorphicEncryption.org table)");
  }
  return Status::Ok();
}

Result<CkksParameters> MakeParameters(const CkksParameterSpec& spec) {
  if (spec.log_n < kMinLogN || spec.log_n > kMaxLogN) {
    return Status::InvalidArgument("ring degree 2^" + std::to_string(spec.log_n) +
                                   " outside 2^12..2^16");
  }
  for (int bits : {spec.base_prime_bits, spec.scale_bits, spec.special_prime_bits}) {
    if (bits < kMinPrimeBits || bits > kMaxPrimeBits) {
      return Status::InvalidArgument("prime sizes must be 20..61 bits");
    }
  }
  if (spec.levels < 0 || spec.levels > 100) return Status::InvalidArgument("levels out of range");
  CkksParameters params;
  params.log_n = spec.log_n;
  params.security = spec.security;
  params.scale = std::ldexp(1.0, spec.scale_bits);
  const uint64_t two_n = uint64_t{2} << spec.log_n;
  std::vector<uint64_t> used;
  params.q = FindNttPrimes(spec.base_prime_bits, 1, two_n, used);
  used = params.q;
  // Rescaling primes are dropped from the top, so the last one is used first.
  std::vector<uint64_t> rescaling = FindNttPrimes(spec.scale_bits, spec.levels, two_n, used);
  params.q.insert(params.q.end(), rescaling.begin(), rescaling.end());
  used = params.q;
  params.dnum = spec.dnum == 0 ? static_cast<uint32_t>(params.q.size()) : spec.dnum;
  if (params.dnum > params.q.size()) {
    return Status::InvalidArgument("dnum larger than the number of primes in Q");
  }
  const size_t alpha = params.alpha();
  double max_digit = 0;
  for (size_t begin = 0; begin < params.q.size(); begin += alpha) {
    max_digit =
        std::max(max_digit, Log2Product(params.q, begin, std::min(begin + alpha, params.q.size())));
  }
  size_t special = 1;
  while (BitLength(special * (spec.special_prime_bits - 0.01)) < BitLength(max_digit)) ++special;
  params.p = FindNttPrimes(spec.special_prime_bits, special, two_n, used);
  while (BitLength(Log2Product(params.p, 0, params.p.size())) < BitLength(max_digit)) {
    used.insert(used.end(), params.p.begin(), params.p.end());
    auto more = FindNttPrimes(spec.special_prime_bits, 1, two_n, used);
    params.p.push_back(more[0]);
  }
  ZK_RETURN_IF_ERROR(ValidateParameters(params));
  return params;
}

Bytes SerializeParameters(const CkksParameters& params) {
  ByteWriter w;
  w.U32(kParamsMagic);
  w.U32(kParamsVersion);
  w.U32(static_cast<uint32_t>(params.log_n));
  w.U32(static_cast<uint32_t>(params.security));
  w.U32(params.dnum);
  uint64_t scale_bits;
  std::memcpy(&scale_bits, &params.scale, 8);
  w.U64(scale_bits);
  w.U64(params.q.size());
  for (uint64_t v : params.q) w.U64(v);
  w.U64(params.p.size());
  for (uint64_t v : params.p) w.U64(v);
  return w.Take();
}

Result<CkksParameters> ParseParameters(ByteSpan bytes) {
  ByteReader r(bytes);
  uint32_t magic = r.U32("parameters magic");
  uint32_t version = r.U32("parameters version");
  if (!r.ok()) return r.status();
  if (magic != kParamsMagic) return Status::BadInput("not CKKS parameters (bad magic)");
  if (version != kParamsVersion) {
    return Status::BadInput("unsupported parameters version " + std::to_string(version));
  }
  CkksParameters params;
  params.log_n = static_cast<int>(r.U32("log_n"));
  params.security = static_cast<SecurityLevel>(r.U32("security"));
  params.dnum = r.U32("dnum");
  uint64_t scale_bits = r.U64("scale");
  std::memcpy(&params.scale, &scale_bits, 8);
  uint64_t nq = r.Count("q count", 8, 200);
  for (uint64_t i = 0; i < nq && r.ok(); ++i) params.q.push_back(r.U64("q prime"));
  uint64_t np = r.Count("p count", 8, 200);
  for (uint64_t i = 0; i < np && r.ok(); ++i) params.p.push_back(r.U64("p prime"));
  ZK_RETURN_IF_ERROR(r.Finish("parameters"));
  Status valid = ValidateParameters(params);
  if (!valid.ok()) return Status::BadInput("parameters: " + valid.message());
  return params;
}

std::string DescribeParameters(const CkksParameters& params) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "N=2^%d, Q: %zu primes (q0 %d bits, rescaling %d bits), P: %zu primes of %d "
                "bits, dnum=%u, log2(PQ)=%d <= %d (%u-bit security), scale=2^%.0f",
                params.log_n, params.q.size(), 64 - __builtin_clzll(params.q[0]),
                params.q.size() > 1 ? 64 - __builtin_clzll(params.q[1]) : 0, params.p.size(),
                64 - __builtin_clzll(params.p[0]), params.dnum, TotalModulusBits(params),
                MaxLogPQ(params.log_n, params.security), static_cast<unsigned>(params.security),
                std::log2(params.scale));
  return buf;
}

CkksParameterSpec BenchSpecN14() {
  CkksParameterSpec spec;
  spec.log_n = 14;
  spec.base_prime_bits = 60;
  spec.scale_bits = 50;
  spec.levels = 6;
  spec.special_prime_bits = 60;
  spec.dnum = 0;  // 7 digits of one prime, one 60-bit special prime: 420 bits
  return spec;
}

CkksParameterSpec BenchSpecN16() {
  CkksParameterSpec spec;
  spec.log_n = 16;
  spec.base_prime_bits = 60;
  spec.scale_bits = 50;
  spec.levels = 23;
  spec.special_prime_bits = 50;
  spec.dnum = 3;  // 24 primes of Q in 3 digits of 8, 9 special primes: 1660 bits
  return spec;
}

}  // namespace zektra::he
