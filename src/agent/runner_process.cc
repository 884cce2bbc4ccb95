#include "agent/runner_process.h"

#include <fcntl.h>
#include <linux/close_range.h>
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

// The signals a runner must start with at their default disposition.
constexpr int kDefaultSignals[] = {SIGPIPE, SIGHUP,  SIGINT,  SIGTERM,
                                   SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2};

// Steps of a runner's child between fork and exec, reported to the agent on failure.
enum CgroupChildStep : int { kSetsid = 1, kJoinCgroup, kStdio, kExec };

const char* cgroup_step_name(int step) {
  switch (step) {
    case kSetsid:
      return "setsid";
    case kJoinCgroup:
      return "joining its cgroup";
    case kStdio:
      return "redirecting stdio";
    default:
      return "exec";
  }
}

// Runs in the forked child: only async-signal-safe calls, then exec.
[[noreturn]] void exec_in_cgroup(const char* path, char* const argv[], int log,
                                 const std::vector<int>& procs_fds, int report) {
  auto fail = [report](int step) {
    int msg[2] = {step, errno};
    ssize_t ignored = ::write(report, msg, sizeof msg);
    (void)ignored;
    ::_exit(127);
  };
  if (::setsid() < 0) fail(kSetsid);
  // "0" is the writer itself: the runner is in the cgroup before it runs any code.
  for (int fd : procs_fds)
    if (::write(fd, "0", 1) != 1) fail(kJoinCgroup);
  // Best effort: an agent without CAP_SYS_RESOURCE still runs tasks.
  int oom = ::open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
  if (oom >= 0) {
    ssize_t ignored = ::write(oom, "-1000", 5);
    (void)ignored;
  }
  int devnull = ::open("/dev/null", O_RDONLY);
  if (devnull < 0 || ::dup2(devnull, 0) < 0 || ::dup2(log, 1) < 0 || ::dup2(log, 2) < 0)
    fail(kStdio);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig : kDefaultSignals) ::signal(sig, SIG_DFL);
  // Everything but stdio closes at exec (the report pipe stays usable until then).
  ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
  ::execve(path, argv, environ);
  fail(kExec);
  ::_exit(127);  // unreachable
}

Result<int> fork_into_cgroup(const std::string& runner_path, char* const argv[], int log,
                             const RunnerCgroup& cgroup) {
  std::vector<Fd> procs;
  std::vector<int> procs_fds;
  for (const auto& f : cgroup.procs_files) {
    int fd = ::open(f.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return io_error("cannot start runner: cannot open " + f + ": " + errno_text(errno));
    procs.emplace_back(fd);
    procs_fds.push_back(fd);
  }
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0)
    return io_error(std::string("cannot start runner: pipe2: ") + errno_text(errno));
  Fd report_in(report[0]), report_out(report[1]);
  pid_t pid = ::fork();
  if (pid == 0) exec_in_cgroup(runner_path.c_str(), argv, log, procs_fds, report[1]);
  if (pid < 0) return io_error(std::string("cannot start runner: fork: ") + errno_text(errno));
  report_out = Fd();
  int msg[2] = {0, 0};
  ssize_t n;
  do {
    n = ::read(report_in.get(), msg, sizeof msg);
  } while (n < 0 && errno == EINTR);
  if (n != static_cast<ssize_t>(sizeof msg)) return static_cast<int>(pid);
  ::waitpid(pid, nullptr, 0);
  return io_error("cannot start runner " + runner_path + " in cgroup " + cgroup.dir + ": " +
                  cgroup_step_name(msg[0]) + ": " + errno_text(msg[1]));
}

}  // namespace

Result<int> spawn_runner(const std::string& runner_path, const std::string& sandbox,
                         int64_t min_uid, const RunnerCgroup* cgroup) {
  // Opened here, beneath the task dir, rather than by path in the spawn's file actions.
  BOREALIS_ASSIGN_OR_RETURN(Fd log,
                            open_beneath(sandbox, taskcontract::kRunnerLogPath, OpenIntent::kAppend,
                                         taskcontract::kRunnerFileMode));
  std::vector<std::string> args = {runner_path, "--sandbox", sandbox, "--min-uid",
                                   std::to_string(min_uid)};
  if (cgroup) {
    args.push_back("--cgroup");
    args.push_back(cgroup->dir);
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  if (cgroup) return fork_into_cgroup(runner_path, argv.data(), log.get(), *cgroup);

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
  for (int sig : kDefaultSignals) sigaddset(&defaults, sig);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  pid_t pid = 0;
  int rc = posix_spawn(&pid, runner_path.c_str(), &actions, &attr, argv.data(), environ);
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
