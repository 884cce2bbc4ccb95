// borealis-runner: runs one task in its sandbox (docs/internals/runner-sandbox.md).
//   borealis-runner --sandbox <dir> [--kill-grace-ms N] [--min-uid N]
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "common/strings.h"
#include "runner/runner.h"

namespace {

struct Flag {
  const char* name;
  const char* value;
  const char* help;
};

constexpr Flag kFlags[] = {
    {"--sandbox", "DIR", "the task directory (required); reads DIR/.runner/task.json"},
    {"--kill-grace-ms", "N", "milliseconds between SIGTERM and SIGKILL when killing (5000)"},
    {"--min-uid", "N",
     "when root, refuse a task user below this uid (1000; the agent passes 0 for the roles it "
     "allows to run as root)"},
    {"--cgroup", "DIR",
     "the task's cgroup (the agent's); its cgroup.procs lists every process of the task"},
    {"--help", "", "print this help"},
};

void usage(FILE* out) {
  std::fprintf(out, "usage: borealis-runner --sandbox DIR [options]\n");
  for (const Flag& f : kFlags) std::fprintf(out, "  %-16s %-4s %s\n", f.name, f.value, f.help);
}

// Becomes a session leader (surviving the agent) even when started without setsid.
bool become_session_leader() {
  if (::getsid(0) == ::getpid()) return true;
  if (::setsid() >= 0) return true;
  if (errno != EPERM) return false;
  // A process group leader cannot setsid: continue in a child.
  pid_t pid = ::fork();
  if (pid < 0) return false;
  if (pid > 0) ::_exit(0);
  return ::setsid() >= 0;
}

}  // namespace

int main(int argc, char** argv) {
  using borealis::runner::kExitNoSandbox;
  // Block the signals the runner reads from a signalfd before anything else, so an early
  // SIGTERM is handled as a kill instead of ending the runner without a record.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGCHLD);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  ::sigprocmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGHUP, SIG_IGN);
  ::signal(SIGPIPE, SIG_IGN);

  borealis::runner::RunnerOptions options;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    std::string_view value;
    size_t eq = arg.find('=');
    if (eq != std::string_view::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    } else if (arg != "--help" && i + 1 < argc) {
      value = argv[++i];
    }
    if (arg == "--help") {
      usage(stdout);
      return 0;
    } else if (arg == "--sandbox") {
      options.sandbox = std::string(value);
    } else if (arg == "--cgroup") {
      options.cgroup = std::string(value);
    } else if (arg == "--kill-grace-ms" || arg == "--min-uid") {
      auto n = borealis::parse_int64(value);
      if (!n || *n < 0) {
        std::fprintf(stderr, "borealis-runner: %s: expected a number, 0 or more\n",
                     std::string(arg).c_str());
        return kExitNoSandbox;
      }
      (arg == "--min-uid" ? options.min_uid : options.kill_grace_ms) = *n;
    } else {
      std::fprintf(stderr, "borealis-runner: unknown flag '%s'\n", argv[i]);
      usage(stderr);
      return kExitNoSandbox;
    }
  }
  if (options.sandbox.empty() || options.sandbox[0] != '/') {
    std::fprintf(stderr, "borealis-runner: --sandbox needs an absolute directory\n");
    usage(stderr);
    return kExitNoSandbox;
  }
  if (!become_session_leader()) {
    std::fprintf(stderr, "borealis-runner: setsid: %s\n", std::strerror(errno));
    return kExitNoSandbox;
  }
  // Orphans of the task's processes are re-parented to the runner, which reaps them and
  // kills them when the task ends.
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  return borealis::runner::run_task(options);
}
