#include "agent/task_monitor.h"

#include <signal.h>

#include "agent/http_probe.h"
#include "agent/proc_stat.h"
#include "agent/runner_process.h"
#include "common/log.h"

namespace borealis::agent {

namespace asio = boost::asio;

TaskMonitor::TaskMonitor(asio::io_context& io, std::string task_id, std::string sandbox,
                         TimeMs finalization_wait_ms, const Clock& clock, MonitorOptions options,
                         Listener listener)
    : io_(io),
      task_id_(std::move(task_id)),
      sandbox_(std::move(sandbox)),
      finalization_wait_ms_(finalization_wait_ms),
      clock_(clock),
      options_(options),
      listener_(std::move(listener)),
      tail_(sandbox_),
      pidfd_(io),
      kill_timer_(io),
      start_timer_(io),
      lifecycle_timer_(io),
      cgroup_timer_(io) {}

TaskMonitor::~TaskMonitor() {
  stop_checks();
  if (lifecycle_probe_) lifecycle_probe_->cancel();
  close_pidfd();
}

void TaskMonitor::set_health(HealthSpec spec) { health_ = std::move(spec); }

void TaskMonitor::preparing(std::string note) {
  if (reported_) return;
  preparing_note_ = std::move(note);
  report(progress_.launched());
}

void TaskMonitor::start_launched(int pid) {
  runner_pid_ = pid;
  report(progress_.launched());
  auto fd = open_pidfd(pid);
  if (!fd.ok()) {
    runner_gone(fd.status().message());
    return;
  }
  watch(pid, *fd);
  read_checkpoint();
}

void TaskMonitor::start_reattached(const std::optional<StatusUpdate>& last) {
  if (last) {
    reported_ = last->state;
    if (is_terminal(last->state)) {
      message_ = last->message;
      ended_ms_ = last->ts_ms;
      final_seq = last->seq;
    }
  }
  read_checkpoint();
  if (ended()) {
    runner_pid_ = progress_.runner_pid();  // for the API; an ended task is not watched
    // Reap a runner that exited while no agent was watching, if it is our child.
    if (progress_.has_runner_record() &&
        runner_liveness(progress_.runner_pid(), progress_.runner_start_ticks()) ==
            Liveness::kZombie)
      reap_pid(progress_.runner_pid());
    return;
  }
  if (reported_ == TaskState::kRunning && health_checked()) {
    // Healthy when the agent last saw it: stays RUNNING, and the checks resume.
    healthy_ = true;
    start_checks(true);
  }
  if (runner_pid_ != 0) return;  // read_checkpoint attached it
  // No runner on record yet: one may be starting. Give it a while, then call it lost.
  start_timer_.expires_after(std::chrono::milliseconds(options_.start_grace_ms));
  start_timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    auto self = weak.lock();
    if (ec || !self || self->ended() || self->runner_pid_ != 0) return;
    self->fail(TaskState::kLost, "no runner recorded itself in the checkpoint within " +
                                     std::to_string(self->options_.start_grace_ms / 1000) +
                                     " s of the agent's restart");
  });
}

void TaskMonitor::fail(TaskState state, std::string message) {
  if (ended()) return;
  reported_ = state;
  message_ = std::move(message);
  ended_ms_ = clock_.now_ms();
  kill_timer_.cancel();
  start_timer_.cancel();
  lifecycle_timer_.cancel();
  stop_checks();
  listener_(*this, state);
}

void TaskMonitor::on_checkpoint_changed() { read_checkpoint(); }

void TaskMonitor::read_checkpoint() {
  // In bounded pieces, to the end: callers decide on what the whole file says.
  do {
    auto records = tail_.read_new();
    if (!records.ok()) {
      spdlog::warn("task {}: {}", task_id_, records.status().message());
      return;
    }
    for (const auto& r : *records) report(progress_.apply(r));
  } while (!tail_.caught_up());
  if (runner_pid_ == 0 && progress_.has_runner_record() && !ended()) attach_runner();
}

