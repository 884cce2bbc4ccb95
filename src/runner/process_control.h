// The seam between the task state machine and the operating system: starting a process
// run, signalling a process group, and signalling every process of the task. PosixProcessControl is
// the real one; tests of the state machine use a fake that records calls and hands out pids.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

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
  // Sends `sig` to every live process of the task but the runner (its runs, what they
  // forked, what left their group or session) and returns how many it signalled;
  // nullopt when the task's processes cannot be listed (then only groups can be signalled).
  virtual std::optional<size_t> signal_task(int sig) = 0;
  // How many live processes the task has besides the runner; nullopt as above.
  virtual std::optional<size_t> count_task() = 0;
};

}  // namespace borealis::runner
