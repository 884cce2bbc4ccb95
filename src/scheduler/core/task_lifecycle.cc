#include "scheduler/core/task_lifecycle.h"

#include <algorithm>

#include "common/task_id.h"
#include "scheduler/core/update.h"

namespace borealis::scheduler {

TaskLifecycle::TaskLifecycle(ClusterModel& model, Placer& placer, const CoreOptions& options,
                             UuidGenerator& uuids)
    : model_(model), placer_(placer), options_(options), uuids_(uuids) {}

namespace {

std::string describe_ms(int64_t ms) {
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms) + " ms";
}

void erase_entry(std::multimap<TimeMs, Task*>& by_time, TimeMs key, const Task* t) {
  auto [lo, hi] = by_time.equal_range(key);
  for (auto it = lo; it != hi; ++it)
    if (it->second == t) {
      by_time.erase(it);
      return;
    }
}

// The task ended straight from PARTITIONED: what happened to it happened while its agent
// was cut off from us, which is not the task's fault.
bool ended_in_partition(const Task& t) {
  return t.events.size() >= 2 && t.events[t.events.size() - 2].state == TaskState::kPartitioned;
}

}  // namespace

Task* TaskLifecycle::start_task(Job* job, int32_t instance, TimeMs now) {
  Task* t = new_task(job, instance, 0, now);
  job->instances[instance].active = t;
  enqueue_pending(t, now);
  return t;
}

Task* TaskLifecycle::new_task(Job* job, int32_t instance, int32_t failure_count, TimeMs now) {
  auto t = std::make_unique<Task>();
  t->id = make_task_id(job->key, instance, uuids_.next());
  t->job = job;
  const ConfigPtr& instance_config = job->instances[instance].config;
  t->config = instance_config ? instance_config : job->config;
  t->instance = instance;
  t->failure_count = failure_count;
  t->events.push_back(TaskEvent{now, TaskState::kInit, ""});
  Task* raw = model_.add_task(std::move(t));
  model_.changed(raw);
  return raw;
}

void TaskLifecycle::enqueue_pending(Task* t, TimeMs now) {
  transition(t, TaskState::kPending, now, "");
  placer_.enqueue(t);
}

void TaskLifecycle::transition(Task* t, TaskState to, TimeMs now, std::string message) {
  BOREALIS_CHECK(is_legal_transition(t->state, to),
                 std::string("illegal transition ") + std::string(task_state_name(t->state)) +
                     " -> " + std::string(task_state_name(to)) + " for " + t->id);
  TaskState from = t->state;
  if (from == TaskState::kPending) {
    placer_.dequeue(t);
  } else if (from == TaskState::kThrottled) {
    erase_entry(throttled_, t->throttle_until_ms, t);
  } else if (from == TaskState::kPartitioned) {
    erase_entry(partitioned_, t->partition_until_ms, t);
    t->partition_until_ms = 0;
  }
  // The first event replaces INIT so every history starts at PENDING or THROTTLED.
  if (from == TaskState::kInit) t->events.clear();
  t->state = to;
  t->events.push_back(TaskEvent{now, to, std::move(message)});
  if (t->events.size() > options_.events_per_task)
    t->events.erase(t->events.begin() + 1);  // keep the first event, drop the oldest after it
  if (to == TaskState::kRunning) t->running_since_ms = now;
  model_.changed(t);
  if (is_terminal(to)) on_terminal(t, now);
}

void TaskLifecycle::on_terminal(Task* t, TimeMs now) {
  if (t->agent_slot >= 0) placer_.release(t);
  Instance& inst = t->job->instances[t->instance];
  bool was_active = inst.active == t;
  if (was_active) inst.active = nullptr;
  retire(t);
  if (was_active) reschedule(t, now);
  placer_.request_pass();
}

void TaskLifecycle::retire(Task* t) {
  Instance& inst = t->job->instances[t->instance];
  inst.history.insert(inst.history.begin(), t);
  while (inst.history.size() > options_.history_per_instance) {
    Task* old = inst.history.back();
    inst.history.pop_back();
    model_.erase_task(old);
  }
}

