#include "agent/runner_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <set>

#include "agent/file_util.h"
#include "agent/proc_stat.h"
#include "common/beneath.h"
#include "taskcontract/sandbox_layout.h"

extern char** environ;

namespace borealis::agent {

namespace {

std::string describe_exit(const siginfo_t& info) {
  if (info.si_code == CLD_EXITED) return "exit status " + std::to_string(info.si_status);
  return "signal " + std::to_string(info.si_status);
}

}  // namespace

Result<int> spawn_runner(const std::string& runner_path, const std::string& sandbox) {
  // Opened here, beneath the task dir, rather than by path in the spawn's file actions.
  BOREALIS_ASSIGN_OR_RETURN(Fd log,
                            open_beneath(sandbox, taskcontract::kRunnerLogPath, OpenIntent::kAppend,
                                         taskcontract::kRunnerFileMode));
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attr);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, log.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, log.get(), 2);
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);

  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int sig : {SIGPIPE, SIGHUP, SIGINT, SIGTERM, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2})
    sigaddset(&defaults, sig);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::string flag = "--sandbox";
  char* argv[] = {const_cast<char*>(runner_path.c_str()), flag.data(),
                  const_cast<char*>(sandbox.c_str()), nullptr};
  pid_t pid = 0;
  int rc = posix_spawn(&pid, runner_path.c_str(), &actions, &attr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return io_error("cannot start runner " + runner_path + ": " + errno_text(rc));
  return static_cast<int>(pid);
}

Result<int> open_pidfd(int64_t pid) {
  // Through syscall(2): glibc 2.36's <sys/pidfd.h> lacks C linkage for C++.
  int fd = static_cast<int>(::syscall(SYS_pidfd_open, static_cast<pid_t>(pid), 0u));
  if (fd < 0) {
    int err = errno;
    if (err == ESRCH) return not_found("process " + std::to_string(pid) + " is gone");
    return io_error("pidfd_open(" + std::to_string(pid) + "): " + errno_text(err));
  }
  // pidfd_open sets close-on-exec on its descriptors.
  return fd;
}

Status pidfd_signal(int pidfd, int sig) {
  if (::syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0u) == 0 || errno == ESRCH)
    return Status();
  return io_error(std::string("pidfd_send_signal: ") + errno_text(errno));
}

std::optional<std::string> reap_pidfd(int pidfd) {
  siginfo_t info{};
  if (::waitid(P_PIDFD, static_cast<id_t>(pidfd), &info, WEXITED | WNOHANG) != 0)
    return std::nullopt;
  if (info.si_pid == 0) return std::nullopt;
  return describe_exit(info);
}

std::optional<std::string> reap_pid(int64_t pid) {
  siginfo_t info{};
  if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG) != 0) return std::nullopt;
  if (info.si_pid == 0) return std::nullopt;
  return describe_exit(info);
}

std::vector<int64_t> signal_session_groups(int64_t sid, const std::vector<int64_t>& groups,
                                           int sig) {
  std::set<int64_t> live;
  for (const auto& p : processes_in_session(sid))
    if (p.state != 'Z') live.insert(p.pgrp);
  std::vector<int64_t> out;
  for (int64_t g : groups) {
    if (g <= 1 || !live.contains(g)) continue;
    if (::kill(static_cast<pid_t>(-g), sig) == 0) out.push_back(g);
  }
  return out;
}

}  // namespace borealis::agent
