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

// Starts `runner_path --sandbox <sandbox> --min-uid <min_uid>` and returns its pid. An
// error means no runner runs (for example the executable is missing).
Result<int> spawn_runner(const std::string& runner_path, const std::string& sandbox,
                         int64_t min_uid);

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
