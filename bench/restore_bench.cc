// Core::restore of N RUNNING tasks on 1,000 agents from rows in memory: the part of a
// scheduler's recovery after the store is read and before it answers (docs/benchmarks.md).
//
//   build/bench/restore_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only
//
// BM_Restore/N/1 decodes the task rows on this thread alone; BM_Restore/N/0 on every core
// (common/parallel_for.h), as the scheduler does. The rows are those the core writes for
// 1,000-instance service jobs (SimCluster::job), each task with its four events.
#include <benchmark/benchmark.h>

#include "common/parallel_for.h"
#include "scheduler/core/sim_cluster.h"

namespace borealis::scheduler {
namespace {

constexpr int kAgents = 1000;

// The rows of a store holding `tasks` RUNNING tasks.
StoredState running_store(int64_t tasks) {
  CoreOptions o;
  o.limits.max_instances = 1000;
  Core core(o, 42);
  MemoryStore store;
  std::vector<std::string> agent_ids;
  for (int i = 0; i < kAgents; ++i) {
    AgentRegistration r;
    r.hostname = "host-" + std::to_string(i);
    r.resources = ResourceVec{64'000, 256LL << 30, 1LL << 40, 0};
    r.port_ranges = {{31000, 31999}};
    auto id = core.register_agent(r, 1, 1);
    if (!id.ok()) std::abort();
    agent_ids.push_back(*id);
  }
  for (int64_t j = 0; j * 1000 < tasks; ++j) {
    auto spec = SimCluster::job("svc-" + std::to_string(j),
                                std::min<int64_t>(1000, tasks - j * 1000), 0.05, 64LL << 20);
    if (!core.create_job(spec, 2).ok()) std::abort();
  }
  store.apply(core.take_batch());
  for (int i = 0; i < kAgents; ++i) {
    for (TaskState s : {TaskState::kStarting, TaskState::kRunning}) {
      std::vector<StatusUpdate> updates;
      for (const Task* t : core.agents()[i].tasks) updates.push_back({t->id, s, ""});
      if (!core.apply_updates(agent_ids[i], updates, 3, 3).ok()) std::abort();
    }
  }
  store.apply(core.take_batch());
  return store.load();
}

void BM_Restore(benchmark::State& state) {
  const StoredState rows = running_store(state.range(0));
  const unsigned threads = static_cast<unsigned>(state.range(1));
  for (auto _ : state) {
    auto core = std::make_unique<Core>(CoreOptions{}, 43);
    Status st = core->restore(rows, 4, [&](size_t n, const std::function<void(size_t)>& fn) {
      parallel_for(n, fn, threads);
    });
    if (!st.ok()) state.SkipWithError(st.to_string().c_str());
    state.PauseTiming();
    core.reset();  // freeing a core is not part of a restore
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Restore)
    ->Args({100'000, 1})
    ->Args({100'000, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace borealis::scheduler

BENCHMARK_MAIN();
