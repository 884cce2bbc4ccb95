// Partitions: a silent agent's tasks become PARTITIONED, and their job's partition_policy
// decides when they are replaced; an agent that returns gets its tasks back, or is told
// to kill its copies of the ones replaced meanwhile.
#include <gtest/gtest.h>

#include <algorithm>

#include "scheduler/core/sim_cluster.h"

namespace borealis::scheduler {
namespace {

// Agents time out after 10 s of silence (SimCluster::fast_options).
constexpr TimeMs kTimeoutMs = 10'000;

const Task* active(SimCluster& c, const std::string& name, int32_t instance) {
  const Job* j = c.core().find_job(JobKey{"www-data", "prod", name});
  return j ? j->instances.at(instance).active : nullptr;
}

bool has_event(const Task& t, TaskState state, const std::string& text) {
  return std::any_of(t.events.begin(), t.events.end(), [&](const TaskEvent& e) {
    return e.state == state && e.message().find(text) != std::string::npos;
  });
}

std::string events_of(const Task& t) {
  std::string out;
  for (const auto& e : t.events)
    out += std::string(task_state_name(e.state)) + ": " + e.message() + "\n";
  return out;
}

// A service "web" of one instance on agent "a", with agent "b" beside it.
class CorePartitionsTest : public ::testing::Test {
 protected:
  void start(std::optional<jobspec::PartitionPolicy> policy, bool service = true) {
    c_.add_agent("a", 4, 8LL << 30, 8LL << 30);
    jobspec::JobSpec spec = SimCluster::job("web", 1, 1.0, 64 << 20, service);
    spec.partition_policy = policy;
    spec.max_task_failures = 1;
    ASSERT_TRUE(c_.core().create_job(spec, c_.clock().now_ms()).ok());
    c_.step();
    c_.add_agent("b", 4, 8LL << 30, 8LL << 30);
    c_.advance(1'000);
    const Task* t = active(c_, "web", 0);
    ASSERT_NE(t, nullptr);
    ASSERT_EQ(t->state, TaskState::kRunning);
    ASSERT_EQ(c_.running_on("a").count(t->id), 1u);
    first_ = t->id;
  }
  // Silences "a" and advances until the scheduler has just lost it.
  void partition_a() {
    c_.silence_agent("a");
    c_.advance(kTimeoutMs + 200);
  }
  const Task& first() { return *c_.core().find_task(first_); }

  SimCluster c_{SimCluster::fast_options()};
  std::string first_;
};

TEST_F(CorePartitionsTest, WithoutAPolicyTheTaskIsPartitionedThenLostAndReplacedAtOnce) {
  ASSERT_NO_FATAL_FAILURE(start(std::nullopt));
  partition_a();
  EXPECT_EQ(first().state, TaskState::kLost);
  EXPECT_TRUE(has_event(first(), TaskState::kPartitioned, "partition_policy: replaced at once"))
      << events_of(first());
  const Task* next = active(c_, "web", 0);
  ASSERT_NE(next, nullptr);
  EXPECT_NE(next->id, first_);
  EXPECT_EQ(next->failure_count, 0);
}

TEST_F(CorePartitionsTest, ADelayKeepsThePartitionedTaskUntilItEndsThenReplacesIt) {
  ASSERT_NO_FATAL_FAILURE(start(jobspec::PartitionPolicy{.reschedule = true, .delay_secs = 30}));
  partition_a();
  EXPECT_EQ(first().state, TaskState::kPartitioned);
  EXPECT_NE(first().last_event().message().find("replaced after 30 s unless its agent returns"),
            std::string::npos)
      << first().last_event().message();
  EXPECT_EQ(active(c_, "web", 0), &first());
  c_.advance(29'000);  // 29.x s of the 30 s since the partition
  EXPECT_EQ(first().state, TaskState::kPartitioned);
  EXPECT_TRUE(c_.running_on("b").empty());
  c_.advance(1'000);
  EXPECT_EQ(first().state, TaskState::kLost);
  EXPECT_NE(first().last_event().message().find("partitioned for 30 s"), std::string::npos);
  const Task* next = active(c_, "web", 0);
  ASSERT_NE(next, nullptr);
  // It ran 41 s, under the 60 s flapping threshold: its replacement waits 1 s.
  EXPECT_EQ(next->state, TaskState::kThrottled);
  c_.advance(1'100);
  EXPECT_EQ(next->state, TaskState::kRunning);
  EXPECT_EQ(c_.running_on("b").count(next->id), 1u);
}

TEST_F(CorePartitionsTest, AnAgentBackBeforeTheDelayGetsItsTaskBackRunning) {
  ASSERT_NO_FATAL_FAILURE(start(jobspec::PartitionPolicy{.reschedule = true, .delay_secs = 30}));
  partition_a();
  ASSERT_EQ(first().state, TaskState::kPartitioned);
  c_.advance(5'000);
  c_.revive_agent("a");
  EXPECT_EQ(first().state, TaskState::kRunning);
  EXPECT_EQ(first().last_event().message(), "agent a is back");
  c_.advance(60'000);  // the delay would have ended: it was disarmed
  EXPECT_EQ(first().state, TaskState::kRunning);
  EXPECT_EQ(active(c_, "web", 0), &first());
  EXPECT_TRUE(c_.running_on("b").empty());
  EXPECT_EQ(c_.running_on("a").count(first_), 1u);
}

TEST_F(CorePartitionsTest, WithoutRescheduleTheTaskWaitsForItsAgentHoweverLong) {
  ASSERT_NO_FATAL_FAILURE(start(jobspec::PartitionPolicy{.reschedule = false, .delay_secs = 0}));
  partition_a();
  c_.advance(600'000);
  EXPECT_EQ(first().state, TaskState::kPartitioned);
  EXPECT_TRUE(has_event(first(), TaskState::kPartitioned, "not replaced (reschedule false)"));
  EXPECT_EQ(active(c_, "web", 0), &first());
  EXPECT_TRUE(c_.running_on("b").empty());
  c_.revive_agent("a");
  EXPECT_EQ(first().state, TaskState::kRunning);
  EXPECT_EQ(c_.running_on("a").count(first_), 1u);
}

TEST_F(CorePartitionsTest, AReturningAgentKillsItsCopyOfAReplacedTask) {
  ASSERT_NO_FATAL_FAILURE(start(jobspec::PartitionPolicy{.reschedule = true, .delay_secs = 5}));
  partition_a();
  c_.advance(5'100 + 1'100);  // the delay, and the wait of a task that ran under 60 s
  const Task* next = active(c_, "web", 0);
  ASSERT_NE(next, nullptr);
  ASSERT_EQ(c_.running_on("b").count(next->id), 1u);
  ASSERT_EQ(c_.running_on("a").count(first_), 1u);  // the cut-off agent still runs it
  c_.revive_agent("a");
  c_.step();
  EXPECT_TRUE(c_.running_on("a").empty());
  EXPECT_EQ(c_.running_on("b").count(next->id), 1u);
  EXPECT_EQ(first().state, TaskState::kLost);
  EXPECT_TRUE(has_event(first(), TaskState::kLost,
                        "agent a came back still running this task, which had ended as LOST; "
                        "killing its copy there"))
      << events_of(first());
  EXPECT_TRUE(has_event(first(), TaskState::kLost, "its copy on agent a ended KILLED"))
      << events_of(first());
  EXPECT_EQ(active(c_, "web", 0), next);
}

TEST_F(CorePartitionsTest, KillingAPartitionedTaskEndsItNowAndItsAgentKillsItOnReturn) {
  ASSERT_NO_FATAL_FAILURE(start(jobspec::PartitionPolicy{.reschedule = false, .delay_secs = 0}));
  partition_a();
  auto killed = c_.core().kill(JobKey{"www-data", "prod", "web"}, std::nullopt, "by a user",
                               c_.clock().now_ms());
  ASSERT_TRUE(killed.ok());
  EXPECT_EQ(first().state, TaskState::kKilled);
  EXPECT_NE(first().last_event().message().find("its agent is unreachable"), std::string::npos);
  c_.revive_agent("a");
  c_.step();
  EXPECT_TRUE(c_.running_on("a").empty());
}

TEST_F(CorePartitionsTest, ATaskStoppedByItsCutOffAgentEndsWithItsReasonAndIsNotAFailure) {
  // A batch job with max_task_failures 1: a counted failure would end the instance.
  ASSERT_NO_FATAL_FAILURE(
      start(jobspec::PartitionPolicy{.reschedule = false, .delay_secs = 0}, /*service=*/false));
  partition_a();
  c_.end_while_silent(first_, TaskState::kKilled,
                      "killed: the scheduler was unreachable for 20 s (--partition-stop-after)");
  c_.revive_agent("a");
  EXPECT_EQ(first().state, TaskState::kKilled);
  EXPECT_NE(first().last_event().message().find("--partition-stop-after"), std::string::npos)
      << events_of(first());
  const Task* next = active(c_, "web", 0);
  ASSERT_NE(next, nullptr);
  EXPECT_EQ(next->failure_count, 0);
}

TEST_F(CorePartitionsTest, ANewAgentOnTheHostMeansThePartitionedTaskIsGone) {
  ASSERT_NO_FATAL_FAILURE(start(jobspec::PartitionPolicy{.reschedule = false, .delay_secs = 0}));
  partition_a();
  ASSERT_EQ(first().state, TaskState::kPartitioned);
  c_.add_agent("a", 4, 8LL << 30, 8LL << 30);  // its work dir was wiped: a new agent id
  EXPECT_EQ(first().state, TaskState::kLost);
  EXPECT_EQ(first().last_event().message(), "replaced by a new agent on host a");
  c_.advance(1'100);
  const Task* next = active(c_, "web", 0);
  ASSERT_NE(next, nullptr);
  EXPECT_EQ(next->state, TaskState::kRunning);
}

TEST_F(CorePartitionsTest, ARestartedSchedulerKeepsThePartitionDelay) {
  ASSERT_NO_FATAL_FAILURE(start(jobspec::PartitionPolicy{.reschedule = true, .delay_secs = 30}));
  partition_a();
  c_.advance(10'000);
  ASSERT_EQ(first().state, TaskState::kPartitioned);
  ASSERT_TRUE(c_.restart_scheduler().ok());
  c_.advance(15'000);
  EXPECT_EQ(first().state, TaskState::kPartitioned);
  c_.advance(6'000);
  EXPECT_EQ(first().state, TaskState::kLost);
  const Task* next = active(c_, "web", 0);
  ASSERT_NE(next, nullptr);
  EXPECT_EQ(c_.running_on("b").count(next->id), 1u);
}

TEST_F(CorePartitionsTest, UpdatesFromALostAgentWaitForItToRegister) {
  ASSERT_NO_FATAL_FAILURE(start(jobspec::PartitionPolicy{.reschedule = false, .delay_secs = 0}));
  partition_a();
  std::string a_id;
  for (const Agent& a : c_.core().agents())
    if (a.hostname == "a") a_id = a.id;
  auto r = c_.core().apply_updates(a_id, {{first_, TaskState::kFailed, "crashed"}},
                                   c_.clock().now_ms(), c_.mono_clock().mono_ms());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(first().state, TaskState::kPartitioned);
}

}  // namespace
}  // namespace borealis::scheduler
