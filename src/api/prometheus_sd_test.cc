#include "api/prometheus_sd.h"

#include <gtest/gtest.h>

namespace borealis::api {
namespace {

AnnouncedInstance web(const std::map<std::string, int64_t>& ports, int64_t shard = 2) {
  return {"west", "www", "prod", "hello", serverset_member("h1", ports, "http", shard)};
}

TEST(PrometheusSdTest, AnInstanceIsOneGroupLabelledAsItsPerTaskMetrics) {
  auto g = prometheus_target_group(web({{"http", 31000}, {"admin", 31001}}));
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(json::serialize(encode(std::vector<PrometheusTargetGroup>{*g})),
            R"([{"targets":["h1:31000"],"labels":{"__meta_borealis_cluster":"west",)"
            R"("__meta_borealis_host":"h1","__meta_borealis_port_admin":"31001",)"
            R"("__meta_borealis_port_http":"31000","environment":"prod","instance":"2",)"
            R"("job":"hello","role":"www"}}])");
}

TEST(PrometheusSdTest, APortNamedMetricsIsScrapedRatherThanThePrimaryPort) {
  auto g = prometheus_target_group(web({{"http", 31000}, {"metrics", 31007}}));
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(g->targets, std::vector<std::string>{"h1:31007"});
  EXPECT_EQ(g->labels.at("__meta_borealis_port_metrics"), "31007");
}

TEST(PrometheusSdTest, AnInstanceWithoutItsPrimaryPortOrAMetricsPortIsLeftOut) {
  // serverset_member announces a primary_port the task lacks as port 0.
  EXPECT_FALSE(prometheus_target_group(web({{"admin", 31001}})).has_value());
  EXPECT_TRUE(prometheus_target_group(web({{"metrics", 31001}})).has_value());
}

TEST(PrometheusSdTest, PortNamesBecomeValidLabelNames) {
  EXPECT_EQ(prometheus_label_name_part("health-check.v2"), "health_check_v2");
  EXPECT_EQ(prometheus_label_name_part("Admin_9"), "Admin_9");
  auto g = prometheus_target_group(web({{"http", 31000}, {"grpc-web", 31002}}));
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(g->labels.at("__meta_borealis_port_grpc_web"), "31002");
}

TEST(PrometheusSdTest, NoInstancesIsAnEmptyList) {
  EXPECT_EQ(json::serialize(encode(std::vector<PrometheusTargetGroup>{})), "[]");
}

}  // namespace
}  // namespace borealis::api
