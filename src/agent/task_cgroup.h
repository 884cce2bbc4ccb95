// Per-task cgroups (docs/cgroups.md). At start the agent picks a cgroup version
// (--cgroups auto: v2 where a cgroup2 mount offers the memory, cpu and pids controllers,
// else v1 where memory, cpu, cpuacct, pids and freezer hierarchies are mounted, else off)
// and makes its parent, <mount>/borealis/<scope>, where <scope> tells this agent from
// others on the same machine and stays the same across its restarts. Each task gets
// <parent>/<task id>, with its `ram` as the memory limit (no swap), its `cpu` as a CFS
// quota or a weight, and a pids limit.
//
// Thread-safety: CgroupLayout is a plain value; a TaskCgroup is used from one thread at a
// time (the agent's loop).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/result.h"

namespace borealis::agent {

enum class CgroupVersion { kOff, kV1, kV2 };
enum class CpuLimit { kQuota, kWeight };

struct CgroupSettings {
  bool enabled = true;  // --cgroups auto|off
  CpuLimit cpu_limit = CpuLimit::kWeight;
  int64_t pids_max = 4096;  // per task
  std::string mounts_file = "/proc/mounts";
};

// The v1 controllers the agent needs, each in the hierarchy that has it.
inline constexpr const char* kV1Controllers[] = {"memory", "cpu", "cpuacct", "pids", "freezer"};
// The v2 controllers the agent needs.
inline constexpr const char* kV2Controllers[] = {"memory", "cpu", "pids"};

struct CgroupLayout {
  CgroupVersion version = CgroupVersion::kOff;
  std::string v2_parent;                          // v2: <mount>/borealis/<scope>
  std::map<std::string, std::string> v1_parents;  // v1: controller -> <mount>/borealis/<scope>
  CpuLimit cpu_limit = CpuLimit::kWeight;
  int64_t pids_max = 4096;

  bool enabled() const { return version != CgroupVersion::kOff; }
  // "v2 at /sys/fs/cgroup/borealis/x", "v1 (memory at ..., ...)", "off".
  std::string describe() const;
};

// Finds the cgroup mounts in `settings.mounts_file` and prepares the parents. When cgroups
// cannot be used, returns a layout that is off and sets `why_off` to the reason.
CgroupLayout setup_cgroups(const CgroupSettings& settings, const std::string& scope,
                           std::string* why_off);

// The parents' children: the task ids that have a cgroup under this agent.
std::vector<std::string> list_task_cgroups(const CgroupLayout& layout);

struct TaskLimits {
  double cpu = 0;   // cores; 0 = no limit
  int64_t ram = 0;  // bytes; 0 = no limit
};

struct CgroupUsage {
  int64_t cpu_usec = 0;            // user + system, since the cgroup was made
  int64_t memory_bytes = 0;        // now
  int64_t memory_peak_bytes = -1;  // -1: the kernel does not say
};

class TaskCgroup {
 public:
  TaskCgroup(CgroupLayout layout, std::string task_id);

  // Makes the cgroup (an existing one is reused) and sets its limits.
  Status create(const TaskLimits& limits);
  bool exists() const;
  // The cgroup.procs files a process writes itself into to join (one per hierarchy).
  std::vector<std::string> procs_files() const;
  // The directory whose cgroup.procs lists every process of the task (the runner's
  // --cgroup): the v2 cgroup, or v1's pids hierarchy.
  std::string dir() const;
  std::vector<int64_t> pids() const;

  // OOM kills in the cgroup so far (0 when it cannot tell).
  int64_t oom_kills() const;
  // The memory limit set, in bytes (-1: none or unknown).
  int64_t memory_limit() const;
  Result<CgroupUsage> usage() const;

  // SIGKILLs every process in the cgroup: cgroup.kill on v2 where the kernel has it, else
  // freeze, SIGKILL each listed process, thaw (so none forks past the kill). Returns the
  // number of processes that were listed.
  int kill_all();
  // Removes the cgroup's directories; fails (kBusy-like io error) while processes remain.
  Status remove();

  const std::string& task_id() const { return task_id_; }

 private:
  std::string in(const std::string& controller) const;  // the task's dir for a v1 controller

  CgroupLayout layout_;
  std::string task_id_;
};

// "64 MiB": bytes in whole MiB, rounded down.
std::string mib_text(int64_t bytes);

}  // namespace borealis::agent
