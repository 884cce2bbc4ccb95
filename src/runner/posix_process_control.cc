#include "runner/posix_process_control.h"

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/beneath.h"
#include "runner/diag.h"
#include "runner/log_file.h"
#include "taskcontract/sandbox_layout.h"

namespace borealis::runner {

namespace {

constexpr char kBash[] = "/bin/bash";

// Steps of the child between fork and exec, reported to the parent on failure.
enum ChildStep : int { kSetpgid = 1, kStdio, kChdir, kSetgroups, kSetgid, kSetuid, kExec };

const char* step_name(int step) {
  switch (step) {
    case kSetpgid:
      return "setpgid";
    case kStdio:
      return "redirecting stdio";
    case kChdir:
      return "chdir to the work dir";
    case kSetgroups:
      return "setgroups";
    case kSetgid:
      return "setgid";
    case kSetuid:
      return "setuid";
    case kExec:
      return "exec /bin/bash";
  }
  return "?";
}

void close_fd(int fd) {
  if (fd >= 0) ::close(fd);
}

// Runs in the forked child: only async-signal-safe calls, then exec.
// `envp[profile_slot]` is BASH_ENV=<work dir>/.thermos_profile: it is dropped unless the
// file exists, which is checked, as Thermos does, once the child is the task's user, so the
// root runner never looks at the task's file.
[[noreturn]] void exec_child(const LaunchOptions& o, int in, int out, int err, int report,
                             char* const argv[], char** envp, size_t profile_slot,
                             const char* profile) {
  auto fail = [report](int step) {
    int msg[2] = {step, errno};
    ssize_t ignored = ::write(report, msg, sizeof msg);
    (void)ignored;
    ::_exit(127);
  };
  if (::setpgid(0, 0) != 0) fail(kSetpgid);
  // The agent shields the runner from the OOM killer (-1000); its processes are fair game.
  if (int oom = ::open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC); oom >= 0) {
    ssize_t ignored = ::write(oom, "0", 1);
    (void)ignored;
    ::close(oom);
  }
  // The runner blocks and ignores signals for itself; the task gets the defaults.
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::signal(SIGPIPE, SIG_DFL);
  ::signal(SIGHUP, SIG_DFL);
  if (::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0) fail(kStdio);
  if (::chdir(o.sandbox.c_str()) != 0) fail(kChdir);
  if (o.ids) {
    if (::setgroups(o.ids->groups.size(), o.ids->groups.data()) != 0) fail(kSetgroups);
    if (::setgid(o.ids->gid) != 0) fail(kSetgid);
    if (::setuid(o.ids->uid) != 0) fail(kSetuid);
  }
  if (::access(profile, F_OK) != 0) envp[profile_slot] = nullptr;
  ::execve(kBash, argv, envp);
  fail(kExec);
  ::_exit(127);  // unreachable
}

}  // namespace

PosixProcessControl::PosixProcessControl(LaunchOptions options, LogPump& pump)
    : options_(std::move(options)),
      pump_(pump),
      profile_(options_.sandbox + "/" + kThermosProfile),
      processes_(options_.cgroup_dir, ::getpid()) {
  env_.push_back("HOME=" + options_.sandbox);
  env_.push_back("USER=" + options_.user);
  env_.push_back("LOGNAME=" + options_.user);
  env_.push_back("PATH=" + options_.path_env);
  env_.push_back("BASH_ENV=" + profile_);  // last: exec_child drops it without the file
}

PosixProcessControl::~PosixProcessControl() { close_fd(options_.logs_dir_fd); }

Result<Fd> PosixProcessControl::open_run_dir(const std::string& process, int64_t run) {
  // Directories with *at() calls from the .logs descriptor, files through beneath.h: no
  // link is followed even if one appeared (.logs is the runner's; the runner may be root).
  // .logs is setgid, so what is made here gets the task's group.
  std::string run_name = std::to_string(run);
  if (::mkdirat(options_.logs_dir_fd, process.c_str(), taskcontract::kLogsDirMode) != 0 &&
      errno != EEXIST)
    return io_error("cannot create .logs/" + process + ": " + std::strerror(errno));
  Fd logs(::dup(options_.logs_dir_fd));
  if (!logs.valid()) return io_error(std::string("dup: ") + std::strerror(errno));
  BOREALIS_ASSIGN_OR_RETURN(Fd proc_dir,
                            open_beneath(logs, ".logs", process, OpenIntent::kDirectory));
  if (::mkdirat(proc_dir.get(), run_name.c_str(), taskcontract::kLogsDirMode) != 0 &&
      errno != EEXIST)
    return io_error("cannot create .logs/" + process + "/" + run_name + ": " +
                    std::strerror(errno));
  return open_beneath(proc_dir, ".logs/" + process, run_name, OpenIntent::kDirectory);
}

