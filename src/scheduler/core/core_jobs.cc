// Jobs and the task lifecycle: creation, transitions, rescheduling, kills, pruning.
#include <algorithm>

#include "common/strings.h"
#include "scheduler/core/core.h"
#include "spec/job_spec_json.h"

namespace borealis::scheduler {

namespace {

std::string config_id_of(const std::string& spec_json) {
  // FNV-1a over the canonical JSON: the same spec always maps to the same version id.
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : spec_json) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace

std::string task_hash_of(const spec::JobSpec& spec) {
  json::value v = spec::job_spec_to_json(spec);
  v.as_object().erase("instances");
  v.as_object().erase("update_config");
  return config_id_of(to_json(v));
}

namespace {

std::string describe_ms(int64_t ms) {
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms) + " ms";
}

}  // namespace

ConfigPtr Core::intern_config(const spec::JobSpec& spec) {
  std::string json = to_json(spec::job_spec_to_json(spec));
  std::string id = config_id_of(json);
  auto it = configs_.find(id);
  if (it != configs_.end() && it->second->spec_json == json) return it->second;
  if (it != configs_.end()) id += "-" + std::to_string(configs_.size());  // hash collision
  auto c = std::make_shared<JobConfig>();
  c->id = id;
  c->spec = spec;
  c->spec_json = std::move(json);
  c->task_hash = task_hash_of(c->spec);
  auto ports = spec::requested_ports(spec);
  c->ports.assign(ports.begin(), ports.end());
  c->resources = ResourceVec::from_spec(*spec.task.resources);
  configs_[id] = c;
  new_configs_.emplace_back(id, c->spec_json);
  return c;
}

Result<const Job*> Core::create_job(spec::JobSpec spec, TimeMs now) {
  BOREALIS_RETURN_IF_ERROR(spec::validate_job_spec(spec, options_.limits));
  std::string key_text = spec.cluster + "/" + spec.key().to_string();
  if (spec.cluster != options_.cluster)
    return invalid_argument("job " + key_text + " names cluster '" + spec.cluster +
                            "', but this scheduler runs cluster '" + options_.cluster + "'");
  if (spec.container && spec.container->needs_image() && !options_.container_images)
    return failed_precondition(
        "job " + key_text + " asks for a container image, but cluster '" + options_.cluster +
        "' cannot run images: its agents run processes directly in a sandbox");
  // Better refused than run at once as a plain batch job, which is what ignoring it does.
  if (spec.cron_schedule)
    return failed_precondition("job " + key_text +
                               ": cron_schedule: cron jobs are not supported "
                               "by this scheduler yet; submit it without cron_schedule to run "
                               "it once");
  JobKey key = spec.key();
  if (auto it = jobs_.find(key); it != jobs_.end()) {
    int active = 0;
    for (const auto& [_, inst] : it->second->instances)
      if (inst.active) ++active;
    if (active > 0)
      return already_exists("job " + key_text + " already exists with " + std::to_string(active) +
                            " active tasks; kill it first (job killall) or update it");
    delete_job(it->second.get());
  }
  auto job = std::make_unique<Job>();
  job->key = key;
  job->key_string = key.to_string();
  job->config = intern_config(spec);
  job->created_ms = now;
  Job* j = job.get();
  jobs_[key] = std::move(job);
  for (int32_t i = 0; i < static_cast<int32_t>(spec.instances); ++i) {
    j->instances[i].config = j->config;
    Task* t = new_task(j, i, 0, now);
    j->instances[i].active = t;
    enqueue_pending(t, now);
  }
  dirty(j);
  place_pending(now);
  return static_cast<const Job*>(j);
}

Task* Core::new_task(Job* job, int32_t instance, int32_t failure_count, TimeMs now) {
  auto t = std::make_unique<Task>();
  std::string instance_text = std::to_string(instance);
  t->id.reserve(job->key_string.size() + instance_text.size() + 38);
  t->id.append(job->key.role).append("-").append(job->key.environment).append("-");
  t->id.append(job->key.name).append("-").append(instance_text).append("-");
  t->id.append(uuids_.next());
  t->job = job;
  const ConfigPtr& instance_config = job->instances[instance].config;
  t->config = instance_config ? instance_config : job->config;
  t->instance = instance;
  t->failure_count = failure_count;
  t->events.push_back(TaskEvent{now, TaskState::kInit, ""});
  Task* raw = t.get();
  tasks_[raw->id] = std::move(t);
  dirty(raw);
  return raw;
}

void Core::enqueue_pending(Task* t, TimeMs now) {
  t->pending_seq = next_pending_seq_++;
  transition(t, TaskState::kPending, now, "");
  pending_.emplace(std::make_pair(-t->config->spec.priority, t->pending_seq), t);
  placement_dirty_ = true;
}

void Core::transition(Task* t, TaskState to, TimeMs now, std::string message) {
  BOREALIS_CHECK(is_legal_transition(t->state, to),
                 std::string("illegal transition ") + std::string(task_state_name(t->state)) +
                     " -> " + std::string(task_state_name(to)) + " for " + t->id);
  TaskState from = t->state;
  if (from == TaskState::kPending) {
    pending_.erase({-t->config->spec.priority, t->pending_seq});
    t->pending_reason.clear();
  } else if (from == TaskState::kThrottled) {
    auto [lo, hi] = throttled_.equal_range(t->throttle_until_ms);
    for (auto it = lo; it != hi; ++it)
      if (it->second == t) {
        throttled_.erase(it);
        break;
      }
  }
  // The first event replaces INIT so every history starts at PENDING or THROTTLED.
  if (from == TaskState::kInit) t->events.clear();
  t->state = to;
  t->events.push_back(TaskEvent{now, to, std::move(message)});
  if (t->events.size() > options_.events_per_task)
    t->events.erase(t->events.begin() + 1);  // keep the first event, drop the oldest after it
  if (to == TaskState::kRunning) t->running_since_ms = now;
  dirty(t);
  if (is_terminal(to)) on_terminal(t, now);
}

void Core::on_terminal(Task* t, TimeMs now) {
  if (t->agent_slot >= 0) release(t);
  Instance& inst = t->job->instances[t->instance];
  bool was_active = inst.active == t;
  if (was_active) inst.active = nullptr;
  retire(t);
  if (was_active) reschedule(t, now);
  placement_dirty_ = true;
}

void Core::retire(Task* t) {
  Instance& inst = t->job->instances[t->instance];
  inst.history.push_front(t);
  while (inst.history.size() > options_.history_per_instance) {
    Task* old = inst.history.back();
    inst.history.pop_back();
    delete_task(old);
  }
}

void Core::reschedule(Task* ended, TimeMs now) {
  Job* job = ended->job;
  Instance& inst = job->instances[ended->instance];
  if (inst.killed) return;
  // An update's kill: the update starts the replacement, unless it no longer drives this
  // instance (aborted or ended while the old task was still ending): then we do, so an
  // instance never stays down.
  if (ended->kill_requested && update_replacing(job, ended->instance)) return;
  const spec::JobSpec& spec = job->config->spec;
  TaskState s = ended->state;
  int32_t failures = ended->failure_count;
  if (s == TaskState::kFailed || (s == TaskState::kKilled && !spec.service)) ++failures;
  if (!spec.service) {
    if (s == TaskState::kFinished) return;
    if (s != TaskState::kLost && spec.max_task_failures != -1 && failures >= spec.max_task_failures)
      return;  // the instance has failed for good
  }
  Task* t = new_task(job, ended->instance, failures, now);
  inst.active = t;
  bool flapping = s != TaskState::kLost && !ended->kill_requested &&
                  (ended->running_since_ms == 0 ||
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

void Core::delete_task(Task* t) {
  deleted_tasks_.push_back(t->id);
  auto it = tasks_.find(t->id);
  t->agent_slot = -2;  // marks it deleted for take_batch
  graveyard_.push_back(std::move(it->second));
  tasks_.erase(it);
}

void Core::delete_job(Job* job) {
  for (auto& [_, inst] : job->instances) {
    BOREALIS_CHECK(inst.active == nullptr, "deleting a job with active tasks");
    for (Task* t : inst.history) delete_task(t);
  }
  for (Update* u : job->updates) forget_update(u);
  dirty_jobs_.erase(job);
  deleted_jobs_.push_back(job->key_string);
  jobs_.erase(job->key);
}

void Core::kill_task(Task* t, const std::string& message, TimeMs now) {
  t->kill_requested = true;
  dirty(t);
  switch (t->state) {
    case TaskState::kInit:
    case TaskState::kPending:
    case TaskState::kThrottled:
      transition(t, TaskState::kKilled, now, message);
      return;
    case TaskState::kKilling:
      return;
    default:
      if (!is_on_agent(t->state)) return;
      transition(t, TaskState::kKilling, now, message);
      enqueue_command(t->agent, AgentCommand::Type::kKill, t->id, message);
  }
}

Result<std::vector<std::string>> Core::kill(const JobKey& key,
                                            const std::optional<std::vector<int32_t>>& instances,
                                            const std::string& message, TimeMs now) {
  auto it = jobs_.find(key);
  if (it == jobs_.end())
    return not_found("job " + options_.cluster + "/" + key.to_string() + " does not exist");
  Job* job = it->second.get();
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
    if (Update* u = active_update(job)) finish_update(u, UpdateStatus::kAborted, now, "job killed");
  }
  for (int32_t i : ids) {
    Instance& inst = job->instances[i];
    inst.killed = true;
    if (inst.active) {
      killed.push_back(inst.active->id);
      kill_task(inst.active, why, now);
    }
  }
  dirty(job);
  return killed;
}

void Core::prune_jobs(TimeMs now) {
  std::vector<Job*> old;
  for (auto& [_, job] : jobs_) {
    TimeMs last = job->created_ms;
    bool active = false;
    for (const auto& [__, inst] : job->instances) {
      if (inst.active) active = true;
      if (!inst.history.empty()) last = std::max(last, inst.history.front()->last_event().ts_ms);
    }
    if (!active && now - last > options_.finished_job_retention_ms) old.push_back(job.get());
  }
  for (Job* j : old) delete_job(j);
}

}  // namespace borealis::scheduler
