// The fixture of the CLI's end-to-end tests (cli_test.cc, cli_update_test.cc,
// cli_config_test.cc): run_cli against a fake scheduler, with a fake clock and a sleep
// that only advances it.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "cli/cli.h"
#include "cli/fake_scheduler.h"
#include "cli/test_util.h"

namespace borealis::cli::testing {

constexpr TimeMs kStart = 1'700'000'000'000;

inline json::object task_json(int instance, const std::string& status,
                              const std::string& message = "", TimeMs changed = kStart - 60'000) {
  return {
      {"instance_id", instance},
      {"task_id", "www-data-prod-hello-" + std::to_string(instance) + "-" + status},
      {"status", status},
      {"host", status == "PENDING" ? "" : "agent-1"},
      {"agent_id", status == "PENDING" ? "" : "a1"},
      {"ports", status == "RUNNING" ? json::object{{"http", 31000 + instance}} : json::object{}},
      {"failure_count", 0},
      {"message", message},
      {"events",
       json::array{json::object{{"ts_ms", changed}, {"status", status}, {"message", message}}}}};
}

inline json::object job_summary(const std::string& name, const std::string& status, int instances) {
  return {{"role", "www-data"}, {"environment", "prod"},
          {"name", name},       {"instances", instances},
          {"service", true},    {"state_counts", {{status, instances}}},
          {"status", status}};
}

constexpr const char* kHelloJob = R"({"name": "hello", "role": "www-data", "environment": "prod",
  "cluster": "devcluster", "instances": 2, "service": true,
  "task": {"processes": [{"name": "main", "cmdline": "python3 -m http.server {{thermos.ports[http]}}"}],
           "resources": {"cpu": 0.5, "ram": 67108864, "disk": 67108864}}})";

class CliTest : public ::testing::Test {
 protected:
  struct Run {
    int code;
    std::string out;
    std::string err;
  };

  void SetUp() override {
    std::string clusters = R"([{"name": "devcluster", "scheduler_uri": ")" + sched_.url() +
                           R"("}, {"name": "dead", "scheduler_uri": "http://127.0.0.1:1"},
                              {"name": "zkonly", "zk": "zk.example.com"}])";
    env_.cluster_files = {dir_.write("etc/clusters.json", clusters),
                          dir_.path() + "/home/.borealis/clusters.json"};
    env_.clock = &clock_;
    env_.sleep = [this](TimeMs ms) {
      clock_.advance_ms(ms);
      pauses_.push_back(ms);
    };
    env_.http_timeout = std::chrono::seconds(5);
    hello_file_ = dir_.write("hello.json", kHelloJob);
  }

  // The job "www-data/prod/hello" exists, with `spec` as its spec (default: kHelloJob's).
  void add_hello(int instances = 2, const std::string& status = "RUNNING") {
    sched_.add_job(job_summary("hello", status, instances));
  }

  Run run(const std::vector<std::string>& args) {
    std::ostringstream out, err;
    int code = run_cli(args, out, err, env_);
    return {code, out.str(), err.str()};
  }

  std::vector<FakeScheduler::Request> requests_to(const std::string& method,
                                                  const std::string& path) {
    std::vector<FakeScheduler::Request> out;
    for (auto& r : sched_.requests())
      if (r.method == method && r.path == path) out.push_back(r);
    return out;
  }

  FakeScheduler sched_;
  TempDir dir_;
  FakeClock clock_{kStart};
  std::vector<TimeMs> pauses_;  // each sleep between polls
  CliEnv env_;
  std::string hello_file_;
};

}  // namespace borealis::cli::testing
