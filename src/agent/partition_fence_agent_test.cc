// An agent with --partition-stop-after stops its tasks while the scheduler is down, and
// the scheduler learns why when it is back.
#include "agent/agent_test_fixture.h"

namespace borealis::agent::testing {
namespace {

using AgentFenceTest = AgentFixture;

TEST_F(AgentFenceTest, AnAgentCutOffFromTheSchedulerStopsItsTasksAndSaysWhy) {
  config_.partition_stop_after_ms = 1000;
  start_agent();
  fake_.launch("t1", job("sleep 30"));
  ASSERT_TRUE(wait_states("t1", {S::kStarting, S::kRunning}));
  auto pids = fake_.last_update("t1")->pids;
  ASSERT_FALSE(pids.empty());
  fake_.stop();
  ASSERT_TRUE(wait_for([&] { return task_view("t1").at("state") == "KILLED"; }));
  for (int64_t pid : pids) EXPECT_TRUE(wait_for([&] { return !alive(pid); })) << pid;
  fake_.start();
  ASSERT_TRUE(wait_states("t1", {S::kStarting, S::kRunning, S::kKilled}));
  std::string message = fake_.last_update("t1")->message;
  EXPECT_NE(message.find("killed: the agent could not reach the scheduler for "), std::string::npos)
      << message;
  EXPECT_NE(message.find("(--partition-stop-after 1)"), std::string::npos) << message;
}

}  // namespace
}  // namespace borealis::agent::testing
