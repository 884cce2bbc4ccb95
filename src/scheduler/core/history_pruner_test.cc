// Bounded history (history_pruner.h) with a fake clock: the per-job count, the age, each
// instance's outcome kept, and what the store is told to delete.
#include "scheduler/core/history_pruner.h"

#include <gtest/gtest.h>

#include "scheduler/core/job_summary.h"
#include "scheduler/core/sim_cluster.h"

namespace borealis::scheduler {
namespace {

const JobKey kRetry{"www-data", "prod", "retry"};

CoreOptions bounded(size_t per_job, TimeMs max_age_ms) {
  CoreOptions o = SimCluster::fast_options();
  o.history_per_instance = 50;  // the per-job bound is the one under test
  o.history.max_ended_tasks_per_job = per_job;
  o.history.max_age_ms = max_age_ms;
  return o;
}

size_t ended_tasks(const Job& job) {
  size_t n = 0;
  for (const auto& [_, inst] : job.instances) n += inst.history.size();
  return n;
}

// A batch job that fails for ever (max_task_failures -1) keeps only the newest ended tasks
// beyond the bound; the pruned ones leave memory and the store.
TEST(HistoryPrunerTest, KeepsTheNewestEndedTasksPerJob) {
  SimCluster c(bounded(3, 3600'000));
  c.add_agent("a", 4, 8LL << 30, 8LL << 30);
  auto spec = SimCluster::job("retry", 2, 1.0, 64 << 20, /*service=*/false);
  spec.max_task_failures = -1;
  ASSERT_TRUE(c.core().create_job(spec, c.clock().now_ms()).ok());
  c.step();
  for (int round = 0; round < 6; ++round) {
    for (const Task* t : c.active_tasks("retry")) c.end_task(t->id, TaskState::kFailed, "exit 1");
    c.advance(10'000);
  }
  const Job* job = c.core().find_job(kRetry);
  ASSERT_NE(job, nullptr);
  EXPECT_EQ(ended_tasks(*job), 12u);
  std::string newest_of_0 = job->instances.at(0).history.front()->id;
  c.advance(61'000);  // a prune pass
  job = c.core().find_job(kRetry);
  // Each instance's newest ended task, and 3 more.
  EXPECT_EQ(ended_tasks(*job), 2u + 3u);
  EXPECT_EQ(job->instances.at(0).history.front()->id, newest_of_0);
  EXPECT_EQ(c.core().task_count(), 5u + 2u);  // and the two active ones
  EXPECT_EQ(c.store().task_rows(), 7u);
}

// Past the age bound, ended tasks go (outcomes too), then the job with no active task.
TEST(HistoryPrunerTest, ForgetsEndedTasksAndJobsPastTheAge) {
  SimCluster c(bounded(100, 3600'000));
  c.add_agent("a", 4, 8LL << 30, 8LL << 30);
  ASSERT_TRUE(
      c.core().create_job(SimCluster::job("svc", 1), c.clock().now_ms()).ok());  // a service
  ASSERT_TRUE(c.core()
                  .create_job(SimCluster::job("once", 2, 1.0, 64 << 20, false), c.clock().now_ms())
                  .ok());
  c.step();
  c.end_task(c.active_tasks("svc")[0]->id, TaskState::kFailed);  // restarted, keeps running
  for (const Task* t : c.active_tasks("once")) c.end_task(t->id, TaskState::kFinished);
  const JobKey once{"www-data", "prod", "once"}, svc{"www-data", "prod", "svc"};
  EXPECT_EQ(summarize(*c.core().find_job(once)).status, "FINISHED");
  c.advance(3500'000, 10'000);  // not yet an hour
  EXPECT_NE(c.core().find_job(once), nullptr);
  EXPECT_EQ(ended_tasks(*c.core().find_job(svc)), 1u);
  c.advance(200'000, 10'000);
  EXPECT_EQ(c.core().find_job(once), nullptr);
  ASSERT_NE(c.core().find_job(svc), nullptr);
  EXPECT_EQ(ended_tasks(*c.core().find_job(svc)), 0u);
  EXPECT_EQ(c.core().task_count(), 1u);
  EXPECT_EQ(c.store().task_rows(), 1u);
}

// One pass prunes at most `budget`, oldest first; the rest waits for the next pass.
TEST(HistoryPrunerTest, APassStopsAtItsBudgetOldestFirst) {
  ClusterModel model;
  auto owned = std::make_unique<Job>();
  owned->key = kRetry;
  Job* job = model.add_job(std::move(owned));
  Instance& inst = job->instances[0];
  for (int i = 0; i < 6; ++i) {  // ended at 1000 .. 6000; history is newest first
    auto t = std::make_unique<Task>();
    t->id = "t" + std::to_string(i);
    t->job = job;
    t->state = TaskState::kFailed;
    t->events.push_back({1000 * (i + 1), TaskState::kFailed, ""});
    inst.history.insert(inst.history.begin(), model.add_task(std::move(t)));
  }
  HistoryBounds bounds{.max_ended_tasks_per_job = 1, .max_age_ms = 3600'000};
  EXPECT_EQ(prune_job_history(model, *job, bounds, 10'000, 2), 2u);
  EXPECT_EQ(model.task("t0"), nullptr);
  EXPECT_EQ(model.task("t1"), nullptr);
  ASSERT_NE(model.task("t2"), nullptr);
  EXPECT_EQ(prune_job_history(model, *job, bounds, 10'000, 100), 2u);
  ASSERT_EQ(inst.history.size(), 2u);  // the outcome and one more
  EXPECT_EQ(inst.history[0]->id, "t5");
  EXPECT_EQ(inst.history[1]->id, "t4");
  EXPECT_EQ(prune_job_history(model, *job, bounds, 10'000, 100), 0u);
  StoreBatch batch = model.take_batch();
  EXPECT_EQ(batch.deleted_tasks.size(), 4u);
  // Past the age, the outcome goes too.
  EXPECT_EQ(prune_job_history(model, *job, bounds, 6000 + 3600'001, 100), 2u);
  EXPECT_TRUE(inst.history.empty());
}

}  // namespace
}  // namespace borealis::scheduler
