// The cost of the instance lists a caller may send (issue 9: one GET of 200 copies of
// 0-999999 held the scheduler's HTTP thread for 10.9 s). Target: the worst list the
// parser accepts costs <= 10 ms.
#include <benchmark/benchmark.h>

#include <string>

#include "common/instance_ranges.h"

namespace {

std::string repeated(const std::string& part, size_t times) {
  std::string s;
  for (size_t i = 0; i < times; ++i) s += (i ? "," : "") + part;
  return s;
}

void run(benchmark::State& state, const std::string& text) {
  for (auto _ : state) {
    auto r = borealis::parse_instance_ranges(text);
    if (!r.ok()) state.SkipWithError(r.status().message().c_str());
    benchmark::DoNotOptimize(r);
  }
  state.counters["bytes"] = static_cast<double>(text.size());
}

// The worst allowed: as many parts as allowed, each the widest range.
void BM_WorstAllowed(benchmark::State& state) {
  run(state,
      repeated("0-" + std::to_string(borealis::kMaxInstanceId), borealis::kMaxInstanceListParts));
}
BENCHMARK(BM_WorstAllowed)->Unit(benchmark::kMillisecond);

// The query that once took 10.9 s.
void BM_TwoHundredWideRanges(benchmark::State& state) { run(state, repeated("0-999999", 200)); }
BENCHMARK(BM_TwoHundredWideRanges)->Unit(benchmark::kMillisecond);

// What people type: a canary and a few instances.
void BM_Typical(benchmark::State& state) { run(state, "0-1,4,7-9"); }
BENCHMARK(BM_Typical);

}  // namespace

BENCHMARK_MAIN();
