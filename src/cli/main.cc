// The `zektra` command: parses the command line and dispatches to one subcommand.
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <map>

#include "cli/command.h"

namespace {

// The provers allocate and free multi-GB field tables phase after phase (witness, commitment,
// lookup tables, sumcheck folds). With glibc's defaults every table above 32 MiB is a fresh
// mmap, and every free returns it to the kernel, so each phase faults its pages in again; on
// the virtual machines we measured, a first touch costs far more than the arithmetic done on
// the page (mlp:32 proof of training: 29.6 s of 40.9 s in the kernel, 30 % of all cycles in
// clear_page). Keeping freed memory in the heap and reusing it halves the prove time. The cost
// is that the process keeps its peak heap until it exits, which suits a command-line run.
// ZEKTRA_MALLOC_DEFAULT=1 keeps glibc's defaults (for measuring). Sanitizer builds replace
// malloc, and mallopt is then a no-op.
void ConfigureMemoryPolicy() {
  if (const char* keep = std::getenv("ZEKTRA_MALLOC_DEFAULT"); keep && keep[0] == '1') return;
  mallopt(M_MMAP_MAX, 0);         // every block from the heap, none mmapped (and unmapped) alone
  mallopt(M_TRIM_THRESHOLD, -1);  // never give the heap's top back (−1 reads as SIZE_MAX)
  mallopt(M_TOP_PAD, 64 << 20);   // grow the heap in 64 MiB steps: fewer brk calls
}

}  // namespace

int main(int argc, char** argv) {
  using namespace zektra::cli;
  ConfigureMemoryPolicy();
  CLI::App app{
      "Zektra: train models on private data, with a zero-knowledge proof anyone can check.\n"
      "Exit status: 0 ok, 1 proof or check rejected, 2 usage error, 3 bad input or I/O error.\n"
      "Every subcommand takes --json (one JSON object on stdout) and --help.",
      "zektra"};
  app.set_version_flag("--version", std::string("zektra ") + ZEKTRA_VERSION);
  app.require_subcommand(1);
  app.fallthrough(false);

  // Commands with a space in their registered name ("dataset commit") nest under a group.
  std::map<std::string, CLI::App*> groups;
  RunFn chosen;
  std::vector<std::pair<CLI::App*, RunFn>> runs;
  auto& registry = CommandRegistry();
  std::sort(registry.begin(), registry.end(), [](auto& a, auto& b) { return a.name < b.name; });
  for (auto& spec : registry) {
    CLI::App* parent = &app;
    std::string leaf = spec.name;
    if (auto space = spec.name.find(' '); space != std::string::npos) {
      std::string group = spec.name.substr(0, space);
      leaf = spec.name.substr(space + 1);
      auto it = groups.find(group);
      if (it == groups.end()) {
        static const std::map<std::string, std::string> kGroupHelp = {
            {"bench", "Measure performance: core, ml, pot, he, he-train, vault"},
            {"dataset", "Commit to a dataset, or synthesise one"},
            {"he", "Homomorphic encryption: keys (single or multiparty), encrypt, train on ciphertexts, decrypt"},
            {"vault", "Client-side encrypted datasets: init, add, list, show, export, grant, open-grant"},
        };
        auto help = kGroupHelp.find(group);
        CLI::App* g = app.add_subcommand(
            group, help != kGroupHelp.end() ? help->second : "'zektra " + group + " --help' lists its verbs");
        g->require_subcommand(1);
        it = groups.emplace(group, g).first;
      }
      parent = it->second;
    }
    CLI::App* sub = parent->add_subcommand(leaf, spec.description);
    runs.emplace_back(sub, spec.setup(*sub));
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  for (auto& [sub, run] : runs) {
    if (sub->parsed()) return run();
  }
  std::cerr << app.help();
  return kExitUsage;
}
