#include "scheduler/core/job_launch.h"

namespace borealis::scheduler {

Job* launch_job(ClusterModel& model, TaskLifecycle& lifecycle, ConfigPtr config,
                const std::string& user, TimeMs now) {
  JobKey key = config->spec.key();
  if (Job* old = model.job(key)) model.erase_job(old);
  auto job = std::make_unique<Job>();
  job->key = key;
  job->key_string = key.to_string();
  job->config = config;
  job->created_ms = now;
  job->created_by = user;
  Job* j = model.add_job(std::move(job));
  for (int32_t i = 0; i < static_cast<int32_t>(config->spec.instances); ++i) {
    j->instances[i].config = j->config;
    lifecycle.start_task(j, i, now);
  }
  model.changed(j);
  return j;
}

int active_tasks(const Job& job) {
  int active = 0;
  for (const auto& [_, inst] : job.instances)
    if (inst.active) ++active;
  return active;
}

}  // namespace borealis::scheduler
