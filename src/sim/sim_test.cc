#include <gtest/gtest.h>

#include "jobspec/job_spec_json.h"
#include "sim/api_probe.h"
#include "sim/async_http_client.h"
#include "sim/sim_report.h"
#include "sim/workload.h"

namespace borealis::sim {
namespace {

TEST(SimUrl, ReadsHostAndPort) {
  auto ep = parse_http_url("http://127.0.0.1:9301/");
  ASSERT_TRUE(ep.ok()) << ep.status().message();
  EXPECT_EQ(ep->host, "127.0.0.1");
  EXPECT_EQ(ep->port, "9301");
}

TEST(SimUrl, RefusesWhatItCannotSpeak) {
  EXPECT_FALSE(parse_http_url("https://127.0.0.1:9301").ok());
  EXPECT_FALSE(parse_http_url("http://127.0.0.1").ok());
  EXPECT_FALSE(parse_http_url("http://127.0.0.1:9301/api").ok());
  EXPECT_NE(parse_http_url("ftp://x:1").status().message().find("ftp://x:1"), std::string::npos);
}

TEST(SimWorkload, SpreadsTasksOverJobsWithTheRemainderFirst) {
  auto plans = plan_jobs(Workload::kUniform, 10, 3);
  ASSERT_EQ(plans.size(), 3u);
  EXPECT_EQ(plans[0].instances, 4);
  EXPECT_EQ(plans[1].instances, 3);
  EXPECT_EQ(plans[2].instances, 3);
  EXPECT_EQ(plans[0].name, "sim-000000");
  EXPECT_EQ(plans[2].name, "sim-000002");
  EXPECT_TRUE(plan_jobs(Workload::kUniform, 2, 5).size() == 2u);
}

TEST(SimWorkload, StandardMixIsHalfSmallThirtyPercentMedium) {
  std::map<std::string, int> counts;
  for (int i = 0; i < 100; ++i) ++counts[job_shape(Workload::kStandard, i).name];
  EXPECT_EQ(counts["small"], 50);
  EXPECT_EQ(counts["medium"], 30);
  EXPECT_EQ(counts["large"], 10);
  EXPECT_EQ(counts["memory"], 10);
  EXPECT_EQ(plan_jobs(Workload::kStandard, 5, 1, 3)[0].shape.name, "large");
}

TEST(SimWorkload, JobSpecIsOneTheSchedulerReads) {
  auto plans = plan_jobs(Workload::kStandard, 7, 1, 1);
  auto spec =
      jobspec::job_spec_from_json(job_spec_json(plans[0], {"devcluster", "www-data", "devel"}));
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  EXPECT_EQ(spec->instances, 7);
  EXPECT_EQ(spec->cluster, "devcluster");
  EXPECT_EQ(spec->environment, "devel");
  ASSERT_TRUE(spec->task.resources.has_value());
  EXPECT_DOUBLE_EQ(spec->task.resources->cpu, 1.0);
  EXPECT_TRUE(spec->service);
}

TEST(SimProbe, QuantilesByNearestRank) {
  std::vector<double> samples;
  for (int i = 100; i >= 1; --i) samples.push_back(i);
  EXPECT_DOUBLE_EQ(quantile_ms(samples, 0.5), 50);
  EXPECT_DOUBLE_EQ(quantile_ms(samples, 0.99), 99);
  EXPECT_DOUBLE_EQ(quantile_ms({7}, 0.99), 7);
  EXPECT_DOUBLE_EQ(quantile_ms({}, 0.5), 0);
}

TEST(SimReport, LeavesOutWhatWasNotMeasured) {
  SimReport r;
  r.tasks = 10;
  r.all_running_s = 1.5;
  json::object o = report_json(r);
  EXPECT_EQ(o.at("tasks").as_int64(), 10);
  EXPECT_DOUBLE_EQ(o.at("all_running_s").as_double(), 1.5);
  EXPECT_FALSE(o.contains("recovery_s"));
  EXPECT_NE(report_text(r).find("recovery after kill -9 -"), std::string::npos);
  r.recovery_s = 2.0;
  r.relaunched_tasks = 0;
  o = report_json(r);
  EXPECT_DOUBLE_EQ(o.at("recovery_s").as_double(), 2.0);
  EXPECT_EQ(o.at("relaunched_tasks").as_int64(), 0);
}

TEST(SimReport, FailoverFiguresOnlyInHaMode) {
  SimReport r;
  EXPECT_FALSE(report_json(r).contains("failover_s"));
  EXPECT_EQ(report_text(r).find("failover"), std::string::npos);
  r.schedulers = 3;
  r.failover_elected_s = 1.5;
  r.failover_s = 2.25;
  r.failover_relaunched_tasks = 0;
  r.failover_double_active = 0;
  json::object o = report_json(r);
  EXPECT_EQ(o.at("schedulers").as_int64(), 3);
  EXPECT_DOUBLE_EQ(o.at("failover_s").as_double(), 2.25);
  EXPECT_EQ(o.at("failover_double_active").as_int64(), 0);
  EXPECT_NE(report_text(r).find("failover after kill -9 1.50 s to a new leader"), std::string::npos)
      << report_text(r);
}

}  // namespace
}  // namespace borealis::sim
