// Rolling updates: planning, batches, watching, failure accounting, rollback, control.
#include "scheduler/core/update_controller.h"

#include <algorithm>
#include <set>

#include "common/strings.h"

namespace borealis::scheduler {

UpdateController::UpdateController(ClusterModel& model, TaskLifecycle& lifecycle,
                                   const CoreOptions& options, UuidGenerator& uuids)
    : model_(model), lifecycle_(lifecycle), options_(options), uuids_(uuids) {}

void UpdateController::set_update_status(Update* u, UpdateStatus status, TimeMs now,
                                         const std::string& message) {
  u->status = status;
  u->updated_ms = now;
  u->events.push_back(UpdateEvent{now, std::string(update_status_name(status)), -1, message});
  model_.changed(u);
}

void UpdateController::instance_event(Update* u, int32_t instance, InstanceAction action,
                                      TimeMs now, const std::string& message) {
  if (u->events.size() < options_.events_per_update)
    u->events.push_back(
        UpdateEvent{now, std::string(instance_action_name(action)), instance, message});
  u->updated_ms = now;
  model_.changed(u);
}

Result<const Update*> UpdateController::launch_update(Job* job, std::unique_ptr<Update> u,
                                                      TimeMs now) {
  Update* raw = model_.add_update(std::move(u));
  job->updates.push_front(raw);
  while (job->updates.size() > options_.updates_per_job) {
    model_.erase_update(job->updates.back());
    job->updates.pop_back();
  }
  bool coordinated = raw->settings.pulse_interval_secs.has_value();
  set_update_status(
      raw, coordinated ? UpdateStatus::kRollForwardAwaitingPulse : UpdateStatus::kRollingForward,
      now, raw->message);
  progress(raw, now);
  return static_cast<const Update*>(raw);
}

Result<const Update*> UpdateController::start_update(const JobKey& key, UpdateRequest request,
                                                     TimeMs now) {
  Job* job = model_.job(key);
  std::string key_text = options_.cluster + "/" + key.to_string();
  if (!job) return not_found("job " + key_text + " does not exist; create it first");
  if (Update* active = active_update(*job))
    return failed_precondition("job " + key_text + " already has update " + active->id + " (" +
                               std::string(update_status_name(active->status)) +
                               "); abort it or wait for it to end");
  if (request.spec.key() != key)
    return invalid_argument("the configuration is for job " + request.spec.key().to_string() +
                            ", not " + key.to_string());
  BOREALIS_RETURN_IF_ERROR(jobspec::validate_job_spec(request.spec, options_.limits));
  if (request.spec.cluster != options_.cluster)
    return invalid_argument("the configuration names cluster '" + request.spec.cluster +
                            "', but this scheduler runs cluster '" + options_.cluster + "'");
  if (request.spec.container && request.spec.container->needs_image() && !options_.container_images)
    return failed_precondition("cluster '" + options_.cluster + "' cannot run container images");
  // As Aurora: a cron job's template changes by scheduling it again.
  if (request.spec.cron_schedule)
    return failed_precondition(
        "cron_schedule: a cron job is not updated; schedule it again (cron schedule)");
  if (request.spec.update_config.sla_aware && request.spec.sla_policy &&
      request.spec.sla_policy->kind == jobspec::SlaPolicy::Kind::kCoordinator)
    return failed_precondition(
        "update_config.sla_aware with a CoordinatorSlaPolicy is not supported: this scheduler "
        "does not call coordinators; use a CountSlaPolicy or PercentageSlaPolicy");

  ConfigPtr config = model_.versions().intern(request.spec);
  std::set<int32_t> wanted;
  for (int32_t i = 0; i < static_cast<int32_t>(config->spec.instances); ++i) wanted.insert(i);
  std::set<int32_t> have;
  for (const auto& [i, inst] : job->instances)
    if (!inst.killed) have.insert(i);
  auto in_scope = [&](int32_t i) {
    return !request.instances ||
           std::binary_search(request.instances->begin(), request.instances->end(), i);
  };
  if (request.instances) {
    for (int32_t i : *request.instances)
      if (!wanted.count(i) && !have.count(i))
        return invalid_argument("instance " + std::to_string(i) + " is in neither job " + key_text +
                                " nor the new configuration (" +
                                std::to_string(config->spec.instances) + " instances)");
  }
  auto u = std::make_unique<Update>();
  u->id = uuids_.next();
  u->job = job;
  u->settings = config->spec.update_config;
  u->new_config = config;
  u->restart = request.restart;
  u->created_ms = now;
  u->last_pulse_ms = now;
  u->message = request.message;
  u->user = request.user;
  // Aurora's order: add missing instances, then replace changed ones, then remove.
  for (int32_t i : wanted)
    if (!have.count(i) && in_scope(i)) u->forward.push_back(UpdateStep{i, nullptr, config});
  for (int32_t i : wanted) {
    if (!have.count(i) || !in_scope(i)) continue;
    const ConfigPtr& from = job->instances[i].config;
    if (request.restart || !same_task(from, config))
      u->forward.push_back(UpdateStep{i, from, config});
  }
  for (int32_t i : have)
    if (!wanted.count(i) && in_scope(i))
      u->forward.push_back(UpdateStep{i, job->instances[i].config, nullptr});
  if (u->forward.empty()) {
    // Only settings changed (update_config, instance count of a scoped update...): take
    // the new version for the job without touching any task.
    job->config = config;
    for (auto& [i, inst] : job->instances)
      if (!inst.killed && same_task(inst.config, config)) inst.config = config;
    model_.changed(job);
    return static_cast<const Update*>(nullptr);
  }
  return launch_update(job, std::move(u), now);
}

Result<const Update*> UpdateController::start_restart(
    const JobKey& key, const std::optional<std::vector<int32_t>>& instances, int64_t batch_size,
    int64_t watch_secs, TimeMs now, const std::string& user) {
  Job* job = model_.job(key);
  if (!job) return not_found("job " + options_.cluster + "/" + key.to_string() + " does not exist");
  if (Update* active = active_update(*job))
    return failed_precondition("job " + options_.cluster + "/" + key.to_string() + " has update " +
                               active->id + " in progress");
  auto u = std::make_unique<Update>();
  u->id = uuids_.next();
  u->job = job;
  u->settings = job->config->spec.update_config;
  if (batch_size > 0) {
    u->settings.batch_size = batch_size;
    u->settings.queue_strategy.reset();
    u->settings.batch_strategy.reset();
    u->settings.variable_batch_strategy.reset();
  }
  if (watch_secs >= 0) u->settings.watch_secs = watch_secs;
  u->settings.pulse_interval_secs.reset();
  u->new_config = job->config;
  u->restart = true;
  u->created_ms = now;
  u->last_pulse_ms = now;
  u->message = "restart";
  u->user = user;
  for (const auto& [i, inst] : job->instances) {
    if (inst.killed) continue;
    if (instances && !std::binary_search(instances->begin(), instances->end(), i)) continue;
    u->forward.push_back(UpdateStep{i, inst.config, inst.config});
  }
  if (u->forward.empty())
    return invalid_argument("no instance of job " + key.to_string() + " matches");
  return launch_update(job, std::move(u), now);
}

Result<const Update*> UpdateController::control_update(const JobKey& key, UpdateAction action,
                                                       const std::string& message, TimeMs now) {
  Job* job = model_.job(key);
  std::string key_text = options_.cluster + "/" + key.to_string();
  if (!job) return not_found("job " + key_text + " does not exist");
  Update* u = active_update(*job);
  if (!u) return not_found("job " + key_text + " has no active update");
  bool back = u->rolling_back();
  auto refuse = [&](const char* what) -> Status {
    return failed_precondition("cannot " + std::string(what) + " update " + u->id + ": it is " +
                               std::string(update_status_name(u->status)));
  };
  switch (action) {
    case UpdateAction::kPause:
      if (u->status == paused_status(back)) return refuse("pause");
      set_update_status(u, paused_status(back), now, message);
      break;
    case UpdateAction::kResume:
      if (u->status != paused_status(back)) return refuse("resume");
      set_update_status(u, rolling_status(back), now, message);
      break;
    case UpdateAction::kAbort:
      finish(u, UpdateStatus::kAborted, now, message.empty() ? "aborted" : message);
      break;
    case UpdateAction::kRollback:
      if (back) return refuse("roll back");
      begin_rollback(u, now, message.empty() ? "rollback requested" : message);
      break;
    case UpdateAction::kPulse:
      if (!u->settings.pulse_interval_secs)
        return failed_precondition("update " + u->id +
                                   " is not coordinated (no pulse_interval_secs)");
      u->last_pulse_ms = now;
      if (u->status == awaiting_pulse_status(back))
        set_update_status(u, rolling_status(back), now, "pulse");
      model_.changed(u);
      break;
  }
  progress(u, now);
  return static_cast<const Update*>(u);
}

void UpdateController::progress_all(TimeMs now) {
  std::vector<Update*> active;
  for (auto& [_, job] : model_.jobs())
    if (Update* u = active_update(*job)) active.push_back(u);
  for (Update* u : active) progress(u, now);
}

void UpdateController::finish(Update* u, UpdateStatus status, TimeMs now,
                              const std::string& message) {
  set_update_status(u, status, now, message);
  if (status == UpdateStatus::kRolledForward) {
    u->job->config = u->new_config;
    model_.changed(u->job);
  }
}

}  // namespace borealis::scheduler
