// /metrics of a real scheduler and a real agent with tasks running (docs/metrics.md):
// Prometheus' own checker accepts both, and the agent shows each task's usage under the
// task's role, environment, job and instance.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "net/http_client.h"
#include "testing/cluster.h"
#include "testing/sleeper_job.h"
#include "testing/temp_dir.h"
#include "testing/wait_until.h"

namespace borealis::testing {
namespace {

using ::testing::HasSubstr;

constexpr const char* kJob = kSleeperJob;

// `promtool check metrics` on `text`: its exit status and what it printed.
struct PromtoolResult {
  int exit_status = -1;
  std::string output;
};
PromtoolResult promtool_check(const std::string& text) {
  TempDir dir("borealis-promtool");
  std::string in = dir.write("metrics.txt", text), out = dir / "out.txt";
  int rc = std::system(("promtool check metrics < " + in + " > " + out + " 2>&1").c_str());
  std::ifstream f(out);
  std::stringstream printed;
  printed << f.rdbuf();
  return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, printed.str()};
}

std::string get_text(net::HttpClient& client, const std::string& path) {
  auto r = client.get(path);
  EXPECT_TRUE(r.ok()) << r.status().to_string();
  if (!r.ok()) return "";
  EXPECT_EQ(r->status, 200) << path << ": " << r->body;
  return r->body;
}

class MetricsClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ClusterOptions o;
    // Sample usage and disk often, so the figures appear within the test.
    o.tune_agent = [](agent::AgentConfig& c) {
      c.usage_interval_ms = 200;
      c.disk_check_interval_ms = 200;
    };
    auto c = Cluster::start(std::move(o));
    ASSERT_TRUE(c.ok()) << c.status().to_string();
    cluster_ = std::move(c).value();
    ASSERT_TRUE(cluster_->create_job(sleeper_job(2)).ok());
    ASSERT_TRUE(cluster_->wait_running(kJob, 2).ok());
    scheduler_ = std::move(net::HttpClient::create(cluster_->scheduler_url()).value());
    auto agents = cluster_->api("GET", "/api/v1/agents");
    ASSERT_TRUE(agents.ok()) << agents.status().to_string();
    std::string address(agents->at("agents").at(0).at("address").as_string());
    agent_ = std::move(net::HttpClient::create("http://" + address).value());
  }

  std::unique_ptr<Cluster> cluster_;
  std::unique_ptr<net::HttpClient> scheduler_, agent_;
};

TEST(PromtoolTest, TheCheckReportsAProblem) {
  // Without this the tests below could pass with a checker that accepts anything.
  PromtoolResult bad = promtool_check("# TYPE requests counter\nrequests 1\n");
  EXPECT_NE(bad.exit_status, 0);
  EXPECT_THAT(bad.output, HasSubstr("counter metrics should have \"_total\" suffix"));
}

TEST_F(MetricsClusterTest, PromtoolAcceptsTheSchedulerAndTheAgentWithTasksRunning) {
  // Wait for per-task figures, so the agent's text has every family with samples.
  ASSERT_TRUE(wait_until([&] {
    return get_text(*agent_, "/metrics").find("borealis_task_disk_bytes{") != std::string::npos;
  }));
  const std::pair<const char*, net::HttpClient*> servers[] = {{"scheduler", scheduler_.get()},
                                                              {"agent", agent_.get()}};
  for (const auto& [name, client] : servers) {
    std::string text = get_text(*client, "/metrics");
    ASSERT_THAT(text, HasSubstr("borealis_http_requests_total{")) << name;
    PromtoolResult check = promtool_check(text);
    EXPECT_EQ(check.exit_status, 0) << name << ": " << check.output << "\n" << text;
    EXPECT_EQ(check.output, "") << name;
  }
  EXPECT_THAT(get_text(*scheduler_, "/metrics"),
              HasSubstr("borealis_tasks{role=\"www-data\",environment=\"test\",job=\"sleeper\","
                        "state=\"RUNNING\"} 2\n"));
  std::string agent = get_text(*agent_, "/metrics");
  EXPECT_THAT(agent, HasSubstr("borealis_agent_tasks{state=\"RUNNING\"} 2\n"));
  EXPECT_THAT(agent, HasSubstr("borealis_agent_cpu_allocated_cores 0.5\n"));
  EXPECT_THAT(agent, HasSubstr("borealis_agent_cpu_cores 2\n"));
}

TEST_F(MetricsClusterTest, EachRunningTaskHasItsUsageUnderItsJobAndInstance) {
  auto tasks = cluster_->tasks(kJob);
  ASSERT_TRUE(tasks.ok()) << tasks.status().to_string();
  ASSERT_EQ(tasks->size(), 2u);
  for (const auto& t : *tasks) {
    std::string labels = "{role=\"www-data\",environment=\"test\",job=\"sleeper\",instance=\"" +
                         std::to_string(t.at("instance_id").to_number<int64_t>()) +
                         "\",task_id=\"" + std::string(t.at("task_id").as_string()) + "\"}";
    double memory = -1, disk = -1, cpu = -1;
    // The agent samples every 200 ms here; the first sample may not be in yet.
    EXPECT_TRUE(wait_until([&] {
      auto vars = parse_json(get_text(*agent_, "/vars.json"));
      if (!vars.ok()) return false;
      auto value = [&](const std::string& series) {
        const json::value* v = vars->as_object().if_contains(series);
        return v ? v->to_number<double>() : -1.0;
      };
      memory = value("borealis_task_memory_bytes" + labels);
      disk = value("borealis_task_disk_bytes" + labels);
      cpu = value("borealis_task_cpu_seconds_total" + labels);
      return memory > 0 && disk >= 0 && cpu >= 0;
    })) << labels
        << ": memory " << memory << ", disk " << disk << ", cpu " << cpu;
  }
}

}  // namespace
}  // namespace borealis::testing
