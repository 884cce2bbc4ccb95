// Scenarios of the task lifecycle, driven through SimCluster with a fake clock.
#include <gtest/gtest.h>

#include "scheduler/core/job_summary.h"
#include "scheduler/core/sim_cluster.h"

namespace borealis::scheduler {
namespace {

class CoreTest : public ::testing::Test {
 protected:
  CoreTest() : c_(SimCluster::fast_options()) {
    c_.add_agent("a", 4, 8LL << 30, 8LL << 30);
    c_.add_agent("b", 4, 8LL << 30, 8LL << 30);
  }
  TimeMs now() { return c_.clock().now_ms(); }
  const Task* only(const std::string& job) {
    auto t = c_.active_tasks(job);
    EXPECT_EQ(t.size(), 1u);
    return t.empty() ? nullptr : t[0];
  }
  SimCluster c_;
};

TEST_F(CoreTest, CreateRunsEveryInstanceWithWellFormedIds) {
  auto job = c_.core().create_job(SimCluster::job("hello", 3), now());
  ASSERT_TRUE(job.ok()) << job.status().to_string();
  c_.step();
  auto tasks = c_.active_tasks("hello");
  ASSERT_EQ(tasks.size(), 3u);
  for (const Task* t : tasks) {
    EXPECT_EQ(t->state, TaskState::kRunning);
    std::string prefix = "www-data-prod-hello-" + std::to_string(t->instance) + "-";
    EXPECT_EQ(t->id.substr(0, prefix.size()), prefix);
    EXPECT_EQ(t->id.size(), prefix.size() + 36);
    std::vector<TaskState> states;
    for (const auto& e : t->events) states.push_back(e.state);
    EXPECT_EQ(states, (std::vector<TaskState>{TaskState::kPending, TaskState::kAssigned,
                                              TaskState::kStarting, TaskState::kRunning}));
  }
  EXPECT_EQ(summarize(*c_.core().find_job({"www-data", "prod", "hello"})).status, "RUNNING");
}

// The scheduler's borealis_scheduling_latency_seconds: how long each placed task waited
// PENDING, on the core's clock; each wait is handed out once.
TEST(CoreSchedulingWaitTest, EachPlacedTaskReportsHowLongItWaitedPending) {
  SimCluster c(SimCluster::fast_options());
  ASSERT_TRUE(c.core().create_job(SimCluster::job("hello", 2), c.clock().now_ms()).ok());
  c.advance(5000);
  EXPECT_TRUE(c.core().take_scheduling_waits().empty());  // no agent: nothing placed
  c.add_agent("a", 4, 8LL << 30, 8LL << 30);
  c.advance(100);
  std::vector<TimeMs> waits = c.core().take_scheduling_waits();
  ASSERT_EQ(waits.size(), 2u);
  for (TimeMs w : waits) {
    EXPECT_GE(w, 5000);
    EXPECT_LE(w, 5100);
  }
  EXPECT_TRUE(c.core().take_scheduling_waits().empty());
}

TEST_F(CoreTest, DuplicateCreateIsRefusedAndNothingChanges) {
  ASSERT_TRUE(c_.core().create_job(SimCluster::job("hello", 2), now()).ok());
  c_.step();
  auto again = c_.core().create_job(SimCluster::job("hello", 5), now());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(
      again.status().message().find("devcluster/www-data/prod/hello already exists with 2 active"),
      std::string::npos);
  EXPECT_EQ(c_.active_tasks("hello").size(), 2u);
}

TEST_F(CoreTest, InvalidSpecsAreRefusedWithFieldNames) {
  auto bad = SimCluster::job("bad", 1, -1.0);
  auto r = c_.core().create_job(bad, now());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("task.resources.cpu"), std::string::npos);
  auto other = SimCluster::job("x", 1);
  other.cluster = "elsewhere";
  r = c_.core().create_job(other, now());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("names cluster 'elsewhere'"), std::string::npos);
  auto docker = SimCluster::job("d", 1);
  docker.container = jobspec::ContainerSpec{};
  docker.container->docker_image = "debian:12";
  r = c_.core().create_job(docker, now());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  auto cron = SimCluster::job("c", 1, 1.0, 64 << 20, /*service=*/false);
  cron.cron_schedule = "*/5 * * * *";
  r = c_.core().create_job(cron, now());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("has a cron_schedule: cron jobs are scheduled"),
            std::string::npos);
  cron.cron_schedule = "*/5 * 30 2 *";
  r = c_.core().create_job(cron, now());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("cron_schedule: cron schedule '*/5 * 30 2 *': never fires"),
            std::string::npos)
      << r.status().message();
  EXPECT_EQ(c_.core().jobs().size(), 0u);
}

