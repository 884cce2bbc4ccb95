#include "scheduler/store/sqlite_store.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>

#include "scheduler/core/sim_cluster.h"
#include "scheduler/store/group_commit.h"
#include "testing/temp_dir.h"

namespace borealis::scheduler {
namespace {

class StoreTest : public ::testing::Test {
 protected:
  borealis::testing::TempDir dir_{"borealis-store"};
  std::string url_ = "sqlite://" + (dir_ / "state.db");
};

StoreBatch batch(uint64_t gen, std::vector<Row> tasks, std::vector<std::string> deleted = {}) {
  StoreBatch b;
  b.generation = gen;
  b.tasks = std::move(tasks);
  b.deleted_tasks = std::move(deleted);
  return b;
}

TEST_F(StoreTest, AppliesBatchesAndLoadsThemBack) {
  {
    auto s = open_store(url_);
    ASSERT_TRUE(s.ok()) << s.status().to_string();
    StoreBatch b1 = batch(1, {{"t1", "{\"a\":1}"}, {"t2", "{\"a\":2}"}});
    b1.configs = {{"c1", "{}"}};
    b1.jobs = {{"r/prod/j", "{}"}};
    b1.agents = {{"ag", "{}"}};
    b1.cron_jobs = {{"r/prod/a", "{\"n\":1}"}, {"r/prod/b", "{\"n\":2}"}};
    StoreBatch b2 = batch(2, {{"t1", "{\"a\":3}"}}, {"t2"});
    b2.cron_jobs = {{"r/prod/a", "{\"n\":3}"}};
    b2.deleted_cron_jobs = {"r/prod/b"};
    ASSERT_TRUE((*s)->apply({&b1, &b2}).ok());
  }
  auto s = open_store(url_);
  ASSERT_TRUE(s.ok());
  auto state = (*s)->load();
  ASSERT_TRUE(state.ok());
  ASSERT_EQ(state->tasks.size(), 1u);
  EXPECT_EQ(state->tasks[0], (Row{"t1", "{\"a\":3}"}));
  EXPECT_EQ(state->configs.size(), 1u);
  EXPECT_EQ(state->jobs.size(), 1u);
  EXPECT_EQ(state->agents.size(), 1u);
  ASSERT_EQ(state->cron_jobs.size(), 1u);
  EXPECT_EQ(state->cron_jobs[0], (Row{"r/prod/a", "{\"n\":3}"}));
}

TEST_F(StoreTest, SecondSchedulerOnTheSameFileIsRefused) {
  auto a = open_store(url_);
  ASSERT_TRUE(a.ok());
  auto b = open_store(url_);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("in use by another scheduler"), std::string::npos)
      << b.status().message();
}

TEST_F(StoreTest, LeadershipEpochsIncreaseAcrossRestarts) {
  {
    auto s = open_store(url_);
    ASSERT_TRUE(s.ok());
    auto first = (*s)->claim_epoch();
    ASSERT_TRUE(first.ok()) << first.status().to_string();
    EXPECT_EQ(*first, 1u);
    StoreBatch b = batch(1, {{"t1", "{}"}});
    EXPECT_TRUE((*s)->apply({&b}).ok());
  }
  auto s = open_store(url_);
  ASSERT_TRUE(s.ok());
  auto second = (*s)->claim_epoch();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, 2u);
  StoreBatch b = batch(2, {{"t2", "{}"}});
  EXPECT_TRUE((*s)->apply({&b}).ok());
  EXPECT_EQ((*s)->load()->tasks.size(), 2u);
}

TEST_F(StoreTest, BadUrlsSayWhatIsExpected) {
  auto r = open_store("mysql://x");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("use sqlite:///path/to/state.db"), std::string::npos);
  EXPECT_FALSE(open_store("sqlite://").ok());
  auto unwritable = open_store("sqlite:///proc/forbidden/state.db");
  EXPECT_FALSE(unwritable.ok());
}

