#include "agent/orphan_reaper.h"

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "agent/runner_process.h"
#include "common/log.h"

namespace borealis::agent {

namespace {

// A SIGKILLed orphan's children are re-parented to the agent when it has died: look again
// this soon.
constexpr int kResweepMs = 50;
// Sweeps after each request even when they find nothing: the request may come just before
// the runner dies (the agent SIGKILLs it and reports the task at once).
constexpr int kSweepsPerRequest = 3;

bool dead(const ProcStat& p) { return p.state == 'Z' || p.state == 'X'; }

}  // namespace

OrphanPlan plan_orphans(const std::vector<ProcStat>& children, int64_t agent_sid,
                        const std::set<int64_t>& runners) {
  OrphanPlan plan;
  for (const ProcStat& p : children) {
    if (runners.contains(p.pid)) continue;  // its monitor reaps it
    if (p.session != agent_sid) {
      (dead(p) ? plan.reap : plan.kill).push_back(p.pid);
    } else if (dead(p) && p.pgrp != p.pid) {
      plan.reap.push_back(p.pid);  // a health check's leftover; the checks lead their groups
    }
  }
  return plan;
}

size_t sweep_orphans_once(const std::set<int64_t>& runners, const std::string& proc_root) {
  OrphanPlan plan = plan_orphans(children_of(::getpid(), proc_root), ::getsid(0), runners);
  for (int64_t pid : plan.kill) ::kill(static_cast<pid_t>(pid), SIGKILL);
  for (int64_t pid : plan.reap) reap_pid(pid);
  if (!plan.kill.empty()) {
    std::string pids;
    for (int64_t pid : plan.kill) pids += (pids.empty() ? "" : " ") + std::to_string(pid);
    spdlog::warn("SIGKILLed {} process(es) left by tasks whose runner died: {}", plan.kill.size(),
                 pids);
  }
  return plan.kill.size();
}

bool is_child_subreaper() {
  int on = 0;
  return ::prctl(PR_GET_CHILD_SUBREAPER, &on) == 0 && on != 0;
}

OrphanReaper::OrphanReaper(boost::asio::io_context& io, Runners runners)
    : runners_(std::move(runners)), timer_(io) {}

OrphanReaper::~OrphanReaper() { *alive_ = false; }

void OrphanReaper::sweep() {
  quiet_sweeps_left_ = kSweepsPerRequest;
  if (!scheduled_) schedule(0);
}

void OrphanReaper::schedule(int delay_ms) {
  scheduled_ = true;
  timer_.expires_after(std::chrono::milliseconds(delay_ms));
  timer_.async_wait([this, alive = alive_](boost::system::error_code ec) {
    if (ec || !*alive) return;
    scheduled_ = false;
    if (sweep_orphans_once(runners_()) > 0 || --quiet_sweeps_left_ > 0) schedule(kResweepMs);
  });
}

}  // namespace borealis::agent
