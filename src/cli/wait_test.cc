#include "cli/wait.h"

#include <gtest/gtest.h>

namespace borealis::cli {
namespace {

TaskInfo task(int32_t instance, std::string status, std::string message = "") {
  TaskInfo t;
  t.instance_id = instance;
  t.status = std::move(status);
  t.task_id = "t" + std::to_string(instance) + "-" + t.status;
  t.message = std::move(message);
  return t;
}

using Kind = WaitState::Kind;

TEST(WaitTest, TargetNames) {
  EXPECT_EQ(parse_wait_target("RUNNING"), WaitTarget::kRunning);
  EXPECT_EQ(parse_wait_target("running"), std::nullopt);
  EXPECT_EQ(wait_target_name(WaitTarget::kFinished), "FINISHED");
}

TEST(WaitTest, PendingIsReachedOnceAccepted) {
  EXPECT_EQ(evaluate_wait({}, 3, WaitTarget::kPending).kind, Kind::kReached);
}

TEST(WaitTest, RunningWaitsForEveryInstanceAndSaysWhy) {
  std::vector<TaskInfo> tasks = {task(0, "RUNNING"),
                                 task(1, "PENDING", "no agent has 64.0 GiB ram free")};
  WaitState st = evaluate_wait(tasks, 3, WaitTarget::kRunning);
  EXPECT_EQ(st.kind, Kind::kWaiting);
  EXPECT_EQ(st.progress, "1/3 RUNNING, 1 NO TASK YET, 1 PENDING");
  EXPECT_EQ(st.detail, "instance 1 is PENDING: no agent has 64.0 GiB ram free (task t1-PENDING)");

  tasks.push_back(task(2, "FINISHED"));  // a short task that already ran counts
  tasks[1] = task(1, "RUNNING");
  st = evaluate_wait(tasks, 3, WaitTarget::kRunning);
  EXPECT_EQ(st.kind, Kind::kReached);
  EXPECT_EQ(st.progress, "3/3 RUNNING");
}

TEST(WaitTest, RunningFailsOnAFailedTaskEvenWithAReplacement) {
  // Active replacement first, then the ended task (the API's order).
  std::vector<TaskInfo> tasks = {task(0, "RUNNING"), task(1, "PENDING"),
                                 task(1, "FAILED", "process main exited 1")};
  WaitState st = evaluate_wait(tasks, 2, WaitTarget::kRunning);
  EXPECT_EQ(st.kind, Kind::kFailed);
  EXPECT_EQ(st.detail, "instance 1 had a task FAILED: process main exited 1 (task t1-FAILED)");
}

TEST(WaitTest, RunningFailsWhenAnInstanceEndsWithoutReplacement) {
  WaitState st = evaluate_wait({task(0, "KILLED", "killed by user")}, 1, WaitTarget::kRunning);
  EXPECT_EQ(st.kind, Kind::kFailed);
  EXPECT_EQ(st.detail, "instance 0 ended KILLED: killed by user (task t0-KILLED)");
}

TEST(WaitTest, FinishedNeedsEveryInstanceEndedAndSucceeded) {
  WaitState running =
      evaluate_wait({task(0, "FINISHED"), task(1, "RUNNING")}, 2, WaitTarget::kFinished);
  EXPECT_EQ(running.kind, Kind::kWaiting);
  EXPECT_EQ(running.progress, "1/2 ended, 1 RUNNING");

  WaitState ok =
      evaluate_wait({task(0, "FINISHED"), task(1, "FINISHED")}, 2, WaitTarget::kFinished);
  EXPECT_EQ(ok.kind, Kind::kReached);

  WaitState failed =
      evaluate_wait({task(0, "FINISHED"), task(1, "FAILED", "exit 3")}, 2, WaitTarget::kFinished);
  EXPECT_EQ(failed.kind, Kind::kFailed);
  EXPECT_EQ(failed.detail, "instance 1 ended FAILED: exit 3 (task t1-FAILED)");
}

TEST(WaitTest, InstancesOutsideTheJobAreIgnored) {
  WaitState st = evaluate_wait({task(0, "RUNNING"), task(5, "FAILED")}, 1, WaitTarget::kRunning);
  EXPECT_EQ(st.kind, Kind::kReached);
}

TEST(WaitTest, PollsStartFastAndSlowDown) {
  PollBackoff b(50, 1000);
  std::vector<TimeMs> got;
  for (int i = 0; i < 7; ++i) got.push_back(b.next());
  EXPECT_EQ(got, (std::vector<TimeMs>{50, 100, 200, 400, 800, 1000, 1000}));

  PollBackoff flat(0, 1000);  // no fast start
  EXPECT_EQ(flat.next(), 1000);
  EXPECT_EQ(flat.next(), 1000);
  PollBackoff big(5000, 1000);
  EXPECT_EQ(big.next(), 1000);
}

}  // namespace
}  // namespace borealis::cli
