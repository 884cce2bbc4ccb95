// Helpers for the CLI's tests: a temporary directory removed at the end of the test (the
// one every module's tests share), and run_cli with its output captured.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "testing/temp_dir.h"

namespace borealis::cli::testing {

using ::borealis::testing::TempDir;

// What one run of the command gave.
struct CliRun {
  int code;
  std::string out;
  std::string err;
};

inline CliRun run_captured(const std::vector<std::string>& args, const CliEnv& env) {
  std::ostringstream out, err;
  int code = run_cli(args, out, err, env);
  return {code, out.str(), err.str()};
}

}  // namespace borealis::cli::testing
