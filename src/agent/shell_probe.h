// One run of a shell health check: a SandboxCommand (sandbox_command.h: `/bin/bash -c
// COMMAND` in the task's work dir, <task dir>/sandbox, as `who`, in a process group of its
// own, SIGKILLed at the timeout, always reaped) with stdout+stderr to
// <task dir>/.runner/health_check.out, created anew beneath the task dir for each run (its
// tail goes into a failure's message). Exit 0 passes.
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
#include "agent/task_user.h"
#include "common/result.h"

namespace borealis::agent {

// The directory checks run in: <task dir>/sandbox, or the task directory itself for a
// task launched by an agent older than that layout (whose processes run there).
std::string check_dir(const std::string& task_dir);

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
