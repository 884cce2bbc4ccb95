// The jobs the simulator submits (docs/simulator.md#workloads): `uniform` gives every task
// one small shape; `standard` is the documented mix of small, medium, large and
// memory-heavy tasks, in a fixed 10-job cycle (5 small, 3 medium, 1 large, 1 memory).
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/json.h"

namespace borealis::sim {

struct TaskShape {
  std::string name;
  double cpu = 0;    // cores
  int64_t ram = 0;   // bytes
  int64_t disk = 0;  // bytes
};

enum class Workload { kUniform, kStandard };

// The shape of the `index`th job of a workload.
const TaskShape& job_shape(Workload workload, int64_t index);

struct JobPlan {
  std::string name;  // "sim-000042"
  TaskShape shape;
  int64_t instances = 0;
};

// `tasks` spread over `jobs` jobs (the first ones take the remainder), named from
// `first_index` on.
std::vector<JobPlan> plan_jobs(Workload workload, int64_t tasks, int64_t jobs,
                               int64_t first_index = 0);

struct JobIdentity {
  std::string cluster;      // the scheduler's (GET /api/v1/cluster)
  std::string role;         // a Unix user the scheduler accepts for tasks
  std::string environment;  // "devel" by default
};

// The JobSpec of `plan` as POST /api/v1/jobs takes it: a service whose one process would
// sleep (the simulated agents never run it).
json::value job_spec_json(const JobPlan& plan, const JobIdentity& identity);

}  // namespace borealis::sim