void TaskLifecycle::reschedule(Task* ended, TimeMs now) {
  Job* job = ended->job;
  Instance& inst = job->instances[ended->instance];
  if (inst.killed) return;
  // An update's kill: the update starts the replacement, unless it no longer drives this
  // instance (aborted or ended while the old task was still ending): then we do, so an
  // instance never stays down.
  if (ended->kill_requested && update_replacing(*job, ended->instance)) return;
  const jobspec::JobSpec& spec = job->config->spec;
  TaskState s = ended->state;
  int32_t failures = ended->failure_count;
  bool counts = s == TaskState::kFailed ||
                (!ended_in_partition(*ended) && ((s == TaskState::kKilled && !spec.service) ||
                                                 (s == TaskState::kLost && ended->lost_by_agent)));
  if (counts) ++failures;
  if (!spec.service) {
    if (s == TaskState::kFinished) return;
    if (counts && spec.max_task_failures != -1 && failures >= spec.max_task_failures)
      return;  // the instance has failed for good
  }
  Task* t = new_task(job, ended->instance, failures, now);
  inst.active = t;
  bool flapping =
      !ended->kill_requested && (ended->running_since_ms == 0 ||
                                 now - ended->running_since_ms < options_.flapping_threshold_ms);
  if (!flapping) {
    enqueue_pending(t, now);
    return;
  }
  int64_t penalty = ended->penalty_ms > 0
                        ? std::min(ended->penalty_ms * 2, options_.max_flapping_delay_ms)
                        : options_.initial_flapping_delay_ms;
  t->penalty_ms = penalty;
  t->throttle_until_ms = now + penalty;
  transition(t, TaskState::kThrottled, now,
             "rescheduled after " + std::string(task_state_name(s)) + "; waiting " +
                 describe_ms(penalty) + " because the previous task ended quickly");
  throttled_.emplace(t->throttle_until_ms, t);
}

void TaskLifecycle::kill_task(Task* t, const std::string& message, TimeMs now) {
  t->kill_requested = true;
  model_.changed(t);
  switch (t->state) {
    case TaskState::kInit:
    case TaskState::kPending:
    case TaskState::kThrottled:
      transition(t, TaskState::kKilled, now, message);
      return;
    case TaskState::kKilling:
      return;
    case TaskState::kPartitioned:
      // Its agent cannot be told now; it kills its copy if it ever comes back
      // (AgentProtocol::reconcile), so the instance need not wait for it.
      transition(t, TaskState::kKilled, now,
                 message + " (its agent is unreachable: it kills the task if it returns)");
      return;
    default:
      if (!is_on_agent(t->state)) return;
      transition(t, TaskState::kKilling, now, message);
      model_.enqueue_command(t->agent, AgentCommand::Type::kKill, t->id, message);
  }
}

void TaskLifecycle::place_pending(TimeMs now) {
  placer_.place_pending([&](Task* t) {
    if (scheduling_waits_.size() < kMaxSchedulingWaits)
      for (auto e = t->events.rbegin(); e != t->events.rend(); ++e)
        if (e->state == TaskState::kPending) {
          scheduling_waits_.push_back(now - e->ts_ms);
          break;
        }
    transition(t, TaskState::kAssigned, now, "");
    model_.enqueue_command(t->agent, AgentCommand::Type::kLaunch, t->id, "");
  });
}

void TaskLifecycle::end_throttles(TimeMs now) {
  while (!throttled_.empty() && throttled_.begin()->first <= now) {
    Task* t = throttled_.begin()->second;
    enqueue_pending(t, now);  // removes it from throttled_
  }
}

void TaskLifecycle::restore_waiting(Task* t) {
  if (t->state == TaskState::kPending)
    placer_.enqueue(t);
  else if (t->state == TaskState::kThrottled)
    throttled_.emplace(t->throttle_until_ms, t);
}

}  // namespace borealis::scheduler
