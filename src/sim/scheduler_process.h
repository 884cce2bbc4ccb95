// The scheduler the simulator starts itself (--start-scheduler): a shell command run in its
// own process group, so the simulator can kill -9 it and start it again on the same store.
// Also reads any local process's resident memory.
//
// Threading: one owner thread.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "common/result.h"

namespace borealis::sim {

class SchedulerProcess {
 public:
  // `command` runs under /bin/sh; its output is appended to `log_path`.
  SchedulerProcess(std::string command, std::string log_path);
  ~SchedulerProcess();  // SIGTERM, then SIGKILL after 10 s

  Status start();
  Status kill9();  // and reaps it
  pid_t pid() const { return pid_; }

 private:
  void stop();
  std::string command_;
  std::string log_path_;
  pid_t pid_ = -1;
};

// VmRSS of `pid` from /proc/PID/status, in bytes.
Result<int64_t> resident_bytes(pid_t pid);

}  // namespace borealis::sim
