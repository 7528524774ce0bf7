// Runs the built `zektra` binary for end-to-end CLI tests: its exit code and its output.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace zektra::cli_test {

struct CliRun {
  int code;
  std::string out;
};

// Runs `zektra ARGS` (in `cwd` when given). stdout only, unless with_stderr merges stderr in.
inline CliRun RunZektra(const std::string& args, bool with_stderr = false,
                        const std::string& cwd = "") {
  std::string cmd = (cwd.empty() ? "" : "cd '" + cwd + "' && ") + std::string(ZEKTRA_CLI_PATH) +
                    " " + args + (with_stderr ? " 2>&1" : " 2>/dev/null");
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return {-1, ""};
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// A held-out test file for CLI tests: `csv`'s header and every fifth row, written to `out`.
inline void WriteEveryFifthRow(const std::string& csv, const std::string& out_path) {
  std::ifstream in(csv);
  std::ofstream out(out_path);
  std::string line;
  for (int i = 0; std::getline(in, line); ++i)
    if (i == 0 || i % 5 == 0) out << line << "\n";
}

}  // namespace zektra::cli_test
