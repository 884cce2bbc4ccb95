// Rolling updates: planning, batches, watching, failure accounting, rollback, control.
#include <algorithm>
#include <set>

#include "common/strings.h"
#include "scheduler/core/core.h"

namespace borealis::scheduler {

namespace {

bool same_task(const ConfigPtr& a, const ConfigPtr& b) {
  return a && b && (a == b || a->task_hash == b->task_hash);
}

// Instances per batch for the strategy in force; 0 = a sliding window (queue).
int64_t batch_size_for(const spec::UpdateConfig& s, int32_t batch_number, bool* whole_batches) {
  *whole_batches = true;
  if (s.variable_batch_strategy) {
    const auto& sizes = s.variable_batch_strategy->batch_sizes;
    return sizes[std::min<size_t>(batch_number, sizes.size() - 1)];
  }
  if (s.batch_strategy) return s.batch_strategy->batch_size;
  int64_t size = s.queue_strategy ? s.queue_strategy->batch_size : s.batch_size;
  *whole_batches = s.wait_for_batch_completion;
  return size;
}

bool autopause(const spec::UpdateConfig& s) {
  return (s.batch_strategy && s.batch_strategy->autopause_after_batch) ||
         (s.variable_batch_strategy && s.variable_batch_strategy->autopause_after_batch);
}

UpdateStatus paused_of(bool back) {
  return back ? UpdateStatus::kRollBackPaused : UpdateStatus::kRollForwardPaused;
}
UpdateStatus rolling_of(bool back) {
  return back ? UpdateStatus::kRollingBack : UpdateStatus::kRollingForward;
}
UpdateStatus awaiting_of(bool back) {
  return back ? UpdateStatus::kRollBackAwaitingPulse : UpdateStatus::kRollForwardAwaitingPulse;
}

}  // namespace

Update* Core::active_update(Job* job) const {
  if (job->updates.empty()) return nullptr;
  Update* u = job->updates.front();
  return is_update_active(u->status) ? u : nullptr;
}

bool Core::update_replacing(Job* job, int32_t instance) const {
  const Update* u = active_update(job);
  if (!u) return false;
  const auto& steps = u->steps();
  for (size_t i = u->first_open; i < u->next && i < steps.size(); ++i)
    if (steps[i].instance == instance && steps[i].phase == UpdateStep::Phase::kKilling) return true;
  return false;
}

const Update* Core::find_update(const std::string& id) const {
  auto it = updates_.find(id);
  return it == updates_.end() ? nullptr : it->second.get();
}

void Core::set_update_status(Update* u, UpdateStatus status, TimeMs now,
                             const std::string& message) {
  u->status = status;
  u->updated_ms = now;
  u->events.push_back(UpdateEvent{now, std::string(update_status_name(status)), -1, message});
  dirty(u);
}

void Core::instance_event(Update* u, int32_t instance, InstanceAction action, TimeMs now,
                          const std::string& message) {
  if (u->events.size() < options_.events_per_update)
    u->events.push_back(
        UpdateEvent{now, std::string(instance_action_name(action)), instance, message});
  u->updated_ms = now;
  dirty(u);
}

void Core::forget_update(Update* u) {
  deleted_updates_.push_back(u->id);
  dirty_updates_.erase(u);
  updates_.erase(u->id);
}

Result<const Update*> Core::launch_update(Job* job, std::unique_ptr<Update> u, TimeMs now) {
  Update* raw = u.get();
  updates_[raw->id] = std::move(u);
  job->updates.push_front(raw);
  while (job->updates.size() > options_.updates_per_job) {
    forget_update(job->updates.back());
    job->updates.pop_back();
  }
  bool coordinated = raw->settings.pulse_interval_secs.has_value();
  set_update_status(
      raw, coordinated ? UpdateStatus::kRollForwardAwaitingPulse : UpdateStatus::kRollingForward,
      now, raw->message);
  progress(raw, now);
  return static_cast<const Update*>(raw);
}

Result<const Update*> Core::start_update(const JobKey& key, UpdateRequest request, TimeMs now) {
  auto it = jobs_.find(key);
  std::string key_text = options_.cluster + "/" + key.to_string();
  if (it == jobs_.end()) return not_found("job " + key_text + " does not exist; create it first");
  Job* job = it->second.get();
  if (Update* active = active_update(job))
    return failed_precondition("job " + key_text + " already has update " + active->id + " (" +
                               std::string(update_status_name(active->status)) +
                               "); abort it or wait for it to end");
  if (request.spec.key() != key)
    return invalid_argument("the configuration is for job " + request.spec.key().to_string() +
                            ", not " + key.to_string());
  BOREALIS_RETURN_IF_ERROR(spec::validate_job_spec(request.spec, options_.limits));
  if (request.spec.cluster != options_.cluster)
    return invalid_argument("the configuration names cluster '" + request.spec.cluster +
                            "', but this scheduler runs cluster '" + options_.cluster + "'");
  if (request.spec.container && request.spec.container->needs_image() && !options_.container_images)
    return failed_precondition("cluster '" + options_.cluster + "' cannot run container images");
  if (request.spec.cron_schedule)
    return failed_precondition("cron_schedule: cron jobs are not supported by this scheduler yet");
  if (request.spec.update_config.sla_aware && request.spec.sla_policy &&
      request.spec.sla_policy->kind == spec::SlaPolicy::Kind::kCoordinator)
    return failed_precondition(
        "update_config.sla_aware with a CoordinatorSlaPolicy is not supported: this scheduler "
        "does not call coordinators; use a CountSlaPolicy or PercentageSlaPolicy");

  ConfigPtr config = intern_config(request.spec);
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
    dirty(job);
    return static_cast<const Update*>(nullptr);
  }
  return launch_update(job, std::move(u), now);
}

