// TaskResources: the agent's side of task limits and usage (docs/cgroups.md). It makes a
// cgroup per task at launch, finds them again after a restart and removes empty leftovers,
// samples each live task's CPU and memory every usage interval (on the loop: a few small
// cgroup files per task; without cgroups, one walk of /proc for all tasks on a thread of
// its own, see proc_tree_usage.h), and measures each sandbox's disk every disk-check interval on a
// thread of its own, killing a task over its `disk` with "disk limit exceeded: ...".
//
// Threading: every method runs on the loop thread of the io_context given. The disk walk
// runs on a private thread and posts its results back to the loop.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "agent/runner_process.h"
#include "agent/task_cgroup.h"
#include "agent/task_monitor.h"
#include "common/clock.h"
#include "jobspec/job_spec.h"

namespace borealis::agent {

struct ResourceOptions {
  CgroupLayout cgroups;  // off: no cgroups
  TimeMs usage_interval_ms = 10'000;
  TimeMs disk_check_interval_ms = 60'000;
  int64_t disk_max_entries = 1'000'000;  // per sandbox and measurement
  size_t proc_max_processes = 100'000;   // per /proc walk (usage without cgroups)
};

class TaskResources {
 public:
  using Tasks = std::map<std::string, std::shared_ptr<TaskMonitor>>;
  TaskResources(boost::asio::io_context& io, ResourceOptions options, const Clock& clock,
                const Tasks& tasks);
  ~TaskResources();
  TaskResources(const TaskResources&) = delete;
  TaskResources& operator=(const TaskResources&) = delete;

  // Launch: records the task's limits on `monitor` and makes its cgroup. Returns where the
  // runner must start (nullopt without cgroups); an error means the task cannot start.
  Result<std::optional<RunnerCgroup>> prepare(TaskMonitor& monitor,
                                              const std::optional<jobspec::Resources>& resources);
  // Re-attach: the task's limits from its sandbox, and its cgroup if it has one. Call
  // after start_reattached(): the cgroup of an ended task is emptied and removed.
  void reattach(TaskMonitor& monitor);
  // After every re-attach: removes the empty cgroups of tasks this agent no longer has,
  // and starts sampling.
  void start();
  void stop();

  const ResourceOptions& options() const { return options_; }

 private:
  void schedule_usage();
  void sample_usage();
  void sample_cgroup_usage();
  void sample_proc_usage();  // schedules the next sample once done
  void schedule_disk_check();
  void check_disks();

  boost::asio::io_context& io_;
  ResourceOptions options_;
  const Clock& clock_;
  const Tasks& tasks_;
  boost::asio::steady_timer usage_timer_;
  boost::asio::steady_timer disk_timer_;
  boost::asio::thread_pool disk_thread_{1};
  // The /proc walk: off the loop (O(processes on the host)), apart from the disk walk,
  // which may take minutes.
  boost::asio::thread_pool usage_thread_{1};
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// The name of this agent's cgroup parent: the hostname and a hash of the work dir, so
// agents sharing a machine do not collide and a restarted agent finds its tasks again.
std::string cgroup_scope(const std::string& hostname, const std::string& work_dir);

}  // namespace borealis::agent
