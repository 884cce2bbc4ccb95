#include "agent/task_resources.h"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <functional>
#include <vector>

#include "agent/health_spec.h"
#include "agent/proc_tree_usage.h"
#include "agent/task_usage.h"
#include "common/log.h"

namespace borealis::agent {

namespace asio = boost::asio;

std::string cgroup_scope(const std::string& hostname, const std::string& work_dir) {
  // FNV-1a: stable across runs and builds (std::hash need not be).
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : work_dir) h = (h ^ c) * 1099511628211ull;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  std::string host;
  for (char c : hostname) host += (c == '/' || c == '.' || c == ' ') ? '_' : c;
  return host.substr(0, 64) + "-" + std::string(hex, 12);
}

TaskResources::TaskResources(asio::io_context& io, ResourceOptions options, const Clock& clock,
                             const Tasks& tasks)
    : io_(io),
      options_(std::move(options)),
      clock_(clock),
      tasks_(tasks),
      usage_timer_(io),
      disk_timer_(io) {}

TaskResources::~TaskResources() {
  stop();
  disk_thread_.join();
  usage_thread_.join();
}

Result<std::optional<RunnerCgroup>> TaskResources::prepare(
    TaskMonitor& monitor, const std::optional<jobspec::Resources>& resources) {
  TaskLimits limits;
  if (resources) {
    limits = {resources->cpu, resources->ram};
    monitor.set_resources(*resources);
  }
  if (!options_.cgroups.enabled()) return std::optional<RunnerCgroup>();
  auto cgroup = std::make_shared<TaskCgroup>(options_.cgroups, monitor.task_id());
  if (Status st = cgroup->create(limits); !st.ok()) {
    (void)cgroup->remove();
    return Status(st.code(), "cannot set up the task's cgroup: " + st.message());
  }
  monitor.set_cgroup(cgroup);
  return std::optional<RunnerCgroup>(RunnerCgroup{cgroup->procs_files(), cgroup->dir()});
}

void TaskResources::reattach(TaskMonitor& monitor) {
  if (auto job = load_job_spec(monitor.sandbox()); job.ok() && job->task.resources)
    monitor.set_resources(*job->task.resources);
  if (!options_.cgroups.enabled()) return;
  auto cgroup = std::make_shared<TaskCgroup>(options_.cgroups, monitor.task_id());
  if (!cgroup->exists()) return;
  monitor.set_cgroup(cgroup);
  if (monitor.ended()) monitor.clean_up_cgroup();
}

void TaskResources::start() {
  if (options_.cgroups.enabled()) {
    for (const auto& id : list_task_cgroups(options_.cgroups)) {
      if (tasks_.contains(id)) continue;
      TaskCgroup leftover(options_.cgroups, id);
      if (Status st = leftover.remove(); st.ok())
        spdlog::info("removed the empty cgroup of task {}, which this agent no longer has", id);
      else
        spdlog::warn("task {} is gone but its cgroup is not empty: {}", id, st.message());
    }
  }
  schedule_usage();
  schedule_disk_check();
}

void TaskResources::stop() {
  *alive_ = false;
  usage_timer_.cancel();
  disk_timer_.cancel();
}

void TaskResources::schedule_usage() {
  if (options_.usage_interval_ms <= 0) return;
  usage_timer_.expires_after(std::chrono::milliseconds(options_.usage_interval_ms));
  usage_timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
    if (ec || !*alive) return;
    sample_usage();
  });
}

void TaskResources::sample_usage() {
  if (!options_.cgroups.enabled()) return sample_proc_usage();
  sample_cgroup_usage();
  schedule_usage();
}

void TaskResources::sample_cgroup_usage() {
  TimeMs now = clock_.now_ms();
  for (const auto& [id, m] : tasks_) {
    if (m->ended() || !m->cgroup()) continue;
    auto sample = m->cgroup()->usage();
    if (!sample.ok()) {
      spdlog::debug("task {}: no usage: {}", id, sample.status().message());
      continue;
    }
    m->set_usage(next_usage(m->usage(), *sample, now));
  }
}

void TaskResources::sample_proc_usage() {
  std::vector<std::pair<std::string, int64_t>> runners;  // task id, runner pid
  std::vector<int64_t> roots;
  for (const auto& [id, m] : tasks_) {
    if (m->ended() || m->runner_pid() <= 0) continue;
    runners.emplace_back(id, m->runner_pid());
    roots.push_back(m->runner_pid());
  }
  size_t max_processes = options_.proc_max_processes;
  asio::post(usage_thread_, [this, alive = alive_, runners = std::move(runners),
                             roots = std::move(roots), max_processes]() mutable {
    auto samples = sample_process_trees(roots, max_processes);
    asio::post(io_, [this, alive, runners = std::move(runners), samples = std::move(samples)] {
      if (!*alive) return;
      TimeMs now = clock_.now_ms();
      for (const auto& [id, pid] : runners) {
        auto it = tasks_.find(id);
        auto sample = samples.find(pid);
        // A runner that ended (or was replaced) since the walk began is not sampled.
        if (it == tasks_.end() || it->second->ended() || it->second->runner_pid() != pid ||
            sample == samples.end())
          continue;
        TaskMonitor& m = *it->second;
        CgroupUsage u = sample->second;
        // Sampled by the agent, not the kernel's high-water mark.
        u.memory_peak_bytes = std::max(m.usage().memory_peak_bytes, u.memory_bytes);
        m.set_usage(next_usage(m.usage(), u, now));
      }
      schedule_usage();
    });
  });
}

void TaskResources::schedule_disk_check() {
  if (options_.disk_check_interval_ms <= 0) return;
  disk_timer_.expires_after(std::chrono::milliseconds(options_.disk_check_interval_ms));
  disk_timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
    if (ec || !*alive) return;
    check_disks();
  });
}

void TaskResources::check_disks() {
  struct Job {
    std::string task_id;
    std::string sandbox;
    DiskMeasure measure;
    bool ok = false;
  };
  std::vector<Job> jobs;
  for (const auto& [id, m] : tasks_)
    if (!m->ended()) jobs.push_back({id, m->sandbox(), {}, false});
  int64_t max_entries = options_.disk_max_entries;
  // Off the loop: a sandbox may hold millions of files. The next check is scheduled once
  // this one is done, so walks never pile up.
  asio::post(disk_thread_, [this, alive = alive_, jobs = std::move(jobs), max_entries]() mutable {
    for (auto& j : jobs) {
      auto r = measure_disk(j.sandbox, max_entries);
      if (r.ok()) j.measure = *r;
      j.ok = r.ok();
    }
    asio::post(io_, [this, alive, jobs = std::move(jobs)] {
      if (!*alive) return;
      TimeMs now = clock_.now_ms();
      for (const auto& j : jobs) {
        auto it = tasks_.find(j.task_id);
        if (!j.ok || it == tasks_.end() || it->second->ended()) continue;
        TaskMonitor& m = *it->second;
        TaskUsage u = m.usage();
        u.disk_bytes = j.measure.bytes;
        u.disk_measured_ms = now;
        m.set_usage(u);
        if (m.disk_limit() > 0 && j.measure.bytes > m.disk_limit())
          m.kill_failed("disk limit exceeded: used " + mib_text(j.measure.bytes) + " of " +
                        mib_text(m.disk_limit()));
      }
      schedule_disk_check();
    });
  });
}

}  // namespace borealis::agent
