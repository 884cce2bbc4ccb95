// OrphanReaper: which children of the agent are a dead runner's orphans, and a sweep over
// real processes in a subreaper.
#include "agent/orphan_reaper.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "agent/test_util.h"

namespace borealis::agent {
namespace {

using testing::TempDir;
using testing::wait_for;

ProcStat child(int64_t pid, int64_t pgrp, int64_t session, char state = 'S') {
  ProcStat p;
  p.pid = pid;
  p.ppid = 1;
  p.pgrp = pgrp;
  p.session = session;
  p.state = state;
  return p;
}

TEST(OrphanReaperTest, PlansToKillOrphansOfTasksAndNothingOfTheAgents) {
  constexpr int64_t kAgentSid = 10;
  std::vector<ProcStat> children = {
      child(100, 100, 100),             // a runner the agent watches
      child(101, 101, 101, 'Z'),        // a runner that died: its monitor reaps it
      child(200, 200, 101),             // a run of runner 101's task (its group leader)
      child(201, 200, 101),             // what that run forked
      child(202, 202, 202),             // a daemon of that task that called setsid
      child(203, 203, 101, 'Z'),        // a run that died once re-parented
      child(300, 300, kAgentSid),       // a shell health check running
      child(301, 301, kAgentSid, 'Z'),  // a health check that exited: it reaps itself
      child(302, 300, kAgentSid, 'Z'),  // what a health check left, killed with its group
      child(303, 300, kAgentSid),       // ... and still alive: the check's business
  };
  OrphanPlan plan = plan_orphans(children, kAgentSid, {100, 101});
  EXPECT_EQ(plan.kill, (std::vector<int64_t>{200, 201, 202}));
  EXPECT_EQ(plan.reap, (std::vector<int64_t>{203, 302}));
}

std::vector<int64_t> read_pids(const std::string& path) {
  std::ifstream in(path);
  std::vector<int64_t> out;
  for (int64_t pid; in >> pid;) out.push_back(pid);
  return out;
}

bool exists(int64_t pid) { return ::kill(static_cast<pid_t>(pid), 0) == 0; }

// Starts `cmd` under bash in a session of its own, as runners are started.
pid_t start_in_new_session(const std::string& cmd) {
  pid_t pid = ::fork();
  if (pid == 0) {
    ::setsid();
    ::execl("/bin/bash", "bash", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return pid;
}

// In a subreaper (a forked helper, so the test binary stays as it is): a "runner" with a
// run, the run's child and a setsid daemon is killed with kill -9; sweeps kill and reap
// all three, and leave a live runner and a health check (the agent's session) alone.
int sweep_after_runner_death(const std::string& dir) {
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  std::string pids = dir + "/pids";
  pid_t runner =
      start_in_new_session("(sleep 300 & echo $! >> " + pids + "; exec sleep 300) & echo $! >> " +
                           pids + "; setsid sleep 300 & echo $! >> " + pids + "; wait");
  pid_t live_runner = start_in_new_session("exec sleep 300");
  pid_t check = ::fork();
  if (check == 0) {
    ::setpgid(0, 0);
    ::execl("/bin/sleep", "sleep", "300", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  if (!wait_for([&] { return read_pids(pids).size() == 3; })) return 1;
  ::kill(runner, SIGKILL);
  ::waitpid(runner, nullptr, 0);  // as the runner's monitor does
  std::set<int64_t> runners = {runner, live_runner};
  bool swept = wait_for([&] {
    sweep_orphans_once(runners);
    for (int64_t pid : read_pids(pids))
      if (exists(pid)) return false;  // alive, or a zombie not reaped yet
    return true;
  });
  if (!swept) return 2;
  if (!exists(live_runner) || !exists(check)) return 3;
  ::kill(live_runner, SIGKILL);
  ::kill(check, SIGKILL);
  while (::waitpid(-1, nullptr, 0) > 0) {
  }
  return 0;
}

TEST(OrphanReaperTest, SweepsKillAndReapEveryOrphanOfADeadRunner) {
  TempDir dir;
  pid_t helper = ::fork();
  ASSERT_GE(helper, 0);
  if (helper == 0) ::_exit(sweep_after_runner_death(dir.path()));
  int status = 0;
  ASSERT_EQ(::waitpid(helper, &status, 0), helper);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: not started, 2: orphans left, 3: killed too much";
}

}  // namespace
}  // namespace borealis::agent
