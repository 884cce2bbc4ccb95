// The cost of usage without cgroups (docs/cgroups.md, docs/benchmarks.md): one walk of
// /proc that samples 100 tasks, each a runner with one child, on top of whatever else the
// host runs. The agent does this once per --usage-interval, on a thread of its own.
#include <benchmark/benchmark.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vector>

#include "agent/proc_tree_usage.h"

namespace {

using borealis::agent::all_processes;
using borealis::agent::sample_process_trees;

constexpr int kTasks = 100;
constexpr size_t kMaxProcesses = 100'000;

void BM_SampleHundredTasks(benchmark::State& state) {
  std::vector<int64_t> runners;
  for (int i = 0; i < kTasks; ++i) {
    pid_t runner = ::fork();
    if (runner == 0) {
      if (::fork() == 0) ::pause();
      ::pause();
      ::_exit(0);
    }
    runners.push_back(runner);
  }
  ::usleep(300'000);  // let every runner fork its child
  size_t found = 0;
  for (auto _ : state) {
    auto usage = sample_process_trees(runners, kMaxProcesses);
    found = usage.size();
    benchmark::DoNotOptimize(usage);
  }
  state.counters["tasks_found"] = static_cast<double>(found);
  state.counters["host_processes"] = static_cast<double>(all_processes(kMaxProcesses).size());
  // The children first (they would outlive their runner), then the runners.
  for (int64_t r : runners)
    for (const auto& c : borealis::agent::children_of(r))
      ::kill(static_cast<pid_t>(c.pid), SIGKILL);
  for (int64_t r : runners) {
    ::kill(static_cast<pid_t>(r), SIGKILL);
    ::waitpid(static_cast<pid_t>(r), nullptr, 0);
  }
}
BENCHMARK(BM_SampleHundredTasks)
    ->Unit(benchmark::kMillisecond)
    ->Repetitions(5)
    ->ReportAggregatesOnly();

}  // namespace

BENCHMARK_MAIN();
