// The fixture of the agent's integration tests: a FakeScheduler, an Agent on a temporary
// work dir with the real borealis-runner, an HTTP client for the agent's API, and a
// teardown that kills whatever task processes a test left behind.
#pragma once

#include <gtest/gtest.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "agent/agent.h"
#include "agent/checkpoint_reader.h"
#include "agent/fake_scheduler.h"
#include "agent/file_util.h"
#include "agent/proc_stat.h"
#include "agent/runner_process.h"
#include "agent/task_progress.h"
#include "agent/test_util.h"
#include "net/http_client.h"

namespace borealis::agent::testing {

using S = TaskState;
using namespace std::chrono_literals;

class AgentFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    config_.scheduler_url = fake_.url();
    config_.work_dir = tmp_ / "work";
    config_.http_bind = "127.0.0.1";
    config_.http_port = 0;
    config_.hostname = "test-host";
    config_.attributes = {{"host", "test-host"}};
    config_.resources = {2, 1 << 30, 1 << 30};
    config_.runner_path = BOREALIS_RUNNER_BIN;
    config_.backoff_min_ms = 20;
    config_.backoff_max_ms = 200;
    config_.request_timeout_ms = 2000;
    // inotify must carry every test: the safety-net rescan never fires during one.
    config_.rescan_interval_ms = 60'000;
    config_.monitor.start_grace_ms = 2000;
  }

  void TearDown() override {
    agent_.reset();
    kill_leftovers();
  }

  void start_agent() {
    auto a = Agent::start(config_);
    ASSERT_TRUE(a.ok()) << a.status().to_string();
    agent_ = std::move(a).value();
    auto c = net::HttpClient::create("http://127.0.0.1:" + std::to_string(agent_->http_port()));
    ASSERT_TRUE(c.ok());
    api_ = std::move(c).value();
  }

  // A job whose one process runs `cmdline`, as the current user.
  static json::value job(const std::string& cmdline, int64_t finalization_wait = 1) {
    const passwd* pw = ::getpwuid(::geteuid());
    json::object process{{"name", "main"}, {"cmdline", cmdline}};
    return json::object{
        {"name", "hello"},
        {"role", pw ? pw->pw_name : "root"},
        {"environment", "test"},
        {"cluster", "testcluster"},
        {"task", json::object{{"name", "hello"},
                              {"finalization_wait", finalization_wait},
                              {"processes", json::array{process}},
                              {"resources",
                               json::object{{"cpu", 0.1}, {"ram", 1 << 20}, {"disk", 1 << 20}}}}}};
  }

  bool wait_states(const std::string& id, const std::vector<TaskState>& want,
                   std::chrono::milliseconds timeout = 5s) {
    bool ok = wait_for([&] { return fake_.states(id).size() >= want.size(); }, timeout);
    EXPECT_TRUE(ok) << id << ": " << describe(fake_.states(id));
    return ok && fake_.states(id) == want;
  }

  static std::string describe(const std::vector<TaskState>& states) {
    std::string out;
    for (auto s : states) out += std::string(task_state_name(s)) + " ";
    return out;
  }

  std::string sandbox(const std::string& id) const { return config_.work_dir + "/sandboxes/" + id; }

  // GET on the agent's API.
  net::ClientResponse get(const std::string& path) {
    auto r = api_->get(path);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? *r : net::ClientResponse{};
  }

  json::object task_view(const std::string& id) {
    auto r = get("/api/v1/tasks/" + id);
    auto v = parse_json(r.body);
    if (r.status != 200 || !v.ok()) return {};
    return v->as_object().at("task").as_object();
  }

  static bool alive(int64_t pid) { return runner_liveness(pid, 0) == Liveness::kAlive; }

  static TaskProgress read_progress(const std::string& sandbox) {
    CheckpointTail tail(sandbox);
    TaskProgress p;
    if (auto recs = tail.read_new(); recs.ok())
      for (const auto& r : *recs) p.apply(r);
    return p;
  }

  // SIGKILLs every runner and process group the sandboxes name, and reaps runners.
  void kill_leftovers() {
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(config_.work_dir + "/sandboxes", ec)) {
      TaskProgress p = read_progress(e.path().string());
      if (!p.has_runner_record()) continue;
      std::vector<int64_t> groups = p.process_groups();
      groups.push_back(p.runner_pid());
      signal_session_groups(p.runner_pid(), groups, SIGKILL);
      if (runner_liveness(p.runner_pid(), p.runner_start_ticks()) == Liveness::kAlive)
        ::kill(static_cast<pid_t>(p.runner_pid()), SIGKILL);
      wait_for(
          [&] {
            reap_pid(p.runner_pid());
            return runner_liveness(p.runner_pid(), p.runner_start_ticks()) == Liveness::kGone;
          },
          2s);
    }
  }

  TempDir tmp_;
  FakeScheduler fake_;
  AgentConfig config_;
  std::unique_ptr<Agent> agent_;
  std::unique_ptr<net::HttpClient> api_;
};

}  // namespace borealis::agent::testing
