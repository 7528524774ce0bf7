// `zektra bench he --json` as a user runs it: one JSON object with the documented keys.
#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

namespace zektra::he {
namespace {

TEST(HeBenchCli, PrintsTheDocumentedKeys) {
  std::string command = std::string(ZEKTRA_CLI_PATH) + " bench he --json --quick --repetitions 1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[4096];
  while (size_t got = fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, got);
  ASSERT_EQ(pclose(pipe), 0) << output;
  auto json = nlohmann::json::parse(output);
  for (const char* op :
       {"encode", "encrypt", "multiply", "relinearize", "rescale", "rotate", "decrypt"}) {
    std::string key = std::string("n2p14_") + op + "_ms";
    ASSERT_TRUE(json.contains(key)) << key;
    EXPECT_GT(json[key].get<double>(), 0.0) << key;
  }
  EXPECT_EQ(json["n2p14_log_pq_bits"].get<int>(), 420);
  EXPECT_LT(json["n2p14_max_slot_error"].get<double>(), 1e-6);
}

}  // namespace
}  // namespace zektra::he
