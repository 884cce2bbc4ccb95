// TaskProcesses: every process of the task, for teardown. Signalling process groups
// misses what left them (a daemon that double-forks and calls setsid), so teardown
// signals each process this lists.
//
// Two sources:
// - `--cgroup DIR` (the agent made a cgroup for the task and started the runner in it):
//   DIR/cgroup.procs, read in bounded pieces and re-read until two reads agree, minus
//   the runner itself. Nothing the task forks can leave it.
// - Otherwise a walk of all of /proc for the runner's descendants (PPid chains). It finds
//   everything because the runner is a child subreaper (main.cc): an orphan of the task
//   is re-parented to the runner, never to init, so every live process of the task
//   descends from it. (A runner that is not a subreaper, as in in-process tests, finds
//   only what still has its ancestors.)
// A cgroup that cannot be read falls back to the /proc walk. Zombies are not listed:
// they cannot be signalled and their parent (or the runner) reaps them.
//
// Thread-safety: const methods that only read /proc or the cgroup; any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace borealis::runner {

// Bound on the pids read from one cgroup.procs (a task's pids limit is far lower).
inline constexpr size_t kMaxCgroupPids = 1 << 16;

// A process of the task: from /proc/<pid>/stat, or only its pid (from cgroup.procs).
struct ProcEntry {
  int pid = 0;
  int ppid = 0;  // 0: unknown
  char state = '?';
  int64_t start_ticks = 0;  // field 22; 0: unknown
};

// Parses /proc/<pid>/stat text (the command name may hold spaces and parentheses).
bool parse_proc_entry(std::string_view stat, ProcEntry* out);
// The processes descending from `root` in `table` (not `root` itself), zombies left out.
std::vector<ProcEntry> descendants_of(int root, std::vector<ProcEntry> table);
// Appends the pids of a cgroup.procs text to `out`, at most `max` in all; false when
// the text holds something else than decimal pids, one per line.
bool parse_pid_lines(std::string_view text, size_t max, std::vector<int>* out);

class TaskProcesses {
 public:
  // `cgroup_dir` empty: the /proc walk. `self` is the runner's pid.
  TaskProcesses(std::string cgroup_dir, int self, std::string proc_root = "/proc");

  // Every live process of the task but the runner, in no particular order. An error only
  // when /proc itself cannot be read.
  Result<std::vector<ProcEntry>> list() const;

  // Sends `sig` to each of `processes` (from list()) that is still the process listed;
  // returns how many it signalled. A pid is recycled once its parent reaps it: the
  // runner's own children are signalled by pid (only the runner reaps them); a deeper
  // descendant through a pidfd, after checking that the pid still names the process that
  // started at the listed time. Pids from cgroup.procs are signalled by pid.
  size_t signal(const std::vector<ProcEntry>& processes, int sig) const;

  const std::string& cgroup_dir() const { return cgroup_dir_; }

 private:
  Result<std::vector<ProcEntry>> read_cgroup() const;
  Result<std::vector<int>> read_cgroup_once() const;
  Result<std::vector<ProcEntry>> walk_proc() const;
  bool read_entry(int dir_fd, const char* pid, ProcEntry* out) const;

  std::string cgroup_dir_;
  int self_;
  std::string proc_root_;
};

}  // namespace borealis::runner
