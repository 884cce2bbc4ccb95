// GET /api/v1/jobs/ROLE/ENV/NAME/tasks/ID/usage (docs/api.md): the task's recent usage,
// one sample per report of its agent (every --usage-interval, 10 s by default), what the
// web UI's task page draws its resource graphs from. The scheduler keeps the last
// kTaskUsageHistorySamples of each task its agents report, in memory only, and drops a
// task's samples once its agent no longer reports it or reports it ended.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "api/codec.h"

namespace borealis::api {

inline constexpr size_t kTaskUsageHistorySamples = 90;

struct TaskUsageSample {
  int64_t sampled_ms = 0;    // when the agent read CPU and memory
  double cpu_rate = 0;       // cores used over the interval before
  int64_t memory_bytes = 0;  // resident memory then
  int64_t disk_bytes = -1;   // the sandbox's allocated bytes; -1: not measured yet
  bool operator==(const TaskUsageSample&) const = default;
};

struct TaskUsageHistory {
  std::string task_id;
  std::vector<TaskUsageSample> samples;  // oldest first
  bool operator==(const TaskUsageHistory&) const = default;
};
BOREALIS_API_CODEC(TaskUsageHistory);

}  // namespace borealis::api
