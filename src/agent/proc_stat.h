// Reading /proc: is a runner still the process its checkpoint named, and which
// processes are left in its session. A pid alone proves nothing (pids are recycled), so
// a runner is alive only when the pid exists, is not a zombie, and started at the clock
// tick the checkpoint recorded.
//
// Thread-safety: pure functions (they read /proc).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace borealis::agent {

struct ProcStat {
  int64_t pid = 0;
  char state = '?';  // R, S, D, Z, T, X, ...
  int64_t ppid = 0;
  int64_t pgrp = 0;
  int64_t session = 0;
  int64_t utime_ticks = 0;   // field 14: user CPU, clock ticks
  int64_t stime_ticks = 0;   // field 15: system CPU
  int64_t cutime_ticks = 0;  // field 16: user CPU of reaped children
  int64_t cstime_ticks = 0;  // field 17: system CPU of reaped children
  int64_t start_ticks = 0;   // field 22
  int64_t rss_pages = 0;     // field 24: resident set size
};

// Parses the text of /proc/<pid>/stat; the command name (field 2) may hold spaces and
// parentheses.
std::optional<ProcStat> parse_proc_stat(std::string_view text);
// Reads /proc/<pid>/stat; nullopt when the process does not exist.
std::optional<ProcStat> read_proc_stat(int64_t pid, const std::string& proc_root = "/proc");

enum class Liveness { kAlive, kZombie, kGone };
// kAlive: pid runs and started at `start_ticks` (0 = unknown, any start accepted);
// kZombie: it is that process but it has exited and waits to be reaped; kGone otherwise
// (no such pid, or a different process under a recycled pid).
Liveness runner_liveness(int64_t pid, int64_t start_ticks, const std::string& proc_root = "/proc");

// Every process whose session id is `sid`.
std::vector<ProcStat> processes_in_session(int64_t sid, const std::string& proc_root = "/proc");
// Every process whose parent is `ppid`.
std::vector<ProcStat> children_of(int64_t ppid, const std::string& proc_root = "/proc");
// Every process, reading at most `max_processes` of them (one walk of /proc; processes that
// exit during the walk are skipped).
std::vector<ProcStat> all_processes(size_t max_processes, const std::string& proc_root = "/proc");

}  // namespace borealis::agent
