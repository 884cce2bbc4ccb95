#include "agent/proc_tree_usage.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <vector>

#include "agent/test_util.h"

namespace borealis::agent {
namespace {

// A /proc/<pid>/stat line with the fields usage reads (utime, stime, cutime, cstime, rss).
std::string stat_line(int64_t pid, int64_t ppid, int64_t utime, int64_t stime, int64_t cutime,
                      int64_t rss) {
  char buf[256];
  std::snprintf(
      buf, sizeof buf,
      "%lld (cmd %lld) S %lld %lld %lld 0 -1 0 0 0 0 0 %lld %lld %lld 0 20 0 1 0 "
      "5000 1000 %lld 0\n",
      static_cast<long long>(pid), static_cast<long long>(pid), static_cast<long long>(ppid),
      static_cast<long long>(pid), static_cast<long long>(pid), static_cast<long long>(utime),
      static_cast<long long>(stime), static_cast<long long>(cutime), static_cast<long long>(rss));
  return buf;
}

TEST(ProcStatTest, ParsesCpuTicksAndRss) {
  auto st = parse_proc_stat(stat_line(7, 1, 11, 22, 33, 44));
  ASSERT_TRUE(st.has_value());
  EXPECT_EQ(st->utime_ticks, 11);
  EXPECT_EQ(st->stime_ticks, 22);
  EXPECT_EQ(st->cutime_ticks, 33);
  EXPECT_EQ(st->cstime_ticks, 0);
  EXPECT_EQ(st->rss_pages, 44);
  EXPECT_EQ(st->start_ticks, 5000);
}

TEST(ProcTreeUsageTest, SumsEachRunnersDescendantsFromOneFakeListing) {
  testing::TempDir dir;
  std::string proc = dir / "proc";
  // Task A: runner 100 -> 101 -> 102, plus 103 reparented to the runner (subreaper).
  testing::write_text(proc + "/100/stat", stat_line(100, 1, 1, 1, 50, 10));
  testing::write_text(proc + "/101/stat", stat_line(101, 100, 100, 50, 0, 1000));
  testing::write_text(proc + "/102/stat", stat_line(102, 101, 200, 0, 0, 2000));
  testing::write_text(proc + "/103/stat", stat_line(103, 100, 0, 98, 0, 5));
  // Task B: runner 200 alone. An unrelated process 300 and its child.
  testing::write_text(proc + "/200/stat", stat_line(200, 1, 3, 0, 0, 7));
  testing::write_text(proc + "/300/stat", stat_line(300, 1, 900, 900, 0, 9000));
  testing::write_text(proc + "/301/stat", stat_line(301, 300, 900, 900, 0, 9000));
  // A process that exited during the walk (no stat), and entries that are not processes.
  testing::write_text(proc + "/104/status", "gone");
  testing::write_text(proc + "/self/stat", stat_line(100, 1, 1, 1, 1, 1));
  testing::write_text(proc + "/uptime", "1.0 1.0\n");

  auto all = all_processes(1000, proc);
  EXPECT_EQ(all.size(), 7u);
  ProcUnits units{100, 4096};
  auto usage = usage_of_trees(all, {100, 200, 999}, units);
  ASSERT_EQ(usage.size(), 2u);  // 999 is not listed: no entry
  // (1+1+50) + (100+50) + 200 + 98 = 500 ticks = 5 s.
  EXPECT_EQ(usage[100].cpu_usec, 5'000'000);
  EXPECT_EQ(usage[100].memory_bytes, (10 + 1000 + 2000 + 5) * 4096);
  EXPECT_EQ(usage[100].memory_peak_bytes, -1);
  EXPECT_EQ(usage[200].cpu_usec, 30'000);
  EXPECT_EQ(usage[200].memory_bytes, 7 * 4096);

  // The walk is bounded: it stops after max_processes processes.
  EXPECT_EQ(all_processes(3, proc).size(), 3u);
}

TEST(ProcTreeUsageTest, ACycleInTheListingEnds) {
  // Two stat files read while pids were reused can name each other as parents.
  std::vector<ProcStat> procs(2);
  procs[0].pid = 10;
  procs[0].ppid = 11;
  procs[0].rss_pages = 1;
  procs[1].pid = 11;
  procs[1].ppid = 10;
  procs[1].rss_pages = 2;
  auto usage = usage_of_trees(procs, {10}, ProcUnits{100, 1});
  EXPECT_EQ(usage[10].memory_bytes, 3);
}

// Forks a "runner" whose child busy-loops with `bytes` of touched memory until killed. Both
// are in a process group of their own, so that kill_tree() cannot miss a child forked
// after it looked.
pid_t fork_busy_tree(size_t bytes) {
  pid_t runner = ::fork();
  if (runner > 0) ::setpgid(runner, runner);  // both sides set it: no race with the fork
  if (runner != 0) return runner;
  ::setpgid(0, 0);
  pid_t worker = ::fork();
  if (worker == 0) {
    std::vector<char> mem(bytes);
    std::memset(mem.data(), 1, mem.size());
    volatile uint64_t spin = 0;
    for (;;) spin = spin + mem[spin % mem.size()];
  }
  int status = 0;
  ::waitpid(worker, &status, 0);
  ::_exit(0);
}

void kill_tree(pid_t runner) {
  ::kill(-runner, SIGKILL);
  ::waitpid(runner, nullptr, 0);
}

TEST(ProcTreeUsageTest, RealProcessesCountTheirDescendantsCpuAndMemory) {
  constexpr size_t kBytes = 16 << 20;
  pid_t runner = fork_busy_tree(kBytes);
  ASSERT_GT(runner, 0);
  CgroupUsage seen;
  bool ok = testing::wait_for(
      [&] {
        // The runner alone (a copy of this test's process) may hold kBytes: wait for its child.
        if (children_of(runner).empty()) return false;
        auto usage = sample_process_trees({runner}, 100'000);
        if (!usage.contains(runner)) return false;
        seen = usage[runner];
        return seen.cpu_usec > 0 && seen.memory_bytes >= static_cast<int64_t>(kBytes);
      },
      std::chrono::seconds(10));
  kill_tree(runner);
  EXPECT_TRUE(ok) << "cpu_usec " << seen.cpu_usec << ", memory_bytes " << seen.memory_bytes;
  // Once reaped, the runner is gone: no sample.
  EXPECT_FALSE(sample_process_trees({runner}, 100'000).contains(runner));
}

// The cost of the walk that serves 100 tasks (docs/benchmarks.md): 100 runners with a
// sleeping child each, on top of whatever else the host runs.
TEST(ProcTreeUsageTest, OneWalkForHundredTasksIsCheap) {
  constexpr int kTasks = 100;
  std::vector<int64_t> runners;
  for (int i = 0; i < kTasks; ++i) {
    pid_t runner = ::fork();
    ASSERT_GE(runner, 0);
    if (runner > 0) ::setpgid(runner, runner);  // for kill_tree()
    if (runner == 0) {
      ::setpgid(0, 0);
      if (::fork() == 0) ::pause();
      ::pause();
      ::_exit(0);
    }
    runners.push_back(runner);
  }
  ASSERT_TRUE(testing::wait_for([&] {
    auto all = all_processes(100'000);
    int children = 0;
    for (const auto& p : all)
      children += std::find(runners.begin(), runners.end(), p.ppid) != runners.end();
    return children == kTasks;
  }));
  std::vector<double> ms;
  size_t processes = 0;
  for (int run = 0; run < 5; ++run) {
    auto t0 = std::chrono::steady_clock::now();
    auto usage = sample_process_trees(runners, 100'000);
    ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    EXPECT_EQ(usage.size(), static_cast<size_t>(kTasks));
    processes = all_processes(100'000).size();
  }
  std::sort(ms.begin(), ms.end());
  std::printf("usage of %d tasks from one /proc walk (%zu processes): median %.2f ms\n", kTasks,
              processes, ms[2]);
  for (int64_t r : runners) kill_tree(static_cast<pid_t>(r));
  EXPECT_LT(ms[2], 1000.0);
}

}  // namespace
}  // namespace borealis::agent
