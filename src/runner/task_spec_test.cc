#include "runner/task_spec.h"

#include <gtest/gtest.h>

#include "runner/test_sandbox.h"

namespace borealis::runner {
namespace {

TEST(LoadLaunchSpecTest, ReportsMissingFileWithItsPath) {
  auto spec = load_launch_spec("/nonexistent/dir/task.json");
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().message(),
            "cannot open /nonexistent/dir/task.json: No such file or directory");
}

TEST(LoadLaunchSpecTest, RefusesATaskTheRulesRefuseNamingTheFile) {
  testing::TempSandbox sb;
  std::string path = sb.file(".runner/task.json");
  testing::write_file(path, R"({"task_id": "t", "task": {"processes": [
      {"name": "a", "cmdline": "x", "daemon": true}, {"name": "b", "cmdline": "y"}],
      "constraints": [{"order": ["a", "b"]}]}})");
  auto spec = load_launch_spec(path);
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().message(),
            path +
                ": task.constraints[0].order: process 'b' may not wait on daemon process 'a' (a "
                "daemon never finishes)");
}

}  // namespace
}  // namespace borealis::runner
