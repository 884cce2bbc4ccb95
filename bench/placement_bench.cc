// Placement throughput of the pure scheduler core on a simulated fleet.
//
//   build/bench/placement_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only
//
// Each iteration creates jobs whose tasks the core places immediately (task creation,
// placement, port allocation, command queueing and dirty tracking all included), then
// takes the store batch as the server would. Reported: placements per second.
#include <benchmark/benchmark.h>

#include "scheduler/core/sim_cluster.h"

namespace borealis::scheduler {
namespace {

constexpr int kAgents = 5000;

std::unique_ptr<Core> fleet(int agents, int64_t max_instances) {
  CoreOptions o;
  o.limits.max_instances = max_instances;
  auto core = std::make_unique<Core>(o, 42);
  for (int i = 0; i < agents; ++i) {
    AgentRegistration r;
    r.hostname = "host-" + std::to_string(i);
    r.resources = ResourceVec{32'000, 128LL << 30, 1LL << 40, 0};
    r.port_ranges = {{31000, 31999}};
    r.attributes = {{"rack", "r" + std::to_string(i % 50)}};
    auto id = core->register_agent(r, 0, 0);
    if (!id.ok()) std::abort();
  }
  core->mark_durable(core->take_batch().generation);
  return core;
}

// One big job: many instances of the same version placed in one create.
void BM_PlaceOneLargeJob(benchmark::State& state) {
  const int64_t instances = state.range(0);
  int64_t placed = 0;
  std::unique_ptr<Core> core;
  for (auto _ : state) {
    state.PauseTiming();
    core = fleet(kAgents, instances);  // the previous fleet is freed here, untimed
    auto spec = SimCluster::job("big", instances, 0.25, 256 << 20);
    spec.task.processes[0].cmdline = "serve --port={{thermos.ports[http]}}";
    state.ResumeTiming();
    auto job = core->create_job(spec, 1);
    benchmark::DoNotOptimize(core->take_batch());
    if (!job.ok() || core->pending_count() != 0) state.SkipWithError("not all placed");
    placed += instances;
  }
  state.counters["placements/s"] =
      benchmark::Counter(static_cast<double>(placed), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_PlaceOneLargeJob)->Arg(10'000)->Unit(benchmark::kMillisecond);

// Many small jobs with a host limit: the placement search must skip hosts that already
// run an instance of the same job.
void BM_PlaceManySmallJobs(benchmark::State& state) {
  const int jobs = static_cast<int>(state.range(0));
  int64_t placed = 0;
  std::unique_ptr<Core> core;
  for (auto _ : state) {
    state.PauseTiming();
    core = fleet(kAgents, 100);
    std::vector<jobspec::JobSpec> specs;
    for (int j = 0; j < jobs; ++j) {
      auto spec = SimCluster::job("job" + std::to_string(j), 10, 0.5, 512 << 20);
      spec.constraints = std::map<std::string, std::string>{{"host", "limit:1"}};
      specs.push_back(std::move(spec));
    }
    state.ResumeTiming();
    for (auto& spec : specs) {
      auto job = core->create_job(std::move(spec), 1);
      if (!job.ok()) state.SkipWithError(job.status().message().c_str());
    }
    benchmark::DoNotOptimize(core->take_batch());
    if (core->pending_count() != 0) state.SkipWithError("not all placed");
    placed += static_cast<int64_t>(jobs) * 10;
  }
  state.counters["placements/s"] =
      benchmark::Counter(static_cast<double>(placed), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_PlaceManySmallJobs)->Arg(1'000)->Unit(benchmark::kMillisecond);

// Baseline in the same run: the cost of a full scan of every agent per placement, which
// the index avoids. Measured on a plain vector with the same fit test.
void BM_FullScanBaseline(benchmark::State& state) {
  std::vector<ResourceVec> free(kAgents, ResourceVec{32'000, 128LL << 30, 1LL << 40, 0});
  ResourceVec need{250, 256 << 20, 16 << 20, 0};
  int64_t placed = 0;
  for (auto _ : state) {
    int best = -1;
    int64_t best_cpu = -1;
    for (int i = 0; i < kAgents; ++i)
      if (need.fits_in(free[i]) && free[i].cpu_milli > best_cpu) {
        best = i;
        best_cpu = free[i].cpu_milli;
      }
    free[best] -= need;
    if (free[best].cpu_milli < need.cpu_milli)
      free[best] = ResourceVec{32'000, 128LL << 30, 1LL << 40, 0};
    ++placed;
  }
  state.counters["placements/s"] =
      benchmark::Counter(static_cast<double>(placed), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_FullScanBaseline);

}  // namespace
}  // namespace borealis::scheduler

BENCHMARK_MAIN();
