// Fixed ports (Announcer.portmap 'admin': '8080') and aliases in placement: a fixed port is
// held once per host, and one inside an agent's range leaves its dynamic pool while held.
#include <gtest/gtest.h>

#include "scheduler/core/sim_cluster.h"

namespace borealis::scheduler {
namespace {

jobspec::JobSpec job_with_ports(const std::string& name, int64_t instances,
                                const std::string& cmdline,
                                std::map<std::string, std::string> portmap = {}) {
  auto spec = SimCluster::job(name, instances, 0.1, 64 << 20, /*service=*/false);
  spec.task.processes[0].cmdline = cmdline;
  if (!portmap.empty()) {
    spec.announce = jobspec::Announcer{};
    spec.announce->primary_port = portmap.begin()->first;
    spec.announce->portmap = std::move(portmap);
  }
  return spec;
}

// Creates the job, lets the scheduler place it and returns its tasks.
std::vector<const Task*> create(SimCluster& c, const jobspec::JobSpec& spec) {
  Status st = c.core().create_job(spec, c.clock().now_ms()).status();
  EXPECT_TRUE(st.ok()) << st.to_string();
  c.step();
  return c.active_tasks(spec.name);
}

std::map<std::string, uint16_t> held(const Task* t) {
  std::map<std::string, uint16_t> out;
  for (const auto& [name, port] : t->port_map()) out.emplace(name, static_cast<uint16_t>(port));
  return out;
}

TEST(PortPlacementTest, AliasesAreNotAllocated) {
  SimCluster c;
  c.add_agent("a", 8, 8LL << 30, 8LL << 30, 31000, 31000);
  auto tasks =
      create(c, job_with_ports("web", 1, "serve {{thermos.ports[alias]}} {{thermos.ports[http]}}",
                               {{"alias", "http"}, {"aurora", "alias"}}));
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_EQ(tasks[0]->state, TaskState::kRunning) << tasks[0]->pending_reason();
  EXPECT_EQ(held(tasks[0]), (std::map<std::string, uint16_t>{{"http", 31000}}));
}

TEST(PortPlacementTest, AFixedPortIsHeldOncePerHost) {
  SimCluster c;
  c.add_agent("a", 8, 8LL << 30, 8LL << 30, 31000, 31009);
  c.add_agent("b", 8, 8LL << 30, 8LL << 30, 31000, 31009);
  auto tasks =
      create(c, job_with_ports("admin", 3, "serve {{thermos.ports[http]}} {{thermos.ports[ops]}}",
                               {{"admin", "8080"}, {"ops", "admin"}}));
  ASSERT_EQ(tasks.size(), 3u);
  std::vector<const Task*> running, pending;
  for (const Task* t : tasks) (t->state == TaskState::kRunning ? running : pending).push_back(t);
  ASSERT_EQ(running.size(), 2u);
  EXPECT_NE(running[0]->agent, running[1]->agent);
  for (const Task* t : running) {
    EXPECT_EQ(held(t).at("admin"), 8080);
    EXPECT_EQ(held(t).count("ops"), 0u);  // an alias holds nothing
    EXPECT_TRUE(held(t).contains("http"));
  }
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_NE(pending[0]->pending_reason().find("2 already hold fixed port 8080"), std::string::npos)
      << pending[0]->pending_reason();

  // The port comes free when its holder ends; the waiting instance takes it.
  c.end_task(running[0]->id, TaskState::kFinished);
  c.advance(1000);
  EXPECT_EQ(pending[0]->state, TaskState::kRunning) << pending[0]->pending_reason();
}

TEST(PortPlacementTest, AFixedPortInsideTheRangeLeavesTheDynamicPoolWhileHeld) {
  SimCluster c;
  c.add_agent("a", 8, 8LL << 30, 8LL << 30, 31000, 31001);
  const Task* fixed =
      create(c, job_with_ports("fixed", 1, "serve {{thermos.ports[admin]}}", {{"admin", "31000"}}))
          .at(0);
  ASSERT_EQ(fixed->state, TaskState::kRunning) << fixed->pending_reason();
  EXPECT_EQ(held(fixed), (std::map<std::string, uint16_t>{{"admin", 31000}}));

  // The only dynamic port left is 31001; a second dynamic task waits.
  std::vector<const Task*> dyn =
      create(c, job_with_ports("dyn", 2, "serve {{thermos.ports[http]}}"));
  ASSERT_EQ(dyn.size(), 2u);
  const Task* placed = dyn[0]->state == TaskState::kRunning ? dyn[0] : dyn[1];
  const Task* waiting = placed == dyn[0] ? dyn[1] : dyn[0];
  EXPECT_EQ(held(placed), (std::map<std::string, uint16_t>{{"http", 31001}}));
  EXPECT_EQ(waiting->state, TaskState::kPending);
  EXPECT_NE(waiting->pending_reason().find("lack 1 free ports"), std::string::npos)
      << waiting->pending_reason();

  // A fixed port that a dynamic task holds is taken too.
  const Task* clash =
      create(c, job_with_ports("clash", 1, "serve {{thermos.ports[admin]}}", {{"admin", "31001"}}))
          .at(0);
  EXPECT_EQ(clash->state, TaskState::kPending);
  EXPECT_NE(clash->pending_reason().find("already hold fixed port 31001"), std::string::npos)
      << clash->pending_reason();

  // When the fixed holder ends, 31000 returns to the pool for the waiting dynamic task.
  c.end_task(fixed->id, TaskState::kFinished);
  c.advance(1000);
  EXPECT_EQ(waiting->state, TaskState::kRunning) << waiting->pending_reason();
  EXPECT_EQ(held(waiting), (std::map<std::string, uint16_t>{{"http", 31000}}));
}

}  // namespace
}  // namespace borealis::scheduler
