// OrphanReaper: kills what a dead runner's task left, when no cgroup does it.
//
// The agent is a child subreaper (agent_daemon.cc), so when a runner it started dies
// without ending its task (kill -9, the OOM killer), the task's processes are re-parented
// to the agent instead of init. Those are the agent's children that
// - are in another session than the agent's: a task's processes are in their runner's
//   session or in one they made with setsid, while the agent's shell health checks stay
//   in the agent's session; and
// - are not a runner the agent watches (each runner leads a session of its own).
// Each sweep SIGKILLs those (signalling an unreaped child by pid is race-free) and reaps
// the dead ones by pid; their own children are re-parented to the agent in turn, so
// sweeps repeat until one finds none alive. Zombie children in the agent's session that
// lead no process group are reaped too: they are what a health check left (the checks
// are group leaders and reap themselves), which init reaped before the agent was a
// subreaper. Nothing else is ever waited for.
//
// Limits: only the runners this agent started re-parent their orphans to it; after an
// agent restart a runner's orphans go to init, and the agent falls back to killing the
// process groups named in the checkpoint (TaskMonitor). A cgroup per task has no such limit.
//
// Thread-safety: the agent's loop thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "agent/proc_stat.h"

namespace borealis::agent {

struct OrphanPlan {
  std::vector<int64_t> kill;  // live orphans of tasks
  std::vector<int64_t> reap;  // dead ones, and zombies health checks left
};

// Decides from the agent's children (pure).
OrphanPlan plan_orphans(const std::vector<ProcStat>& children, int64_t agent_sid,
                        const std::set<int64_t>& runners);

// One sweep over the children of this process; returns how many live orphans it SIGKILLed.
size_t sweep_orphans_once(const std::set<int64_t>& runners, const std::string& proc_root = "/proc");

// True when this process is a child subreaper (so orphans come to it).
bool is_child_subreaper();

class OrphanReaper {
 public:
  // `runners`: the pids of every runner the agent watches (or watched).
  using Runners = std::function<std::set<int64_t>()>;
  OrphanReaper(boost::asio::io_context& io, Runners runners);
  ~OrphanReaper();
  OrphanReaper(const OrphanReaper&) = delete;
  OrphanReaper& operator=(const OrphanReaper&) = delete;

  // Sweeps soon, and again every 50 ms until three sweeps in all found nothing to kill.
  void sweep();

 private:
  void schedule(int delay_ms);

  Runners runners_;
  boost::asio::steady_timer timer_;
  bool scheduled_ = false;
  int quiet_sweeps_left_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace borealis::agent
