// Agent liveness on the monotonic clock, stalls of the scheduler itself, and LOST and
// launch failures throttled and counted so that nothing relaunches without end.
#include <gtest/gtest.h>

#include "scheduler/core/sim_cluster.h"

namespace borealis::scheduler {
namespace {

CoreOptions options() { return SimCluster::fast_options(); }

const Task* active(SimCluster& c, const std::string& name, int32_t instance) {
  const Job* j = c.core().find_job(JobKey{"www-data", "prod", name});
  return j ? j->instances.at(instance).active : nullptr;
}

bool all_active(SimCluster& c) {
  for (const Agent& a : c.core().agents())
    if (!a.active) return false;
  return true;
}

class CoreLivenessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    c_.add_agent("a", 4, 8LL << 30, 8LL << 30);
    c_.add_agent("b", 4, 8LL << 30, 8LL << 30);
    ASSERT_TRUE(c_.core().create_job(SimCluster::job("web", 2, 1.0), c_.clock().now_ms()).ok());
    c_.step();
    ASSERT_EQ(c_.active_tasks("web").size(), 2u);
    c_.advance(1'000);  // the scheduler ticks: later gaps between ticks are stalls
  }
  SimCluster c_{options()};
};

TEST_F(CoreLivenessTest, AWallClockStepForwardLosesNoAgent) {
  c_.clock().advance_ms(3600'000);  // NTP or an operator steps the wall clock an hour on
  c_.advance(1'000);
  EXPECT_TRUE(all_active(c_));
  for (const Task* t : c_.active_tasks("web")) EXPECT_EQ(t->state, TaskState::kRunning);
}

TEST_F(CoreLivenessTest, ASilentAgentIsStillLostAfterTheWallClockStepsBack) {
  c_.silence_agent("a");
  c_.advance(2'000);
  c_.clock().set_ms(c_.clock().now_ms() - 3600'000);
  c_.advance(9'000);  // 11 s of silence on the monotonic clock
  const Agent* a = nullptr;
  for (const Agent& x : c_.core().agents())
    if (x.hostname == "a") a = &x;
  ASSERT_NE(a, nullptr);
  EXPECT_FALSE(a->active);
  EXPECT_EQ(c_.running_on("b").size(), 1u);
}

TEST_F(CoreLivenessTest, AStallOfTheSchedulerGivesEveryAgentAFreshTimeout) {
  // The scheduler's process was stopped for a minute: no tick, no poll handled. Agents
  // polled meanwhile; their polls wait in the socket until after the first tick.
  c_.clock().advance_ms(60'000);
  c_.mono_clock().advance_ms(60'000);
  c_.core().tick(c_.clock().now_ms(), c_.mono_clock().mono_ms());
  EXPECT_EQ(c_.core().liveness_stalls(), 1u);
  EXPECT_TRUE(all_active(c_));
  c_.step();  // the waiting polls are handled
  c_.advance(20'000);
  EXPECT_TRUE(all_active(c_));
  for (const Task* t : c_.active_tasks("web")) EXPECT_EQ(t->state, TaskState::kRunning);
  EXPECT_EQ(c_.core().liveness_stalls(), 1u);  // 100 ms ticks are no stall
}

TEST_F(CoreLivenessTest, AnAgentDeadAcrossAStallIsLostOneTimeoutAfterIt) {
  c_.silence_agent("a");
  c_.clock().advance_ms(60'000);
  c_.mono_clock().advance_ms(60'000);
  c_.core().tick(c_.clock().now_ms(), c_.mono_clock().mono_ms());
  c_.step();
  EXPECT_TRUE(all_active(c_));
  c_.advance(9'000);
  EXPECT_TRUE(all_active(c_));
  c_.advance(2'000);
  EXPECT_FALSE(all_active(c_));
  EXPECT_EQ(c_.running_on("a").size(), 1u);  // the silenced agent's view, unchanged
}

// One agent "a" running a batch job "batch" of one instance.
void start_batch(SimCluster& c, int32_t max_task_failures) {
  c.add_agent("a", 4, 8LL << 30, 8LL << 30);
  jobspec::JobSpec spec = SimCluster::job("batch", 1, 1.0, 64 << 20, /*service=*/false);
  spec.max_task_failures = max_task_failures;
  ASSERT_TRUE(c.core().create_job(spec, c.clock().now_ms()).ok());
  c.step();
  c.advance(1'000);
  ASSERT_EQ(active(c, "batch", 0)->state, TaskState::kRunning);
}

TEST(CoreLostTest, LostReportedByTheAgentCountsTowardMaxTaskFailures) {
  SimCluster c(options());
  ASSERT_NO_FATAL_FAILURE(start_batch(c, 2));
  std::string first = active(c, "batch", 0)->id;
  c.end_task(first, TaskState::kLost, "the agent lost the task's runner");
  const Task* second = active(c, "batch", 0);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->failure_count, 1);
  EXPECT_EQ(second->state, TaskState::kThrottled);
  EXPECT_NE(second->last_event().message().find("rescheduled after LOST; waiting 1 s"),
            std::string::npos)
      << second->last_event().message();
  c.advance(1'100);
  ASSERT_EQ(second->state, TaskState::kRunning);
  c.end_task(second->id, TaskState::kLost, "the agent lost the task's runner");
  EXPECT_EQ(active(c, "batch", 0), nullptr);  // failed for good: two failures
}

TEST(CoreLostTest, LostWithItsAgentIsThrottledButNotCounted) {
  SimCluster c(options());
  ASSERT_NO_FATAL_FAILURE(start_batch(c, 1));
  c.silence_agent("a");
  c.advance(10'100);
  const Task* next = active(c, "batch", 0);
  ASSERT_NE(next, nullptr);  // with max_task_failures 1, a counted LOST would end it
  EXPECT_EQ(next->failure_count, 0);
  EXPECT_EQ(next->state, TaskState::kThrottled);
}

// Launches the agent keeps reporting FAILED or LOST back off exponentially: over ten
// minutes a service is launched about once per longest wait (8 s), not at every tick.
class CoreLaunchLoopTest : public ::testing::TestWithParam<TaskState> {};

TEST_P(CoreLaunchLoopTest, LaunchesThatKeepEndingAtOnceBackOff) {
  SimCluster c(options());
  c.add_agent("a", 4, 8LL << 30, 8LL << 30);
  c.set_failing([](const Task&) { return true; }, GetParam());
  ASSERT_TRUE(c.core().create_job(SimCluster::job("svc", 1), c.clock().now_ms()).ok());
  c.step();
  c.advance(600'000);  // 6000 ticks
  // Waits of 1, 2 and 4 s, then 8 s each: about 4 + 73 launches in 600 s.
  EXPECT_GE(c.launches(), 60);
  EXPECT_LE(c.launches(), 90);
  const Task* t = active(c, "svc", 0);
  ASSERT_NE(t, nullptr);
  EXPECT_GE(t->failure_count, 10);
}

INSTANTIATE_TEST_SUITE_P(FailedAndLost, CoreLaunchLoopTest,
                         ::testing::Values(TaskState::kFailed, TaskState::kLost));

}  // namespace
}  // namespace borealis::scheduler
