#include "api/task_run.h"

#include <gtest/gtest.h>

#include "api/codec_test_util.h"

namespace borealis::api {
namespace {

using testing::expect_round_trip;

TEST(TaskRunTest, RoundTrips) {
  expect_round_trip(TaskRunRequest{"ls -l", 5});
  expect_round_trip(TaskRunResult{"t1", 0, 0, false, "a\nb\n", 4, false, 12});
  expect_round_trip(TaskRunResult{"t1", -1, 9, true, "", 2000000, true, 5000});
  EXPECT_FALSE(encode(TaskRunResult{}).contains("signal"));
}

TEST(TaskRunTest, ARequestNeedsACommandAndNoUnknownField) {
  auto missing = decode<TaskRunRequest>(json::value(json::object{{"timeout_secs", 3}}));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("command"), std::string::npos);
  auto extra =
      decode<TaskRunRequest>(json::value(json::object{{"command", "id"}, {"user", "root"}}));
  ASSERT_FALSE(extra.ok());
  EXPECT_NE(extra.status().message().find("user"), std::string::npos) << extra.status().message();
  auto defaults = decode<TaskRunRequest>(json::value(json::object{{"command", "id"}}));
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->timeout_secs, kTaskRunDefaultTimeoutSecs);
}

TEST(TaskRunTest, ChecksTheBounds) {
  EXPECT_TRUE(check_task_run_request({"id", 1}).ok());
  EXPECT_TRUE(check_task_run_request({"id", kTaskRunMaxTimeoutSecs}).ok());
  EXPECT_EQ(check_task_run_request({"", 5}).message(), "command: empty");
  EXPECT_EQ(check_task_run_request({"id", 0}).message(), "timeout_secs: expected 1 to 600, got 0");
  EXPECT_FALSE(check_task_run_request({"id", kTaskRunMaxTimeoutSecs + 1}).ok());
  std::string big(kTaskRunMaxCommandBytes + 1, 'x');
  EXPECT_EQ(check_task_run_request({big, 5}).message(), "command: 16385 bytes, at most 16384");
}

}  // namespace
}  // namespace borealis::api
