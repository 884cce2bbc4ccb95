// Jobs: creation, kills, added instances, pruning. Their tasks' lifecycle is in
// task_lifecycle.cc.
#include <algorithm>

#include "common/strings.h"
#include "scheduler/core/core.h"
#include "scheduler/core/history_pruner.h"
#include "scheduler/core/job_launch.h"

namespace borealis::scheduler {

Status Core::check_job_spec(const jobspec::JobSpec& spec) const {
  BOREALIS_RETURN_IF_ERROR(jobspec::validate_job_spec(spec, options_.limits));
  std::string key_text = spec.cluster + "/" + spec.key().to_string();
  if (spec.cluster != options_.cluster)
    return invalid_argument("job " + key_text + " names cluster '" + spec.cluster +
                            "', but this scheduler runs cluster '" + options_.cluster + "'");
  if (spec.container && spec.container->needs_image() && !options_.container_images)
    return failed_precondition(
        "job " + key_text + " asks for a container image, but cluster '" + options_.cluster +
        "' cannot run images: its agents run processes directly in a sandbox");
  if (spec.cron_schedule) {
    auto schedule = parse_job_schedule(spec);
    if (!schedule.ok()) return schedule.status().with_context("job " + key_text);
  }
  return Status();
}

Result<const Job*> Core::create_job(jobspec::JobSpec spec, TimeMs now, const std::string& user) {
  BOREALIS_RETURN_IF_ERROR(check_job_spec(spec));
  std::string key_text = spec.cluster + "/" + spec.key().to_string();
  // As Aurora's createJob: a cron job runs on its schedule, never at once as a batch job.
  if (spec.cron_schedule)
    return failed_precondition("job " + key_text +
                               " has a cron_schedule: cron jobs are scheduled (cron schedule), "
                               "not created; submit it without cron_schedule to run it once");
  JobKey key = spec.key();
  if (cron_.find(key))
    return already_exists("job " + key_text +
                          " is a scheduled cron job; deschedule it first (cron deschedule)");
  if (Job* old = model_.job(key); old && active_tasks(*old) > 0)
    return already_exists("job " + key_text + " already exists with " +
                          std::to_string(active_tasks(*old)) +
                          " active tasks; kill it first (job killall) or update it");
  Job* j = launch_job(model_, lifecycle_, model_.versions().intern(spec), user, now);
  lifecycle_.place_pending(now);
  return static_cast<const Job*>(j);
}

Result<const CronJob*> Core::schedule_cron(jobspec::JobSpec spec, TimeMs now,
                                           const std::string& user) {
  BOREALIS_RETURN_IF_ERROR(check_job_spec(spec));
  if (!spec.cron_schedule)
    return invalid_argument("job " + spec.cluster + "/" + spec.key().to_string() +
                            ": cron_schedule: a cron job needs a schedule");
  return cron_.schedule(model_.versions().intern(spec), user, now);
}

Result<const CronRun*> Core::start_cron(const JobKey& key, TimeMs now, const std::string& user) {
  BOREALIS_ASSIGN_OR_RETURN(const CronRun* run, cron_.start_now(key, user, now));
  lifecycle_.place_pending(now);
  return run;
}

Result<std::vector<std::string>> Core::kill(const JobKey& key,
                                            const std::optional<std::vector<int32_t>>& instances,
                                            const std::string& message, TimeMs now) {
  Job* job = model_.job(key);
  if (!job) return not_found("job " + options_.cluster + "/" + key.to_string() + " does not exist");
  std::vector<int32_t> ids;
  if (instances) {
    std::vector<std::string> missing;
    for (int32_t i : *instances) {
      if (job->instances.count(i))
        ids.push_back(i);
      else
        missing.push_back(std::to_string(i));
    }
    if (ids.empty())
      return not_found("job " + options_.cluster + "/" + key.to_string() + " has no instance " +
                       join(missing, ",") + " (it has " + std::to_string(job->instances.size()) +
                       " instances)");
  } else {
    for (const auto& [i, _] : job->instances) ids.push_back(i);
  }
  std::vector<std::string> killed;
  std::string why = message.empty() ? "killed by request" : message;
  if (!instances) {
    if (Update* u = active_update(*job))
      update_controller_.finish(u, UpdateStatus::kAborted, now, "job killed");
  }
  for (int32_t i : ids) {
    Instance& inst = job->instances[i];
    inst.killed = true;
    if (inst.active) {
      killed.push_back(inst.active->id);
      lifecycle_.kill_task(inst.active, why, now);
    }
  }
  model_.changed(job);
  return killed;
}

Result<std::vector<int32_t>> Core::add_instances(const JobKey& key, int32_t from_instance,
                                                 int32_t count, TimeMs now) {
  Job* job = model_.job(key);
  if (!job) return not_found("job " + options_.cluster + "/" + key.to_string() + " does not exist");
  auto src = job->instances.find(from_instance);
  if (src == job->instances.end() || src->second.killed)
    return not_found("job " + key.to_string() + " has no instance " +
                     std::to_string(from_instance));
  if (count < 1) return invalid_argument("count: must be at least 1");
  int32_t next = job->instances.empty() ? 0 : job->instances.rbegin()->first + 1;
  if (next + count > options_.limits.max_instances)
    return invalid_argument("job would have more than " +
                            std::to_string(options_.limits.max_instances) + " instances");
  ConfigPtr config = src->second.config ? src->second.config : job->config;
  std::vector<int32_t> added;
  for (int32_t i = next; i < next + count; ++i) {
    job->instances[i].config = config;
    lifecycle_.start_task(job, i, now);
    added.push_back(i);
  }
  model_.changed(job);
  lifecycle_.place_pending(now);
  return added;
}

bool Core::prune_jobs(TimeMs now) {
  size_t budget = kMaxPrunedPerPass;
  std::vector<Job*> old;
  for (auto& [_, job] : model_.jobs()) {
    if (budget > 0) budget -= prune_job_history(model_, *job, options_.history, now, budget);
    TimeMs last = job->created_ms;
    bool active = false;
    for (const auto& [__, inst] : job->instances) {
      if (inst.active) active = true;
      if (!inst.history.empty()) last = std::max(last, inst.history.front()->last_event().ts_ms);
    }
    if (!active && now - last > options_.history.max_age_ms) old.push_back(job.get());
  }
  for (Job* j : old) model_.erase_job(j);
  return budget == 0;
}

}  // namespace borealis::scheduler
