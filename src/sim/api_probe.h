// A caller of the public API while the simulated cluster is under load: on its own thread
// and connection it asks, one after the other, for the list of the simulator's jobs and
// the status of one of them (as `borealis job list` and `job status` do), one request
// every `interval_ms` (or back to back when an answer takes longer), and records each
// answer's latency.
//
// Threading: start() and stop() from one thread; the probe runs on its own.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace borealis::sim {

struct LatencySummary {
  int64_t requests = 0;
  int64_t errors = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  std::string first_error;  // "" when none
};

// The `q` quantile (0..1) of `samples` by the nearest-rank method; 0 when empty.
double quantile_ms(std::vector<double> samples, double q);

class ApiProbe {
 public:
  // `urls`: the scheduler, or several of which it asks the leader (sim/cluster_client.h).
  ApiProbe(std::vector<std::string> urls, std::string token, std::string role,
           std::string environment, std::vector<std::string> job_names, int interval_ms);
  ~ApiProbe();
  void start();
  LatencySummary stop();

 private:
  void run();
  std::vector<std::string> urls_;
  std::string token_, role_, environment_;
  std::vector<std::string> job_names_;
  int interval_ms_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
  std::vector<double> latencies_ms_;
  int64_t errors_ = 0;
  std::string first_error_;
};

}  // namespace borealis::sim
