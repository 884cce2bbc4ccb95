// The fixture of the CLI's end-to-end tests (cli_test.cc, cli_update_test.cc,
// cli_config_test.cc): run_cli against a real in-process cluster (testing::Cluster: a
// scheduler, one agent "agent-1" and real runners), through a RecordingProxy that shows
// what the CLI sent.
//
// Time: each run starts the CLI's clock at the real time (plus clock_ahead_ms_, to show
// ages); a pause between polls advances that clock by the pause but sleeps at most
// kRealPauseMs, so timeouts are exact and quick while the cluster makes real progress.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <thread>

#include "cli/cli.h"
#include "cli/test_util.h"
#include "testing/cluster.h"
#include "testing/recording_proxy.h"
#include "testing/wait_until.h"

namespace borealis::cli::testing {

using borealis::testing::Cluster;
using borealis::testing::RecordingProxy;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::StartsWith;

constexpr const char* kHello = "www-data/prod/hello";
constexpr const char* kHelloKey = "devcluster/www-data/prod/hello";
constexpr TimeMs kRealPauseMs = 20;

// The job kHelloJob describes, with `instances` and the process's `cmdline`.
inline json::object hello_spec(int instances = 2, const std::string& cmdline =
                                                      "echo {{thermos.ports[web]}}; "
                                                      "exec sleep 600") {
  json::object process{{"name", "main"}, {"cmdline", cmdline}};
  return {{"name", "hello"},
          {"role", "www-data"},
          {"environment", "prod"},
          {"cluster", "devcluster"},
          {"instances", instances},
          {"service", true},
          {"update_config", {{"watch_secs", 0}}},
          {"task",
           {{"processes", json::array{process}},
            {"resources", {{"cpu", 0.5}, {"ram", 67108864}, {"disk", 67108864}}}}}};
}

// `spec` with a health check that always fails, fast: its tasks never get RUNNING and
// end FAILED.
inline json::object unhealthy(json::object spec) {
  spec["health_check_config"] =
      json::object{{"health_checker", {{"shell", {{"shell_command", "false"}}}}},
                   {"initial_interval_secs", 0.1},
                   {"interval_secs", 0.1},
                   {"timeout_secs", 1.0}};
  return spec;
}

inline std::string str(const json::value& v) { return std::string(v.as_string()); }

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// `text` as a regular expression that matches exactly it (gmock's POSIX syntax).
inline std::string re(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (std::string_view("\\.^$|()[]{}*+?").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// The first `n` pauses of the CLI's polling: 50 ms, doubling up to a second.
inline std::vector<TimeMs> poll_schedule(size_t n) {
  std::vector<TimeMs> out;
  for (TimeMs p = 50; out.size() < n; p = std::min<TimeMs>(p * 2, 1000)) out.push_back(p);
  return out;
}

class CliTest : public ::testing::Test {
 protected:
  using Run = CliRun;

  void SetUp() override {
    borealis::testing::ClusterOptions o;
    o.agents[0].resources = {4, int64_t{2} << 30, int64_t{10} << 30};
    o.scheduler.max_instances = 50;
    auto c = Cluster::start(std::move(o));
    ASSERT_TRUE(c.ok()) << c.status().to_string();
    cluster_ = std::move(c).value();
    proxy_ = std::make_unique<RecordingProxy>(cluster_->scheduler_url());
    ASSERT_FALSE(proxy_->url().empty());
    std::string clusters = R"([{"name": "devcluster", "scheduler_uri": ")" + proxy_->url() +
                           R"("}, {"name": "dead", "scheduler_uri": ")" +
                           cluster_->scheduler_url() +
                           R"("}, {"name": "zkonly", "zk": "127.0.0.1", "zk_port": 30969}])";
    env_.cluster_files = {dir_.write("etc/clusters.json", clusters),
                          dir_.path() + "/home/.borealis/clusters.json"};
    env_.zk_timeout = std::chrono::milliseconds(300);  // nothing listens on zkonly's port
    env_.clock = &clock_;
    env_.sleep = [this](TimeMs ms) {
      pauses_.push_back(ms);
      clock_.advance_ms(ms);
      if (on_pause_) on_pause_(pauses_.size());
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min(ms, kRealPauseMs)));
    };
    env_.http_timeout = std::chrono::seconds(5);
    hello_file_ = write_job("hello.json", hello_spec());
  }

  std::string write_job(const std::string& name, const json::object& spec) {
    return dir_.write(name, json::serialize(spec));
  }

  // Creates `spec` on the cluster (not through the CLI) and waits until it runs.
  void create_running(const json::object& spec) {
    auto created = cluster_->create_job(spec);
    ASSERT_TRUE(created.ok()) << created.status().to_string();
    Status running = cluster_->wait_running(std::string(spec.at("role").as_string()) + "/" +
                                                std::string(spec.at("environment").as_string()) +
                                                "/" + std::string(spec.at("name").as_string()),
                                            static_cast<int>(spec.at("instances").as_int64()));
    ASSERT_TRUE(running.ok()) << running.to_string();
  }
  // The job "www-data/prod/hello" runs `instances` instances.
  void add_hello(int instances = 2) { create_running(hello_spec(instances)); }

  // The active tasks of hello, by instance.
  std::map<int64_t, json::object> hello_tasks() {
    std::map<int64_t, json::object> out;
    auto tasks = cluster_->tasks(kHello);
    EXPECT_TRUE(tasks.ok()) << tasks.status().to_string();
    if (!tasks.ok()) return out;
    for (const auto& t : *tasks) {
      int64_t i = t.at("instance_id").as_int64();
      if (!out.count(i)) out[i] = t.as_object();  // the active task comes first
    }
    return out;
  }

  // The CLI talks to the scheduler directly, without the proxy.
  void use_direct_scheduler() {
    dir_.write("home/.borealis/clusters.json", R"([{"name": "devcluster", "scheduler_uri": ")" +
                                                   cluster_->scheduler_url() + R"("}])");
  }

  Run run(const std::vector<std::string>& args) {
    clock_.set_ms(SystemClock::instance().now_ms() + clock_ahead_ms_);
    run_started_ms_ = clock_.now_ms();
    return run_captured(args, env_);
  }

  // run(args), expecting it to succeed.
  Run run_ok(const std::vector<std::string>& args) {
    Run r = run(args);
    EXPECT_EQ(r.code, 0) << ::testing::PrintToString(args) << ": " << r.err;
    return r;
  }
  // run(args), expecting the operation to fail (exit 1).
  Run run_failed(const std::vector<std::string>& args) {
    Run r = run(args);
    EXPECT_EQ(r.code, kExitFailed) << ::testing::PrintToString(args) << ": " << r.out;
    return r;
  }

  std::vector<RecordingProxy::Request> requests_to(const std::string& method,
                                                   const std::string& path) {
    return proxy_->requests_to(method, path);
  }

  // The JSON body of the one request the CLI sent to `method` `path` (null if not one).
  json::value body_of(const std::string& method, const std::string& path) {
    auto reqs = requests_to(method, path);
    EXPECT_EQ(reqs.size(), 1u) << method << " " << path;
    if (reqs.empty()) return nullptr;
    auto v = parse_json(reqs[0].body);
    EXPECT_TRUE(v.ok()) << reqs[0].body;
    return v.ok() ? *v : json::value(nullptr);
  }

  std::unique_ptr<Cluster> cluster_;
  std::unique_ptr<RecordingProxy> proxy_;
  TempDir dir_;
  FakeClock clock_;
  TimeMs clock_ahead_ms_ = 0;
  TimeMs run_started_ms_ = 0;
  std::vector<TimeMs> pauses_;                  // each sleep between polls
  std::function<void(size_t pause)> on_pause_;  // after pause number N (from 1)
  CliEnv env_;
  std::string hello_file_;
};

}  // namespace borealis::cli::testing
