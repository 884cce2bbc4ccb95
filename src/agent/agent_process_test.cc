// kill -9 of a real agent process: its tasks keep running (they are in their own
// sessions, re-parented away from the dead agent), and a new agent process on the same
// work dir re-attaches to them (same pids; they are no longer its children) and can kill
// them. The agent processes are this test binary re-run in "serve" mode.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cstdlib>
#include <thread>

#include "agent/agent_test_fixture.h"
#include "common/strings.h"

extern char** environ;

namespace borealis::agent::testing {
namespace {

constexpr char kServeEnv[] = "BOREALIS_AGENT_TEST_SERVE";  // "scheduler_url|work_dir|runner"

// Serve mode: runs an agent until the process is killed. Skipped in normal runs.
TEST(AgentProcessServe, Serve) {
  const char* spec = std::getenv(kServeEnv);
  if (!spec) GTEST_SKIP() << "only run as a child of AgentProcessTest";
  auto parts = split(spec, '|');
  ASSERT_EQ(parts.size(), 3u);
  AgentConfig c;
  c.scheduler_url = parts[0];
  c.work_dir = parts[1];
  c.runner_path = parts[2];
  c.http_bind = "127.0.0.1";
  c.http_port = 0;
  c.hostname = "test-host";
  c.run_tasks_as_agent_user = true;  // as the fixture's agent does
  c.backoff_min_ms = 20;
  c.backoff_max_ms = 200;
  auto agent = Agent::start(c);
  ASSERT_TRUE(agent.ok()) << agent.status().to_string();
  while (true) std::this_thread::sleep_for(std::chrono::seconds(60));  // until SIGKILL
}

class AgentProcessTest : public AgentFixture {
 protected:
  pid_t spawn_agent() {
    std::string env = std::string(kServeEnv) + "=" + fake_.url() + "|" + config_.work_dir + "|" +
                      config_.runner_path;
    std::vector<std::string> envs = {env};
    for (char** e = environ; *e; ++e) envs.emplace_back(*e);
    std::vector<char*> envp;
    for (auto& e : envs) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::string self = "/proc/self/exe", filter = "--gtest_filter=AgentProcessServe.Serve";
    char* argv[] = {self.data(), filter.data(), nullptr};
    pid_t pid = 0;
    EXPECT_EQ(posix_spawn(&pid, self.c_str(), nullptr, nullptr, argv, envp.data()), 0);
    return pid;
  }

  void kill_agent(pid_t pid) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
};

TEST_F(AgentProcessTest, KillNineAndRestartReattachesToTheSameRunners) {
  pid_t first = spawn_agent();
  fake_.launch("t1", job("sleep 30"));
  ASSERT_TRUE(wait_states("t1", {S::kStarting, S::kRunning}));
  auto pids = fake_.last_update("t1")->pids;
  ASSERT_EQ(pids.size(), 2u);
  kill_agent(first);
  EXPECT_TRUE(alive(pids[0]));
  EXPECT_TRUE(alive(pids[1]));
  auto runner = read_proc_stat(pids[0]);
  ASSERT_TRUE(runner.has_value());
  EXPECT_NE(runner->ppid, first);  // re-parented: the dead agent is not its parent

  pid_t second = spawn_agent();  // the work dir lock died with the first one
  ASSERT_TRUE(wait_for([&] { return fake_.registers() == 2; }));
  EXPECT_EQ(fake_.register_tasks()[1], (std::vector<TaskReport>{{"t1", S::kRunning}}));
  fake_.kill("t1");
  ASSERT_TRUE(wait_states("t1", {S::kStarting, S::kRunning, S::kKilled}));
  EXPECT_TRUE(wait_for([&] { return !alive(pids[0]) && !alive(pids[1]); }));
  kill_agent(second);
}

}  // namespace
}  // namespace borealis::agent::testing