void TaskMonitor::report(std::optional<TaskState> s) {
  if (!s) return;
  if (reported_ && state_rank(*s) <= state_rank(*reported_)) return;
  if (*s == TaskState::kRunning && health_checked() && !healthy_) {
    // RUNNING means healthy: held back until the checks pass (on_health reports it).
    if (!checker_ && !killing_) start_checks(false);
    return;
  }
  if (is_terminal(*s)) {
    message_ = progress_.message();
    ended_ms_ = progress_.ended_ms() > 0 ? progress_.ended_ms() : clock_.now_ms();
    if (fail_on_end_) {
      s = TaskState::kFailed;
      message_ = fail_reason_;
    } else if (std::string oom = oom_reason(); *s == TaskState::kFailed && !oom.empty()) {
      message_ = oom + " (" + message_ + ")";
    } else if (killing_ && lifecycle_phase_ &&
               (*s == TaskState::kFinished || *s == TaskState::kFailed)) {
      // Asked to stop, and it did: the kill is what the scheduler waits for.
      s = TaskState::kKilled;
      message_ = "killed: " + kill_reason_ + " (the task ended " + lifecycle_note_ + ")";
    } else if (killing_ && *s == TaskState::kKilled &&
               message_.find(kill_reason_) == std::string::npos) {
      // The runner knows only the signal it got; the scheduler shows why we sent it.
      std::string how = message_.starts_with("killed: ") ? message_.substr(8) : message_;
      message_ = "killed: " + kill_reason_ + (how.empty() ? "" : " (" + how + ")");
    }
    kill_timer_.cancel();
    start_timer_.cancel();
    lifecycle_timer_.cancel();
    stop_checks();
  }
  reported_ = s;
  listener_(*this, *s);
}

void TaskMonitor::attach_runner() {
  int64_t pid = progress_.runner_pid();
  // Open the pidfd first: if the process is still the runner after that, the pidfd is it.
  auto fd = open_pidfd(pid);
  Liveness live = runner_liveness(pid, progress_.runner_start_ticks());
  if (fd.ok() && live == Liveness::kAlive) {
    start_timer_.cancel();
    spdlog::info("task {}: re-attached to runner pid {}", task_id_, pid);
    watch(static_cast<int>(pid), *fd);
    return;
  }
  if (fd.ok()) ::close(*fd);
  std::string how = "it is gone";
  if (live == Liveness::kZombie) {
    auto r = reap_pid(pid);
    how = r ? "it exited, " + *r : "it exited";
  }
  runner_pid_ = pid;
  runner_gone(how);
}

void TaskMonitor::watch(int pid, int pidfd) {
  close_pidfd();
  runner_pid_ = pid;
  pidfd_.assign(pidfd);
  wait_exit();
}

void TaskMonitor::wait_exit() {
  pidfd_.async_wait(asio::posix::stream_descriptor::wait_read,
                    [weak = weak_from_this()](boost::system::error_code ec) {
                      auto self = weak.lock();
                      if (!ec && self) self->on_runner_exit();
                    });
}

void TaskMonitor::on_runner_exit() {
  auto exit = reap_pidfd(pidfd_.native_handle());
  close_pidfd();
  if (cgroup_) {
    // Nothing supervises what is left once the runner is gone. Posted, so that a runner
    // handing over to another (below) keeps its cgroup.
    cgroup_timer_.expires_after(std::chrono::milliseconds(0));
    cgroup_timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
      auto self = weak.lock();
      if (!ec && self && !self->pidfd_.is_open()) self->clean_up_cgroup();
    });
  }
  int64_t watched = runner_pid_;
  read_checkpoint();
  if (ended() || progress_.terminal()) return;
  if (progress_.has_runner_record() && progress_.runner_pid() != watched) {
    // The process we started handed over to another (e.g. it forked to become a session
    // leader); the checkpoint names the real runner.
    spdlog::warn("task {}: runner pid {} exited; the checkpoint names pid {}", task_id_, watched,
                 progress_.runner_pid());
    attach_runner();
    return;
  }
  runner_gone(exit ? "it exited, " + *exit : "it exited");
}

