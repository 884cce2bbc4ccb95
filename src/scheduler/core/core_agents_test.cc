// Agents: registration, loss and timeouts, reconciliation, at-least-once commands.
#include <gtest/gtest.h>

#include "scheduler/core/sim_cluster.h"

namespace borealis::scheduler {
namespace {

CoreOptions options() { return SimCluster::fast_options(); }

TEST(CoreAgentsTest, SilentAgentsTasksBecomeLostAndRunElsewhere) {
  SimCluster c(options());
  c.add_agent("a", 4, 8LL << 30, 8LL << 30);
  c.add_agent("b", 4, 8LL << 30, 8LL << 30);
  ASSERT_TRUE(c.core().create_job(SimCluster::job("web", 2, 1.0), c.clock().now_ms()).ok());
  c.step();
  ASSERT_EQ(c.running_on("a").size(), 1u);
  std::string on_a = *c.running_on("a").begin();
  c.silence_agent("a");
  c.advance(9'000);
  EXPECT_EQ(c.core().find_task(on_a)->state, TaskState::kRunning);
  c.advance(2'000);
  const Task* lost = c.core().find_task(on_a);
  EXPECT_EQ(lost->state, TaskState::kLost);
  EXPECT_NE(lost->last_event().message().find("agent a silent for"), std::string::npos);
  // Lost with its agent: not a failure, but throttled like any quick ending (it ran
  // less than the flapping threshold); then the replacement runs on b.
  const Task* replacement =
      c.core().find_job(JobKey{"www-data", "prod", "web"})->instances.at(lost->instance).active;
  ASSERT_NE(replacement, nullptr);
  EXPECT_EQ(replacement->state, TaskState::kThrottled);
  EXPECT_EQ(replacement->failure_count, 0);
  c.advance(1'100);
  auto tasks = c.active_tasks("web");
  ASSERT_EQ(tasks.size(), 2u);
  for (const Task* t : tasks) EXPECT_EQ(t->state, TaskState::kRunning);
  EXPECT_EQ(c.running_on("b").size(), 2u);
  // When a comes back it re-registers; the stale task there is killed.
  c.revive_agent("a");
  c.step();
  EXPECT_TRUE(c.running_on("a").empty());
  EXPECT_EQ(c.running_on("b").size(), 2u);
}

TEST(CoreAgentsTest, PollFromUnknownAgentAsksToRegister) {
  SimCluster c(options());
  Status st = c.core().agent_poll("nope", 0, std::nullopt, c.clock().now_ms(), 0);
  EXPECT_EQ(st.code(), StatusCode::kNotFound);
  EXPECT_NE(st.message().find("register again"), std::string::npos);
}

TEST(CoreAgentsTest, RegistrationIsValidated) {
  Core core(options(), 1);
  AgentRegistration r;
  r.hostname = "";
  EXPECT_FALSE(core.register_agent(r, 0, 0).ok());
  r.hostname = "h";
  r.resources = ResourceVec{1000, 1 << 30, 1 << 30, 0};
  r.port_ranges = {{5000, 4000}};
  auto bad = core.register_agent(r, 0, 0);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("bad range 5000-4000"), std::string::npos);
}

TEST(CoreAgentsTest, CommandsWaitForDurabilityAndAreResentUntilAcked) {
  Core core(options(), 1);
  AgentRegistration r;
  r.hostname = "h";
  r.resources = ResourceVec{4000, 8LL << 30, 8LL << 30, 0};
  r.port_ranges = {{31000, 31010}};
  std::string id = *core.register_agent(r, 0, 0);
  core.mark_durable(core.take_batch().generation);
  ASSERT_TRUE(core.create_job(SimCluster::job("web", 2), 0).ok());
  // Not durable yet: nothing may be sent.
  EXPECT_TRUE(core.deliverable_commands(id).empty());
  StoreBatch b = core.take_batch();
  EXPECT_EQ(b.tasks.size(), 2u);
  EXPECT_EQ(b.jobs.size(), 1u);
  EXPECT_EQ(b.configs.size(), 1u);
  core.mark_durable(b.generation);
  auto cmds = core.deliverable_commands(id);
  ASSERT_EQ(cmds.size(), 2u);
  EXPECT_EQ(cmds[0]->type, AgentCommand::Type::kLaunch);
  uint64_t first = cmds[0]->seq;
  // A poll that acks only the first: the second is still delivered.
  ASSERT_TRUE(core.agent_poll(id, first, std::nullopt, 10, 10).ok());
  cmds = core.deliverable_commands(id);
  ASSERT_EQ(cmds.size(), 1u);
  EXPECT_GT(cmds[0]->seq, first);
  EXPECT_EQ(core.take_woken_agents(), std::vector<std::string>{id});
}

TEST(CoreAgentsTest, ReconcileRelaunchesAssignedAndLosesUnknownRunning) {
  SimCluster c(options());
  c.add_agent("a", 4, 8LL << 30, 8LL << 30);
  ASSERT_TRUE(c.core().create_job(SimCluster::job("web", 2), c.clock().now_ms()).ok());
  c.step();
  auto tasks = c.active_tasks("web");
  ASSERT_EQ(tasks.size(), 2u);
  std::string agent_id = c.core().agents()[0].id;
  // The agent reports only one of the two (the other vanished) plus a stranger.
  std::vector<ReportedTask> reported = {{tasks[0]->id, TaskState::kRunning},
                                        {"stranger-task", TaskState::kRunning}};
  ASSERT_TRUE(c.core()
                  .agent_poll(agent_id, 100, reported, c.clock().now_ms(), c.mono_clock().mono_ms())
                  .ok());
  EXPECT_EQ(c.core().find_task(tasks[1]->id)->state, TaskState::kLost);
  c.core().mark_durable(c.core().take_batch().generation);
  auto cmds = c.core().deliverable_commands(agent_id);
  ASSERT_FALSE(cmds.empty());
  EXPECT_EQ(cmds.back()->type, AgentCommand::Type::kKill);
  EXPECT_EQ(cmds.back()->task_id, "stranger-task");
}

TEST(CoreAgentsTest, UpdatesForTasksNotHereAreAnsweredWithKill) {
  SimCluster c(options());
  std::string a = c.add_agent("a", 4, 8LL << 30, 8LL << 30);
  auto r = c.core().apply_updates(a, {{"ghost", TaskState::kRunning, ""}}, c.clock().now_ms(),
                                  c.mono_clock().mono_ms());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, std::vector<std::string>{"ghost"});
  auto fin = c.core().apply_updates(a, {{"ghost", TaskState::kFinished, ""}}, c.clock().now_ms(),
                                    c.mono_clock().mono_ms());
  EXPECT_TRUE(fin->empty());
}

TEST(CoreAgentsTest, StaleUpdatesAreIgnored) {
  SimCluster c(options());
  std::string a = c.add_agent("a", 4, 8LL << 30, 8LL << 30);
  ASSERT_TRUE(c.core().create_job(SimCluster::job("web", 1), c.clock().now_ms()).ok());
  c.step();
  const Task* t = c.active_tasks("web")[0];
  ASSERT_EQ(t->state, TaskState::kRunning);
  ASSERT_TRUE(c.core().apply_updates(a, {{t->id, TaskState::kStarting, ""}}, 0, 0).ok());
  EXPECT_EQ(t->state, TaskState::kRunning);
}

TEST(CoreAgentsTest, NewAgentOnSameHostReplacesTheOld) {
  SimCluster c(options());
  c.add_agent("a", 4, 8LL << 30, 8LL << 30);
  ASSERT_TRUE(c.core().create_job(SimCluster::job("web", 1), c.clock().now_ms()).ok());
  c.step();
  std::string old = c.active_tasks("web")[0]->id;
  AgentRegistration r;
  r.hostname = "a";
  r.resources = ResourceVec{4000, 8LL << 30, 8LL << 30, 0};
  r.port_ranges = {{31000, 31010}};
  ASSERT_TRUE(c.core().register_agent(r, c.clock().now_ms(), c.mono_clock().mono_ms()).ok());
  EXPECT_EQ(c.core().find_task(old)->state, TaskState::kLost);
}

// After a scheduler restart every agent registers again, as it was: nothing to store, so
// no registration waits for a commit. A changed agent is stored.
TEST(CoreAgentsTest, RegisteringAgainUnchangedWritesNoAgentRow) {
  Core core(options(), 1);
  AgentRegistration reg;
  reg.hostname = "a";
  reg.address = "10.0.0.1:8080";
  reg.resources = {4000, 8LL << 30, 8LL << 30, 0};
  reg.port_ranges = {{31000, 31099}};
  reg.attributes = {{"rack", "r1"}};
  auto id = core.register_agent(reg, 1'000, 1'000);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(core.take_batch().agents.size(), 1u);
  reg.agent_id = *id;
  ASSERT_TRUE(core.register_agent(reg, 2'000, 2'000).ok());
  EXPECT_TRUE(core.take_batch().agents.empty());
  reg.attributes["rack"] = "r2";
  ASSERT_TRUE(core.register_agent(reg, 3'000, 3'000).ok());
  StoreBatch changed = core.take_batch();
  ASSERT_EQ(changed.agents.size(), 1u);
  EXPECT_NE(changed.agents[0].second.find("r2"), std::string::npos);
}

}  // namespace
}  // namespace borealis::scheduler
