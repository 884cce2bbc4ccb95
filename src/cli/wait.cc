#include "cli/wait.h"

#include <algorithm>
#include <map>
#include <utility>

#include "cli/output.h"
#include "common/strings.h"

namespace borealis::cli {

namespace {

// The task that speaks for each instance now: its active task, else its newest ended one.
std::map<int32_t, const TaskInfo*> current_tasks(const std::vector<TaskInfo>& tasks) {
  std::map<int32_t, const TaskInfo*> cur;
  for (const TaskInfo& t : tasks) {
    auto [it, fresh] = cur.emplace(t.instance_id, &t);
    if (fresh) continue;
    const TaskInfo* old = it->second;
    bool old_active = !is_terminal_status(old->status);
    bool new_active = !is_terminal_status(t.status);
    if ((new_active && !old_active) ||
        (new_active == old_active && !new_active && last_change_ms(t) > last_change_ms(*old)))
      it->second = &t;
  }
  return cur;
}

std::string describe(const TaskInfo& t, std::string_view verb) {
  std::string s =
      "instance " + std::to_string(t.instance_id) + " " + std::string(verb) + " " + t.status;
  if (!t.message.empty()) s += ": " + t.message;
  s += " (task " + t.task_id + ")";
  return s;
}

}  // namespace

PollBackoff::PollBackoff(TimeMs initial, TimeMs max)
    : next_(initial > 0 && initial < max ? initial : max), max_(max) {}

TimeMs PollBackoff::next() {
  TimeMs now = next_;
  next_ = std::min(max_, next_ * 2);
  return now;
}

namespace {

// Each target with its name, as --wait-until spells it: the one list both directions use.
constexpr std::pair<WaitTarget, std::string_view> kWaitTargetNames[] = {
    {WaitTarget::kPending, "PENDING"},
    {WaitTarget::kRunning, "RUNNING"},
    {WaitTarget::kFinished, "FINISHED"},
};

}  // namespace

std::string_view wait_target_name(WaitTarget t) {
  for (const auto& [target, name] : kWaitTargetNames)
    if (target == t) return name;
  return "?";
}

std::optional<WaitTarget> parse_wait_target(std::string_view s) {
  for (const auto& [target, name] : kWaitTargetNames)
    if (name == s) return target;
  return std::nullopt;
}

WaitState evaluate_wait(const std::vector<TaskInfo>& tasks, int64_t instances, WaitTarget target) {
  WaitState st;
  if (target == WaitTarget::kPending) {
    st.kind = WaitState::Kind::kReached;
    return st;
  }
  auto cur = current_tasks(tasks);
  std::map<std::string, int64_t> others;  // statuses of instances not yet there
  int64_t reached = 0;
  const TaskInfo* failed = nullptr;   // what fails the wait
  const TaskInfo* waiting = nullptr;  // an instance that still waits, to say why
  std::string failed_verb = "ended";
  for (int32_t i = 0; i < instances; ++i) {
    auto it = cur.find(i);
    if (it == cur.end()) {
      others["NO TASK YET"]++;
      continue;
    }
    const TaskInfo& t = *it->second;
    bool terminal = is_terminal_status(t.status);
    bool ok = target == WaitTarget::kRunning ? (t.status == "RUNNING" || t.status == "FINISHED")
                                             : terminal;
    if (ok) {
      ++reached;
      if (target == WaitTarget::kFinished && t.status != "FINISHED" && !failed) failed = &t;
      continue;
    }
    others[t.status]++;
    if (target == WaitTarget::kRunning && terminal && !failed) failed = &t;
    if (!terminal && (!waiting || (t.status == "PENDING" && waiting->status != "PENDING")))
      waiting = &t;
  }
  // While waiting for RUNNING, any failed run of a waited instance fails the wait, even if
  // the scheduler has already put a replacement in place.
  if (target == WaitTarget::kRunning && !failed) {
    for (const TaskInfo& t : tasks) {
      if (t.status == "FAILED" && t.instance_id >= 0 && t.instance_id < instances) {
        failed = &t;
        failed_verb = "had a task";
        break;
      }
    }
  }

  std::vector<std::string> parts;
  parts.push_back(std::to_string(reached) + "/" + std::to_string(instances) + " " +
                  (target == WaitTarget::kRunning ? "RUNNING" : "ended"));
  for (const auto& [status, n] : others) parts.push_back(std::to_string(n) + " " + status);
  st.progress = join(parts, ", ");

  if (failed) {
    st.kind = WaitState::Kind::kFailed;
    st.detail = describe(*failed, failed_verb);
  } else if (reached == instances) {
    st.kind = WaitState::Kind::kReached;
  } else if (waiting) {
    st.detail = describe(*waiting, "is");
  }
  return st;
}

Status wait_for_job(ApiClient& api, const ClusterJobKey& key, int64_t instances,
                    const WaitOptions& o) {
  if (o.target == WaitTarget::kPending) return Status();
  const std::string target(wait_target_name(o.target));
  const TimeMs start = o.clock->now_ms();
  PollBackoff backoff(o.poll_initial_ms, o.poll_ms);
  std::string last_line;
  for (;;) {
    std::string line;
    auto tasks = api.tasks(key.job);
    if (tasks.ok()) {
      WaitState st = evaluate_wait(tasks->tasks, instances, o.target);
      if (st.kind == WaitState::Kind::kReached) return Status();
      if (st.kind == WaitState::Kind::kFailed) {
        return failed_precondition("job " + key.to_string() + " did not reach " + target + ": " +
                                   st.detail + "; see 'borealis job status " + key.to_string() +
                                   "'");
      }
      line = st.progress + (st.detail.empty() ? "" : "; " + st.detail);
    } else if (tasks.status().code() == StatusCode::kUnavailable) {
      line = tasks.status().message();  // the scheduler may be failing over: keep trying
    } else {
      return tasks.status().with_context("waiting for job " + key.to_string());
    }
    if (o.progress && line != last_line)
      *o.progress << "waiting for " << target << ": " << line << "\n";
    last_line = line;

    TimeMs elapsed = o.clock->now_ms() - start;
    if (o.timeout_ms > 0 && elapsed >= o.timeout_ms) {
      return failed_precondition("timed out after " + format_age(elapsed) + " waiting for job " +
                                 key.to_string() + " to reach " + target + ": " + line);
    }
    TimeMs pause = backoff.next();
    if (o.timeout_ms > 0) pause = std::min(pause, o.timeout_ms - elapsed);
    o.sleep(pause);
  }
}

}  // namespace borealis::cli