void TaskMonitor::runner_gone(std::string how) {
  if (ended()) return;
  int64_t pid = runner_pid_ ? runner_pid_ : progress_.runner_pid();
  std::string message;
  if (killing_) {
    message = "killed: " + kill_reason_ + " (runner pid " + std::to_string(pid) + " ended before " +
              "recording it: " + how + ")";
  } else {
    message =
        "runner pid " + std::to_string(pid) + " ended without a terminal record (" + how + ")";
  }
  // Where the kernel could not be told to spare the runner, the OOM killer may pick it.
  if (std::string oom = oom_reason(); !oom.empty()) message = oom + ": " + message;
  if (pid > 0) {
    std::vector<int64_t> groups = progress_.process_groups();
    groups.push_back(pid);
    auto killed = signal_session_groups(pid, groups, SIGKILL);
    if (!killed.empty())
      message += "; SIGKILLed " + std::to_string(killed.size()) + " leftover process group(s)";
  }
  if (cgroup_) {
    if (int n = cgroup_->kill_all(); n > 0)
      message += "; SIGKILLed " + std::to_string(n) + " process(es) left in its cgroup";
  }
  spdlog::warn("task {}: {}", task_id_, message);
  report(progress_.runner_gone(killing_, message, clock_.now_ms()));
}

void TaskMonitor::kill(const std::string& reason) {
  if (ended() || killing_) return;
  killing_ = true;
  kill_reason_ = reason;
  stop_checks();
  if (!pidfd_.is_open()) {
    if (runner_pid_ == 0) fail(TaskState::kKilled, "killed before its runner started: " + reason);
    return;
  }
  if (before_kill_) {
    BeforeKill hook = std::move(before_kill_);
    before_kill_ = nullptr;
    hook([weak = weak_from_this()] {
      if (auto self = weak.lock()) self->signal_kill();
    });
    return;
  }
  signal_kill();
}

void TaskMonitor::signal_kill() {
  if (ended()) return;
  if (health_ && health_->lifecycle) {
    lifecycle_phase_ = true;
    lifecycle_step(0);
    return;
  }
  send_sigterm();
}

void TaskMonitor::kill_failed(const std::string& reason) {
  if (ended() || killing_) return;
  fail_on_end_ = true;
  fail_reason_ = reason;
  spdlog::warn("task {}: {}", task_id_, reason);
  kill(reason);
}

std::string TaskMonitor::oom_reason() const {
  if (!cgroup_ || cgroup_->oom_kills() == 0) return "";
  int64_t limit = cgroup_->memory_limit();
  return "out of memory: limit " + (limit > 0 ? mib_text(limit) : std::string("unknown"));
}

void TaskMonitor::clean_up_cgroup() {
  if (!cgroup_) return;
  cgroup_->kill_all();
  Status st = cgroup_->remove();
  if (st.ok()) {
    cgroup_attempts_ = 0;
    return;
  }
  // SIGKILLed processes take a moment to leave; 10 s of tries, then the agent's next
  // start cleans up.
  if (++cgroup_attempts_ >= 100) {
    spdlog::warn("task {}: {}", task_id_, st.message());
    return;
  }
  cgroup_timer_.expires_after(std::chrono::milliseconds(100));
  cgroup_timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    auto self = weak.lock();
    if (!ec && self) self->clean_up_cgroup();
  });
}

void TaskMonitor::lifecycle_step(int step) {
  if (ended()) return;
  if (step >= 2) {
    send_sigterm();
    return;
  }
  const LifecycleSpec& l = *health_->lifecycle;
  const std::string& endpoint = step == 0 ? l.graceful_shutdown_endpoint : l.shutdown_endpoint;
  TimeMs wait_ms = step == 0 ? l.graceful_shutdown_wait_ms : l.shutdown_wait_ms;
  lifecycle_note_ = "after POST " + endpoint;
  spdlog::info("task {}: killing ({}): POST {}", task_id_, kill_reason_,
               probe_url(l.port, endpoint));
  // Aurora's signaler: 1 s for the POST itself.
  lifecycle_probe_ = HttpProbe::start(
      io_, l.port, "POST", endpoint, std::chrono::seconds(1),
      [weak = weak_from_this(), step, wait_ms](HttpProbeResult r) {
        auto self = weak.lock();
        if (!self || self->ended()) return;
        self->lifecycle_probe_.reset();
        if (!r.answered) {
          // Nothing answered: there is no one to wait for.
          self->lifecycle_step(step + 1);
          return;
        }
        self->lifecycle_timer_.expires_after(std::chrono::milliseconds(wait_ms));
        self->lifecycle_timer_.async_wait([weak, step](boost::system::error_code ec) {
          auto self = weak.lock();
          if (!ec && self) self->lifecycle_step(step + 1);
        });
      });
}