Result<const Update*> Core::start_restart(const JobKey& key,
                                          const std::optional<std::vector<int32_t>>& instances,
                                          int64_t batch_size, int64_t watch_secs, TimeMs now) {
  auto it = jobs_.find(key);
  if (it == jobs_.end())
    return not_found("job " + options_.cluster + "/" + key.to_string() + " does not exist");
  Job* job = it->second.get();
  if (Update* active = active_update(job))
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
  for (const auto& [i, inst] : job->instances) {
    if (inst.killed) continue;
    if (instances && !std::binary_search(instances->begin(), instances->end(), i)) continue;
    u->forward.push_back(UpdateStep{i, inst.config, inst.config});
  }
  if (u->forward.empty())
    return invalid_argument("no instance of job " + key.to_string() + " matches");
  return launch_update(job, std::move(u), now);
}

Result<std::vector<int32_t>> Core::add_instances(const JobKey& key, int32_t from_instance,
                                                 int32_t count, TimeMs now) {
  auto it = jobs_.find(key);
  if (it == jobs_.end())
    return not_found("job " + options_.cluster + "/" + key.to_string() + " does not exist");
  Job* job = it->second.get();
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
    Instance& inst = job->instances[i];
    inst.config = config;
    Task* t = new_task(job, i, 0, now);
    inst.active = t;
    enqueue_pending(t, now);
    added.push_back(i);
  }
  dirty(job);
  place_pending(now);
  return added;
}

Result<const Update*> Core::control_update(const JobKey& key, UpdateAction action,
                                           const std::string& message, TimeMs now) {
  auto it = jobs_.find(key);
  std::string key_text = options_.cluster + "/" + key.to_string();
  if (it == jobs_.end()) return not_found("job " + key_text + " does not exist");
  Update* u = active_update(it->second.get());
  if (!u) return not_found("job " + key_text + " has no active update");
  bool back = u->rolling_back();
  auto refuse = [&](const char* what) -> Status {
    return failed_precondition("cannot " + std::string(what) + " update " + u->id + ": it is " +
                               std::string(update_status_name(u->status)));
  };
  switch (action) {
    case UpdateAction::kPause:
      if (u->status == paused_of(back)) return refuse("pause");
      set_update_status(u, paused_of(back), now, message);
      break;
    case UpdateAction::kResume:
      if (u->status != paused_of(back)) return refuse("resume");
      set_update_status(u, rolling_of(back), now, message);
      break;
    case UpdateAction::kAbort:
      finish_update(u, UpdateStatus::kAborted, now, message.empty() ? "aborted" : message);
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
      if (u->status == awaiting_of(back)) set_update_status(u, rolling_of(back), now, "pulse");
      dirty(u);
      break;
  }
  progress(u, now);
  return static_cast<const Update*>(u);
}

void Core::progress_updates(TimeMs now) {
  std::vector<Update*> active;
  for (auto& [_, job] : jobs_)
    if (Update* u = active_update(job.get())) active.push_back(u);
  for (Update* u : active) progress(u, now);
}

