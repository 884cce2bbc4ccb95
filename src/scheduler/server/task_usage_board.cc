#include "scheduler/server/task_usage_board.h"

namespace borealis::scheduler {

namespace {

bool ended(protocol::TaskState s) {
  return s != protocol::TaskState::kStarting && s != protocol::TaskState::kRunning;
}

}  // namespace

void TaskUsageBoard::reported(const std::string& agent_id,
                              const std::vector<protocol::TaskReport>& tasks) {
  AgentTasks& before = by_agent_[agent_id];
  AgentTasks now;
  for (const auto& t : tasks) {
    if (!t.usage) continue;
    TaskRecord record;
    if (auto it = before.find(t.task_id); it != before.end()) record = std::move(it->second);
    record.latest = *t.usage;
    if (ended(t.state)) {
      record.samples.clear();  // no graph for an ended task: its last figures stay
      now.emplace(t.task_id, std::move(record));
      continue;
    }
    // The agent sends its last sample with every poll: one point per sample taken.
    bool fresh = record.samples.empty() || record.samples.back().sampled_ms < t.usage->sampled_ms;
    if (t.usage->sampled_ms > 0 && fresh) {
      record.samples.push_back(
          {t.usage->sampled_ms, t.usage->cpu_rate, t.usage->memory_bytes, t.usage->disk_bytes});
      if (record.samples.size() > api::kTaskUsageHistorySamples) record.samples.pop_front();
    }
    now.emplace(t.task_id, std::move(record));
  }
  if (now.empty()) {
    by_agent_.erase(agent_id);
  } else {
    before = std::move(now);
  }
}

const protocol::TaskUsage* TaskUsageBoard::find(const std::string& agent_id,
                                                const std::string& task_id) const {
  auto a = by_agent_.find(agent_id);
  if (a == by_agent_.end()) return nullptr;
  auto t = a->second.find(task_id);
  return t == a->second.end() ? nullptr : &t->second.latest;
}

std::vector<api::TaskUsageSample> TaskUsageBoard::history(const std::string& agent_id,
                                                          const std::string& task_id) const {
  auto a = by_agent_.find(agent_id);
  if (a == by_agent_.end()) return {};
  auto t = a->second.find(task_id);
  if (t == a->second.end()) return {};
  return {t->second.samples.begin(), t->second.samples.end()};
}

}  // namespace borealis::scheduler