void TaskMonitor::send_sigterm() {
  if (ended()) return;
  lifecycle_phase_ = false;
  spdlog::info("task {}: killing ({}): SIGTERM to runner pid {}", task_id_, kill_reason_,
               runner_pid_);
  signal_runner(SIGTERM);
  TimeMs wait = finalization_wait_ms_ + options_.runner_kill_grace_ms + options_.kill_margin_ms;
  kill_timer_.expires_after(std::chrono::milliseconds(wait));
  kill_timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    auto self = weak.lock();
    if (!ec && self) self->escalate();
  });
}

void TaskMonitor::signal_runner(int sig) {
  if (!pidfd_.is_open()) return;
  if (Status st = pidfd_signal(pidfd_.native_handle(), sig); !st.ok())
    spdlog::warn("task {}: cannot signal runner pid {}: {}", task_id_, runner_pid_, st.message());
}

void TaskMonitor::escalate() {
  if (ended()) return;
  TimeMs waited = finalization_wait_ms_ + options_.runner_kill_grace_ms + options_.kill_margin_ms;
  std::string message = "killed: " + kill_reason_ + " (runner pid " + std::to_string(runner_pid_) +
                        " did not finish within " + std::to_string(waited / 1000) +
                        " s of SIGTERM; SIGKILLed it and its process groups)";
  std::vector<int64_t> groups = progress_.process_groups();
  groups.push_back(runner_pid_);
  signal_session_groups(runner_pid_, groups, SIGKILL);
  signal_runner(SIGKILL);
  if (cgroup_) cgroup_->kill_all();
  spdlog::warn("task {}: {}", task_id_, message);
  // Keep watching the pidfd: the runner's exit still has to be reaped.
  report(progress_.runner_gone(true, message, clock_.now_ms()));
}

void TaskMonitor::close_pidfd() {
  if (!pidfd_.is_open()) return;
  boost::system::error_code ec;
  pidfd_.close(ec);
}

void TaskMonitor::start_checks(bool already_healthy) {
  checker_ = std::make_shared<HealthChecker>(io_, *health_, sandbox_, clock_,
                                             [this](Health h) { on_health(h); });
  checker_->start(already_healthy);
}

void TaskMonitor::stop_checks() {
  if (checker_) checker_->stop();
}

void TaskMonitor::on_health(Health h) {
  // The checker belongs to this monitor and stops before it is destroyed, so `this` is
  // alive whenever it calls.
  if (ended() || killing_) return;
  if (h == Health::kHealthy) {
    healthy_ = true;
    spdlog::info("task {}: healthy ({})", task_id_, checker_->view().last_result);
    report(TaskState::kRunning);
    return;
  }
  if (h == Health::kUnhealthy) {
    fail_on_end_ = true;
    fail_reason_ = checker_->evaluator().reason();
    spdlog::warn("task {}: unhealthy: {}", task_id_, fail_reason_);
    kill("unhealthy: " + fail_reason_);
  }
}

std::string TaskMonitor::running_message() const {
  if (state() == TaskState::kStarting) return runner_pid_ == 0 ? preparing_note_ : "";
  if (!checker_ || !healthy_) return "";
  return "healthy: " + checker_->view().last_result;
}

std::vector<int64_t> TaskMonitor::pids() const {
  std::vector<int64_t> out;
  if (runner_pid_ > 0 && !ended()) out.push_back(runner_pid_);
  for (int64_t p : progress_.running_pids()) out.push_back(p);
  return out;
}

}  // namespace borealis::agent
