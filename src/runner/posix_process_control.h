// PosixProcessControl: starts process runs for real. Each run is `/bin/bash -c <cmdline>`
// (as Thermos does), forked into a new process group whose id is its pid, with cwd and
// HOME set to the task's work dir (<task dir>/sandbox), stdin from /dev/null, and
// stdout/stderr appended to <task dir>/.logs/<process>/<run>/stdout|stderr (mode 0640).
// The environment is Thermos' clean one: HOME, USER, LOGNAME, PATH (the runner's, or a
// default), plus BASH_ENV when the work dir has a .thermos_profile. When `ids` is set (the runner
// is root and the task names another user) the child switches to that user before exec.
//
// signal_task() and count_task() list the task's processes with TaskProcesses (its
// cgroup, or the runner's descendants in /proc).
//
// start() returns once bash has been exec'd (or failed to be: that is an error, and the
// child is reaped), so a pid it returns is a running bash.
//
// Ownership: holds `logs_dir_fd` (an open descriptor of <task dir>/.logs) and closes it.
// Thread-safety: the runner's one thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "runner/process_control.h"
#include "runner/task_processes.h"
#include "runner/user_db.h"

namespace borealis::runner {

struct LaunchOptions {
  std::string sandbox;   // the work dir: cwd and HOME
  int logs_dir_fd = -1;  // <task dir>/.logs, opened O_DIRECTORY
  std::string user;      // USER and LOGNAME
  std::string path_env;  // PATH
  std::optional<UserIds> ids;
  std::string cgroup_dir;  // the task's cgroup (--cgroup); empty: walk /proc
};

class PosixProcessControl final : public ProcessControl {
 public:
  explicit PosixProcessControl(LaunchOptions options);
  ~PosixProcessControl() override;
  PosixProcessControl(const PosixProcessControl&) = delete;
  PosixProcessControl& operator=(const PosixProcessControl&) = delete;

  Result<int> start(const ProcessSpec& process, int64_t run) override;
  void signal_group(int pgid, int sig) override;
  std::optional<size_t> signal_task(int sig) override;
  std::optional<size_t> count_task() override;

 private:
  // Creates .logs/<process>/<run>/ and opens stdout and stderr in it.
  Status open_logs(const std::string& process, int64_t run, int* out, int* err);

  LaunchOptions options_;
  std::vector<std::string> env_;
  TaskProcesses processes_;
};

}  // namespace borealis::runner
