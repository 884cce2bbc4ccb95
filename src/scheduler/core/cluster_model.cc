#include "scheduler/core/cluster_model.h"

#include "common/status.h"
#include "scheduler/core/rows.h"

namespace borealis::scheduler {

namespace {

template <typename Map, typename Key, typename T>
T* insert_owned(Map& map, const Key& key, std::unique_ptr<T> object) {
  T* raw = object.get();
  map[key] = std::move(object);
  return raw;
}

}  // namespace

Job* ClusterModel::add_job(std::unique_ptr<Job> job) {
  const JobKey& key = job->key;
  return insert_owned(jobs_, key, std::move(job));
}

void ClusterModel::erase_job(Job* job) {
  for (auto& [_, inst] : job->instances) {
    BOREALIS_CHECK(inst.active == nullptr, "deleting a job with active tasks");
    for (Task* t : inst.history) erase_task(t);
  }
  for (Update* u : job->updates) erase_update(u);
  dirty_jobs_.erase(job);
  deleted_jobs_.push_back(job->key_string);
  jobs_.erase(job->key);
}

Task* ClusterModel::add_task(std::unique_ptr<Task> task) {
  Task* raw = task.get();
  bool inserted = tasks_.try_emplace(std::string_view(raw->id), std::move(task)).second;
  BOREALIS_CHECK(inserted, "task " + raw->id + " added twice");
  return raw;
}

void ClusterModel::erase_task(Task* t) {
  deleted_tasks_.push_back(t->id);
  auto it = tasks_.find(std::string_view(t->id));
  t->agent_slot = -2;  // marks it erased for take_batch
  graveyard_.push_back(std::move(it->second));
  tasks_.erase(it);
}

Update* ClusterModel::add_update(std::unique_ptr<Update> update) {
  const std::string& id = update->id;
  return insert_owned(updates_, id, std::move(update));
}

void ClusterModel::erase_update(Update* u) {
  deleted_updates_.push_back(u->id);
  dirty_updates_.erase(u);
  updates_.erase(u->id);
}

int32_t ClusterModel::agent_index(const std::string& id) const {
  auto it = agent_by_id_.find(id);
  return it == agent_by_id_.end() ? -1 : it->second;
}

int32_t ClusterModel::agent_on_host(const std::string& hostname) const {
  auto it = agent_by_host_.find(hostname);
  return it == agent_by_host_.end() ? -1 : it->second;
}

int32_t ClusterModel::add_agent(std::string id) {
  auto index = static_cast<int32_t>(agents_.size());
  agent_by_id_[id] = index;
  Agent a;
  a.id = std::move(id);
  agents_.push_back(std::move(a));
  return index;
}

void ClusterModel::set_agent_host(int32_t index, std::string hostname) {
  Agent& a = agents_[index];
  if (a.hostname != hostname) agent_by_host_.erase(a.hostname);
  agent_by_host_[hostname] = index;
  a.hostname = std::move(hostname);
}

void ClusterModel::enqueue_command(int32_t agent_index, AgentCommand::Type type,
                                   const std::string& task_id, const std::string& reason) {
  Agent& a = agents_[agent_index];
  AgentCommand c;
  c.seq = a.next_command_seq++;
  c.generation = generation_;
  c.type = type;
  c.task_id = task_id;
  c.reason = reason;
  a.commands.push_back(std::move(c));
  if (!a.woken) {
    a.woken = true;
    woken_agents_.push_back(agent_index);
  }
}

std::vector<const AgentCommand*> ClusterModel::deliverable_commands(
    const std::string& agent_id) const {
  std::vector<const AgentCommand*> out;
  int32_t i = agent_index(agent_id);
  if (i < 0 || !agents_[i].registered) return out;
  for (const auto& c : agents_[i].commands) {
    if (c.generation > durable_) break;  // generations only grow along the queue
    out.push_back(&c);
  }
  return out;
}

std::vector<std::string> ClusterModel::take_woken_agents() {
  std::vector<std::string> out;
  out.reserve(woken_agents_.size());
  for (int32_t i : woken_agents_) {
    agents_[i].woken = false;
    out.push_back(agents_[i].id);
  }
  woken_agents_.clear();
  return out;
}

StoreBatch ClusterModel::take_batch() {
  static const std::string kNoAgent;
  StoreBatch b;
  b.generation = generation_++;
  b.configs = versions_.take_new_rows();
  b.deleted_jobs = std::move(deleted_jobs_);
  deleted_jobs_.clear();
  b.jobs.reserve(dirty_jobs_.size());
  for (Job* j : dirty_jobs_) b.jobs.emplace_back(j->key_string, job_row(*j));
  dirty_jobs_.clear();
  b.deleted_tasks = std::move(deleted_tasks_);
  deleted_tasks_.clear();
  b.tasks.reserve(dirty_tasks_.size());
  for (Task* t : dirty_tasks_) {
    if (t->agent_slot == -2) continue;  // erased after it changed
    t->dirty = false;
    b.tasks.emplace_back(t->id, task_row(*t, t->agent >= 0 ? agents_[t->agent].id : kNoAgent));
  }
  dirty_tasks_.clear();
  graveyard_.clear();
  for (int32_t i : dirty_agents_) b.agents.emplace_back(agents_[i].id, agent_row(agents_[i]));
  dirty_agents_.clear();
  for (Update* u : dirty_updates_) b.updates.emplace_back(u->id, update_row(*u));
  dirty_updates_.clear();
  b.deleted_updates = std::move(deleted_updates_);
  deleted_updates_.clear();
  return b;
}

}  // namespace borealis::scheduler
