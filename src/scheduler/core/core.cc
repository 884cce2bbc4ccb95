// Core: construction, the effects batch, ticks. Jobs and tasks are in core_jobs.cc,
// placement in core_placement.cc, agents in core_agents.cc, rows in persistence.cc.
#include "scheduler/core/core.h"

namespace borealis::scheduler {

Core::Core(CoreOptions options, uint64_t seed) : options_(std::move(options)), uuids_(seed) {}

Core::~Core() = default;

const Job* Core::find_job(const JobKey& key) const {
  auto it = jobs_.find(key);
  return it == jobs_.end() ? nullptr : it->second.get();
}

const Task* Core::find_task(const std::string& id) const {
  auto it = tasks_.find(id);
  return it == tasks_.end() ? nullptr : it->second.get();
}

void Core::tick(TimeMs now) {
  for (size_t i = 0; i < agents_.size(); ++i) {
    Agent& a = agents_[i];
    if (a.active && now - a.last_seen_ms > options_.agent_timeout_ms) {
      agent_lost(static_cast<int32_t>(i),
                 "agent " + a.hostname + " silent for " +
                     std::to_string((now - a.last_seen_ms) / 1000) + " s",
                 now);
    }
  }
  while (!throttled_.empty() && throttled_.begin()->first <= now) {
    Task* t = throttled_.begin()->second;
    enqueue_pending(t, now);  // removes it from throttled_
  }
  progress_updates(now);
  if (placement_dirty_) place_pending(now);
  if (now >= next_prune_ms_) {
    prune_jobs(now);
    next_prune_ms_ = now + 60'000;
  }
}

StoreBatch Core::take_batch() {
  StoreBatch b;
  b.generation = generation_++;
  b.configs = std::move(new_configs_);
  new_configs_.clear();
  b.deleted_jobs = std::move(deleted_jobs_);
  deleted_jobs_.clear();
  b.jobs.reserve(dirty_jobs_.size());
  for (Job* j : dirty_jobs_) b.jobs.emplace_back(j->key_string, job_row(*j));
  dirty_jobs_.clear();
  b.deleted_tasks = std::move(deleted_tasks_);
  deleted_tasks_.clear();
  b.tasks.reserve(dirty_tasks_.size());
  for (Task* t : dirty_tasks_) {
    if (t->agent_slot == -2) continue;  // deleted after it changed
    t->dirty = false;
    b.tasks.emplace_back(t->id, task_row(*t));
  }
  dirty_tasks_.clear();
  graveyard_.clear();
  for (int32_t i : dirty_agents_) b.agents.emplace_back(agents_[i].id, agent_row(agents_[i]));
  for (Update* u : dirty_updates_) b.updates.emplace_back(u->id, update_row(*u));
  dirty_updates_.clear();
  b.deleted_updates = std::move(deleted_updates_);
  deleted_updates_.clear();
  dirty_agents_.clear();
  return b;
}

void Core::mark_durable(uint64_t generation) {
  if (generation > durable_) durable_ = generation;
}

std::vector<std::string> Core::take_woken_agents() {
  std::vector<std::string> out;
  out.reserve(woken_agents_.size());
  for (int32_t i : woken_agents_) {
    agents_[i].woken = false;
    out.push_back(agents_[i].id);
  }
  woken_agents_.clear();
  return out;
}

}  // namespace borealis::scheduler
