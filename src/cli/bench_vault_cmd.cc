// `zektra bench vault`: single-thread throughput of the vault's chunked encryption
// (XChaCha20-Poly1305 secretstream, the exact SealDataStream / OpenDataStreamInto that
// `vault add` and every vault read use) on a synthetic CSV-like buffer of --mib MiB.
//
// The buffer is generated in memory, not on disk: a 4 MiB block of random decimal rows
// (10 columns, "-1.234567," style), repeated; the cipher's speed does not depend on the
// bytes. Output and input buffers are allocated and touched before timing, so the figures
// are the cipher and the chunk loop, not page faults or disk. MB = 10^6 bytes.
#include <algorithm>
#include <cstdio>
#include <cstring>

#include "cli/command.h"
#include "zektra/base/timer.h"
#include "zektra/crypto/random.h"
#include "zektra/crypto/sha256.h"
#include "zektra/vault/stream.h"

namespace zektra::cli {
namespace {

struct BenchArgs {
  uint64_t mib = 1024;
  uint32_t chunk_kib = 1024;
  size_t repeat = 2;
  bool json = false;
};

void FillCsvLike(std::vector<uint8_t>& buf) {
  constexpr size_t kBlock = 4u << 20;
  std::vector<uint8_t> block;
  block.reserve(kBlock + 128);
  uint64_t s = 0x9E3779B97F4A7C15ull;
  auto next = [&] {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  };
  while (block.size() < kBlock) {
    for (int col = 0; col < 10; ++col) {
      uint64_t r = next();
      if (r & 1) block.push_back('-');
      block.push_back(static_cast<uint8_t>('0' + (r >> 8) % 10));
      block.push_back('.');
      for (int d = 0; d < 6; ++d) block.push_back(static_cast<uint8_t>('0' + (r >> (12 + 4 * d)) % 10));
      block.push_back(col == 9 ? '\n' : ',');
    }
  }
  block.resize(kBlock);
  for (size_t at = 0; at < buf.size(); at += kBlock) {
    std::memcpy(buf.data() + at, block.data(), std::min(kBlock, buf.size() - at));
  }
}

int Run(const BenchArgs& a) {
  if (a.mib == 0 || a.mib > 16384) return ReportError(Status::InvalidArgument("--mib must be in 1..16384"), a.json);
  const uint64_t chunk = uint64_t{a.chunk_kib} * 1024;
  if (chunk == 0 || chunk > vault::kMaxChunkBytes) {
    return ReportError(Status::InvalidArgument("--chunk-kib must be in 1..65536"), a.json);
  }
  if (a.repeat == 0) return ReportError(Status::InvalidArgument("--repeat must be positive"), a.json);
  Progress progress("bench vault");
  progress.Update("generating " + std::to_string(a.mib) + " MiB");
  std::vector<uint8_t> plain(a.mib << 20);
  FillCsvLike(plain);
  const Digest before = Sha256::Hash(plain);
  std::vector<uint8_t> sealed(vault::DataFileBytes(plain.size(), static_cast<uint32_t>(chunk)), 0);
  std::vector<uint8_t> opened(plain.size(), 0);
  std::array<uint8_t, 32> key{};
  RandomBytes(key.data(), key.size());

  double best_encrypt = 1e30, best_decrypt = 1e30;
  for (size_t r = 0; r < a.repeat; ++r) {
    progress.Update("encrypting, pass " + std::to_string(r + 1));
    Timer t;
    vault::SealDataStream(key, plain, static_cast<uint32_t>(chunk), sealed);
    best_encrypt = std::min(best_encrypt, t.Seconds());
    progress.Update("decrypting, pass " + std::to_string(r + 1));
    t.Reset();
    Status s = vault::OpenDataStreamInto(key, sealed, "bench", opened);
    best_decrypt = std::min(best_decrypt, t.Seconds());
    if (!s.ok()) return ReportError(Status::Internal("round trip failed: " + s.message()), a.json);
  }
  progress.Done();
  const bool roundtrip_ok = Sha256::Hash(opened) == before;
  if (!roundtrip_ok) return ReportError(Status::Internal("decrypted bytes differ from the plaintext"), a.json);
  const double mb = static_cast<double>(plain.size()) / 1e6;
  nlohmann::json j = {{"plaintext_bytes", plain.size()},
                      {"chunk_bytes", chunk},
                      {"ciphertext_bytes", sealed.size()},
                      {"threads", 1},
                      {"repeat", a.repeat},
                      {"encrypt_seconds", best_encrypt},
                      {"decrypt_seconds", best_decrypt},
                      {"encrypt_mb_per_second", mb / best_encrypt},
                      {"decrypt_mb_per_second", mb / best_decrypt},
                      {"roundtrip_ok", roundtrip_ok},
                      {"data", "in-memory synthetic CSV-like text"}};
  if (a.json) {
    PrintJson(j);
  } else {
    std::printf("vault secretstream, %llu MiB, %llu KiB chunks, 1 thread (best of %zu)\n",
                static_cast<unsigned long long>(a.mib), static_cast<unsigned long long>(chunk / 1024), a.repeat);
    std::printf("  encrypt  %8.1f MB/s  (%.3f s)\n", mb / best_encrypt, best_encrypt);
    std::printf("  decrypt  %8.1f MB/s  (%.3f s)\n", mb / best_decrypt, best_decrypt);
  }
  return kExitOk;
}

CommandRegistrar reg("bench vault", "Throughput of vault encryption and decryption (one thread)",
                     [](CLI::App& app) -> RunFn {
  auto a = std::make_shared<BenchArgs>();
  app.add_option("--mib", a->mib, "Size of the synthetic CSV-like buffer in MiB")->capture_default_str();
  app.add_option("--chunk-kib", a->chunk_kib, "Chunk size in KiB")->capture_default_str();
  app.add_option("--repeat", a->repeat, "Passes; the best is reported")->capture_default_str();
  app.add_flag("--json", a->json, "Print one JSON object");
  return [a] { return Run(*a); };
});

}  // namespace
}  // namespace zektra::cli
