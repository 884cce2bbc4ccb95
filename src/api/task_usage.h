// A task's resource usage (docs/cgroups.md, "Usage"): what the agent samples from the
// task's cgroup and its sandbox, carried to the scheduler in the agent protocol's task
// reports (protocol::TaskUsage is this type) and shown by the agent's API and in a job's
// tasks (`borealis job status --output json`).
//
// Thread-safety: a plain value and pure functions.
#pragma once

#include <cstdint>

#include "api/codec.h"
#include "api/json_fields.h"

namespace borealis::api {

struct TaskUsage {
  int64_t sampled_ms = 0;          // when CPU and memory were read; 0: never
  double cpu_seconds = 0;          // user + system since the task started
  double cpu_rate = 0;             // cores used over the last sampling interval
  int64_t memory_bytes = 0;        // now
  int64_t memory_peak_bytes = -1;  // -1: the kernel does not say (omitted)
  int64_t disk_bytes = -1;         // the sandbox's allocated bytes; -1: not measured yet
  int64_t disk_measured_ms = 0;
  bool operator==(const TaskUsage&) const = default;
};
BOREALIS_API_CODEC(TaskUsage);

// The fields of a TaskUsage in `r` (for the messages that nest one).
Status read_task_usage(FieldReader& r, TaskUsage* u);

}  // namespace borealis::api
