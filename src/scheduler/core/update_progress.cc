// Rolling updates in motion: starting steps in batches or a sliding window, moving each
// step through kill, start and watch, counting failures, and rolling back.
#include <algorithm>

#include "scheduler/core/update_controller.h"

namespace borealis::scheduler {

namespace {

// Instances per batch for the strategy in force; 0 = a sliding window (queue).
int64_t batch_size_for(const jobspec::UpdateConfig& s, int32_t batch_number, bool* whole_batches) {
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

bool autopause(const jobspec::UpdateConfig& s) {
  return (s.batch_strategy && s.batch_strategy->autopause_after_batch) ||
         (s.variable_batch_strategy && s.variable_batch_strategy->autopause_after_batch);
}

}  // namespace

void UpdateController::begin_rollback(Update* u, TimeMs now, const std::string& why) {
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
  if (u->rollback.empty()) finish(u, UpdateStatus::kRolledBack, now, "nothing to roll back");
}

void UpdateController::start_step(Update* u, UpdateStep& step, TimeMs now) {
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
  model_.changed(job);
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
    lifecycle_.kill_task(inst.active,
                         back ? "rolling back" : (u->restart ? "restarting" : "updating"), now);
    return;
  }
  step.phase = UpdateStep::Phase::kKilling;  // nothing to kill: advance_step starts the new task
}

void UpdateController::step_failed_try(Update* u, UpdateStep& step, TimeMs now,
                                       const std::string& why) {
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
bool UpdateController::advance_step(Update* u, UpdateStep& step, TimeMs now) {
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
        lifecycle_.start_task(u->job, step.instance, now);
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
        const Task* ended = model_.task(step.task_id);
        if (!service && ended && ended->state == TaskState::kFinished) {
          step.phase = UpdateStep::Phase::kSucceeded;
          instance_event(u, step.instance,
                         u->rolling_back() ? InstanceAction::kRolledBack : InstanceAction::kUpdated,
                         now);
          return true;
        }
        std::string why = ended ? std::string(task_state_name(ended->state)) + ": " +
                                      ended->last_event().message()
                                : "task ended";
        step_failed_try(u, step, now, why);
        if (step.phase == UpdateStep::Phase::kFailed) return true;
        if (!t) {  // not rescheduled (batch job): start another try ourselves
          t = lifecycle_.start_task(u->job, step.instance, now);
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

void UpdateController::start_steps(Update* u, TimeMs now) {
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

void UpdateController::progress(Update* u, TimeMs now) {
  if (!is_update_active(u->status)) return;
  bool back = u->rolling_back();
  if (u->settings.pulse_interval_secs && u->status == rolling_status(back) &&
      now - u->last_pulse_ms > *u->settings.pulse_interval_secs * 1000) {
    set_update_status(u, awaiting_pulse_status(back), now,
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
      finish(u, UpdateStatus::kFailed, now, "rollback failed: " + why);
    } else if (u->settings.rollback_on_failure) {
      begin_rollback(u, now, why);
      if (is_update_active(u->status)) progress(u, now);
    } else {
      finish(u, UpdateStatus::kFailed, now, why);
    }
    return;
  }
  if (u->status != rolling_status(back)) return;  // paused or awaiting a pulse
  start_steps(u, now);
  for (size_t i = u->open_from(); i < u->next && i < steps.size(); ++i)
    while (steps[i].in_flight() && advance_step(u, steps[i], now)) {
    }
  bool done = u->next >= steps.size() && u->open_from() >= steps.size();
  if (done) finish(u, back ? UpdateStatus::kRolledBack : UpdateStatus::kRolledForward, now, "");
}

}  // namespace borealis::scheduler
