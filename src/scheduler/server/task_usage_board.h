// The usage each agent reports for its tasks (docs/cgroups.md, "Usage"): the latest
// sample of each task, and its last api::kTaskUsageHistorySamples samples for the web UI's
// graphs (GET .../tasks/ID/usage). Not stored: usage is a sample, and the next poll with a
// task list brings a fresh one. Each such poll replaces what its agent reported before, so
// tasks an agent no longer reports drop out, and the board holds at most the tasks agents
// currently run. A task's history (≈ 3 KiB at most) is dropped when its agent reports it
// ended.
//
// Thread-safety: core thread only (like Core).
#pragma once

#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "api/task_usage_history.h"
#include "protocol/task_state.h"

namespace borealis::scheduler {

class TaskUsageBoard {
 public:
  // An agent's task list (a poll's `tasks`): its usage replaces the agent's previous one;
  // a task's history grows by the sample when the agent took a new one.
  void reported(const std::string& agent_id, const std::vector<protocol::TaskReport>& tasks);
  // nullptr when the agent has not reported usage of the task.
  const protocol::TaskUsage* find(const std::string& agent_id, const std::string& task_id) const;
  // The task's samples, oldest first; empty when the agent reports none.
  std::vector<api::TaskUsageSample> history(const std::string& agent_id,
                                            const std::string& task_id) const;

 private:
  struct TaskRecord {
    protocol::TaskUsage latest;
    std::deque<api::TaskUsageSample> samples;  // at most kTaskUsageHistorySamples
  };
  using AgentTasks = std::unordered_map<std::string, TaskRecord>;
  std::unordered_map<std::string, AgentTasks> by_agent_;
};

}  // namespace borealis::scheduler
