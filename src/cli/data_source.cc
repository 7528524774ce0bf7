#include "cli/data_source.h"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "zektra/base/file_io.h"
#include "zektra/crypto/random.h"

namespace zektra::cli {
namespace {

constexpr size_t kMaxPassphraseBytes = 4096;

// The first line of a file (without its line ending), in protected memory.
Result<SecureBuffer> PassphraseFromFile(const std::string& path) {
  ZK_ASSIGN_OR_RETURN(Bytes bytes, ReadFileBytes(path));
  size_t n = 0;
  while (n < bytes.size() && bytes[n] != '\n') ++n;
  if (n > 0 && bytes[n - 1] == '\r') --n;
  SecureBuffer out = SecureBuffer::CopyOf(ByteSpan(bytes.data(), n));
  SecureWipe(bytes);
  if (out.empty()) return Status::InvalidArgument(path + ": the passphrase file's first line is empty");
  return out;
}

// Reads one line from the terminal with echo off.
Result<SecureBuffer> Prompt(const std::string& prompt) {
  std::fprintf(stderr, "%s", prompt.c_str());
  std::fflush(stderr);
  termios old_mode {};
  const bool have_mode = ::tcgetattr(STDIN_FILENO, &old_mode) == 0;
  if (have_mode) {
    termios quiet = old_mode;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);  // keep type-ahead
  }
  SecureBuffer line(kMaxPassphraseBytes);
  size_t n = 0;
  bool ended = false;
  for (;;) {
    char c;
    ssize_t r = ::read(STDIN_FILENO, &c, 1);
    if (r <= 0 || c == '\n') {
      ended = r > 0 || n > 0;
      break;
    }
    if (n < line.size()) line.data()[n++] = static_cast<uint8_t>(c);
  }
  if (have_mode) ::tcsetattr(STDIN_FILENO, TCSANOW, &old_mode);
  std::fprintf(stderr, "\n");
  if (n > 0 && line.data()[n - 1] == '\r') --n;
  if (!ended || n == 0) return Status::InvalidArgument("no passphrase entered");
  line.Truncate(n);
  return line;
}

}  // namespace

Result<SecureBuffer> ReadPassphrase(const std::string& passphrase_file, const std::string& what, bool confirm) {
  if (!passphrase_file.empty()) return PassphraseFromFile(passphrase_file);
  if (const char* env = std::getenv("ZEKTRA_PASSPHRASE"); env != nullptr && env[0] != '\0') {
    return SecureBuffer::CopyOf(AsBytes(std::string_view(env, std::strlen(env))));
  }
  if (const char* env = std::getenv("ZEKTRA_PASSPHRASE_FILE"); env != nullptr && env[0] != '\0') {
    return PassphraseFromFile(env);
  }
  if (::isatty(STDIN_FILENO) != 1) {
    return Status::InvalidArgument("no passphrase for " + what +
                                   ": use --passphrase-file, ZEKTRA_PASSPHRASE or ZEKTRA_PASSPHRASE_FILE, or run on a terminal");
  }
  ZK_ASSIGN_OR_RETURN(SecureBuffer first, Prompt("Passphrase for " + what + ": "));
  if (confirm) {
    ZK_ASSIGN_OR_RETURN(SecureBuffer again, Prompt("Repeat the passphrase: "));
    if (!ConstantTimeEqual(first.view(), again.view())) return Status::InvalidArgument("the passphrases differ");
  }
  return first;
}

vault::PassphraseFn PassphraseSource(const std::string& passphrase_file) {
  return [passphrase_file](const std::string& dir) { return ReadPassphrase(passphrase_file, "vault " + dir); };
}

Result<ml::Table> LoadTableForCli(const std::string& data, const ml::CsvOptions& options,
                                  pot::DatasetSecret* secret_out) {
  if (!vault::IsVaultUri(data)) return ml::LoadCsv(data, options);
  return vault::LoadDatasetFromVault(data, options, PassphraseSource(), secret_out);
}

}  // namespace zektra::cli

namespace zektra::cli {
nlohmann::json ManifestJson(const vault::Manifest& m) {
  return {{"name", m.name},
          {"commitment", m.commitment.IdHex()},
          {"rows", m.rows},
          {"features", m.feature_names.size()},
          {"feature_names", m.feature_names},
          {"label", m.label_name},
          {"fraction_bits", m.commitment.fraction_bits},
          {"created_at", m.CreatedAtIso()},
          {"created_at_unix", m.created_at_unix},
          {"plaintext_bytes", m.plaintext_bytes},
          {"ciphertext_bytes", m.ciphertext_bytes},
          {"ciphertext_sha256", ToHex(m.ciphertext_sha256)},
          {"owner_sign_key", ToHex(m.owner_sign_key)},
          {"owner_box_key", ToHex(m.owner_box_key)},
          {"signature_valid", true}};
}
}  // namespace zektra::cli
