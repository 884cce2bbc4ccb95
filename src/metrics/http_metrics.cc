#include "metrics/http_metrics.h"

#include <memory>
#include <string>

namespace borealis::metrics {

namespace {

constexpr const char* kLabels[] = {"route", "method", "code"};

std::vector<std::string> request_labels() { return {std::begin(kLabels), std::end(kLabels)}; }

Family one_counter(const char* name, const char* help, uint64_t value) {
  return {name, help, MetricType::kCounter, {{"", {}, static_cast<double>(value)}}};
}

}  // namespace

std::string_view status_class(int status) {
  static constexpr std::string_view kClasses[] = {"1xx", "2xx", "3xx", "4xx", "5xx"};
  if (status < 100 || status > 599) return "other";
  return kClasses[status / 100 - 1];
}

HttpMetrics::HttpMetrics(Registry& registry)
    : requests_(registry.counters("borealis_http_requests_total",
                                  "HTTP requests answered, by route pattern, method and status "
                                  "class.",
                                  request_labels())),
      errors_(registry.counters("borealis_http_request_errors_total",
                                "HTTP requests answered with a 4xx or 5xx status, by route "
                                "pattern, method and status class.",
                                request_labels())),
      duration_(registry.histograms("borealis_http_request_duration_seconds",
                                    "Time from a request's arrival at its route to its answer, by "
                                    "route pattern, method and status class.",
                                    request_labels(), latency_buckets())) {}

net::Responder HttpMetrics::timed(std::string_view route, std::string_view method,
                                  net::Responder respond) const {
  return [this, route, method, watch = Stopwatch(),
          respond = std::move(respond)](net::HttpResponse response) {
    std::string_view code = status_class(response.status);
    const std::string_view labels[] = {route, method, code};
    duration_.with(labels).observe(watch.seconds());
    requests_.with(labels).inc();
    if (response.status >= 400) errors_.with(labels).inc();
    respond(std::move(response));
  };
}

net::HttpResponse exposition_response(Exposition format, const std::vector<Family>& families) {
  net::HttpResponse out;
  switch (format) {
    case Exposition::kPrometheus:
      out.content_type = kPrometheusContentType;
      out.body = render_prometheus(families);
      break;
    case Exposition::kVars:
      out.content_type = "text/plain; charset=utf-8";
      out.body = render_vars(families);
      break;
    case Exposition::kVarsJson:
      out.content_type = "application/json";
      out.body = render_vars_json(families);
      break;
  }
  return out;
}

std::vector<Family> http_server_families(const net::HttpServerCounters& c) {
  return {
      one_counter("borealis_http_connections_accepted_total", "Connections accepted and served.",
                  c.accepted),
      one_counter("borealis_http_connections_refused_total",
                  "Connections closed at once because --max-connections were open.",
                  c.refused_over_cap),
      one_counter("borealis_http_requests_timed_out_total",
                  "Requests (or TLS handshakes) cut because they did not arrive within 30 s.",
                  c.timed_out),
      one_counter("borealis_http_accept_failures_total",
                  "accept() errors (such as running out of file descriptors).", c.accept_failures),
      one_counter("borealis_http_tls_handshake_failures_total", "TLS handshakes that failed.",
                  c.tls_handshake_failures),
      {"borealis_http_open_connections",
       "Connections open now.",
       MetricType::kGauge,
       {{"", {}, static_cast<double>(c.open_connections)}}},
  };
}

}  // namespace borealis::metrics
