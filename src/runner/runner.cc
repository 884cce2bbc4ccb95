#include "runner/runner.h"

#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>

#include "runner/checkpoint.h"
#include "runner/diag.h"
#include "runner/monotonic_clock.h"
#include "runner/posix_process_control.h"
#include "runner/task_dirs.h"
#include "runner/task_machine.h"
#include "runner/task_spec.h"
#include "runner/user_db.h"
#include "taskcontract/runtime_refs.h"
#include "taskcontract/sandbox_layout.h"

namespace borealis::runner {

namespace {

constexpr char kDefaultPath[] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

sigset_t runner_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGCHLD);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

// Field 22 of /proc/self/stat: start time in clock ticks since boot.
int64_t read_start_ticks() {
  int fd = ::open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char buf[1024];
  ssize_t n = ::read(fd, buf, sizeof buf - 1);
  ::close(fd);
  if (n <= 0) return 0;
  buf[n] = '\0';
  const char* p = std::strrchr(buf, ')');  // the command name may hold spaces and ')'
  if (!p) return 0;
  // After ") " come fields 3, 4, ...; field 22 is the 20th of them.
  for (int field = 2; field < 22 && p; ++field) p = std::strchr(p + 1, ' ');
  return p ? std::strtoll(p + 1, nullptr, 10) : 0;
}

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

// What setup hands to the loop.
struct Prepared {
  TaskSpec task;
  LaunchOptions launch;
};

Result<Prepared> prepare(const RunnerOptions& o) {
  BOREALIS_ASSIGN_OR_RETURN(LaunchSpec spec, load_launch_spec(o.sandbox));
  Prepared p;
  p.launch.sandbox = o.sandbox;
  p.launch.cgroup_dir = o.cgroup_dir;
  p.launch.path_env = env_or("PATH", kDefaultPath);
  std::string user = spec.user;
  auto ids = task_user_ids(user, o.min_uid, ::geteuid());
  if (!ids.ok()) return ids.status().with_context("user");
  p.launch.ids = std::move(ids).value();
  if (user.empty()) {
    user = env_or("USER", env_or("LOGNAME", "").c_str());
  } else if (::geteuid() != 0) {
    auto found = lookup_user(user);
    if (!found.ok() || found->uid != ::geteuid())
      diag("not root: processes run as uid %d, not as the task's user '%s'",
           static_cast<int>(::geteuid()), user.c_str());
  }
  p.launch.user = user;
  if (spec.hostname.empty()) {
    struct utsname u {};
    if (::uname(&u) == 0) spec.hostname = u.nodename;
  }
  BOREALIS_RETURN_IF_ERROR(taskcontract::bind_runtime_references(&spec, user));

  // Processes run in sandbox/ as the task's user; the task dir, .runner and .logs stay
  // the runner's.
  BOREALIS_ASSIGN_OR_RETURN(TaskDirs dirs, make_task_dirs(o.sandbox, p.launch.ids));
  p.launch.sandbox = dirs.work_dir;
  p.launch.logs_dir_fd = dirs.logs.release();
  p.task = std::move(spec.task);
  return p;
}

ExitStatus exit_status(int wait_status) {
  if (WIFSIGNALED(wait_status)) return {true, WTERMSIG(wait_status)};
  return {false, WEXITSTATUS(wait_status)};
}

// Reaps every exited child. A run's leftover group members (its background children)
// are SIGKILLed before the run's pid is released, as Thermos does when a run ends, so
// the group id cannot have been reused.
void reap_children(TaskMachine& machine, const Clock& clock) {
  while (true) {
    siginfo_t info{};
    if (::waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid == 0) return;
    pid_t pid = info.si_pid;
    bool ours = machine.has_run(pid);
    if (ours) ::kill(-pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (ours) machine.on_exit(pid, exit_status(status), clock.now_ms());
  }
}

void read_signals(int sfd, TaskMachine& machine, const Clock& clock) {
  struct signalfd_siginfo si[8];
  while (true) {
    ssize_t n = ::read(sfd, si, sizeof si);
    if (n <= 0) return;  // EAGAIN: drained
    for (size_t i = 0; i < static_cast<size_t>(n) / sizeof si[0]; ++i) {
      int sig = static_cast<int>(si[i].ssi_signo);
      if (sig == SIGTERM || sig == SIGINT) {
        diag("got %s from pid %u: killing the task", sig == SIGTERM ? "SIGTERM" : "SIGINT",
             si[i].ssi_pid);
        machine.kill(clock.now_ms(), std::string("killed: the runner got ") +
                                         (sig == SIGTERM ? "SIGTERM" : "SIGINT"));
      }
    }
  }
}

int run_blocked(const RunnerOptions& o, const sigset_t& signals) {
  // Only a .runner/ no one else can write is safe to open the checkpoint in by path.
  Status private_dir = check_task_dir(o.sandbox);
  auto opened = private_dir.ok()
                    ? CheckpointWriter::open_exclusive(
                          o.sandbox + "/" + taskcontract::kCheckpointPath, SystemClock::instance())
                    : Result<std::unique_ptr<CheckpointWriter>>(private_dir);
  if (!opened.ok()) {
    diag("cannot start: %s", opened.status().to_string().c_str());
    return kExitNoSandbox;
  }
  CheckpointWriter& checkpoint = **opened;
  Record header;
  header.type = Record::Type::kRunner;
  header.pid = ::getpid();
  header.start_ticks = read_start_ticks();
  checkpoint.write(header);

  auto fail = [&checkpoint](const Status& st) {
    diag("task FAILED: %s", st.to_string().c_str());
    Record r;
    r.type = Record::Type::kTask;
    r.state = "FAILED";
    r.message = st.message();
    checkpoint.write(std::move(r));
    return kExitFailed;
  };
  int sfd = ::signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK);
  if (sfd < 0) return fail(io_error(std::string("signalfd: ") + std::strerror(errno)));
  std::unique_ptr<PosixProcessControl> control;
  std::unique_ptr<TaskMachine> machine_owner;
  {  // what setup parsed is freed at the end of this block, before the runner goes idle
    auto prepared = prepare(o);
    if (!prepared.ok()) {
      ::close(sfd);
      return fail(prepared.status());
    }
    MachineOptions mo;
    mo.kill_grace_ms = o.kill_grace_ms;
    mo.reap_timeout_ms = o.reap_timeout_ms;
    control = std::make_unique<PosixProcessControl>(std::move(prepared->launch));
    machine_owner =
        std::make_unique<TaskMachine>(std::move(prepared->task), mo, *control, checkpoint);
  }
  TaskMachine& machine = *machine_owner;
  diag("task %s: %zu processes in %s", machine.task().name.c_str(), machine.task().processes.size(),
       o.sandbox.c_str());
  ::malloc_trim(0);

  MonotonicClock clock;
  machine.start(clock.now_ms());
  while (!machine.terminal()) {
    int timeout = -1;
    if (auto wake = machine.next_wakeup()) {
      TimeMs wait = *wake - clock.now_ms();
      timeout = wait <= 0 ? 0 : static_cast<int>(wait > INT_MAX ? INT_MAX : wait);
    }
    struct pollfd pfd {
      sfd, POLLIN, 0
    };
    if (::poll(&pfd, 1, timeout) < 0 && errno != EINTR) {
      ::close(sfd);
      return fail(io_error(std::string("poll: ") + std::strerror(errno)));
    }
    read_signals(sfd, machine, clock);
    reap_children(machine, clock);
    machine.on_timer(clock.now_ms());
  }
  ::close(sfd);
  diag("task %s", std::string(task_state_name(machine.state())).c_str());
  return machine.state() == TaskState::kFailed ? kExitFailed : kExitSuccess;
}

}  // namespace

int run_task(const RunnerOptions& options) {
  sigset_t signals = runner_signals();
  sigset_t old;
  ::sigprocmask(SIG_BLOCK, &signals, &old);
  int rc = run_blocked(options, signals);
  // Consume what is still pending so restoring the mask does not deliver it to a caller
  // that keeps running (tests run the loop in-process).
  struct timespec zero {};
  while (::sigtimedwait(&signals, nullptr, &zero) > 0) {
  }
  ::sigprocmask(SIG_SETMASK, &old, nullptr);
  return rc;
}

}  // namespace borealis::runner
