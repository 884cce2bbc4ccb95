// The live instruments: a counter, a gauge and a histogram with fixed buckets. Observing
// is a few relaxed atomic operations and never allocates, so request paths and the store's
// committer can record freely.
//
// Thread-safety: every method, from any thread. A scrape reads each atomic on its own, so
// a histogram read while it is observed may count an observation in its buckets and not
// yet in its sum (Prometheus' own clients accept the same).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace borealis::metrics {

// Only goes up (Prometheus resets it with the process).
class Counter {
 public:
  void inc(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

// A value that goes up and down.
class Gauge {
 public:
  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  void add(double d) { value_.fetch_add(d, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Observations counted in buckets by upper bound (inclusive, as Prometheus' `le`), plus
// their sum. The bounds are fixed at construction: strictly increasing and finite; the
// +Inf bucket is implied.
class Histogram {
 public:
  explicit Histogram(std::span<const double> upper_bounds);

  void observe(double v);  // NaN is ignored

  struct Snapshot {
    std::vector<double> upper_bounds;  // without +Inf
    std::vector<uint64_t> cumulative;  // per bound, then +Inf (== count)
    double sum = 0;
    uint64_t count = 0;
  };
  Snapshot snapshot() const;
  const std::vector<double>& upper_bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // one per bound, then +Inf
  std::atomic<double> sum_{0};
};

// Buckets for request and store latencies in seconds: 0.5 ms .. 10 s.
std::span<const double> latency_buckets();
// Buckets for waits of seconds to an hour (a task waiting for a place to run).
std::span<const double> wait_buckets();

}  // namespace borealis::metrics
