#include "sim/workload.h"

#include <cstdio>

#include "jobspec/job_spec.h"
#include "jobspec/job_spec_json.h"

namespace borealis::sim {

namespace {

constexpr int64_t kMiB = int64_t{1} << 20;

const TaskShape kUniform{"uniform", 0.1, 64 * kMiB, 64 * kMiB};
const TaskShape kSmall{"small", 0.25, 256 * kMiB, 256 * kMiB};
const TaskShape kMedium{"medium", 1.0, 2048 * kMiB, 1024 * kMiB};
const TaskShape kLarge{"large", 4.0, 8192 * kMiB, 4096 * kMiB};
const TaskShape kMemory{"memory", 0.5, 6144 * kMiB, 1024 * kMiB};

// 50% small, 30% medium, 10% large, 10% memory-heavy jobs, interleaved.
const TaskShape* const kStandardCycle[] = {&kSmall,  &kMedium, &kSmall,  &kLarge,  &kSmall,
                                           &kMedium, &kSmall,  &kMemory, &kMedium, &kSmall};

}  // namespace

const TaskShape& job_shape(Workload workload, int64_t index) {
  if (workload == Workload::kUniform) return kUniform;
  constexpr int64_t n = std::size(kStandardCycle);
  return *kStandardCycle[index % n];
}

std::vector<JobPlan> plan_jobs(Workload workload, int64_t tasks, int64_t jobs,
                               int64_t first_index) {
  std::vector<JobPlan> plans;
  if (jobs <= 0 || tasks <= 0) return plans;
  for (int64_t j = 0; j < jobs; ++j) {
    int64_t instances = tasks / jobs + (j < tasks % jobs ? 1 : 0);
    if (instances == 0) continue;
    char name[32];
    std::snprintf(name, sizeof name, "sim-%06lld", static_cast<long long>(first_index + j));
    plans.push_back({name, job_shape(workload, first_index + j), instances});
  }
  return plans;
}

json::value job_spec_json(const JobPlan& plan, const JobIdentity& identity) {
  jobspec::JobSpec spec;
  spec.name = plan.name;
  spec.role = identity.role;
  spec.environment = identity.environment;
  spec.cluster = identity.cluster;
  spec.instances = plan.instances;
  spec.service = true;
  jobspec::Process process;
  process.name = "main";
  process.cmdline = "sleep 86400";
  spec.task.name = "main";
  spec.task.processes = {process};
  spec.task.resources = jobspec::Resources{plan.shape.cpu, plan.shape.ram, plan.shape.disk, 0};
  return jobspec::job_spec_to_json(spec);
}

}  // namespace borealis::sim
