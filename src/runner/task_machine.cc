#include "runner/task_machine.h"

#include <algorithm>
#include <array>
#include <csignal>
#include <map>

#include "common/enum_names.h"

namespace borealis::runner {

namespace {
// Indexed by TaskState.
constexpr std::array<std::string_view, 7> kStateNames = {
    "ACTIVE", "CLEANING", "FINALIZING", "SUCCESS", "FAILED", "KILLED", "LOST"};
}  // namespace

std::string_view task_state_name(TaskState state) { return enum_name(kStateNames, state); }

bool is_terminal(TaskState state) {
  return state == TaskState::kSuccess || state == TaskState::kFailed ||
         state == TaskState::kKilled || state == TaskState::kLost;
}

TaskMachine::TaskMachine(TaskSpec task, MachineOptions options, ProcessControl& control,
                         RecordSink& sink)
    : task_(std::move(task)),
      options_(options),
      control_(control),
      sink_(sink),
      deps_(task_.processes.size()),
      procs_(task_.processes.size()) {
  std::map<std::string_view, size_t> index;
  for (size_t i = 0; i < task_.processes.size(); ++i) index[task_.processes[i].name] = i;
  for (const auto& order : task_.orders) {
    for (size_t k = 1; k < order.size(); ++k) {
      auto cur = index.find(order[k]);
      auto prev = index.find(order[k - 1]);
      BOREALIS_CHECK(cur != index.end() && prev != index.end(), "task was not validated");
      deps_[cur->second].push_back(prev->second);
    }
  }
}

const TaskMachine::ProcessStatus& TaskMachine::status(std::string_view process) const {
  for (size_t i = 0; i < task_.processes.size(); ++i)
    if (task_.processes[i].name == process) return procs_[i];
  BOREALIS_CHECK(false, "no such process: " + std::string(process));
  return procs_.front();  // unreachable
}

bool TaskMachine::has_run(int pid) const {
  for (const auto& s : procs_)
    if (s.phase == Phase::kRunning && s.pid == pid) return true;
  return false;
}

bool TaskMachine::in_stage(size_t i) const {
  return task_.processes[i].final == (state_ == TaskState::kFinalizing);
}

bool TaskMachine::counts_for_task(size_t i) const {
  return !task_.processes[i].final && !task_.processes[i].ephemeral;
}

void TaskMachine::enter(TaskState state, TimeMs /*now*/, std::string message) {
  state_ = state;
  Record r;
  r.type = Record::Type::kTask;
  r.state = std::string(task_state_name(state));
  r.message = std::move(message);
  sink_.write(std::move(r));
}

void TaskMachine::start(TimeMs now) {
  if (started_) return;
  started_ = true;
  enter(TaskState::kActive, now);
  advance(now);
}

void TaskMachine::kill(TimeMs now, std::string reason) {
  if (!started_ || terminal() || killed_) return;
  killed_ = true;
  kill_reason_ = std::move(reason);
  if (state_ == TaskState::kActive) enter_cleaning(now);
  advance(now);
}

bool TaskMachine::on_exit(int pid, ExitStatus status, TimeMs now) {
  for (size_t i = 0; i < procs_.size(); ++i) {
    ProcessStatus& s = procs_[i];
    if (s.phase != Phase::kRunning || s.pid != pid) continue;
    Record r;
    r.type = Record::Type::kProcess;
    r.name = task_.processes[i].name;
    r.run = s.runs - 1;
    RunEnd how;
    if (s.sent_signal != 0) {
      r.state = "KILLED";
      how = RunEnd::kStopped;
      if (status.signaled) {
        r.signal = status.value;
      } else {
        r.exit_code = status.value;  // it exited by itself after our signal
        r.signal = s.sent_signal;
      }
    } else if (!status.signaled && status.value == 0) {
      r.state = "SUCCESS";
      r.exit_code = 0;
      how = RunEnd::kSuccess;
    } else {
      r.state = "FAILED";
      (status.signaled ? r.signal : r.exit_code) = status.value;
      how = RunEnd::kFailure;
    }
    end_run(i, how, std::move(r), now);
    advance(now);
    return true;
  }
  return false;
}

void TaskMachine::end_run(size_t i, RunEnd how, Record record, TimeMs now) {
  ProcessStatus& s = procs_[i];
  const ProcessSpec& p = task_.processes[i];
  s.pid = 0;
  s.sent_signal = 0;
  s.last_end = now;
  switch (how) {
    case RunEnd::kSuccess:
      s.phase = p.daemon ? Phase::kPending : Phase::kSucceeded;
      break;
    case RunEnd::kFailure:
      ++s.failures;
      if (record.signal)
        s.last_failure = "signal " + std::to_string(*record.signal);
      else if (record.exit_code)
        s.last_failure = "exit code " + std::to_string(*record.exit_code);
      else
        s.last_failure = record.message;  // it never started: why
      s.phase =
          (p.max_failures == 0 || s.failures < p.max_failures) ? Phase::kPending : Phase::kFailed;
      break;
    case RunEnd::kStopped:
      s.phase = Phase::kStopped;
      break;
  }
  sink_.write(std::move(record));
}

void TaskMachine::advance(TimeMs now) {
  if (!started_) return;
  // Stage changes cascade (e.g. ACTIVE -> CLEANING -> FINALIZING -> SUCCESS in one call
  // when nothing is running); there are at most four.
  for (int guard = 0; guard < 5 && !terminal(); ++guard) {
    TaskState before = state_;
    switch (state_) {
      case TaskState::kActive:
        step_active(now);
        break;
      case TaskState::kCleaning:
        step_cleaning(now);
        break;
      case TaskState::kFinalizing:
        step_finalizing(now);
        break;
      default:
        return;
    }
    if (state_ == before) return;
  }
}

bool TaskMachine::dependencies_done(size_t i) const {
  for (size_t d : deps_[i])
    if (procs_[d].phase != Phase::kSucceeded) return false;
  return true;
}

void TaskMachine::block_unreachable() {
  // Propagates along chains: a process waiting for a blocked process is blocked too.
  bool changed = true;
  while (changed) {
    changed = false;
    for (size_t i = 0; i < procs_.size(); ++i) {
      if (procs_[i].phase != Phase::kPending || !in_stage(i)) continue;
      for (size_t d : deps_[i]) {
        Phase dp = procs_[d].phase;
        if (dp != Phase::kFailed && dp != Phase::kBlocked && dp != Phase::kStopped) continue;
        procs_[i].phase = Phase::kBlocked;
        procs_[i].blocked_by = task_.processes[d].name;
        changed = true;
        break;
      }
    }
  }
}

size_t TaskMachine::running_count() const {
  size_t n = 0;
  for (const auto& s : procs_) n += s.phase == Phase::kRunning;
  return n;
}

size_t TaskMachine::failed_count() const {
  size_t n = 0;
  for (size_t i = 0; i < procs_.size(); ++i)
    n += counts_for_task(i) && procs_[i].phase == Phase::kFailed;
  return n;
}

bool TaskMachine::regular_done() const {
  for (size_t i = 0; i < procs_.size(); ++i) {
    if (!counts_for_task(i)) continue;
    Phase ph = procs_[i].phase;
    if (ph != Phase::kSucceeded && ph != Phase::kFailed && ph != Phase::kBlocked) return false;
  }
  return true;
}

bool TaskMachine::finals_done() const {
  for (size_t i = 0; i < procs_.size(); ++i) {
    const ProcessSpec& p = task_.processes[i];
    if (!p.final || p.ephemeral) continue;
    Phase ph = procs_[i].phase;
    if (ph == Phase::kPending || ph == Phase::kRunning) return false;
  }
  return true;
}

bool TaskMachine::task_failed() const {
  if (task_.max_failures > 0 && failed_count() >= static_cast<size_t>(task_.max_failures))
    return true;
  for (size_t i = 0; i < procs_.size(); ++i)
    if (counts_for_task(i) && procs_[i].phase == Phase::kBlocked) return true;
  return false;
}

void TaskMachine::launch_ready(TimeMs now) {
  size_t running = running_count();
  for (size_t i = 0; i < procs_.size(); ++i) {
    if (!in_stage(i) || procs_[i].phase != Phase::kPending) continue;
    if (task_.max_concurrency > 0 && running >= static_cast<size_t>(task_.max_concurrency)) break;
    if (!dependencies_done(i)) continue;
    const ProcessStatus& s = procs_[i];
    if (s.last_end && *s.last_end + task_.processes[i].min_duration_ms > now) continue;
    launch(i, now);
    if (procs_[i].phase == Phase::kRunning) ++running;
  }
}

void TaskMachine::launch(size_t i, TimeMs now) {
  ProcessStatus& s = procs_[i];
  const ProcessSpec& p = task_.processes[i];
  int64_t run = s.runs++;
  Result<int> pid = control_.start(p, run);
  Record r;
  r.type = Record::Type::kProcess;
  r.name = p.name;
  r.run = run;
  if (!pid.ok()) {
    r.state = "FAILED";
    r.message = "cannot start: " + pid.status().message();
    end_run(i, RunEnd::kFailure, std::move(r), now);
    return;
  }
  s.phase = Phase::kRunning;
  s.pid = *pid;
  empty_ = false;
  counted_at_ = -1;
  s.sent_signal = 0;
  r.state = "RUNNING";
  r.pid = *pid;
  sink_.write(std::move(r));
}

void TaskMachine::signal_all(int sig, TimeMs now) {
  for (auto& s : procs_)
    if (s.phase == Phase::kRunning) s.sent_signal = sig;
  std::optional<size_t> signalled = control_.signal_task(sig);
  listed_ = signalled.has_value();
  if (!listed_) {
    // The task's processes cannot be listed: reach the runs' groups at least.
    for (const auto& s : procs_)
      if (s.phase == Phase::kRunning) control_.signal_group(s.pid, sig);
    return;
  }
  // Only a live process of the task can fork another, so none is left until a launch.
  empty_ = *signalled == 0;
  counted_at_ = now;
  next_poll_ = now + kTeardownPollMs;
}

bool TaskMachine::others_left(TimeMs now) {
  if (!listed_ || empty_ || abandoned_) return false;
  if (counted_at_ == now) return true;  // counted (and found some) at this very time
  std::optional<size_t> left = control_.count_task();
  if (!left) return false;
  empty_ = *left == 0;
  counted_at_ = now;
  return !empty_;
}

void TaskMachine::start_killing(TimeMs now) {
  signal_all(SIGKILL, now);
  killing_ = true;
  give_up_at_ = now + options_.reap_timeout_ms;
}

void TaskMachine::give_up_on_running() {
  abandoned_ = true;  // and on the other processes still alive: no stage waits for them
  for (size_t i = 0; i < procs_.size(); ++i) {
    if (procs_[i].phase != Phase::kRunning) continue;
    Record r;
    r.type = Record::Type::kProcess;
    r.name = task_.processes[i].name;
    r.run = procs_[i].runs - 1;
    r.state = "LOST";
    r.message = "still alive " + std::to_string(options_.reap_timeout_ms) + " ms after SIGKILL";
    procs_[i].phase = Phase::kStopped;
    procs_[i].pid = 0;
    sink_.write(std::move(r));
  }
}

void TaskMachine::step_active(TimeMs now) {
  block_unreachable();
  bool over_limit =
      task_.max_failures > 0 && failed_count() >= static_cast<size_t>(task_.max_failures);
  if (!over_limit && !regular_done()) {
    launch_ready(now);  // a start that fails may change both answers
    block_unreachable();
    over_limit =
        task_.max_failures > 0 && failed_count() >= static_cast<size_t>(task_.max_failures);
  }
  if (over_limit || regular_done()) enter_cleaning(now);
}

void TaskMachine::enter_cleaning(TimeMs now) {
  enter(TaskState::kCleaning, now);
  cleaning_start_ = now;
  escalate_at_ = now + options_.kill_grace_ms;
  killing_ = false;
  for (size_t i = 0; i < procs_.size(); ++i)
    if (!task_.processes[i].final && procs_[i].phase == Phase::kPending)
      procs_[i].phase = Phase::kStopped;
  signal_all(SIGTERM, now);
}

bool TaskMachine::poll_due(TimeMs now) {
  if (!polling() || now < next_poll_) return false;
  next_poll_ = now + kTeardownPollMs;
  return true;
}

void TaskMachine::step_cleaning(TimeMs now) {
  // While killing, SIGKILL again at each poll: catches what was forked during teardown.
  if (poll_due(now) && killing_) signal_all(SIGKILL, now);
  if (running_count() == 0 && !others_left(now)) {
    enter_finalizing(now);
  } else if (!killing_ && now >= escalate_at_) {
    start_killing(now);
  } else if (killing_ && now >= give_up_at_) {
    give_up_on_running();
    enter_finalizing(now);
  }
}

void TaskMachine::enter_finalizing(TimeMs now) {
  enter(TaskState::kFinalizing, now);
  finalize_deadline_ = cleaning_start_ + task_.finalization_wait_ms;
  killing_ = false;
}

void TaskMachine::step_finalizing(TimeMs now) {
  if (!killing_) {
    block_unreachable();
    bool out_of_time = now >= finalize_deadline_;
    if (!out_of_time && !finals_done()) {
      launch_ready(now);
      block_unreachable();
    }
    if (!out_of_time && !finals_done()) return;
    for (size_t i = 0; i < procs_.size(); ++i)
      if (task_.processes[i].final && procs_[i].phase == Phase::kPending)
        procs_[i].phase = Phase::kStopped;
    // Over time, ephemeral finals still running, or leftovers of the finals: SIGKILL.
    if (running_count() > 0 || others_left(now)) {
      start_killing(now);
    } else {
      enter_terminal(now);
    }
    return;
  }
  if (poll_due(now)) signal_all(SIGKILL, now);
  if (running_count() == 0 && !others_left(now)) {
    enter_terminal(now);
  } else if (now >= give_up_at_) {
    give_up_on_running();
    enter_terminal(now);
  }
}

std::string TaskMachine::failure_message() const {
  std::string msg;
  auto add = [&msg](const std::string& part) {
    if (!msg.empty()) msg += "; ";
    msg += part;
  };
  for (size_t i = 0; i < procs_.size(); ++i) {
    if (!counts_for_task(i)) continue;
    const ProcessSpec& p = task_.processes[i];
    const ProcessStatus& s = procs_[i];
    if (s.phase == Phase::kFailed) {
      add("process '" + p.name + "' failed " + std::to_string(s.failures) +
          (s.failures == 1 ? " time" : " times") + " (max_failures " +
          std::to_string(p.max_failures) +
          (s.last_failure.empty() ? "" : ", last run: " + s.last_failure) + ")");
    } else if (s.phase == Phase::kBlocked) {
      add("process '" + p.name + "' never ran: it waits for '" + s.blocked_by +
          "', which did not succeed");
    }
  }
  return msg;
}

void TaskMachine::enter_terminal(TimeMs now) {
  if (killed_) {
    enter(TaskState::kKilled, now, kill_reason_);
  } else if (task_failed()) {
    enter(TaskState::kFailed, now, failure_message());
  } else {
    enter(TaskState::kSuccess, now);
  }
}

std::optional<TimeMs> TaskMachine::next_start() const {
  if (task_.max_concurrency > 0 && running_count() >= static_cast<size_t>(task_.max_concurrency))
    return std::nullopt;
  std::optional<TimeMs> next;
  for (size_t i = 0; i < procs_.size(); ++i) {
    if (!in_stage(i) || procs_[i].phase != Phase::kPending || !dependencies_done(i)) continue;
    TimeMs at = procs_[i].last_end ? *procs_[i].last_end + task_.processes[i].min_duration_ms : 0;
    if (!next || at < *next) next = at;
  }
  return next;
}

std::optional<TimeMs> TaskMachine::next_wakeup() const {
  switch (state_) {
    case TaskState::kActive:
      return next_start();
    case TaskState::kCleaning: {
      TimeMs deadline = killing_ ? give_up_at_ : escalate_at_;
      return polling() ? std::min(deadline, next_poll_) : deadline;
    }
    case TaskState::kFinalizing: {
      if (killing_) return polling() ? std::min(give_up_at_, next_poll_) : give_up_at_;
      std::optional<TimeMs> s = next_start();
      return s && *s < finalize_deadline_ ? *s : finalize_deadline_;
    }
    default:
      return std::nullopt;
  }
}

}  // namespace borealis::runner
