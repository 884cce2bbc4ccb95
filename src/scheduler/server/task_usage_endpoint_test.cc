// GET /api/v1/jobs/ROLE/ENV/NAME/tasks/ID/usage over real HTTP, with a scripted agent that
// reports usage in its polls: one sample per new agent sample, and the 404s.
#include <gtest/gtest.h>

#include "api/task_usage_history.h"
#include "common/json.h"
#include "scheduler/server/service_test_fixture.h"

namespace borealis::scheduler {
namespace {

constexpr const char* kJob = R"({"role": "www-data", "environment": "prod", "cluster": "test",
  "name": "web", "instances": 1, "service": true,
  "task": {"processes": [{"name": "web", "cmdline": "sleep 100"}],
           "resources": {"cpu": 0.1, "ram": 1048576, "disk": 1048576}}})";

class TaskUsageEndpointTest : public ServiceTest {
 protected:
  void SetUp() override {
    SchedulerOptions o = options();
    o.poll_timeout_ms = 200;
    start(o);
  }

  // Registers agent h1 and polls until the job's task is launched on it.
  void place() {
    ASSERT_EQ(call("POST", "/api/v1/jobs", kJob).status, 201);
    auto reg = call("POST", "/agent/v1/register", R"({"agent_id": "", "hostname": "h1",
      "address": "127.0.0.1:1", "resources": {"cpu": 4, "ram": 8589934592,
      "disk": 8589934592}, "ports": [[31000, 31009]], "tasks": []})");
    ASSERT_EQ(reg.status, 200) << reg.body;
    agent_ = std::string(parse_json(reg.body)->at("agent_id").as_string());
    for (int polls = 0; polls < 30 && task_.empty(); ++polls) {
      auto answer = parse_json(poll("").body).value();
      for (const auto& c : answer.at("commands").as_array())
        task_ = std::string(c.at("task_id").as_string());
    }
    ASSERT_FALSE(task_.empty());
  }

  net::ClientResponse poll(const std::string& tasks) {
    std::string body = R"({"agent_id": ")" + agent_ + R"(", "acked_command_seq": 0)";
    if (!tasks.empty()) body += R"(, "tasks": )" + tasks;
    auto r = call("POST", "/agent/v1/poll", body + "}");
    EXPECT_EQ(r.status, 200) << r.body;
    return r;
  }

  void report_usage(int64_t sampled_ms, int64_t memory) {
    poll(R"([{"task_id": ")" + task_ + R"(", "state": "RUNNING", "usage": {"sampled_ms": )" +
         std::to_string(sampled_ms) + R"(, "cpu_seconds": 1, "cpu_rate": 0.5, "memory_bytes": )" +
         std::to_string(memory) + "}}]");
  }

  api::TaskUsageHistory usage() {
    auto r = call("GET", "/api/v1/jobs/www-data/prod/web/tasks/" + task_ + "/usage");
    EXPECT_EQ(r.status, 200) << r.body;
    auto h = api::decode_body<api::TaskUsageHistory>(r.body);
    EXPECT_TRUE(h.ok()) << r.body;
    return h.ok() ? *h : api::TaskUsageHistory{};
  }

  std::string agent_;
  std::string task_;
};

TEST_F(TaskUsageEndpointTest, ATasksSamplesOldestFirst) {
  place();
  EXPECT_TRUE(usage().samples.empty());
  report_usage(1000, 1 << 20);
  report_usage(1000, 1 << 20);
  report_usage(11000, 3 << 20);
  auto h = usage();
  EXPECT_EQ(h.task_id, task_);
  ASSERT_EQ(h.samples.size(), 2u);
  EXPECT_EQ(h.samples[0], (api::TaskUsageSample{1000, 0.5, 1 << 20, -1}));
  EXPECT_EQ(h.samples[1].memory_bytes, 3 << 20);

  EXPECT_EQ(call("GET", "/api/v1/jobs/www-data/prod/web/tasks/nope/usage").status, 404);
  EXPECT_EQ(call("GET", "/api/v1/jobs/www-data/prod/other/tasks/" + task_ + "/usage").status, 404);
}

}  // namespace
}  // namespace borealis::scheduler
