// One run of a shell health check: `/bin/bash -c COMMAND` in the task's work dir
// (<task dir>/sandbox), as the task's user (when the agent is root and the user is set
// and not root), in a process group of its own, with stdin from /dev/null and
// stdout+stderr to <task dir>/.runner/health_check.out, created anew beneath the task dir
// for each run (its tail goes into a failure's message). Exit 0
// passes. At the timeout the whole group is SIGKILLed. The exit is watched through a
// pidfd on the caller's io_context (no thread, no SIGCHLD handler) and the child is
// always reaped: on completion, on cancel() and when the probe is destroyed.
//
// Ownership: start() returns a handle that keeps the probe alive; pending waits hold it
// too. `done` runs on the io_context's thread at most once (never after cancel()).
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "agent/health_evaluator.h"
#include "common/result.h"

namespace borealis::agent {

// The identity a check runs as, looked up once per task.
struct RunAs {
  bool switch_user = false;
  unsigned uid = 0;
  unsigned gid = 0;
  std::vector<unsigned> groups;
  std::string name;
  std::string home;  // the task's work dir, as the runner sets HOME
};
// The directory checks run in: <task dir>/sandbox, or the task directory itself for a
// task launched by an agent older than that layout (whose processes run there).
std::string check_dir(const std::string& task_dir);

// `user` "" (or the agent's own user, or when the agent is not root): no switch. `sandbox`
// is the task's work dir (HOME).
Result<RunAs> run_as(const std::string& user, const std::string& sandbox);

class ShellProbe {
 public:
  using Done = std::function<void(CheckResult)>;
  // `sandbox` is the task directory (.runner/ and sandbox/ in it).
  static std::shared_ptr<ShellProbe> start(boost::asio::io_context& io, const std::string& command,
                                           const std::string& sandbox, const RunAs& who,
                                           std::chrono::milliseconds timeout, Done done);
  virtual ~ShellProbe() = default;
  // Kills and reaps the check now; `done` is not called.
  virtual void cancel() = 0;
};

}  // namespace borealis::agent
