// The cost of refusing duplicate JSON keys (issue 9): parse_json builds the value with its
// own handler and counts keys, where it used Boost.JSON's stream_parser alone. Each input is
// parsed both ways; "Boost" is the parse before the change, "ParseJson" after it.
#include <benchmark/benchmark.h>

#include <string>

#include "common/json.h"

namespace {

// A JobSpec as the CLI sends it.
const std::string kJob = R"({"role": "www-data", "environment": "prod", "cluster": "devcluster",
  "name": "hello", "instances": 3, "service": true, "priority": 0,
  "task": {"name": "hello", "processes": [
      {"name": "setup", "cmdline": "cp -r /opt/app .", "max_failures": 1},
      {"name": "serve", "cmdline": "./app --port {{thermos.ports[http]}}", "daemon": true}],
    "constraints": [{"order": ["setup", "serve"]}],
    "resources": {"cpu": 0.5, "ram": 134217728, "disk": 268435456}},
  "update_config": {"batch_size": 2, "watch_secs": 10},
  "health_check_config": {"interval_secs": 5.0, "timeout_secs": 1.0},
  "metadata": [{"key": "owner", "value": "web-team"}]})";

// An agent's status batch of 1000 updates, the scheduler's hottest body.
std::string updates_batch() {
  std::string s = R"({"agent_id": "2f0c6c3e-agent", "updates": [)";
  for (int i = 0; i < 1000; ++i) {
    if (i) s += ',';
    s += R"({"seq": )" + std::to_string(i + 1) + R"(, "task_id": "www-data-prod-hello-)" +
         std::to_string(i) +
         R"(-3f2a", "state": "RUNNING", "ts_ms": 1700000000000, "message": "healthy: http",
         "pids": [4242, 4243]})";
  }
  return s + "]}";
}

void boost_parse(benchmark::State& state, const std::string& text) {
  for (auto _ : state) {
    // What parse_json did before: a stream_parser, written once and finished.
    borealis::json::stream_parser p;
    boost::system::error_code ec;
    p.write(text.data(), text.size(), ec);
    if (!ec) p.finish(ec);
    if (ec) state.SkipWithError(ec.message().c_str());
    borealis::json::value v = p.release();
    benchmark::DoNotOptimize(v);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}

void parse_json(benchmark::State& state, const std::string& text) {
  for (auto _ : state) {
    auto v = borealis::parse_json(text);
    if (!v.ok()) state.SkipWithError(v.status().message().c_str());
    benchmark::DoNotOptimize(v);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}

void BM_JobSpec_Boost(benchmark::State& state) { boost_parse(state, kJob); }
void BM_JobSpec_ParseJson(benchmark::State& state) { parse_json(state, kJob); }
void BM_Updates1000_Boost(benchmark::State& state) { boost_parse(state, updates_batch()); }
void BM_Updates1000_ParseJson(benchmark::State& state) { parse_json(state, updates_batch()); }
BENCHMARK(BM_JobSpec_Boost);
BENCHMARK(BM_JobSpec_ParseJson);
BENCHMARK(BM_Updates1000_Boost)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Updates1000_ParseJson)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
