// The HTTP figures both daemons export: requests by route pattern, method and status
// class, with their latency, and the server's connection counters. Labels are route
// patterns as registered ("/api/v1/jobs/*/*/*"), never raw paths, so the number of series
// is bounded by the route table, not by what clients ask for.
//
// Thread-safety: any thread.
#pragma once

#include <chrono>
#include <string_view>
#include <vector>

#include "metrics/registry.h"
#include "net/http_server.h"

namespace borealis::metrics {

// Measures how long something takes, in seconds. The metrics' one reader of a clock
// besides common/system_clock.cc: it needs sub-millisecond resolution (MonoClock counts
// milliseconds), and what it measures is only reported, never decided on.
class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

class HttpMetrics {
 public:
  // Registers borealis_http_requests_total, borealis_http_request_errors_total and
  // borealis_http_request_duration_seconds in `registry` (which must outlive this).
  explicit HttpMetrics(Registry& registry);

  // `respond`, wrapped to count the answer under (route, method, status class) and
  // observe the time from this call to the answer. `route` and `method` are the route
  // table's constants and must outlive the answer (they are not copied).
  net::Responder timed(std::string_view route, std::string_view method,
                       net::Responder respond) const;

 private:
  CounterFamily& requests_;
  CounterFamily& errors_;
  HistogramFamily& duration_;
};

// "2xx", "4xx", ...: a status class ("other" outside 100..599).
std::string_view status_class(int status);

// The three renderings of the same samples: /metrics, /vars and /vars.json.
enum class Exposition { kPrometheus, kVars, kVarsJson };
// A 200 answer with `families` rendered as `format` asks, with its content type.
net::HttpResponse exposition_response(Exposition format, const std::vector<Family>& families);

// The server's connection counters (HttpServer::counters()) as families.
std::vector<Family> http_server_families(const net::HttpServerCounters& counters);

}  // namespace borealis::metrics