// A process killed right after apply() returned must leave the batch on disk.
TEST_F(StoreTest, CommittedBatchSurvivesKillNine) {
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto s = open_store(url_);
    if (!s.ok()) ::_exit(2);
    StoreBatch b = batch(1, {{"t1", "{\"durable\":true}"}});
    if (!(*s)->apply({&b}).ok()) ::_exit(3);
    ::kill(::getpid(), SIGKILL);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  auto s = open_store(url_);
  ASSERT_TRUE(s.ok()) << s.status().to_string();
  auto state = (*s)->load();
  ASSERT_EQ(state->tasks.size(), 1u);
  EXPECT_EQ(state->tasks[0].second, "{\"durable\":true}");
}

TEST_F(StoreTest, GroupCommitterReportsGenerationsInOrder) {
  auto s = open_store(url_);
  ASSERT_TRUE(s.ok());
  std::mutex mu;
  std::vector<uint64_t> done;
  {
    GroupCommitter gc(**s, [&](uint64_t g, const Status& st) {
      ASSERT_TRUE(st.ok());
      std::lock_guard<std::mutex> lock(mu);
      done.push_back(g);
    });
    for (uint64_t g = 1; g <= 200; ++g) gc.submit(batch(g, {{"t" + std::to_string(g), "{}"}}));
  }  // destructor drains
  ASSERT_FALSE(done.empty());
  EXPECT_EQ(done.back(), 200u);
  EXPECT_TRUE(std::is_sorted(done.begin(), done.end()));
  EXPECT_EQ((*s)->load()->tasks.size(), 200u);
}

// A task runs after the batches submitted before it and before those submitted after: a
// backup taken there sees exactly the first ones.
TEST_F(StoreTest, GroupCommitterRunsTasksBetweenWritesInOrder) {
  auto s = open_store(url_);
  ASSERT_TRUE(s.ok());
  size_t seen = 0;
  {
    GroupCommitter gc(**s, [](uint64_t, const Status& st) { ASSERT_TRUE(st.ok()); });
    for (uint64_t g = 1; g <= 50; ++g) gc.submit(batch(g, {{"t" + std::to_string(g), "{}"}}));
    gc.run_between_writes([&] { seen = (*s)->load()->tasks.size(); });
    for (uint64_t g = 51; g <= 100; ++g) gc.submit(batch(g, {{"t" + std::to_string(g), "{}"}}));
  }
  EXPECT_EQ(seen, 50u);
  EXPECT_EQ((*s)->load()->tasks.size(), 100u);
}

// The whole path: core batches through SQLite, restored into a new core.
TEST_F(StoreTest, CoreStateRoundTripsThroughSqlite) {
  SimCluster c;
  c.add_agent("a", 4, 8LL << 30, 8LL << 30);
  ASSERT_TRUE(c.core().create_job(SimCluster::job("web", 3, 1.0), c.clock().now_ms()).ok());
  c.step();
  auto s = open_store(url_);
  ASSERT_TRUE(s.ok());
  StoredState mem = c.store().load();
  StoreBatch b;
  b.generation = 1;
  b.configs = mem.configs;
  b.jobs = mem.jobs;
  b.tasks = mem.tasks;
  b.agents = mem.agents;
  ASSERT_TRUE((*s)->apply({&b}).ok());
  Core restored({}, 7);
  ASSERT_TRUE(restored.restore(*(*s)->load(), c.clock().now_ms()).ok());
  const Job* j = restored.find_job({"www-data", "prod", "web"});
  ASSERT_NE(j, nullptr);
  EXPECT_EQ(j->instances.size(), 3u);
  for (const auto& [_, inst] : j->instances) {
    ASSERT_NE(inst.active, nullptr);
    EXPECT_EQ(inst.active->state, TaskState::kRunning);
    EXPECT_EQ(c.core().find_task(inst.active->id)->id, inst.active->id);
  }
}

}  // namespace
}  // namespace borealis::scheduler
