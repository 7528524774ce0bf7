#include "zektra/he/benchmark.h"

#include <algorithm>
#include <complex>
#include <ctime>
#include <random>

#include "zektra/base/timer.h"
#include "zektra/he/encoder.h"
#include "zektra/he/encryptor.h"
#include "zektra/he/evaluator.h"

namespace zektra::he {
namespace {

double ThreadCpuMillis() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) * 1e-6;
}

// Median over the repetitions of the calling thread's CPU time (or wall time): on a
// shared machine the CPU time is what the operation costs when it has a core to itself.
bool g_use_cpu_time = true;

template <typename F>
double MedianMillis(int repetitions, F&& body) {
  std::vector<double> times;
  for (int i = 0; i < repetitions; ++i) {
    Timer timer;
    double cpu_start = ThreadCpuMillis();
    body();
    times.push_back(g_use_cpu_time ? ThreadCpuMillis() - cpu_start : timer.Millis());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace

Result<HeOperationTimings> TimeOperations(const CkksParameterSpec& spec, int repetitions,
                                          bool cpu_time) {
  g_use_cpu_time = cpu_time;
  ZK_ASSIGN_OR_RETURN(CkksParameters params, MakeParameters(spec));
  ZK_ASSIGN_OR_RETURN(HeContextPtr context, HeContext::Create(params));
  HeOperationTimings t;
  t.parameters = DescribeParameters(params);
  t.log_n = params.log_n;
  t.log_pq = TotalModulusBits(params);
  t.levels = params.max_level();

  KeyGenerator keygen(context);
  Timer keygen_timer;
  SecretKey sk = keygen.GenerateSecretKey();
  PublicKey pk = keygen.GeneratePublicKey(sk);
  RelinKey rk = keygen.GenerateRelinKey(sk);
  const int64_t steps[] = {1};
  GaloisKeys gk = keygen.GenerateGaloisKeys(sk, steps, false);
  t.keygen_ms = keygen_timer.Millis();

  Encoder encoder(context);
  Encryptor encryptor(context, pk);
  Decryptor decryptor(context, sk);
  Evaluator evaluator(context);
  const size_t slots = context->slots();
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> dist(-1, 1);
  std::vector<std::complex<double>> x(slots), y(slots);
  for (size_t i = 0; i < slots; ++i) {
    x[i] = {dist(rng), dist(rng)};
    y[i] = {dist(rng), dist(rng)};
  }
  const size_t top = context->max_level();
  const double scale = context->default_scale();

  Result<Plaintext> px = Status::Internal("unset");
  t.encode_ms = MedianMillis(repetitions, [&] { px = encoder.Encode(x, scale, top); });
  if (!px.ok()) return px.status();
  ZK_ASSIGN_OR_RETURN(Plaintext py, encoder.Encode(y, scale, top));

  Result<Ciphertext> cx = Status::Internal("unset");
  t.encrypt_ms = MedianMillis(repetitions, [&] { cx = encryptor.Encrypt(*px); });
  if (!cx.ok()) return cx.status();
  ZK_ASSIGN_OR_RETURN(Ciphertext cy, encryptor.Encrypt(py));

  Result<Ciphertext> product = Status::Internal("unset");
  t.multiply_ms = MedianMillis(repetitions, [&] { product = evaluator.Multiply(*cx, cy); });
  if (!product.ok()) return product.status();
  Result<Ciphertext> relin = Status::Internal("unset");
  t.relinearize_ms =
      MedianMillis(repetitions, [&] { relin = evaluator.Relinearize(*product, rk); });
  if (!relin.ok()) return relin.status();
  Result<Ciphertext> rescaled = Status::Internal("unset");
  t.rescale_ms = MedianMillis(repetitions, [&] { rescaled = evaluator.Rescale(*relin); });
  if (!rescaled.ok()) return rescaled.status();
  // Rotation at the top level (the costliest), as the reference libraries report it.
  Result<Ciphertext> rotated = Status::Internal("unset");
  t.rotate_ms = MedianMillis(repetitions, [&] { rotated = evaluator.Rotate(*cx, 1, gk); });
  if (!rotated.ok()) return rotated.status();
  Result<Plaintext> decrypted = Status::Internal("unset");
  t.decrypt_ms = MedianMillis(repetitions, [&] { decrypted = decryptor.Decrypt(*rescaled); });
  if (!decrypted.ok()) return decrypted.status();
  Result<std::vector<std::complex<double>>> decoded = Status::Internal("unset");
  t.decode_ms = MedianMillis(repetitions, [&] { decoded = encoder.Decode(*decrypted); });
  if (!decoded.ok()) return decoded.status();

  // Precision check of the timed pipeline: rotate(x·y) against the float result.
  ZK_ASSIGN_OR_RETURN(Ciphertext final_ct, evaluator.Rotate(*rescaled, 1, gk));
  ZK_ASSIGN_OR_RETURN(Plaintext final_pt, decryptor.Decrypt(final_ct));
  ZK_ASSIGN_OR_RETURN(auto values, encoder.Decode(final_pt));
  for (size_t i = 0; i < slots; ++i) {
    std::complex<double> want = x[(i + 1) % slots] * y[(i + 1) % slots];
    t.max_slot_error = std::max(t.max_slot_error, std::abs(values[i] - want));
  }
  return t;
}

}  // namespace zektra::he
