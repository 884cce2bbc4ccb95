// Per-task usage (docs/cgroups.md): CPU, memory and disk of a task, sampled by the agent
// from the task's cgroup every --usage-interval, and its sandbox's disk bytes measured
// every --disk-check-interval off the agent's loop.
//
// Thread-safety: plain values and pure functions; measure_disk reads the file system and
// may run on any thread.
#pragma once

#include <cstdint>
#include <string>

#include "agent/task_cgroup.h"
#include "common/clock.h"
#include "common/result.h"
#include "protocol/task_state.h"

namespace borealis::agent {

using TaskUsage = protocol::TaskUsage;

// The usage after a new cgroup sample at `now_ms` (the rate is over the time since `prev`).
TaskUsage next_usage(const TaskUsage& prev, const CgroupUsage& sample, TimeMs now_ms);

struct DiskMeasure {
  int64_t bytes = 0;       // allocated blocks of every file and directory found
  bool truncated = false;  // stopped at max_entries: bytes is a lower bound
};

// Walks `dir` without following symlinks or crossing into other file systems, through
// directory descriptors (a task renaming directories cannot redirect the walk), and stops
// after `max_entries` entries.
Result<DiskMeasure> measure_disk(const std::string& dir, int64_t max_entries);

}  // namespace borealis::agent
