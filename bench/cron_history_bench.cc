// Bounded history across 10,000 cron runs (issue 14): a `* * * * *` cron job runs every
// simulated minute through the scheduler core (SimCluster, fake clock; its first try of
// instance 0 fails and is retried), and every batch the core hands out is mirrored into a
// real SQLite store. Every 1,000 runs it prints what the scheduler holds (tasks, jobs,
// cron runs, heap in use) and the store's size on disk and rows: both stay flat, under the
// retention bound (docs/operations.md#history, docs/benchmarks.md).
//
//   build-bench/bench/cron_history_bench [RUNS]
#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "scheduler/core/sim_cluster.h"
#include "scheduler/store/sqlite_store.h"

namespace borealis::scheduler {
namespace {

constexpr size_t kBatchesPerCommit = 64;  // as a group commit under load would

size_t file_size(const std::string& path) {
  std::error_code ec;
  auto n = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<size_t>(n);
}

int run(int runs) {
  std::string dir = std::filesystem::temp_directory_path() / "borealis-cron-history-XXXXXX";
  if (!mkdtemp(dir.data())) {
    std::perror("mkdtemp");
    return 1;
  }
  const std::string db = dir + "/state.db";
  auto store = SqliteStore::open(db);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().to_string().c_str());
    return 1;
  }
  std::vector<StoreBatch> queued;
  Status stored;
  auto commit = [&] {
    std::vector<const StoreBatch*> batches;
    for (const StoreBatch& b : queued) batches.push_back(&b);
    if (stored.ok() && !batches.empty()) stored = (*store)->apply(batches);
    queued.clear();
  };

  CoreOptions options;  // the scheduler's defaults, retention bounds included
  SimCluster c(options);
  c.mirror_batches([&](const StoreBatch& b) {
    queued.push_back(b);
    if (queued.size() >= kBatchesPerCommit) commit();
  });
  c.add_agent("agent-1", 16, 16LL << 30, 16LL << 30);
  auto spec = SimCluster::job("every-minute", 3, 1.0, 64 << 20, /*service=*/false);
  spec.cron_schedule = "* * * * *";
  spec.max_task_failures = 2;
  c.clock().set_ms(1'767'225'600'000);  // 2026-01-01 00:00 UTC
  if (auto r = c.core().schedule_cron(spec, c.clock().now_ms(), "bench"); !r.ok()) {
    std::fprintf(stderr, "%s\n", r.status().to_string().c_str());
    return 1;
  }
  c.set_failing([](const Task& t) { return t.instance == 0 && t.failure_count == 0; });

  std::printf("%6s %6s %5s %9s %10s %10s %9s\n", "runs", "tasks", "jobs", "cron_runs", "heap_KiB",
              "store_KiB", "task_rows");
  for (int minute = 1; minute <= runs; ++minute) {
    for (int tick = 0; tick < 6; ++tick) {  // 10 s ticks; the tasks end within the minute
      c.advance(10'000, 10'000);
      for (const Task* t : c.active_tasks("every-minute"))
        if (t->state == TaskState::kRunning) c.end_task(t->id, TaskState::kFinished);
    }
    if (minute % 1000 == 0) {
      commit();
      const CronJob* cron = c.core().cron().find(spec.key());
      struct mallinfo2 heap = mallinfo2();
      std::printf("%6d %6zu %5zu %9zu %10zu %10zu %9zu\n", minute, c.core().task_count(),
                  c.core().jobs().size(), cron ? cron->runs.size() : 0, heap.uordblks / 1024,
                  (file_size(db) + file_size(db + "-wal")) / 1024, c.store().task_rows());
    }
  }
  commit();
  const CronJob* cron = c.core().cron().find(spec.key());
  size_t launched = 0;
  if (cron)
    for (const CronRun& r : cron->runs) launched += r.outcome == CronOutcome::kLaunched;
  std::printf("launches: %d, store: %s\n", c.launches(), stored.to_string().c_str());
  store->reset();
  std::filesystem::remove_all(dir);
  return stored.ok() && launched > 0 ? 0 : 1;
}

}  // namespace
}  // namespace borealis::scheduler

int main(int argc, char** argv) {
  int runs = argc > 1 ? std::atoi(argv[1]) : 10'000;
  if (runs < 1) {
    std::fprintf(stderr, "usage: cron_history_bench [RUNS >= 1]\n");
    return 2;
  }
  return borealis::scheduler::run(runs);
}
