// `zektra he combine-keys --session S SHARE... --out PUBLIC_DIR`: anyone combines the owners'
// shares. Given round-1 key shares (keyshare.zks1) it writes the collective parameters,
// public key and rotation keys, and relin_round1.zkr1 for round 2; given round-2
// relinearisation shares it completes PUBLIC_DIR/relin_key.zkrk. Refuses a missing share,
// a share of a non-member, of another session, or twice from one owner.
#include <cstdio>

#include "cli/he_party_common.h"
#include "zektra/he/serialization.h"

namespace zektra::cli {
namespace {

struct Args {
  std::string session, out;
  std::vector<std::string> shares;
  bool json = false;
};

int Run(const Args& a) {
  using namespace he::train;
  auto s = he_party::LoadSession(a.session);
  if (!s.ok()) return ReportError(s.status(), a.json);
  const he::HeContext& c = *s->context;
  std::vector<Bytes> files;
  for (const std::string& path : a.shares) {
    auto b = ReadFileBytes(path);
    if (!b.ok()) return ReportError(b.status(), a.json);
    files.push_back(std::move(*b));
  }
  const uint32_t magic = FileMagic(files[0]);
  if (magic == KeyShareMagic()) {
    std::vector<KeyShare> shares;
    for (size_t i = 0; i < files.size(); ++i) {
      auto share = ParseKeyShare(c, files[i], a.shares[i]);
      if (!share.ok()) return ReportError(share.status(), a.json);
      shares.push_back(std::move(*share));
    }
    auto keys = CombineKeyShares(s->context, s->session, shares);
    if (!keys.ok()) return ReportError(keys.status(), a.json);
    Status st = MakeDirectory(a.out, 0755);
    if (st.ok()) st = WriteFileAtomic(a.out + "/params.zkep", he::SerializeParameters(c.params()));
    if (st.ok())
      st = WriteFileAtomic(a.out + "/public_key.zkhe", he::SerializePublicKey(c, keys->public_key));
    if (st.ok())
      st = WriteFileAtomic(a.out + "/galois_keys.zkhe", he::SerializeGaloisKeys(c, keys->galois));
    if (st.ok())
      st = WriteFileAtomic(a.out + "/relin_round1.zkr1", SerializeRelinRound1(c, keys->round1));
    if (!st.ok()) return ReportError(st, a.json);
    if (a.json) {
      PrintJson({{"round", 1}, {"out", a.out}, {"parties", shares.size()}});
    } else {
      std::printf("combined %zu key shares into %s; next: each owner runs he party-relin-share\n",
                  shares.size(), a.out.c_str());
    }
    return kExitOk;
  }
  if (magic == RelinShareMagic()) {
    const std::string r1_path = a.out + "/relin_round1.zkr1";
    auto r1_bytes = ReadFileBytes(r1_path);
    if (!r1_bytes.ok()) return ReportError(r1_bytes.status(), a.json);
    auto r1 = ParseRelinRound1(c, *r1_bytes, r1_path);
    if (!r1.ok()) return ReportError(r1.status(), a.json);
    std::vector<RelinShare> shares;
    for (size_t i = 0; i < files.size(); ++i) {
      auto share = ParseRelinShare(c, files[i], a.shares[i]);
      if (!share.ok()) return ReportError(share.status(), a.json);
      shares.push_back(std::move(*share));
    }
    auto rk = CombineRelinShares(s->context, s->session, *r1, shares);
    if (!rk.ok()) return ReportError(rk.status(), a.json);
    Status st = WriteFileAtomic(a.out + "/relin_key.zkrk", SerializeRelinKeyFull(c, *rk));
    if (!st.ok()) return ReportError(st, a.json);
    if (a.json) {
      PrintJson({{"round", 2}, {"out", a.out}, {"parties", shares.size()}});
    } else {
      std::printf("combined %zu relinearisation shares: %s is complete\n", shares.size(),
                  a.out.c_str());
    }
    return kExitOk;
  }
  return ReportError(Status::BadInput(a.shares[0] + ": not a key share or relinearisation share"),
                     a.json);
}

CommandRegistrar reg(
    "he combine-keys", "Combine owners' key shares into collective public keys",
    [](CLI::App& app) -> RunFn {
      auto a = std::make_shared<Args>();
      app.add_option("shares", a->shares, "Share files, one per owner")->required();
      app.add_option("--session", a->session, "Session file")->required();
      app.add_option("--out", a->out, "Public key directory")->required();
      app.add_flag("--json", a->json, "Print one JSON object");
      return [a] { return Run(*a); };
    });

}  // namespace
}  // namespace zektra::cli