Result<PosixProcessControl::ChildOutput> PosixProcessControl::open_output(
    const ProcessSpec& process, int64_t run) {
  const taskcontract::LogPolicy& log = process.log;
  ChildOutput child;
  if (!log.to_file() && !log.to_console()) {  // none: the bytes go nowhere, at no cost
    child.out = Fd(::open("/dev/null", O_WRONLY | O_CLOEXEC));
    child.err = Fd(::open("/dev/null", O_WRONLY | O_CLOEXEC));
    if (!child.out.valid() || !child.err.valid())
      return io_error(std::string("cannot open /dev/null: ") + std::strerror(errno));
    return child;
  }
  Fd run_dir;
  std::string where = ".logs/" + process.name + "/" + std::to_string(run);
  if (log.to_file()) {
    BOREALIS_ASSIGN_OR_RETURN(run_dir, open_run_dir(process.name, run));
  }
  if (!log.piped()) {  // file, standard: the process appends to its files itself
    BOREALIS_ASSIGN_OR_RETURN(child.out, open_beneath(run_dir, where, "stdout", OpenIntent::kAppend,
                                                      taskcontract::kLogFileMode));
    BOREALIS_ASSIGN_OR_RETURN(child.err, open_beneath(run_dir, where, "stderr", OpenIntent::kAppend,
                                                      taskcontract::kLogFileMode));
    return child;
  }
  int64_t max_bytes = log.mode == taskcontract::LogMode::kRotate ? log.log_size : 0;
  for (int stream : {1, 2}) {
    const char* name = stream == 1 ? "stdout" : "stderr";
    std::optional<LogFile> file;
    if (run_dir.valid()) {
      Fd dir(::dup(run_dir.get()));
      if (!dir.valid()) return io_error(std::string("dup: ") + std::strerror(errno));
      BOREALIS_ASSIGN_OR_RETURN(file,
                                LogFile::open(std::move(dir), where, name, max_bytes, log.backups));
    }
    int ends[2];
    if (::pipe2(ends, O_CLOEXEC) != 0)
      return io_error(std::string("cannot make a pipe for ") + name + ": " + std::strerror(errno));
    (stream == 1 ? child.out : child.err) = Fd(ends[1]);
    pump_.add(Fd(ends[0]), std::move(file), log.to_console() ? stream : -1,
              process.name + "/" + std::to_string(run) + "/" + name);
  }
  return child;
}

Result<int> PosixProcessControl::start(const ProcessSpec& process, int64_t run) {
  BOREALIS_ASSIGN_OR_RETURN(ChildOutput output, open_output(process, run));
  int out = output.out.release(), err = output.err.release();
  int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  int report[2] = {-1, -1};
  if (in < 0 || ::pipe2(report, O_CLOEXEC) != 0) {
    Status st = io_error(std::string("cannot prepare the child: ") + std::strerror(errno));
    for (int fd : {in, out, err, report[0], report[1]}) close_fd(fd);
    return st;
  }
  // Everything the child needs is built before fork.
  std::string cmdline = process.cmdline;
  char arg0[] = "bash";
  char arg1[] = "-c";
  char* argv[] = {arg0, arg1, cmdline.data(), nullptr};
  std::vector<char*> envp;
  for (std::string& e : env_) envp.push_back(e.data());
  envp.push_back(nullptr);

  pid_t pid = ::fork();
  if (pid == 0)
    exec_child(options_, in, out, err, report[1], argv, envp.data(), envp.size() - 2,
               profile_.c_str());
  int fork_errno = errno;
  for (int fd : {in, out, err, report[1]}) close_fd(fd);
  if (pid < 0) {
    ::close(report[0]);
    return io_error(std::string("fork: ") + std::strerror(fork_errno));
  }
  pump_.set_pid(static_cast<int>(pid));
  // EOF on the pipe means exec succeeded (the write end closed on exec).
  int msg[2] = {0, 0};
  ssize_t n;
  do {
    n = ::read(report[0], msg, sizeof msg);
  } while (n < 0 && errno == EINTR);
  ::close(report[0]);
  if (n == static_cast<ssize_t>(sizeof msg)) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return io_error(std::string(step_name(msg[0])) + ": " + std::strerror(msg[1]));
  }
  return static_cast<int>(pid);
}

void PosixProcessControl::signal_group(int pgid, int sig) {
  if (pgid > 0) ::kill(-pgid, sig);  // ESRCH: the group is already gone
}

std::optional<size_t> PosixProcessControl::signal_task(int sig) {
  auto pids = processes_.list();
  if (!pids.ok()) {
    diag("cannot list the task's processes: %s", pids.status().to_string().c_str());
    return std::nullopt;
  }
  return processes_.signal(*pids, sig);
}

std::optional<size_t> PosixProcessControl::count_task() {
  auto pids = processes_.list();
  if (!pids.ok()) return std::nullopt;
  return pids->size();
}

}  // namespace borealis::runner
