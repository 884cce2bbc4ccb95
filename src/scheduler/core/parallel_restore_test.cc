// Task rows decoded in parts on several threads restore the same state as one thread.
#include <gtest/gtest.h>

#include <map>

#include "common/parallel_for.h"
#include "scheduler/core/row_restore.h"
#include "scheduler/core/rows.h"
#include "scheduler/core/sim_cluster.h"

namespace borealis::scheduler {
namespace {

// Runs the parts on two threads, each part as soon as a thread is free.
void on_two_threads(size_t n, const std::function<void(size_t)>& fn) { parallel_for(n, fn, 2); }

// A store with tasks in many states: RUNNING, PENDING (too big to place), THROTTLED, and
// ended ones in their instances' history.
StoredState varied_store() {
  CoreOptions o;
  o.initial_flapping_delay_ms = 60'000;
  SimCluster c(o);
  c.add_agent("a", 8, 16LL << 30, 16LL << 30);
  c.add_agent("b", 8, 16LL << 30, 16LL << 30);
  for (const char* name : {"web", "api", "worker"})
    EXPECT_TRUE(c.core().create_job(SimCluster::job(name, 6, 0.5), c.clock().now_ms()).ok());
  EXPECT_TRUE(c.core().create_job(SimCluster::job("huge", 2, 64.0), c.clock().now_ms()).ok());
  c.step();
  for (int i = 0; i < 3; ++i) c.end_task(c.active_tasks("web")[i]->id, TaskState::kFailed);
  c.advance(1000);
  c.store().apply(c.core().take_batch());
  return c.store().load();
}

// Every task of the core as its row, by id, and where each active one is.
std::map<std::string, std::string> task_rows(const Core& core) {
  std::map<std::string, std::string> rows;
  auto add = [&](const Task* t) {
    rows[t->id] = task_row(*t, t->agent >= 0 ? core.agents()[t->agent].id : "");
  };
  for (const auto& [_, job] : core.jobs())
    for (const auto& [__, inst] : job->instances) {
      if (inst.active) add(inst.active);
      for (const Task* t : inst.history) add(t);
    }
  return rows;
}

TEST(ParallelRestoreTest, ThreadsRestoreWhatOneThreadDoes) {
  StoredState state = varied_store();
  ASSERT_GT(state.tasks.size(), 20u);
  Core serial({}, 1), parallel({}, 1);
  ASSERT_TRUE(serial.restore(state, 5'000).ok());
  ASSERT_TRUE(parallel.restore(state, 5'000, on_two_threads).ok());
  EXPECT_EQ(task_rows(parallel), task_rows(serial));
  EXPECT_EQ(task_rows(serial).size(), state.tasks.size());
  EXPECT_EQ(parallel.pending_count(), serial.pending_count());
  EXPECT_EQ(parallel.pending_count(), 2u);  // huge
  for (size_t i = 0; i < serial.agents().size(); ++i)
    EXPECT_EQ(parallel.agents()[i].tasks.size(), serial.agents()[i].tasks.size());
}

// What task rows refer to: versions, agents and jobs.
void restore_all_but_tasks(const StoredState& state, ClusterModel& model) {
  for (const auto& [id, row] : state.configs) ASSERT_TRUE(model.versions().restore(id, row).ok());
  for (const auto& [_, row] : state.agents) ASSERT_TRUE(restore_agent(row, 5'000, model).ok());
  for (const auto& [_, row] : state.jobs) ASSERT_TRUE(restore_job(row, model).ok());
}

TEST(ParallelRestoreTest, SmallPartsOnThreadsDecodeEveryRowInOrder) {
  StoredState state = varied_store();
  ClusterModel model;
  restore_all_but_tasks(state, model);
  for (size_t part : {1, 3, 7}) {
    SCOPED_TRACE("parts of " + std::to_string(part) + " rows");
    auto tasks = decode_task_rows(model, state.tasks, 5'000, on_two_threads, part);
    ASSERT_TRUE(tasks.ok()) << tasks.status().to_string();
    ASSERT_EQ(tasks->size(), state.tasks.size());
    for (size_t i = 0; i < state.tasks.size(); ++i) {
      const Task& t = *(*tasks)[i];
      EXPECT_EQ(t.id, state.tasks[i].first);
      // Decoded exactly: written again, it is the same row.
      EXPECT_EQ(task_row(t, t.agent >= 0 ? model.agents()[t.agent].id : ""), state.tasks[i].second);
    }
  }
}

TEST(ParallelRestoreTest, TheFirstBadRowIsReportedWhicheverPartEndsFirst) {
  StoredState state = varied_store();
  ClusterModel model;
  restore_all_but_tasks(state, model);
  ASSERT_GT(state.tasks.size(), 12u);
  const std::string first_bad = state.tasks[2].first;
  state.tasks[2].second = R"({"id":")" + first_bad + R"(","state":"RUNNING"})";  // no job
  state.tasks[11].second = "{not json";
  auto tasks = decode_task_rows(model, state.tasks, 5'000, on_two_threads, 4);
  ASSERT_FALSE(tasks.ok());
  EXPECT_NE(tasks.status().message().find(first_bad), std::string::npos)
      << tasks.status().to_string();
}

}  // namespace
}  // namespace borealis::scheduler
