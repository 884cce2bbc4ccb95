// The latest usage each agent reported for its tasks (docs/cgroups.md, "Usage"). Not
// stored: usage is a sample, and the next poll with a task list brings a fresh one. Each
// such poll replaces what its agent reported before, so tasks an agent no longer reports
// drop out and the board holds at most the tasks agents currently run.
//
// Thread-safety: core thread only (like Core).
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "protocol/task_state.h"

namespace borealis::scheduler {

class TaskUsageBoard {
 public:
  // An agent's task list (a poll's `tasks`): its usage replaces the agent's previous one.
  void reported(const std::string& agent_id, const std::vector<protocol::TaskReport>& tasks) {
    auto& mine = by_agent_[agent_id];
    mine.clear();
    for (const auto& t : tasks)
      if (t.usage) mine[t.task_id] = *t.usage;
    if (mine.empty()) by_agent_.erase(agent_id);
  }
  // nullptr when the agent has not reported usage of the task.
  const protocol::TaskUsage* find(const std::string& agent_id, const std::string& task_id) const {
    auto a = by_agent_.find(agent_id);
    if (a == by_agent_.end()) return nullptr;
    auto t = a->second.find(task_id);
    return t == a->second.end() ? nullptr : &t->second;
  }

 private:
  std::unordered_map<std::string, std::unordered_map<std::string, protocol::TaskUsage>> by_agent_;
};

}  // namespace borealis::scheduler
