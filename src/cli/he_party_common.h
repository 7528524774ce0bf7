// Helpers shared by the multiparty `zektra he` commands (session and share files).
#pragma once

#include <string>

#include "cli/command.h"
#include "zektra/base/file_io.h"
#include "zektra/crypto/random.h"
#include "zektra/he/train/files.h"
#include "zektra/he/train/multiparty.h"

namespace zektra::cli::he_party {

struct SessionContext {
  he::train::Session session;
  he::HeContextPtr context;
};

inline Result<SessionContext> LoadSession(const std::string& path) {
  ZK_ASSIGN_OR_RETURN(Bytes bytes, ReadFileBytes(path));
  SessionContext s;
  ZK_ASSIGN_OR_RETURN(s.session, he::train::ParseSession(bytes, path));
  ZK_ASSIGN_OR_RETURN(s.context, he::HeContext::Create(s.session.params));
  return s;
}

inline Result<he::train::PartySecret> LoadPartySecret(const SessionContext& s,
                                                      const std::string& dir) {
  const std::string path = dir + "/secret/party.zkps";
  ZK_ASSIGN_OR_RETURN(Bytes bytes, ReadFileBytes(path));
  auto p = he::train::ParsePartySecret(s.context, s.session.Id(), bytes, path);
  SecureWipe(bytes);
  return p;
}

}  // namespace zektra::cli::he_party
