#include "taskcontract/log_policy.h"

#include <gtest/gtest.h>

#include "taskcontract/task_spec.h"

namespace borealis::taskcontract {
namespace {

TEST(LogPolicyTest, PipesOnlyWhenTheRunnerMustSeeTheBytes) {
  auto file = make_log_policy("file", "standard", 0, 0);
  ASSERT_TRUE(file.ok()) << file.status().to_string();
  EXPECT_FALSE(file->piped());  // direct to the file: no cost in the runner
  EXPECT_TRUE(file->to_file());
  auto none = make_log_policy("none", "rotate", 4096, 2);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->piped());
  EXPECT_FALSE(none->to_file());
  EXPECT_FALSE(none->to_console());
  auto rotate = make_log_policy("file", "rotate", 4096, 2);
  ASSERT_TRUE(rotate.ok());
  EXPECT_TRUE(rotate->piped());
  auto console = make_log_policy("console", "standard", 0, 0);
  ASSERT_TRUE(console.ok());
  EXPECT_TRUE(console->piped());
  EXPECT_FALSE(console->to_file());
  auto both = make_log_policy("both", "standard", 0, 0);
  ASSERT_TRUE(both.ok());
  EXPECT_TRUE(both->to_file() && both->to_console() && both->piped());
}

TEST(LogPolicyTest, RefusesUnknownNamesAndRotationOutOfBounds) {
  EXPECT_EQ(make_log_policy("syslog", "standard", 0, 0).status().message(),
            "destination: expected file, console, both or none, got 'syslog'");
  EXPECT_EQ(make_log_policy("file", "daily", 0, 0).status().message(),
            "mode: expected standard or rotate, got 'daily'");
  EXPECT_EQ(make_log_policy("file", "rotate", 1023, 1).status().message(),
            "rotate.log_size: expected 1024 to 1099511627776, got 1023");
  EXPECT_EQ(make_log_policy("file", "rotate", 1024, 0).status().message(),
            "rotate.backups: expected 1 to 1024, got 0");
  EXPECT_EQ(make_log_policy("file", "rotate", 1024, 1025).status().message(),
            "rotate.backups: expected 1 to 1024, got 1025");
  EXPECT_TRUE(make_log_policy("file", "rotate", 1024, 1024).ok());
  // Sizes only matter when rotating, as in Thermos.
  EXPECT_TRUE(make_log_policy("file", "standard", 0, 0).ok());
}

std::string task_json_with_logger(const std::string& logger) {
  return R"({"task_id": "t", "task": {"processes": [{"name": "p", "cmdline": "x", "logger": )" +
         logger + "}]}}";
}

TEST(LogPolicyTest, TaskJsonCarriesTheLogger) {
  auto spec = parse_launch_spec(task_json_with_logger(
      R"({"destination": "both", "mode": "rotate", "rotate": {"log_size": 65536, "backups": 2}})"));
  ASSERT_TRUE(spec.ok()) << spec.status().to_string();
  const LogPolicy& log = spec->task.processes[0].log;
  EXPECT_EQ(log.destination, LogDestination::kBoth);
  EXPECT_EQ(log.mode, LogMode::kRotate);
  EXPECT_EQ(log.log_size, 65536);
  EXPECT_EQ(log.backups, 2);

  // mode rotate without a RotatePolicy takes RotatePolicy's defaults.
  auto defaults = parse_launch_spec(task_json_with_logger(R"({"mode": "rotate"})"));
  ASSERT_TRUE(defaults.ok()) << defaults.status().to_string();
  EXPECT_EQ(defaults->task.processes[0].log.destination, LogDestination::kFile);
  EXPECT_EQ(defaults->task.processes[0].log.log_size, 100 * 1024 * 1024);
  EXPECT_EQ(defaults->task.processes[0].log.backups, 5);

  auto bad = parse_launch_spec(
      task_json_with_logger(R"({"mode": "rotate", "rotate": {"log_size": 4096, "backups": 0}})"));
  EXPECT_EQ(bad.status().message(),
            "task.processes[0].logger.rotate.backups: expected 1 to 1024, got 0");
  auto wrong = parse_launch_spec(task_json_with_logger(R"("file")"));
  EXPECT_EQ(wrong.status().message(),
            "task.processes[0].logger: expected an object, found a string");
}

}  // namespace
}  // namespace borealis::taskcontract
