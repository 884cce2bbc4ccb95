#include "agent/task_progress.h"

#include <algorithm>

namespace borealis::agent {

namespace {
std::optional<TaskState> terminal_for(const std::string& thermos_state) {
  if (thermos_state == "SUCCESS") return TaskState::kFinished;
  if (thermos_state == "FAILED") return TaskState::kFailed;
  if (thermos_state == "KILLED") return TaskState::kKilled;
  if (thermos_state == "LOST") return TaskState::kLost;
  return std::nullopt;
}
}  // namespace

std::optional<TaskState> TaskProgress::move_to(TaskState s) {
  if (state_ && state_rank(s) <= state_rank(*state_)) return std::nullopt;
  state_ = s;
  return s;
}

std::optional<TaskState> TaskProgress::launched() { return move_to(TaskState::kStarting); }

std::optional<TaskState> TaskProgress::apply(const CheckpointRecord& r) {
  if (terminal()) return std::nullopt;
  switch (r.type) {
    case CheckpointRecord::Type::kRunner:
      runner_pid_ = r.pid;
      start_ticks_ = r.start_ticks;
      return move_to(TaskState::kStarting);
    case CheckpointRecord::Type::kTask: {
      task_state_ = r.state;
      if (auto end = terminal_for(r.state)) {
        message_ = r.message;
        ended_ms_ = r.ts;
        for (auto& [name, p] : processes_) p.pid = 0;  // the runner ended them all
        return move_to(*end);
      }
      if (r.state == "ACTIVE" && !running_pids().empty()) return move_to(TaskState::kRunning);
      return state_ ? std::nullopt : move_to(TaskState::kStarting);
    }
    case CheckpointRecord::Type::kProcess: {
      ProcessView& p = processes_[r.name];
      p.run = r.run;
      p.state = r.state;
      p.exit_code = r.exit_code;
      p.signal = r.signal;
      p.pid = r.state == "RUNNING" ? r.pid : 0;
      if (p.pid > 0 && std::find(groups_.begin(), groups_.end(), p.pid) == groups_.end())
        groups_.push_back(p.pid);
      if (r.state == "RUNNING" && task_state_ == "ACTIVE") return move_to(TaskState::kRunning);
      return std::nullopt;
    }
    case CheckpointRecord::Type::kOther:
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<TaskState> TaskProgress::runner_gone(bool killing, std::string message, TimeMs now) {
  if (terminal()) return std::nullopt;
  message_ = std::move(message);
  ended_ms_ = now;
  for (auto& [name, p] : processes_) p.pid = 0;
  return move_to(killing ? TaskState::kKilled : TaskState::kLost);
}

std::vector<int64_t> TaskProgress::running_pids() const {
  std::vector<int64_t> out;
  for (const auto& [name, p] : processes_)
    if (p.pid > 0) out.push_back(p.pid);
  return out;
}

}  // namespace borealis::agent
