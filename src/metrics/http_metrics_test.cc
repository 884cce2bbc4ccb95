#include "metrics/http_metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace borealis::metrics {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(HttpMetricsTest, AnswersAreCountedByRoutePatternMethodAndStatusClass) {
  Registry registry;
  HttpMetrics http(registry);
  int answered = 0;
  auto answer = [&](int status) {
    http.timed("/api/v1/jobs/*/*/*", "GET",
               [&](net::HttpResponse r) { answered += r.status; })(net::HttpResponse{status});
  };
  answer(200);
  answer(204);
  answer(404);
  EXPECT_EQ(answered, 200 + 204 + 404);  // the wrapped responder still answers
  std::string vars = render_vars(registry.collect());
  EXPECT_THAT(vars,
              HasSubstr("borealis_http_requests_total{route=\"/api/v1/jobs/*/*/*\",method=\"GET\","
                        "code=\"2xx\"} 2\n"));
  EXPECT_THAT(vars,
              HasSubstr("borealis_http_requests_total{route=\"/api/v1/jobs/*/*/*\",method=\"GET\","
                        "code=\"4xx\"} 1\n"));
  EXPECT_THAT(vars, HasSubstr("borealis_http_request_errors_total{route=\"/api/v1/jobs/*/*/*\","
                              "method=\"GET\",code=\"4xx\"} 1\n"));
  EXPECT_THAT(vars, Not(HasSubstr("borealis_http_request_errors_total{route=\"/api/v1/jobs/*/*/*\","
                                  "method=\"GET\",code=\"2xx\"}")));
  EXPECT_THAT(vars,
              HasSubstr("borealis_http_request_duration_seconds_count{route=\"/api/v1/jobs/*/*/*\","
                        "method=\"GET\",code=\"2xx\"} 2\n"));
}

TEST(HttpMetricsTest, StatusClasses) {
  EXPECT_EQ(status_class(101), "1xx");
  EXPECT_EQ(status_class(200), "2xx");
  EXPECT_EQ(status_class(304), "3xx");
  EXPECT_EQ(status_class(431), "4xx");
  EXPECT_EQ(status_class(599), "5xx");
  EXPECT_EQ(status_class(600), "other");
  EXPECT_EQ(status_class(0), "other");
}

TEST(HttpMetricsTest, ServerCountersBecomeCountersAndAGauge) {
  net::HttpServerCounters c;
  c.accepted = 7;
  c.refused_over_cap = 1;
  c.open_connections = 3;
  std::string text = render_prometheus(http_server_families(c));
  EXPECT_THAT(text, HasSubstr("# TYPE borealis_http_connections_accepted_total counter\n"
                              "borealis_http_connections_accepted_total 7\n"));
  EXPECT_THAT(text, HasSubstr("borealis_http_connections_refused_total 1\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE borealis_http_open_connections gauge\n"
                              "borealis_http_open_connections 3\n"));
}

}  // namespace
}  // namespace borealis::metrics
