#include "scheduler/server/scheduler_metrics.h"

#include <array>
#include <map>
#include <tuple>

namespace borealis::scheduler {

namespace {

using metrics::Family;
using metrics::MetricType;

constexpr int kStates = static_cast<int>(TaskState::kPartitioned) + 1;

void count_job_tasks(const Job& job, Family& tasks) {
  std::array<int64_t, kStates> by_state{};
  for (const auto& [_, inst] : job.instances) {
    if (inst.active) ++by_state[static_cast<int>(inst.active->state)];
    for (const Task* t : inst.history) ++by_state[static_cast<int>(t->state)];
  }
  for (int s = 0; s < kStates; ++s) {
    if (by_state[s] == 0) continue;
    tasks.samples.push_back({"",
                             {{"role", job.key.role},
                              {"environment", job.key.environment},
                              {"job", job.key.name},
                              {"state", std::string(task_state_name(static_cast<TaskState>(s)))}},
                             static_cast<double>(by_state[s])});
  }
}

Family resource_family(const char* name, const char* help, const Core& core,
                       double (*pick)(const Agent&)) {
  Family f{name, help, MetricType::kGauge, {}};
  double active = 0, lost = 0;
  for (const Agent& a : core.agents()) (a.registered && a.active ? active : lost) += pick(a);
  f.samples.push_back({"", {{"status", "ACTIVE"}}, active});
  f.samples.push_back({"", {{"status", "LOST"}}, lost});
  return f;
}

}  // namespace

SchedulerMetrics::SchedulerMetrics()
    : http_(registry_),
      scheduling_(registry_.histogram(
          "borealis_scheduling_latency_seconds",
          "Time a task waited PENDING before it was placed on an agent (ASSIGNED).",
          metrics::wait_buckets())),
      store_write_(registry_.histogram("borealis_store_write_duration_seconds",
                                       "Time of one store transaction (a group of batches, "
                                       "fsync included).",
                                       metrics::latency_buckets())) {}

void SchedulerMetrics::placed(const std::vector<TimeMs>& waits_ms) {
  for (TimeMs ms : waits_ms) scheduling_.observe(static_cast<double>(ms) / 1000.0);
}

std::vector<Family> core_families(const Core& core) {
  Family tasks{"borealis_tasks",
               "Tasks the scheduler holds (each instance's active task and its retained ended "
               "ones), by job and state.",
               MetricType::kGauge,
               {}};
  // Sorted by key, so the text is stable from scrape to scrape.
  std::map<std::tuple<std::string, std::string, std::string>, const Job*> jobs;
  for (const auto& [key, job] : core.jobs())
    jobs.emplace(std::tie(key.role, key.environment, key.name), job.get());
  for (const auto& [_, job] : jobs) count_job_tasks(*job, tasks);
  Family count{"borealis_jobs",
               "Jobs the scheduler holds.",
               MetricType::kGauge,
               {{"", {}, static_cast<double>(core.jobs().size())}}};
  return {
      std::move(tasks),
      std::move(count),
      resource_family("borealis_cluster_agents", "Agents by status.", core,
                      [](const Agent&) { return 1.0; }),
      resource_family("borealis_cluster_cpu_cores", "Cores the agents offer, by agent status.",
                      core, [](const Agent& a) { return a.total.cpu(); }),
      resource_family("borealis_cluster_cpu_allocated_cores",
                      "Cores held by tasks placed on the agents, by agent status.", core,
                      [](const Agent& a) { return a.used.cpu(); }),
      resource_family("borealis_cluster_ram_bytes", "RAM the agents offer, by agent status.", core,
                      [](const Agent& a) { return static_cast<double>(a.total.ram); }),
      resource_family("borealis_cluster_ram_allocated_bytes",
                      "RAM held by tasks placed on the agents, by agent status.", core,
                      [](const Agent& a) { return static_cast<double>(a.used.ram); }),
      resource_family("borealis_cluster_disk_bytes", "Disk the agents offer, by agent status.",
                      core, [](const Agent& a) { return static_cast<double>(a.total.disk); }),
      resource_family("borealis_cluster_disk_allocated_bytes",
                      "Disk held by tasks placed on the agents, by agent status.", core,
                      [](const Agent& a) { return static_cast<double>(a.used.disk); }),
  };
}

Status TimedStore::apply(const std::vector<const StoreBatch*>& batches) {
  metrics::Stopwatch watch;
  Status st = inner_.apply(batches);
  seconds_.observe(watch.seconds());
  return st;
}

}  // namespace borealis::scheduler
