// How a subcommand plugs into the `zektra` binary.
//
// Each subcommand lives in its own file (STYLE.md 12) and registers itself with a
// static CommandRegistrar, so adding a command never touches main.cc:
//
//   static CommandRegistrar reg("train", [](CLI::App& app) { ...; return RunFn; });
//
// The setup function declares options on the CLI11 subcommand and returns the function
// to run when that subcommand is chosen. Run functions return an exit code (ExitCode).
// The library never prints; commands do.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "zektra/base/status.h"

namespace zektra::cli {

enum ExitCode : int { kExitOk = 0, kExitRejected = 1, kExitUsage = 2, kExitBadInput = 3 };

using RunFn = std::function<int()>;
using SetupFn = std::function<RunFn(CLI::App&)>;

struct CommandSpec {
  std::string name;
  std::string description;
  SetupFn setup;
};

std::vector<CommandSpec>& CommandRegistry();

struct CommandRegistrar {
  CommandRegistrar(std::string name, std::string description, SetupFn setup) {
    CommandRegistry().push_back({std::move(name), std::move(description), std::move(setup)});
  }
};

// Maps a library Status to the documented exit codes and prints it on stderr
// (or as {"error": ...} on stdout under --json).
int ReportError(const Status& status, bool json);
int ExitCodeFor(const Status& status);

// Prints one JSON object on stdout (the --json contract: nothing else on stdout).
void PrintJson(const nlohmann::json& j);

// True when stderr is a terminal: progress lines are shown only then.
bool StderrIsTerminal();

// A one-line progress display on stderr, redrawn in place; silent when stderr is
// not a terminal, so logs and pipes stay clean.
class Progress {
 public:
  explicit Progress(std::string task);
  void Update(const std::string& line);
  void Done();
  ~Progress();

 private:
  std::string task_;
  bool active_;
  bool shown_ = false;
};

}  // namespace zektra::cli
