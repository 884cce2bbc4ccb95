#include "protocol/task_state.h"

#include <gtest/gtest.h>

#include "api/codec_test_util.h"

namespace borealis::protocol {
namespace {

using api::testing::expect_refused;
using api::testing::expect_round_trip;

TEST(TaskStateTest, NamesRoundTrip) {
  for (auto s : {TaskState::kStarting, TaskState::kRunning, TaskState::kFinished,
                 TaskState::kFailed, TaskState::kKilled, TaskState::kLost})
    EXPECT_EQ(parse_task_state(task_state_name(s)), s);
  // States only the scheduler assigns are not part of the protocol.
  for (const char* s : {"PENDING", "ASSIGNED", "KILLING", "running"})
    EXPECT_FALSE(parse_task_state(s).has_value()) << s;
}

TEST(TaskStateTest, StatusUpdateRoundTrips) {
  expect_round_trip(StatusUpdate{7, "t", TaskState::kLost, 123, "why", {1, 2}});
  expect_round_trip(StatusUpdate{1, "t", TaskState::kStarting, 0, "", {}});
  expect_round_trip(TaskReport{"t", TaskState::kRunning});
  expect_round_trip(
      TaskReport{"t", TaskState::kRunning, TaskUsage{9, 1.5, 0.5, 4096, -1, 8192, 7}});
}

TEST(TaskStateTest, ATaskReportsUsageIsChecked) {
  json::value bad = json::object{
      {"task_id", "t"}, {"state", "RUNNING"}, {"usage", json::object{{"cpu_seconds", "lots"}}}};
  auto r = api::decode<TaskReport>(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("usage"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("cpu_seconds"), std::string::npos) << r.status().message();
}

TEST(TaskStateTest, StatusUpdateRefusals) {
  StatusUpdate u{7, "t", TaskState::kLost, 123, "why", {1, 2}};
  const json::value text = "x", number = 1;
  for (const char* f : {"seq", "task_id", "state"})
    expect_refused(u, std::string("/") + f, std::string("update.") + f + ": is required");
  expect_refused(u, "/seq", "update.seq: expected an integer", text);
  expect_refused(u, "/task_id", "update.task_id: expected a string", number);
  expect_refused(u, "/state", "update.state: expected a string", number);
  expect_refused(u, "/state", "update.state: unknown task state 'NOPE'", json::value("NOPE"));
  expect_refused(u, "/ts_ms", "update.ts_ms: expected an integer", text);
  expect_refused(u, "/message", "update.message: expected a string", number);
  expect_refused(u, "/pids", "update.pids: expected a list", text);
  expect_refused(u, "/pids/1", "update.pids: expected integers", text);
  json::object extra = encode(u);
  extra["health"] = "ok";
  EXPECT_EQ(api::decode<StatusUpdate>(extra).status().message(), "update.health: unknown field");
}

TEST(TaskStateTest, TaskReportRefusals) {
  TaskReport t{"t", TaskState::kRunning};
  expect_refused(t, "/task_id", "task.task_id: is required");
  expect_refused(t, "/state", "task.state: is required");
  expect_refused(t, "/task_id", "task.task_id: expected a string", 1);
  expect_refused(t, "/state", "task.state: unknown task state 'ASSIGNED'", json::value("ASSIGNED"));
}

}  // namespace
}  // namespace borealis::protocol
