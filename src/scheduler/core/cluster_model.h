// ClusterModel: the scheduler's state (job versions, jobs, tasks, updates, agents and
// the indexes over them) and the record of what changed since the store last took a
// batch. It keeps its maps and indexes consistent and knows nothing of placement,
// updates or the task lifecycle; the parts of the core that decide those change it
// through the methods below.
//
// Ownership: the model owns every Job, Task, Update and Agent; pointers to them stay
// valid until they are erased here (an erased task lives on until the next batch).
// Threading: core thread only.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "scheduler/core/job_versions.h"
#include "scheduler/core/model.h"
#include "scheduler/core/store_batch.h"
#include "scheduler/core/update.h"

namespace borealis::scheduler {

// The object a map of owners holds under `key`, or nullptr.
template <typename Map, typename Key>
auto* find_owned(const Map& map, const Key& key) {
  auto it = map.find(key);
  return it == map.end() ? nullptr : it->second.get();
}

class ClusterModel {
 public:
  using JobMap = std::unordered_map<JobKey, std::unique_ptr<Job>>;
  // Keyed by a view of the task's own id: the id is stored once.
  using TaskMap = std::unordered_map<std::string_view, std::unique_ptr<Task>>;
  using UpdateMap = std::unordered_map<std::string, std::unique_ptr<Update>>;

  JobVersions& versions() { return versions_; }
  const JobVersions& versions() const { return versions_; }

  // --- jobs, tasks, updates ----------------------------------------------------------
  // Adding does not record a change: the caller does, once the object is complete.
  Job* job(const JobKey& key) const { return find_owned(jobs_, key); }
  Job* add_job(std::unique_ptr<Job> job);
  // Forgets a job that has no active task, with its ended tasks and its updates.
  void erase_job(Job* job);
  const JobMap& jobs() const { return jobs_; }

  Task* task(std::string_view id) const { return find_owned(tasks_, id); }
  // Aborts if a task with its id is there already (ids are unique: a UUID each).
  Task* add_task(std::unique_ptr<Task> task);
  // Room for `n` tasks in the index without rehashing (restore knows how many come).
  void reserve_tasks(size_t n) { tasks_.reserve(n); }
  // Forgets an ended task; it is freed when the next batch is taken.
  void erase_task(Task* t);
  size_t task_count() const { return tasks_.size(); }

  Update* update(const std::string& id) const { return find_owned(updates_, id); }
  Update* add_update(std::unique_ptr<Update> update);
  void erase_update(Update* u);
  const UpdateMap& updates() const { return updates_; }

  // --- agents ------------------------------------------------------------------------
  // Agents are never removed, so an index stays valid for the model's life.
  int32_t agent_index(const std::string& id) const;
  // The latest agent registered on `hostname`, or -1.
  int32_t agent_on_host(const std::string& hostname) const;
  int32_t add_agent(std::string id);
  // Records that agent `index` now runs on `hostname`.
  void set_agent_host(int32_t index, std::string hostname);
  Agent& agent(int32_t index) { return agents_[index]; }
  const Agent& agent(int32_t index) const { return agents_[index]; }
  const std::vector<Agent>& agents() const { return agents_; }

  // Queues a command for an agent, to be delivered once the current batch is durable.
  void enqueue_command(int32_t agent_index, AgentCommand::Type type, const std::string& task_id,
                       const std::string& reason);
  std::vector<const AgentCommand*> deliverable_commands(const std::string& agent_id) const;
  std::vector<std::string> take_woken_agents();

  // --- changes for the store ---------------------------------------------------------
  void changed(Task* t) {
    if (!t->dirty) {
      t->dirty = true;
      dirty_tasks_.push_back(t);
    }
  }
  void changed(Job* j) { dirty_jobs_.insert(j); }
  void changed(Update* u) { dirty_updates_.insert(u); }
  void changed_agent(int32_t index) { dirty_agents_.insert(index); }

  uint64_t pending_generation() const { return generation_; }
  uint64_t durable_generation() const { return durable_; }
  void mark_durable(uint64_t generation) {
    if (generation > durable_) durable_ = generation;
  }
  // Everything changed since the last call, encoded as rows (see rows.h).
  StoreBatch take_batch();

 private:
  JobVersions versions_;
  JobMap jobs_;
  TaskMap tasks_;
  UpdateMap updates_;
  std::vector<Agent> agents_;
  std::unordered_map<std::string, int32_t> agent_by_id_;
  std::unordered_map<std::string, int32_t> agent_by_host_;  // the latest agent per hostname

  uint64_t generation_ = 1;
  uint64_t durable_ = 0;
  std::vector<Task*> dirty_tasks_;
  // Tasks erased since the last batch; freed when it is taken (dirty_tasks_ may point here).
  std::vector<std::unique_ptr<Task>> graveyard_;
  std::unordered_set<Job*> dirty_jobs_;
  std::set<int32_t> dirty_agents_;
  std::unordered_set<Update*> dirty_updates_;
  std::vector<std::string> deleted_tasks_;
  std::vector<std::string> deleted_jobs_;
  std::vector<std::string> deleted_updates_;
  std::vector<int32_t> woken_agents_;
};

}  // namespace borealis::scheduler
