#include "sim/scheduler_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <thread>

namespace borealis::sim {

SchedulerProcess::SchedulerProcess(std::string command, std::string log_path)
    : command_(std::move(command)), log_path_(std::move(log_path)) {}

SchedulerProcess::~SchedulerProcess() { stop(); }

Status SchedulerProcess::start() {
  int log = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) return io_error("scheduler log '" + log_path_ + "': " + std::strerror(errno));
  std::string exec = "exec " + command_;
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(log);
    return io_error(std::string("fork for the scheduler: ") + std::strerror(errno));
  }
  if (pid == 0) {
    ::setpgid(0, 0);
    // A simulator that dies takes its scheduler with it: no scheduler is left holding the port.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    ::dup2(log, STDOUT_FILENO);
    ::dup2(log, STDERR_FILENO);
    ::execl("/bin/sh", "sh", "-c", exec.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(log);
  pid_ = pid;
  return Status::ok_status();
}

Status SchedulerProcess::kill9() {
  if (pid_ <= 0) return failed_precondition("no scheduler started");
  if (::kill(pid_, SIGKILL) != 0)
    return io_error("kill -9 " + std::to_string(pid_) + ": " + std::strerror(errno));
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
  return Status::ok_status();
}

void SchedulerProcess::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  for (int i = 0; i < 100; ++i) {
    if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

Result<int64_t> resident_bytes(pid_t pid) {
  std::string path = "/proc/" + std::to_string(pid) + "/status";
  std::ifstream in(path);
  if (!in) return not_found("cannot read " + path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) != 0) continue;
    long long kb = 0;
    if (std::sscanf(line.c_str(), "VmRSS: %lld kB", &kb) != 1)
      return internal_error(path + ": cannot read '" + line + "'");
    return static_cast<int64_t>(kb) * 1024;
  }
  return not_found(path + " has no VmRSS line");
}

}  // namespace borealis::sim
