// Restarting the scheduler from its store: the same jobs and tasks, no duplicates.
#include <gtest/gtest.h>

#include "scheduler/core/job_summary.h"
#include "scheduler/core/sim_cluster.h"

namespace borealis::scheduler {
namespace {

TEST(CoreRestoreTest, SameJobsAndTasksAfterRestart) {
  CoreOptions o;
  o.initial_flapping_delay_ms = 5000;
  SimCluster c(o);
  c.add_agent("a", 4, 8LL << 30, 8LL << 30);
  c.add_agent("b", 4, 8LL << 30, 8LL << 30);
  ASSERT_TRUE(c.core().create_job(SimCluster::job("web", 3, 1.0), c.clock().now_ms()).ok());
  ASSERT_TRUE(c.core().create_job(SimCluster::job("huge", 1, 64.0), c.clock().now_ms()).ok());
  c.step();
  c.end_task(c.active_tasks("web")[0]->id, TaskState::kFailed);  // one THROTTLED
  std::set<std::string> before;
  for (const auto& [id, _] : c.store().load().tasks) before.insert(id);
  std::map<std::string, TaskState> states;
  for (const auto& name : {"web", "huge"})
    for (const Task* t : c.active_tasks(name)) states[t->id] = t->state;

  ASSERT_TRUE(c.restart_scheduler().ok());
  EXPECT_EQ(c.core().jobs().size(), 2u);
  std::map<std::string, TaskState> after;
  for (const auto& name : {"web", "huge"})
    for (const Task* t : c.active_tasks(name)) after[t->id] = t->state;
  EXPECT_EQ(after, states);
  EXPECT_EQ(c.core().pending_count(), 1u);  // huge

  // Agents re-register with what they run: nothing is launched twice, nothing lost.
  int launches = c.launches();
  c.advance(6000);
  auto web = c.active_tasks("web");
  ASSERT_EQ(web.size(), 3u);
  for (const Task* t : web) EXPECT_EQ(t->state, TaskState::kRunning);
  EXPECT_EQ(c.launches(), launches + 1);  // only the throttled one, once its penalty ended
  size_t running = c.running_on("a").size() + c.running_on("b").size();
  EXPECT_EQ(running, 3u);
}

TEST(CoreRestoreTest, AssignedLaunchLostInCrashIsSentAgain) {
  SimCluster c;
  c.add_agent("a", 4, 8LL << 30, 8LL << 30);
  ASSERT_TRUE(c.core().create_job(SimCluster::job("web", 1), c.clock().now_ms()).ok());
  // Persist, but crash before the agent polls: the task is ASSIGNED in the store.
  c.store().apply(c.core().take_batch());
  ASSERT_TRUE(c.restart_scheduler().ok());
  EXPECT_EQ(c.active_tasks("web")[0]->state, TaskState::kAssigned);
  c.step();  // the agent re-registers without it, the launch is sent again
  c.step();
  EXPECT_EQ(c.active_tasks("web")[0]->state, TaskState::kRunning);
  EXPECT_EQ(c.launches(), 1);
}

TEST(CoreRestoreTest, AgentThatNeverReturnsTimesOut) {
  CoreOptions o;
  o.agent_timeout_ms = 5000;
  SimCluster c(o);
  c.add_agent("a", 4, 8LL << 30, 8LL << 30);
  ASSERT_TRUE(c.core().create_job(SimCluster::job("web", 1), c.clock().now_ms()).ok());
  c.step();
  std::string id = c.active_tasks("web")[0]->id;
  c.silence_agent("a");
  ASSERT_TRUE(c.restart_scheduler().ok());
  c.advance(6000);
  EXPECT_EQ(c.core().find_task(id)->state, TaskState::kLost);
}

TEST(CoreRestoreTest, CorruptRowsAreReportedNotIgnored) {
  StoredState s;
  s.tasks.push_back({"t1", "{not json"});
  Core core({}, 1);
  Status st = core.restore(s, 0);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("task row"), std::string::npos);
  StoredState orphan;
  orphan.tasks.push_back(
      {"t2", R"({"id":"t2","job":"r/prod/x","config":"c","instance":0,"state":"RUNNING"})"});
  Core core2({}, 1);
  st = core2.restore(orphan, 0);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("its job r/prod/x is missing"), std::string::npos);
}

}  // namespace
}  // namespace borealis::scheduler
