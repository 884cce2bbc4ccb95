// Placer: the queue of PENDING tasks and the resources they take on agents. It finds a
// place for each pending task (placement.h decides where), reserves the agent's
// resources and ports and keeps the job's per-agent counts, and gives them back when a
// task leaves its agent. It does not change task states: the task lifecycle does.
//
// Threading: core thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <utility>

#include "scheduler/core/cluster_model.h"
#include "scheduler/core/placement.h"

namespace borealis::scheduler {

class Placer {
 public:
  Placer(ClusterModel& model, PlacementOptions options) : model_(model), options_(options) {}

  // The pending queue, in placement order: higher priority first, then oldest first.
  void enqueue(Task* t);
  void dequeue(Task* t);
  size_t pending_count() const { return pending_.size(); }

  // Whether something changed that may let a pending task fit now.
  bool needs_pass() const { return needs_pass_; }
  void request_pass() { needs_pass_ = true; }
  // Places every pending task that fits: reserves its resources on the chosen agent,
  // then calls `placed(task)`, which must take the task out of the queue. Tasks that do
  // not fit keep a pending_reason.
  void place_pending(const std::function<void(Task*)>& placed);

  // A task leaves its agent (it ended): frees what it held there.
  void release(Task* t);
  // A restored task already on its agent takes its resources again.
  void restore_on_agent(Task* t);

  // An agent can take tasks (again), or can no longer.
  void agent_available(int32_t agent_index);
  void agent_gone(int32_t agent_index);

 private:
  void reserve(Task* t, int32_t agent_index);
  void count_on_agent(Job* job, int32_t agent_index, int delta);

  ClusterModel& model_;
  PlacementOptions options_;
  PlacementIndex index_;
  // PENDING tasks in placement order: (-priority, arrival) -> task.
  std::map<std::pair<int64_t, uint64_t>, Task*> pending_;
  uint64_t next_pending_seq_ = 1;
  bool needs_pass_ = false;
};

}  // namespace borealis::scheduler
