#include "metrics/registry.h"

#include <gtest/gtest.h>

#include <cmath>
#include <thread>

namespace borealis::metrics {
namespace {

TEST(RegistryTest, HistogramBucketsAreCumulativeAndInclusive) {
  Registry r;
  const double bounds[] = {0.1, 1, 10};
  Histogram& h = r.histogram("borealis_wait_seconds", "Waits.", bounds);
  for (double v : {0.05, 0.1, 0.5, 1.0, 5.0, 50.0}) h.observe(v);
  EXPECT_EQ(render_prometheus(r.collect()),
            "# HELP borealis_wait_seconds Waits.\n"
            "# TYPE borealis_wait_seconds histogram\n"
            "borealis_wait_seconds_bucket{le=\"0.1\"} 2\n"
            "borealis_wait_seconds_bucket{le=\"1\"} 4\n"
            "borealis_wait_seconds_bucket{le=\"10\"} 5\n"
            "borealis_wait_seconds_bucket{le=\"+Inf\"} 6\n"
            "borealis_wait_seconds_sum 56.65\n"
            "borealis_wait_seconds_count 6\n");
}

TEST(RegistryTest, NaNObservationsAreIgnored) {
  const double bounds[] = {1};
  Histogram h(bounds);
  h.observe(std::nan(""));
  h.observe(2);
  Histogram::Snapshot s = h.snapshot();
  EXPECT_EQ(s.count, 1u);
  EXPECT_EQ(s.sum, 2);
  EXPECT_EQ(s.cumulative, (std::vector<uint64_t>{0, 1}));
}

TEST(RegistryTest, LabelledFamiliesListChildrenSortedWithLabelsInOrder) {
  Registry r;
  CounterFamily& requests = r.counters("borealis_requests_total", "Requests.", {"method", "code"});
  requests.with({"POST", "2xx"}).inc(2);
  requests.with({"GET", "5xx"}).inc();
  requests.with({"POST", "2xx"}).inc();
  Gauge& open = r.gauge("borealis_open", "Open.");
  open.set(4);
  open.add(-1.5);
  EXPECT_EQ(render_vars(r.collect()),
            "borealis_requests_total{method=\"GET\",code=\"5xx\"} 1\n"
            "borealis_requests_total{method=\"POST\",code=\"2xx\"} 3\n"
            "borealis_open 2.5\n");
}

TEST(RegistryTest, HistogramChildrenCarryTheirLabelsBeforeLe) {
  Registry r;
  const double bounds[] = {1};
  r.histograms("borealis_t_seconds", "T.", {"route"}, bounds).with({"/x"}).observe(0.5);
  EXPECT_EQ(render_vars(r.collect()),
            "borealis_t_seconds_bucket{route=\"/x\",le=\"1\"} 1\n"
            "borealis_t_seconds_bucket{route=\"/x\",le=\"+Inf\"} 1\n"
            "borealis_t_seconds_sum{route=\"/x\"} 0.5\n"
            "borealis_t_seconds_count{route=\"/x\"} 1\n");
}

TEST(RegistryTest, ConcurrentObservationsAreAllCounted) {
  Registry r;
  CounterFamily& c = r.counters("borealis_hits_total", "Hits.", {"thread"});
  Histogram& h = r.histogram("borealis_d_seconds", "D.", latency_buckets());
  constexpr int kThreads = 4, kEach = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      std::string name = t % 2 ? "odd" : "even";
      for (int i = 0; i < kEach; ++i) {
        c.with({name}).inc();
        h.observe(0.001 * (i % 7));
        if (i % 1000 == 0) (void)r.collect();  // scrapes meanwhile
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(c.with({"odd"}).value() + c.with({"even"}).value(), uint64_t{kThreads * kEach});
  EXPECT_EQ(c.with({"odd"}).value(), uint64_t{kThreads / 2 * kEach});
  Histogram::Snapshot s = h.snapshot();
  EXPECT_EQ(s.count, uint64_t{kThreads * kEach});
  EXPECT_EQ(s.cumulative.back(), s.count);
}

using RegistryDeathTest = ::testing::Test;

TEST_F(RegistryDeathTest, BadNamesAndArityAreBugs) {
  EXPECT_DEATH(Registry().counter("borealis_no_suffix", ""), "must end in _total");
  EXPECT_DEATH(Registry().gauge("bad-name", ""), "invalid metric name 'bad-name'");
  EXPECT_DEATH(Registry().gauges("borealis_g", "", {"le"}), "invalid label 'le'");
  EXPECT_DEATH(
      {
        Registry r;
        r.gauge("borealis_g", "");
        r.gauge("borealis_g", "");
      },
      "registered twice");
  EXPECT_DEATH(Registry().gauges("borealis_g", "", {"a", "b"}).with({"x"}),
               "1 label values for 2 labels");
  const double unordered[] = {2, 1};
  EXPECT_DEATH(Histogram h(unordered), "finite and increasing");
}

}  // namespace
}  // namespace borealis::metrics