TEST_F(CoreTest, ServiceIsRestartedAfterFailureWithFlappingBackoff) {
  ASSERT_TRUE(c_.core().create_job(SimCluster::job("svc", 1), now()).ok());
  c_.step();
  const Task* first = only("svc");
  std::string first_id = first->id;
  c_.end_task(first_id, TaskState::kFailed, "process 'svc' exited 1");
  const Task* second = only("svc");
  ASSERT_NE(second->id, first_id);
  EXPECT_EQ(second->state, TaskState::kThrottled);  // it ran less than the threshold
  EXPECT_EQ(second->failure_count, 1);
  EXPECT_EQ(second->penalty_ms, 1000);
  c_.advance(900);
  EXPECT_EQ(only("svc")->state, TaskState::kThrottled);
  c_.advance(200);
  EXPECT_EQ(only("svc")->state, TaskState::kRunning);
  // The penalty doubles while it keeps flapping, up to the maximum.
  std::vector<int64_t> penalties;
  for (int i = 0; i < 5; ++i) {
    c_.end_task(only("svc")->id, TaskState::kFailed);
    penalties.push_back(only("svc")->penalty_ms);
    c_.advance(10'000);
  }
  EXPECT_EQ(penalties, (std::vector<int64_t>{2000, 4000, 8000, 8000, 8000}));
  // The ended task is kept in the instance's history.
  const Job* job = c_.core().find_job({"www-data", "prod", "svc"});
  EXPECT_EQ(job->instances.at(0).history.front()->state, TaskState::kFailed);
}

TEST_F(CoreTest, ServiceThatRanLongIsRestartedAtOnce) {
  ASSERT_TRUE(c_.core().create_job(SimCluster::job("svc", 1), now()).ok());
  c_.step();
  c_.advance(61'000, 1000);
  c_.end_task(only("svc")->id, TaskState::kFinished);
  EXPECT_EQ(only("svc")->state, TaskState::kPending);
  c_.advance(100);  // the next tick places it
  EXPECT_EQ(only("svc")->state, TaskState::kRunning);
  EXPECT_EQ(only("svc")->penalty_ms, 0);
}

TEST_F(CoreTest, BatchJobEndsFailedAfterMaxTaskFailures) {
  auto spec = SimCluster::job("batch", 1, 1.0, 64 << 20, /*service=*/false);
  spec.max_task_failures = 2;
  ASSERT_TRUE(c_.core().create_job(spec, now()).ok());
  c_.step();
  c_.end_task(only("batch")->id, TaskState::kFailed, "exit 1");
  // One failure < 2: rescheduled (throttled, since it failed fast).
  EXPECT_EQ(only("batch")->failure_count, 1);
  c_.advance(2000);
  ASSERT_EQ(only("batch")->state, TaskState::kRunning);
  c_.end_task(only("batch")->id, TaskState::kFailed, "exit 1");
  EXPECT_TRUE(c_.active_tasks("batch").empty());
  const Job* job = c_.core().find_job({"www-data", "prod", "batch"});
  EXPECT_EQ(summarize(*job).status, "FAILED");
  EXPECT_EQ(job->instances.at(0).history.size(), 2u);
}

TEST_F(CoreTest, BatchJobFinishes) {
  ASSERT_TRUE(c_.core().create_job(SimCluster::job("once", 2, 1.0, 64 << 20, false), now()).ok());
  c_.step();
  for (const Task* t : c_.active_tasks("once")) c_.end_task(t->id, TaskState::kFinished);
  EXPECT_TRUE(c_.active_tasks("once").empty());
  EXPECT_EQ(summarize(*c_.core().find_job({"www-data", "prod", "once"})).status, "FINISHED");
}

TEST_F(CoreTest, UnlimitedFailuresKeepRescheduling) {
  auto spec = SimCluster::job("retry", 1, 1.0, 64 << 20, false);
  spec.max_task_failures = -1;
  ASSERT_TRUE(c_.core().create_job(spec, now()).ok());
  c_.step();
  for (int i = 0; i < 6; ++i) {
    c_.end_task(only("retry")->id, TaskState::kFailed);
    c_.advance(10'000);
  }
  EXPECT_EQ(only("retry")->failure_count, 6);
}

TEST_F(CoreTest, KillInstancesAndKillAll) {
  ASSERT_TRUE(c_.core().create_job(SimCluster::job("web", 3), now()).ok());
  c_.step();
  auto killed = c_.core().kill({"www-data", "prod", "web"}, std::vector<int32_t>{1}, "", now());
  ASSERT_TRUE(killed.ok());
  ASSERT_EQ(killed->size(), 1u);
  const Task* t1 = c_.core().find_task((*killed)[0]);
  EXPECT_EQ(t1->state, TaskState::kKilling);
  c_.step();  // the agent obeys and reports KILLED
  EXPECT_EQ(c_.core().find_task((*killed)[0])->state, TaskState::kKilled);
  EXPECT_EQ(c_.active_tasks("web").size(), 2u);  // not rescheduled
  auto missing = c_.core().kill({"www-data", "prod", "web"}, std::vector<int32_t>{7}, "", now());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("has no instance 7"), std::string::npos);
  ASSERT_TRUE(c_.core().kill({"www-data", "prod", "web"}, std::nullopt, "", now()).ok());
  c_.step();
  EXPECT_TRUE(c_.active_tasks("web").empty());
  EXPECT_EQ(summarize(*c_.core().find_job({"www-data", "prod", "web"})).status, "KILLED");
  // The key can be used again once nothing is active.
  ASSERT_TRUE(c_.core().create_job(SimCluster::job("web", 1), now()).ok());
  auto nojob = c_.core().kill({"www-data", "prod", "nope"}, std::nullopt, "", now());
  EXPECT_EQ(nojob.status().code(), StatusCode::kNotFound);
}

TEST_F(CoreTest, KillingAPendingTaskEndsItAtOnce) {
  auto big = SimCluster::job("big", 1, 64.0);
  ASSERT_TRUE(c_.core().create_job(big, now()).ok());
  ASSERT_TRUE(c_.core().kill({"www-data", "prod", "big"}, std::nullopt, "", now()).ok());
  EXPECT_TRUE(c_.active_tasks("big").empty());
  EXPECT_EQ(c_.core().pending_count(), 0u);
}

TEST_F(CoreTest, PendingTaskIsPlacedWhenAnAgentArrives) {
  auto spec = SimCluster::job("wide", 3, 3.0);
  ASSERT_TRUE(c_.core().create_job(spec, now()).ok());
  c_.step();
  int pending = 0;
  for (const Task* t : c_.active_tasks("wide")) pending += t->state == TaskState::kPending;
  EXPECT_EQ(pending, 1);
  c_.add_agent("c", 4, 8LL << 30, 8LL << 30);
  c_.advance(100);
  for (const Task* t : c_.active_tasks("wide")) EXPECT_EQ(t->state, TaskState::kRunning);
}

TEST_F(CoreTest, ResourcesAreReturnedWhenTasksEnd) {
  ASSERT_TRUE(c_.core().create_job(SimCluster::job("web", 2, 4.0), now()).ok());
  c_.step();
  for (const Agent& a : c_.core().agents()) EXPECT_EQ(a.free().cpu_milli, 0);
  ASSERT_TRUE(c_.core().kill({"www-data", "prod", "web"}, std::nullopt, "", now()).ok());
  c_.step();
  for (const Agent& a : c_.core().agents()) {
    EXPECT_EQ(a.free().cpu_milli, 4000);
    EXPECT_TRUE(a.tasks.empty());
  }
}

TEST_F(CoreTest, HistoryIsBoundedAndOldTasksAreDeletedFromTheStore) {
  ASSERT_TRUE(c_.core().create_job(SimCluster::job("svc", 1), now()).ok());
  c_.step();
  for (int i = 0; i < 12; ++i) {
    c_.advance(61'000, 1000);
    c_.end_task(only("svc")->id, TaskState::kFinished);
  }
  const Job* job = c_.core().find_job({"www-data", "prod", "svc"});
  EXPECT_EQ(job->instances.at(0).history.size(), c_.core().options().history_per_instance);
  EXPECT_EQ(c_.core().task_count(), c_.core().options().history_per_instance + 1);
  EXPECT_EQ(c_.store().task_rows(), c_.core().task_count());
}

}  // namespace
}  // namespace borealis::scheduler
