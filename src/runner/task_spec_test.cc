#include "runner/task_spec.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runner/test_sandbox.h"

namespace borealis::runner {
namespace {

TEST(LoadLaunchSpecTest, ReportsMissingFileWithItsPath) {
  auto spec = load_launch_spec("/nonexistent/dir");
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().message(), "cannot open /nonexistent/dir: No such file or directory");
  testing::TempSandbox sb;
  auto missing = load_launch_spec(sb.path());
  EXPECT_EQ(missing.status().message(),
            "cannot open " + sb.file(".runner/task.json") + ": No such file or directory");
}

TEST(LoadLaunchSpecTest, RefusesALinkOrAFifoAsTaskJson) {
  testing::TempSandbox sb;
  testing::write_file(sb.file("elsewhere.json"), R"({"task_id": "t", "task": {"processes": []}})");
  ASSERT_EQ(::symlink(sb.file("elsewhere.json").c_str(), sb.file(".runner/task.json").c_str()), 0);
  auto linked = load_launch_spec(sb.path());
  ASSERT_FALSE(linked.ok());
  EXPECT_EQ(linked.status().code(), StatusCode::kPermissionDenied);
  ASSERT_EQ(::unlink(sb.file(".runner/task.json").c_str()), 0);
  ASSERT_EQ(::mkfifo(sb.file(".runner/task.json").c_str(), 0600), 0);
  auto fifo = load_launch_spec(sb.path());  // returns at once: the open does not block
  ASSERT_FALSE(fifo.ok());
  EXPECT_NE(fifo.status().message().find("a FIFO"), std::string::npos) << fifo.status().message();
}

TEST(LoadLaunchSpecTest, RefusesATaskTheRulesRefuseNamingTheFile) {
  testing::TempSandbox sb;
  std::string path = sb.file(".runner/task.json");
  testing::write_file(path, R"({"task_id": "t", "task": {"processes": [
      {"name": "a", "cmdline": "x", "daemon": true}, {"name": "b", "cmdline": "y"}],
      "constraints": [{"order": ["a", "b"]}]}})");
  auto spec = load_launch_spec(sb.path());
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().message(),
            path +
                ": task.constraints[0].order: process 'b' may not wait on daemon process 'a' (a "
                "daemon never finishes)");
}

}  // namespace
}  // namespace borealis::runner
