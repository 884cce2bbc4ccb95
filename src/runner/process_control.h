// The seam between the task state machine and the operating system: starting a process
// run and signalling a process group. PosixProcessControl is the real one; tests of the
// state machine use a fake that records calls and hands out pids.
#pragma once

#include <cstdint>

#include "common/result.h"
#include "runner/task_spec.h"

namespace borealis::runner {

class ProcessControl {
 public:
  virtual ~ProcessControl() = default;
  // Starts run `run` (from 0) of `process` as the leader of a new process group and
  // returns its pid (which is also the group id). An error means nothing is running.
  virtual Result<int> start(const ProcessSpec& process, int64_t run) = 0;
  // Sends `sig` to every process in group `pgid`; a group already gone is not an error.
  virtual void signal_group(int pgid, int sig) = 0;
};

}  // namespace borealis::runner
