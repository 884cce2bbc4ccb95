// One shell command in a task's work dir, as the task's user: what a shell health check
// (shell_probe.h) and `POST /api/v1/tasks/ID/run` (task_run.h) both run.
//
// `/bin/bash -c COMMAND` runs in `work_dir` as `who` (TaskUsers decides: setgroups, setgid,
// setuid, each checked; never the agent's root unless `who` says so), in a process group of
// its own, with stdin from /dev/null and stdout and stderr to `output`. At the timeout the
// whole group is SIGKILLed, and so is whatever the command left in it when it ends. The exit
// is watched through a pidfd on the caller's io_context (no thread, no SIGCHLD handler) and
// the child is always reaped: on completion, on cancel() and when the handle is destroyed.
//
// Ownership: start() returns a handle that keeps the command alive; pending waits hold it
// too. `done` runs on the io_context's thread exactly once (never after cancel()).
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "agent/task_user.h"

namespace borealis::agent {

struct CommandEnd {
  std::string error;  // it could not start, or its end was lost: nothing below holds then
  bool timed_out = false;
  std::optional<int> exit_code;  // it exited by itself
  std::optional<int> signal;     // a signal ended it (SIGKILL when it timed out)
};

class SandboxCommand {
 public:
  using Done = std::function<void(CommandEnd)>;
  // `output` is the descriptor the command's stdout and stderr go to; the caller keeps it
  // (the child has its own copy).
  static std::shared_ptr<SandboxCommand> start(boost::asio::io_context& io,
                                               const std::string& command,
                                               const std::string& work_dir, const RunAs& who,
                                               int output, std::chrono::milliseconds timeout,
                                               Done done);
  virtual ~SandboxCommand() = default;
  // Kills and reaps the command now; `done` is not called.
  virtual void cancel() = 0;
};

}  // namespace borealis::agent
