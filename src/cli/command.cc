#include "cli/command.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace zektra::cli {

std::vector<CommandSpec>& CommandRegistry() {
  static std::vector<CommandSpec> registry;
  return registry;
}

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return kExitOk;
    case StatusCode::kRejected:
      return kExitRejected;
    case StatusCode::kInvalidArgument:
      return kExitUsage;
    default:
      return kExitBadInput;
  }
}

int ReportError(const Status& status, bool json) {
  if (json) {
    PrintJson({{"error", status.message()}, {"exit_code", ExitCodeFor(status)}});
  }
  std::cerr << "zektra: error: " << status.message() << "\n";
  return ExitCodeFor(status);
}

void PrintJson(const nlohmann::json& j) { std::cout << j.dump(2) << std::endl; }

bool StderrIsTerminal() { return ::isatty(STDERR_FILENO) == 1; }

Progress::Progress(std::string task) : task_(std::move(task)), active_(StderrIsTerminal()) {}

void Progress::Update(const std::string& line) {
  if (!active_) return;
  std::fprintf(stderr, "\r\033[K%s: %s", task_.c_str(), line.c_str());
  std::fflush(stderr);
  shown_ = true;
}

void Progress::Done() {
  if (active_ && shown_) std::fprintf(stderr, "\r\033[K");
  shown_ = false;
}

Progress::~Progress() { Done(); }

}  // namespace zektra::cli