void Core::finish_update(Update* u, UpdateStatus status, TimeMs now, const std::string& message) {
  set_update_status(u, status, now, message);
  if (status == UpdateStatus::kRolledForward) {
    u->job->config = u->new_config;
    dirty(u->job);
  }
}

void Core::begin_rollback(Update* u, TimeMs now, const std::string& why) {
  // Every step that was started goes back, latest first; in-flight ones included.
  u->rollback.clear();
  for (auto it = u->forward.rbegin(); it != u->forward.rend(); ++it) {
    if (it->phase == UpdateStep::Phase::kWaiting) continue;
    UpdateStep back{it->instance, it->to, it->from};
    u->rollback.push_back(std::move(back));
  }
  u->rollback_started = true;
  u->first_open = 0;
  u->next = 0;
  u->batch_end = 0;
  u->batch_number = 0;
  u->failed_instances = 0;
  set_update_status(u, UpdateStatus::kRollingBack, now, why);
  if (u->rollback.empty()) finish_update(u, UpdateStatus::kRolledBack, now, "nothing to roll back");
}

void Core::start_step(Update* u, UpdateStep& step, TimeMs now) {
  bool back = u->rolling_back();
  instance_event(u, step.instance, back ? InstanceAction::kRollingBack : InstanceAction::kUpdating,
                 now);
  Job* job = u->job;
  Instance& inst = job->instances[step.instance];
  if (step.to) {
    inst.config = step.to;
    inst.killed = false;
  } else {
    inst.killed = true;
  }
  dirty(job);
  if (inst.active) {
    bool unchanged = step.to && !u->restart && same_task(inst.active->config, step.to);
    if (unchanged && inst.active->state == TaskState::kRunning) {
      // Nothing to replace (e.g. rolling back an instance that never changed).
      step.task_id = inst.active->id;
      step.phase = UpdateStep::Phase::kWatching;
      step.watch_since_ms = now - u->settings.watch_secs * 1000;
      return;
    }
    step.phase = UpdateStep::Phase::kKilling;
    kill_task(inst.active, back ? "rolling back" : (u->restart ? "restarting" : "updating"), now);
    return;
  }
  step.phase = UpdateStep::Phase::kKilling;  // nothing to kill: advance_step starts the new task
}

void Core::step_failed_try(Update* u, UpdateStep& step, TimeMs now, const std::string& why) {
  ++step.failures;
  if (step.failures <= u->settings.max_per_shard_failures) return;  // the reschedule is a retry
  step.phase = UpdateStep::Phase::kFailed;
  ++u->failed_instances;
  instance_event(
      u, step.instance,
      u->rolling_back() ? InstanceAction::kRollbackFailed : InstanceAction::kUpdateFailed, now,
      why);
}

// Moves one in-flight step along; returns true when it changed phase.
bool Core::advance_step(Update* u, UpdateStep& step, TimeMs now) {
  Instance& inst = u->job->instances[step.instance];
  const bool service = u->job->config->spec.service;
  switch (step.phase) {
    case UpdateStep::Phase::kKilling: {
      if (inst.active && inst.active->kill_requested) return false;  // old still ending
      if (!step.to) {
        step.phase = UpdateStep::Phase::kSucceeded;
        instance_event(u, step.instance,
                       u->rolling_back() ? InstanceAction::kRolledBack : InstanceAction::kUpdated,
                       now);
        return true;
      }
      if (!inst.active) {
        Task* t = new_task(u->job, step.instance, 0, now);
        inst.active = t;
        enqueue_pending(t, now);
      }
      step.task_id = inst.active->id;
      step.phase = UpdateStep::Phase::kStarting;
      return true;
    }
    case UpdateStep::Phase::kStarting:
    case UpdateStep::Phase::kWatching: {
      Task* t = inst.active;
      if (!t || t->id != step.task_id) {
        // The task we watched ended. A service got a replacement (same version): that is
        // the next try. A batch task that finished did its job.
        const Task* ended = find_task(step.task_id);
        if (!service && ended && ended->state == TaskState::kFinished) {
          step.phase = UpdateStep::Phase::kSucceeded;
          instance_event(u, step.instance,
                         u->rolling_back() ? InstanceAction::kRolledBack : InstanceAction::kUpdated,
                         now);
          return true;
        }
        std::string why =
            ended ? std::string(task_state_name(ended->state)) + ": " + ended->last_event().message
                  : "task ended";
        step_failed_try(u, step, now, why);
        if (step.phase == UpdateStep::Phase::kFailed) return true;
        if (!t) {  // not rescheduled (batch job): start another try ourselves
          t = new_task(u->job, step.instance, 0, now);
          inst.active = t;
          enqueue_pending(t, now);
        }
        step.task_id = t->id;
        step.phase = UpdateStep::Phase::kStarting;
        return true;
      }
      if (step.phase == UpdateStep::Phase::kStarting) {
        if (t->state != TaskState::kRunning) return false;
        step.phase = UpdateStep::Phase::kWatching;
        step.watch_since_ms = now;
      }
      if (t->state != TaskState::kRunning) return false;  // e.g. KILLING by a user
      if (now - step.watch_since_ms < u->settings.watch_secs * 1000) return false;
      step.phase = UpdateStep::Phase::kSucceeded;
      instance_event(u, step.instance,
                     u->rolling_back() ? InstanceAction::kRolledBack : InstanceAction::kUpdated,
                     now);
      return true;
    }
    default:
      return false;
  }
}

