// The agent's launch budget: 100 tasks launched at once are all RUNNING at the scheduler
// within about a second, end to end (poll answer -> sandboxes and runners -> checkpoints
// -> durable, batched updates -> acknowledged).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "agent/agent_test_fixture.h"

namespace borealis::agent::testing {
namespace {

using AgentPerfTest = AgentFixture;

TEST_F(AgentPerfTest, HundredLaunchesAreRunningQuickly) {
  constexpr int kTasks = 100;
  start_agent();
  ASSERT_TRUE(wait_for([&] { return fake_.registers() == 1; }));
  std::vector<std::string> ids;
  for (int i = 0; i < kTasks; ++i) ids.push_back("perf-" + std::to_string(i));

  auto running = [&] {
    int n = 0;
    for (const auto& u : fake_.updates()) n += u.state == S::kRunning;
    return n;
  };
  auto t0 = std::chrono::steady_clock::now();
  fake_.launch_all(ids, job("sleep 30"));
  ASSERT_TRUE(wait_for([&] { return running() == kTasks; }, 20s)) << running() << " running";
  auto launch_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  int posts = fake_.update_posts();

  auto killed = [&] {
    int n = 0;
    for (const auto& u : fake_.updates()) n += u.state == S::kKilled;
    return n;
  };
  auto t1 = std::chrono::steady_clock::now();
  for (const auto& id : ids) fake_.kill(id);
  ASSERT_TRUE(wait_for([&] { return killed() == kTasks; }, 20s)) << killed() << " killed";
  auto kill_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t1)
          .count();
  EXPECT_TRUE(fake_.violations().empty());

  std::printf(
      "[ perf ] %d tasks: launch -> all RUNNING at the scheduler in %lld ms "
      "(%d update POSTs); kill -> all KILLED in %lld ms\n",
      kTasks, static_cast<long long>(launch_ms), posts, static_cast<long long>(kill_ms));
  RecordProperty("launch_to_running_ms", static_cast<int>(launch_ms));
  RecordProperty("kill_to_killed_ms", static_cast<int>(kill_ms));
  // Not a performance target (that is bench/create_to_running.py): a bound that only a
  // broken agent misses, e.g. launches serialised behind a timer, even on a loaded CI
  // machine under sanitizers (typical there: 1.4-1.6 s).
  EXPECT_LT(launch_ms, 15000);
  EXPECT_LT(posts, kTasks) << "updates of many tasks must share POSTs";
}

}  // namespace
}  // namespace borealis::agent::testing
