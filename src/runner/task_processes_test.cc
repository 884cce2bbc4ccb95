// TaskProcesses: parsing, the descendant walk, cgroup.procs, on a fake /proc and with
// real processes.
#include "runner/task_processes.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include "runner/test_sandbox.h"

namespace borealis::runner {
namespace {

using testing::TempSandbox;
using testing::wait_until;
using testing::write_file;

std::vector<int> sorted_pids(const std::vector<ProcEntry>& processes) {
  std::vector<int> v;
  for (const ProcEntry& p : processes) v.push_back(p.pid);
  std::sort(v.begin(), v.end());
  return v;
}

TEST(TaskProcessesTest, ParsesStatWhateverTheCommandName) {
  ProcEntry e;
  ASSERT_TRUE(parse_proc_entry(
      "42 (a) b) S 7 42 42 0 -1 4194560 0 0 0 0 1 2 0 0 20 0 1 0 123456 1000 50\n", &e));
  EXPECT_EQ(e.pid, 42);
  EXPECT_EQ(e.ppid, 7);
  EXPECT_EQ(e.state, 'S');
  EXPECT_EQ(e.start_ticks, 123456);
  ASSERT_TRUE(parse_proc_entry("9 (x y) Z 1 9 9", &e));
  EXPECT_EQ(e.state, 'Z');
  EXPECT_EQ(e.start_ticks, 0);  // cut short: unknown
  EXPECT_FALSE(parse_proc_entry("", &e));
  EXPECT_FALSE(parse_proc_entry("12 (cut", &e));
  EXPECT_FALSE(parse_proc_entry("12 (x) S", &e));
  EXPECT_FALSE(parse_proc_entry("x (x) S 1 2", &e));
  EXPECT_FALSE(parse_proc_entry("12 (x) S -1 2", &e));
}

TEST(TaskProcessesTest, DescendantsFollowEveryGenerationAndSkipZombies) {
  std::vector<ProcEntry> table = {
      {1, 0, 'S'},     {100, 1, 'S'},                     // the runner, child of init
      {101, 100, 'S'}, {102, 101, 'S'}, {103, 102, 'R'},  // three generations
      {104, 100, 'Z'},                                    // a zombie run, not yet reaped
      {105, 100, 'S'},                   // an orphan re-parented to the runner (a setsid daemon)
      {200, 1, 'S'},   {201, 200, 'S'},  // another task
  };
  EXPECT_EQ(sorted_pids(descendants_of(100, table)), (std::vector<int>{101, 102, 103, 105}));
  EXPECT_TRUE(descendants_of(103, table).empty());
  EXPECT_TRUE(descendants_of(999, table).empty());
}

TEST(TaskProcessesTest, PidLinesAreBoundedAndChecked) {
  std::vector<int> pids;
  EXPECT_TRUE(parse_pid_lines("5\n6\n7\n", 10, &pids));
  EXPECT_EQ(pids, (std::vector<int>{5, 6, 7}));
  pids.clear();
  EXPECT_TRUE(parse_pid_lines("5\n6\n7\n", 2, &pids));
  EXPECT_EQ(pids, (std::vector<int>{5, 6}));
  pids.clear();
  EXPECT_FALSE(parse_pid_lines("5\nsix\n", 10, &pids));
  EXPECT_FALSE(parse_pid_lines("0\n", 10, &pids));
  EXPECT_FALSE(parse_pid_lines("12345678901\n", 10, &pids));
}

TEST(TaskProcessesTest, WalksAFakeProc) {
  TempSandbox proc;
  auto add = [&](int pid, const std::string& rest) {
    std::string dir = proc.file(std::to_string(pid));
    ::mkdir(dir.c_str(), 0755);
    write_file(dir + "/stat", std::to_string(pid) + " (p) " + rest);
  };
  add(50, "S 1 50 50");
  add(51, "S 50 51 50");
  add(52, "S 51 52 52");
  add(53, "Z 50 53 50");
  add(60, "S 1 60 60");
  ::mkdir(proc.file("self").c_str(), 0755);  // not a pid: skipped
  TaskProcesses processes("", 50, proc.path());
  auto pids = processes.list();
  ASSERT_TRUE(pids.ok()) << pids.status().to_string();
  EXPECT_EQ(sorted_pids(*pids), (std::vector<int>{51, 52}));
  EXPECT_FALSE(TaskProcesses("", 50, proc.file("missing")).list().ok());
}

TEST(TaskProcessesTest, ReadsTheCgroupWithoutTheRunner) {
  TempSandbox cgroup;
  write_file(cgroup.file("cgroup.procs"), "300\n77\n301\n300\n");  // v1 may repeat a pid
  TaskProcesses processes(cgroup.path(), 77, "/nonexistent");
  auto pids = processes.list();
  ASSERT_TRUE(pids.ok()) << pids.status().to_string();
  EXPECT_EQ(sorted_pids(*pids), (std::vector<int>{300, 301}));
}

TEST(TaskProcessesTest, UnreadableCgroupFallsBackToTheProcWalk) {
  TempSandbox proc;
  ::mkdir(proc.file("8").c_str(), 0755);
  write_file(proc.file("8/stat"), "8 (p) S 7 8 8");
  TaskProcesses processes(proc.file("no-cgroup"), 7, proc.path());
  auto pids = processes.list();
  ASSERT_TRUE(pids.ok());
  EXPECT_EQ(sorted_pids(*pids), (std::vector<int>{8}));
}

// A pid recycled since the listing (another start time) is not signalled.
TEST(TaskProcessesTest, SignalsOnlyTheProcessThatWasListed) {
  pid_t kid = ::fork();
  ASSERT_GE(kid, 0);
  if (kid == 0) {
    ::execl("/bin/sleep", "sleep", "30", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ProcEntry e;
  ASSERT_TRUE(wait_until([&] {
    std::string stat = testing::read_file("/proc/" + std::to_string(kid) + "/stat");
    return parse_proc_entry(stat, &e) && e.start_ticks > 0;
  }));
  // `self` 1: the kid is no child of "the runner", so the pidfd path checks it.
  TaskProcesses processes("", 1);
  ProcEntry recycled = e;
  recycled.start_ticks = e.start_ticks + 1;
  EXPECT_EQ(processes.signal({recycled}, SIGKILL), 0u);
  EXPECT_EQ(::kill(kid, 0), 0);  // still alive
  EXPECT_EQ(processes.signal({e}, SIGKILL), 1u);
  int status = 0;
  ASSERT_EQ(::waitpid(kid, &status, 0), kid);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

bool listed(const TaskProcesses& processes, int pid) {
  auto pids = processes.list();
  if (!pids.ok()) return false;
  for (const ProcEntry& p : *pids)
    if (p.pid == pid) return true;
  return false;
}

// Real processes: a subreaper finds a daemon that double-forked and called setsid (its
// parents exited) and a grandchild in another session; an unrelated process is not listed.
TEST(TaskProcessesTest, SubreaperFindsDoubleForkedDaemons) {
  TempSandbox dir;
  pid_t helper = ::fork();
  ASSERT_GE(helper, 0);
  if (helper == 0) {
    // In a child, so that the test binary does not become a subreaper for other tests.
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    std::string cmd = "cd '" + dir.path() +
                      "' || exit 1; (setsid sleep 30 & echo $! > daemon.pid); "
                      "(setsid sleep 30 & echo $! > kid.pid; exec sleep 30) & "
                      "echo $! > parent.pid; wait";
    pid_t shell = ::fork();
    if (shell == 0) {
      ::execl("/bin/bash", "bash", "-c", cmd.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    TaskProcesses processes("", ::getpid());
    bool ok = wait_until([&] {
      std::string d = testing::read_file(dir.file("daemon.pid"));
      std::string k = testing::read_file(dir.file("kid.pid"));
      std::string p = testing::read_file(dir.file("parent.pid"));
      if (d.empty() || k.empty() || p.empty()) return false;
      // The daemon's parent shell exited: it is re-parented to us.
      return listed(processes, std::stoi(d)) && listed(processes, std::stoi(k)) &&
             listed(processes, std::stoi(p));
    });
    auto pids = processes.list();
    if (pids.ok()) processes.signal(*pids, SIGKILL);
    while (::waitpid(-1, nullptr, 0) > 0) {
    }
    ::_exit(ok && !listed(processes, ::getppid()) ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(helper, &status, 0), helper);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

}  // namespace
}  // namespace borealis::runner