void Core::start_steps(Update* u, TimeMs now) {
  auto& steps = u->steps();
  // Admitted steps (before `next`) that the SLA held back go first.
  const size_t open = u->open_from();
  for (size_t i = open; i < u->next; ++i)
    if (steps[i].phase == UpdateStep::Phase::kWaiting) start_step_within_sla(u, steps[i], now);
  bool whole_batches = false;
  int64_t size = batch_size_for(u->settings, u->batch_number, &whole_batches);
  if (!whole_batches) {
    int64_t busy = 0;
    for (size_t i = open; i < u->next; ++i)
      busy += steps[i].in_flight() || steps[i].phase == UpdateStep::Phase::kWaiting;
    while (u->next < steps.size() && busy < size) {
      start_step_within_sla(u, steps[u->next++], now);
      ++busy;
    }
    return;
  }
  // Batch strategies: the next batch starts once every step of the started ones ended.
  if (u->open_from() < u->batch_end) return;
  if (u->next >= steps.size()) return;
  if (u->batch_number > 0 && autopause(u->settings) && !u->rolling_back() &&
      u->paused_at_batch != u->batch_number) {
    // Pause between batches, once; resuming starts the next batch.
    u->paused_at_batch = u->batch_number;
    set_update_status(u, UpdateStatus::kRollForwardPaused, now,
                      "paused after batch " + std::to_string(u->batch_number));
    return;
  }
  size_t end = std::min(steps.size(), u->next + static_cast<size_t>(size));
  while (u->next < end) start_step_within_sla(u, steps[u->next++], now);
  u->batch_end = end;
  ++u->batch_number;
}

void Core::progress(Update* u, TimeMs now) {
  if (!is_update_active(u->status)) return;
  bool back = u->rolling_back();
  if (u->settings.pulse_interval_secs && u->status == rolling_of(back) &&
      now - u->last_pulse_ms > *u->settings.pulse_interval_secs * 1000) {
    set_update_status(u, awaiting_of(back), now,
                      "no pulse within " + std::to_string(*u->settings.pulse_interval_secs) + " s");
  }
  // In-flight steps move on whatever the status: a paused update still finishes what
  // it started.
  auto& steps = u->steps();
  for (size_t i = u->open_from(); i < u->next && i < steps.size(); ++i)
    while (steps[i].in_flight() && advance_step(u, steps[i], now)) {
    }
  if (u->failed_instances > u->settings.max_total_failures) {
    std::string why = std::to_string(u->failed_instances) +
                      " instance(s) failed (max_total_failures " +
                      std::to_string(u->settings.max_total_failures) + ")";
    if (back) {
      finish_update(u, UpdateStatus::kFailed, now, "rollback failed: " + why);
    } else if (u->settings.rollback_on_failure) {
      begin_rollback(u, now, why);
      if (is_update_active(u->status)) progress(u, now);
    } else {
      finish_update(u, UpdateStatus::kFailed, now, why);
    }
    return;
  }
  if (u->status != rolling_of(back)) return;  // paused or awaiting a pulse
  start_steps(u, now);
  for (size_t i = u->open_from(); i < u->next && i < steps.size(); ++i)
    while (steps[i].in_flight() && advance_step(u, steps[i], now)) {
    }
  bool done = u->next >= steps.size() && u->open_from() >= steps.size();
  if (done)
    finish_update(u, back ? UpdateStatus::kRolledBack : UpdateStatus::kRolledForward, now, "");
}

}  // namespace borealis::scheduler
