#include "metrics/exposition.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace borealis::metrics {
namespace {

std::vector<Family> sample_families() {
  return {
      {"borealis_requests_total",
       "Requests answered.",
       MetricType::kCounter,
       {{"", {{"route", "/api/v1/jobs"}, {"code", "2xx"}}, 3},
        {"", {{"route", "/health"}, {"code", "5xx"}}, 0}}},
      {"borealis_open_connections", "Open connections.", MetricType::kGauge, {{"", {}, 2.5}}},
      {"borealis_idle_things", "No samples yet.", MetricType::kGauge, {}},
  };
}

TEST(ExpositionTest, PrometheusTextIsTheGolden) {
  EXPECT_EQ(render_prometheus(sample_families()),
            "# HELP borealis_requests_total Requests answered.\n"
            "# TYPE borealis_requests_total counter\n"
            "borealis_requests_total{route=\"/api/v1/jobs\",code=\"2xx\"} 3\n"
            "borealis_requests_total{route=\"/health\",code=\"5xx\"} 0\n"
            "# HELP borealis_open_connections Open connections.\n"
            "# TYPE borealis_open_connections gauge\n"
            "borealis_open_connections 2.5\n"
            "# HELP borealis_idle_things No samples yet.\n"
            "# TYPE borealis_idle_things gauge\n");
}

TEST(ExpositionTest, VarsAreNameValueLines) {
  EXPECT_EQ(render_vars(sample_families()),
            "borealis_requests_total{route=\"/api/v1/jobs\",code=\"2xx\"} 3\n"
            "borealis_requests_total{route=\"/health\",code=\"5xx\"} 0\n"
            "borealis_open_connections 2.5\n");
}

TEST(ExpositionTest, VarsJsonIsOneFlatObject) {
  EXPECT_EQ(render_vars_json(sample_families()),
            R"({"borealis_requests_total{route=\"/api/v1/jobs\",code=\"2xx\"}":3,)"
            R"("borealis_requests_total{route=\"/health\",code=\"5xx\"}":0,)"
            R"("borealis_open_connections":2.5E0})");
}

TEST(ExpositionTest, LabelValuesAndHelpAreEscaped) {
  std::vector<Family> f{{"borealis_x",
                         "a \\ help\nwith two lines",
                         MetricType::kGauge,
                         {{"", {{"path", "a\"b\\c\nd e"}}, 1}}}};
  EXPECT_EQ(render_prometheus(f),
            "# HELP borealis_x a \\\\ help\\nwith two lines\n"
            "# TYPE borealis_x gauge\n"
            "borealis_x{path=\"a\\\"b\\\\c\\nd e\"} 1\n");
  // /vars also writes the space, so each line splits at its one space.
  EXPECT_EQ(render_vars(f), "borealis_x{path=\"a\\\"b\\\\c\\nd\\x20e\"} 1\n");
}

TEST(ExpositionTest, ValuesUseTheShortestRoundTripAndPrometheusSpecials) {
  EXPECT_EQ(format_value(0.1), "0.1");
  EXPECT_EQ(format_value(1e21), "1e+21");
  EXPECT_EQ(format_value(-3), "-3");
  EXPECT_EQ(format_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_value(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(format_value(std::nan("")), "NaN");
  std::vector<Family> f{{"borealis_y", "", MetricType::kGauge, {{"", {}, std::nan("")}}}};
  EXPECT_EQ(render_vars_json(f), R"({"borealis_y":null})");
}

TEST(ExpositionTest, NamesFollowPrometheusRules) {
  EXPECT_TRUE(valid_metric_name("borealis_tasks"));
  EXPECT_TRUE(valid_metric_name("ns:rule_1"));
  EXPECT_FALSE(valid_metric_name(""));
  EXPECT_FALSE(valid_metric_name("1abc"));
  EXPECT_FALSE(valid_metric_name("a-b"));
  EXPECT_TRUE(valid_label_name("role"));
  EXPECT_FALSE(valid_label_name("a:b"));
  EXPECT_FALSE(valid_label_name("__reserved"));
  EXPECT_FALSE(valid_label_name("9x"));
}

}  // namespace
}  // namespace borealis::metrics
