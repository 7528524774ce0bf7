// Kernels behind `zektra bench vault`: the vault's chunked secretstream encryption and
// decryption over a 64 MiB buffer, by chunk size (bytes per second = plaintext bytes).
#include <benchmark/benchmark.h>

#include <array>
#include <vector>

#include "zektra/crypto/random.h"
#include "zektra/vault/stream.h"

namespace {

constexpr size_t kBytes = 64u << 20;

void BM_VaultSeal(benchmark::State& state) {
  const auto chunk = static_cast<uint32_t>(state.range(0));
  std::vector<uint8_t> plain(kBytes, 'x');
  std::vector<uint8_t> sealed(zektra::vault::DataFileBytes(kBytes, chunk), 0);
  std::array<uint8_t, 32> key{};
  zektra::RandomBytes(key.data(), key.size());
  for (auto _ : state) {
    zektra::vault::SealDataStream(key, plain, chunk, sealed);
    benchmark::DoNotOptimize(sealed.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kBytes));
}

void BM_VaultOpen(benchmark::State& state) {
  const auto chunk = static_cast<uint32_t>(state.range(0));
  std::vector<uint8_t> plain(kBytes, 'x');
  std::vector<uint8_t> sealed(zektra::vault::DataFileBytes(kBytes, chunk), 0);
  std::array<uint8_t, 32> key{};
  zektra::RandomBytes(key.data(), key.size());
  zektra::vault::SealDataStream(key, plain, chunk, sealed);
  for (auto _ : state) {
    zektra::Status s = zektra::vault::OpenDataStreamInto(key, sealed, "bench", plain);
    if (!s.ok()) state.SkipWithError(s.message().c_str());
    benchmark::DoNotOptimize(plain.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kBytes));
}

BENCHMARK(BM_VaultSeal)->Arg(64 << 10)->Arg(1 << 20)->Arg(4 << 20)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_VaultOpen)->Arg(64 << 10)->Arg(1 << 20)->Arg(4 << 20)->Unit(benchmark::kMillisecond);

}  // namespace
