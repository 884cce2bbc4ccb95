// The scheduler's /metrics, /vars and /vars.json over real HTTP (docs/metrics.md).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "auth/token.h"
#include "common/json.h"
#include "metrics/http_metrics.h"
#include "scheduler/server/service_test_fixture.h"

namespace borealis::scheduler {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string job_spec(int instances) {
  return R"({"role": "www-data", "environment": "prod", "cluster": "test", "name": "hello",
    "instances": )" +
         std::to_string(instances) + R"(, "service": true,
    "task": {"processes": [{"name": "hello", "cmdline": "sleep 100"}],
             "resources": {"cpu": 0.01, "ram": 1048576, "disk": 1048576}}})";
}

class SchedulerMetricsTest : public ServiceTest {
 protected:
  void SetUp() override { start(options()); }

  net::ClientResponse get(const std::string& path) {
    auto r = client_->get(path);
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? *r : net::ClientResponse{};
  }
  // One value of /vars.json; -1 when the series is absent.
  double var(const std::string& series) {
    auto vars = parse_json(get("/vars.json").body);
    EXPECT_TRUE(vars.ok());
    if (!vars.ok() || !vars->is_object()) return -1;
    const json::value* v = vars->as_object().if_contains(series);
    return v ? v->to_number<double>() : -1;
  }
  // Polls /vars.json until `series` has `value` (the core places tasks on its tick).
  bool wait_var(const std::string& series, double value) {
    for (auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
         std::chrono::steady_clock::now() < deadline;
         std::this_thread::sleep_for(std::chrono::milliseconds(20)))
      if (var(series) == value) return true;
    return false;
  }
};

TEST_F(SchedulerMetricsTest, TasksByJobAndStateRequestsAndStoreWritesAreMeasured) {
  ASSERT_EQ(client_->request("POST", "/api/v1/jobs", job_spec(2))->status, 201);
  ASSERT_EQ(get("/api/v1/jobs/www-data/prod/nope").status, 404);
  auto metrics = get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.content_type, metrics::kPrometheusContentType);
  const std::string& text = metrics.body;
  EXPECT_THAT(text, HasSubstr("# TYPE borealis_tasks gauge\n"
                              "borealis_tasks{role=\"www-data\",environment=\"prod\",job=\"hello\","
                              "state=\"PENDING\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("borealis_http_requests_total{route=\"/api/v1/jobs\",method=\"POST\","
                              "code=\"2xx\"} 1\n"));
  // The 404 is counted under its route pattern, never under the path it asked for.
  EXPECT_THAT(text, HasSubstr("borealis_http_request_errors_total{route=\"/api/v1/jobs/*/*/*\","
                              "method=\"GET\",code=\"4xx\"} 1\n"));
  EXPECT_THAT(text, Not(HasSubstr("nope")));
  EXPECT_THAT(text, HasSubstr("# TYPE borealis_http_open_connections gauge\n"));
  EXPECT_GE(var("borealis_store_write_duration_seconds_count"), 1);
  EXPECT_EQ(var("borealis_scheduling_latency_seconds_count"), 0);

  // An agent with room: both tasks are placed, and their wait is observed.
  ASSERT_EQ(client_
                ->request("POST", "/agent/v1/register",
                          R"({"agent_id": "", "hostname": "h1", "address": "127.0.0.1:1",
                     "resources": {"cpu": 4, "ram": 8589934592, "disk": 8589934592},
                     "ports": [[31000, 31009]], "tasks": []})")
                ->status,
            200);
  EXPECT_TRUE(wait_var("borealis_scheduling_latency_seconds_count", 2));
  EXPECT_EQ(var("borealis_tasks{role=\"www-data\",environment=\"prod\",job=\"hello\","
                "state=\"ASSIGNED\"}"),
            2);
  EXPECT_EQ(var("borealis_cluster_agents{status=\"ACTIVE\"}"), 1);
  EXPECT_EQ(var("borealis_cluster_cpu_cores{status=\"ACTIVE\"}"), 4);
  EXPECT_EQ(var("borealis_cluster_cpu_allocated_cores{status=\"ACTIVE\"}"), 0.02);
  // /vars is the same series as `name value` lines.
  std::string vars = get("/vars").body;
  EXPECT_THAT(vars, HasSubstr("\nborealis_cluster_agents{status=\"ACTIVE\"} 1\n"));
}

// docs/metrics.md's Prometheus identity: an auth-file entry with no grant scrapes with its
// Bearer token and can change nothing; without a token the scrape is refused.
TEST_F(SchedulerMetricsTest, AnIdentityWithoutGrantsScrapesAndChangesNothing) {
  service_->stop();
  SchedulerOptions o = options();
  o.auth_file = dir_.write("auth.yaml", "users:\n  - name: prometheus\n    token_sha256: " +
                                            auth::sha256_hex("scrape-token") + "\n");
  start(o);
  EXPECT_EQ(get("/metrics").status, 401);
  client_->set_header("Authorization", "Bearer scrape-token");
  for (const char* path : {"/metrics", "/vars", "/vars.json"}) EXPECT_EQ(get(path).status, 200);
  auto create = client_->request("POST", "/api/v1/jobs", job_spec(1));
  ASSERT_TRUE(create.ok());
  EXPECT_EQ(create->status, 403) << create->body;
}

// The scrape counts every task the scheduler holds on its core thread: with 10,000 tasks
// it must stay cheap (docs/metrics.md quotes the figure this prints).
TEST_F(SchedulerMetricsTest, AScrapeOfTenThousandTasksIsCheap) {
  ASSERT_EQ(client_->request("POST", "/api/v1/jobs", job_spec(10000))->status, 201);
  constexpr int kScrapes = 5;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kScrapes; ++i) {
    auto r = get("/metrics");
    ASSERT_EQ(r.status, 200);
    ASSERT_NE(r.body.find("state=\"PENDING\"} 10000\n"), std::string::npos);
  }
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() /
      kScrapes;
  std::printf("GET /metrics with 10000 tasks: %.2f ms per scrape\n", ms);
  EXPECT_LT(ms, 500) << "a scrape holds the core thread";
}

}  // namespace
}  // namespace borealis::scheduler
