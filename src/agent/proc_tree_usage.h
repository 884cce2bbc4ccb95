// Per-task usage without cgroups (docs/cgroups.md): a task's processes are its runner and
// the runner's descendants (the runner is a child subreaper, so orphans stay under it).
// One walk of /proc per usage interval serves every task.
//
// Thread-safety: pure functions; sample_process_trees reads /proc and may run on any thread.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "agent/proc_stat.h"
#include "agent/task_cgroup.h"

namespace borealis::agent {

struct ProcUnits {
  int64_t ticks_per_second = 100;  // sysconf(_SC_CLK_TCK)
  int64_t page_size = 4096;        // sysconf(_SC_PAGESIZE)
  static ProcUnits of_host();
};

// The usage of the tree rooted at each of `roots`, from one listing of processes. CPU is
// utime + stime of each process plus cutime + cstime (its reaped children's, which are no
// longer listed); memory is the sum of RSS. memory_peak_bytes is left -1 (the caller keeps
// the highest sum). A root that is not listed has no entry.
std::map<int64_t, CgroupUsage> usage_of_trees(const std::vector<ProcStat>& processes,
                                              const std::vector<int64_t>& roots,
                                              const ProcUnits& units);

// Walks /proc once (at most `max_processes` entries) and returns usage_of_trees for `roots`.
std::map<int64_t, CgroupUsage> sample_process_trees(const std::vector<int64_t>& roots,
                                                    size_t max_processes,
                                                    const std::string& proc_root = "/proc");

}  // namespace borealis::agent
