// Starting and ending runner processes: the OS side of a task's life on the agent.
//
// A runner is started in a new session (it must outlive the agent), with stdin from
// /dev/null, stdout and stderr appended to <sandbox>/.runner/runner.log, default signal
// dispositions and an empty signal mask (the agent blocks signals it reads itself), and
// no descriptor of the agent's but those three. Its exit is watched through a pidfd,
// which works for a child and for a runner adopted after an agent restart alike.
//
// Thread-safety: free functions; no shared state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace borealis::agent {

// The task's cgroup for a runner (task_cgroup.h): the runner joins it before exec, so
// every process it starts is in it from the first instruction.
struct RunnerCgroup {
  std::vector<std::string> procs_files;  // the cgroup.procs to write itself into
  std::string dir;                       // passed as --cgroup DIR
};

// Starts `runner_path --sandbox <sandbox> --min-uid <min_uid> [--cgroup DIR]` and returns
// its pid. With a cgroup, the runner also gets oom_score_adj -1000, so the OOM killer picks
// a task process over its supervisor (the runner resets it to 0 for the processes it
// starts). An error means no runner runs (for example the executable is missing, or the
// cgroup cannot be joined).
Result<int> spawn_runner(const std::string& runner_path, const std::string& sandbox,
                         int64_t min_uid, const RunnerCgroup* cgroup = nullptr);

// A pidfd for `pid` (close-on-exec); kNotFound when the process is gone.
Result<int> open_pidfd(int64_t pid);

// Signals the process of `pidfd` (race-free: never a recycled pid). A process already
// gone is not an error.
Status pidfd_signal(int pidfd, int sig);

// When `pidfd` names a child of ours that has exited, reaps it and returns how it ended
// ("exit status 1", "signal 9"); nullopt when it is not our child or still running.
std::optional<std::string> reap_pidfd(int pidfd);
// Reaps `pid` if it is an exited child of ours (for zombies found at re-attach).
std::optional<std::string> reap_pid(int64_t pid);

// Sends `sig` to each process group in `groups` that still has a member in session
// `sid` (the runner's session: its pid). Checking the session keeps a recycled group id
// of an unrelated process safe. Returns the groups signalled.
std::vector<int64_t> signal_session_groups(int64_t sid, const std::vector<int64_t>& groups,
                                           int sig);

}  // namespace borealis::agent
