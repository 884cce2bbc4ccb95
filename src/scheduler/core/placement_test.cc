#include "scheduler/core/placement.h"

#include <gtest/gtest.h>

#include "scheduler/core/sim_cluster.h"

namespace borealis::scheduler {
namespace {

TEST(PlacementIndexTest, CandidatesMostFreeFirstAboveNeed) {
  PlacementIndex idx;
  idx.upsert(0, 1000);
  idx.upsert(1, 3000);
  idx.upsert(2, 2000);
  idx.upsert(1, 500);  // moves
  std::vector<int32_t> seen;
  idx.for_each_candidate(800, [&](int32_t i) {
    seen.push_back(i);
    return true;
  });
  EXPECT_EQ(seen, (std::vector<int32_t>{2, 0}));
  idx.remove(2);
  EXPECT_EQ(idx.max_free_cpu(), 1000);
  EXPECT_EQ(idx.size(), 2u);
}

TEST(PlacementTest, SpreadsInstancesAcrossHosts) {
  SimCluster c;
  c.add_agent("a", 8, 8LL << 30, 8LL << 30);
  c.add_agent("b", 8, 8LL << 30, 8LL << 30);
  c.add_agent("c", 8, 8LL << 30, 8LL << 30);
  ASSERT_TRUE(c.core().create_job(SimCluster::job("web", 3), c.clock().now_ms()).ok());
  c.step();
  EXPECT_EQ(c.running_on("a").size(), 1u);
  EXPECT_EQ(c.running_on("b").size(), 1u);
  EXPECT_EQ(c.running_on("c").size(), 1u);
}

TEST(PlacementTest, AssignsDistinctNamedPorts) {
  SimCluster c;
  c.add_agent("a", 8, 8LL << 30, 8LL << 30, 31000, 31003);
  auto spec = SimCluster::job("web", 2, 0.1);
  spec.task.processes[0].cmdline = "serve {{thermos.ports[http]}} {{thermos.ports[admin]}}";
  ASSERT_TRUE(c.core().create_job(spec, c.clock().now_ms()).ok());
  c.step();
  auto tasks = c.active_tasks("web");
  ASSERT_EQ(tasks.size(), 2u);
  std::set<uint16_t> ports;
  for (const Task* t : tasks) {
    EXPECT_EQ(t->state, TaskState::kRunning);
    ASSERT_EQ(t->ports.size(), 2u);
    for (uint16_t p : t->ports) ports.insert(p);
  }
  EXPECT_EQ(ports, (std::set<uint16_t>{31000, 31001, 31002, 31003}));
  // A third instance finds no ports.
  auto more = SimCluster::job("more", 1, 0.1);
  more.task.processes[0].cmdline = "serve {{thermos.ports[http]}}";
  ASSERT_TRUE(c.core().create_job(more, c.clock().now_ms()).ok());
  auto pending = c.active_tasks("more");
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0]->state, TaskState::kPending);
  EXPECT_NE(pending[0]->pending_reason().find("lack 1 free ports"), std::string::npos)
      << pending[0]->pending_reason();
}

TEST(PlacementTest, HostLimitAndValueConstraints) {
  SimCluster c;
  c.add_agent("a", 8, 8LL << 30, 8LL << 30, 31000, 31099, {{"rack", "r1"}});
  c.add_agent("b", 8, 8LL << 30, 8LL << 30, 31000, 31099, {{"rack", "r2"}});
  auto spec = SimCluster::job("web", 3, 0.1);
  spec.constraints = std::map<std::string, std::string>{{"host", "limit:1"}};
  ASSERT_TRUE(c.core().create_job(spec, c.clock().now_ms()).ok());
  c.step();
  int running = 0, pending = 0;
  for (const Task* t : c.active_tasks("web")) {
    if (t->state == TaskState::kRunning) ++running;
    if (t->state == TaskState::kPending) {
      ++pending;
      EXPECT_NE(t->pending_reason().find("limit host:1"), std::string::npos) << t->pending_reason();
    }
  }
  EXPECT_EQ(running, 2);
  EXPECT_EQ(pending, 1);

  auto rack = SimCluster::job("racked", 2, 0.1);
  rack.constraints = std::map<std::string, std::string>{{"rack", "r2"}};
  ASSERT_TRUE(c.core().create_job(rack, c.clock().now_ms()).ok());
  c.step();
  EXPECT_EQ(c.running_on("a").size(), 1u);  // only web
  EXPECT_EQ(c.running_on("b").size(), 3u);  // web + 2 racked

  auto notr2 = SimCluster::job("notr2", 1, 0.1);
  notr2.constraints = std::map<std::string, std::string>{{"rack", "!r2"}};
  ASSERT_TRUE(c.core().create_job(notr2, c.clock().now_ms()).ok());
  c.step();
  EXPECT_EQ(c.running_on("a").size(), 2u);
}

TEST(PlacementTest, DedicatedAgentsOnlyTakeTheirJobs) {
  SimCluster c;
  c.add_agent("d", 8, 8LL << 30, 8LL << 30, 31000, 31099, {{"dedicated", "www-data/db"}});
  ASSERT_TRUE(c.core().create_job(SimCluster::job("web", 1, 0.1), c.clock().now_ms()).ok());
  c.step();
  auto t = c.active_tasks("web");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0]->state, TaskState::kPending);
  EXPECT_NE(t[0]->pending_reason().find("dedicated to www-data/db"), std::string::npos);
  auto db = SimCluster::job("db", 1, 0.1);
  db.constraints = std::map<std::string, std::string>{{"dedicated", "www-data/db"}};
  ASSERT_TRUE(c.core().create_job(db, c.clock().now_ms()).ok());
  c.step();
  EXPECT_EQ(c.active_tasks("db")[0]->state, TaskState::kRunning);
}

TEST(PlacementTest, TooLargeJobStaysPendingWithReason) {
  SimCluster c;
  c.add_agent("a", 2, 4LL << 30, 8LL << 30);
  auto big = SimCluster::job("big", 1, 1.0, 64LL << 30);
  ASSERT_TRUE(c.core().create_job(big, c.clock().now_ms()).ok());
  c.advance(1000);
  auto t = c.active_tasks("big");
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0]->state, TaskState::kPending);
  EXPECT_EQ(t[0]->pending_reason(), "no agent fits: 1 lack 64.0 GiB ram");
  auto cpu = SimCluster::job("cpu", 1, 16.0);
  ASSERT_TRUE(c.core().create_job(cpu, c.clock().now_ms()).ok());
  EXPECT_EQ(c.active_tasks("cpu")[0]->pending_reason(),
            "no agent has 16.00 cpu free (most free: 2.00)");
}

}  // namespace
}  // namespace borealis::scheduler
