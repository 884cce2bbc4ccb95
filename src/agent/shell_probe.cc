#include "agent/shell_probe.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "agent/complete_once.h"
#include "agent/file_util.h"
#include "agent/runner_process.h"
#include "common/beneath.h"
#include "common/utf8.h"
#include "taskcontract/sandbox_layout.h"

namespace borealis::agent {

namespace asio = boost::asio;

namespace {

constexpr size_t kOutputTail = 200;
// Read from the end of the output for the tail: trailing blanks are trimmed first.
constexpr int64_t kOutputReadBytes = 4096;

std::string output_tail(const std::string& task_dir) {
  auto fd = open_beneath(task_dir, taskcontract::kHealthCheckOutPath, OpenIntent::kReadFile);
  if (!fd.ok()) return "";
  struct stat st {};
  if (::fstat(fd->get(), &st) != 0) return "";
  auto text = read_at_most(*fd, std::max<int64_t>(0, st.st_size - kOutputReadBytes),
                           static_cast<size_t>(kOutputReadBytes));
  if (!text.ok()) return "";
  std::string s = *text;
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  if (s.size() > kOutputTail) {
    // Keep the end; skip continuation bytes so that no character is split.
    size_t from = s.size() - kOutputTail;
    while (from < s.size() && (static_cast<unsigned char>(s[from]) & 0xC0) == 0x80) ++from;
    s = "..." + s.substr(from);
  }
  return make_valid_utf8(s);  // the task's output: hostile bytes stop here
}

std::string timeout_text(std::chrono::milliseconds d) {
  if (d.count() % 1000 == 0) return std::to_string(d.count() / 1000) + " s";
  return std::to_string(d.count()) + " ms";
}

class ShellRun final : public ShellProbe, public std::enable_shared_from_this<ShellRun> {
 public:
  ShellRun(asio::io_context& io, std::string command, std::string sandbox,
           std::chrono::milliseconds timeout, Done done)
      : command_(std::move(command)),
        task_dir_(std::move(sandbox)),
        work_dir_(check_dir(task_dir_)),
        timeout_(timeout),
        done_(std::move(done)),
        pidfd_(io),
        timer_(io) {}

  ~ShellRun() override { kill_and_reap(); }

  void run(const RunAs& who) {
    std::string error = spawn(who);
    if (!error.empty()) {
      asio::post(timer_.get_executor(), [self = shared_from_this(), error] {
        self->complete({false, false, "`" + self->command_ + "`: " + error});
      });
      return;
    }
    timer_.expires_after(timeout_);
    timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      if (ec || self->pid_ <= 0) return;
      self->timed_out_ = true;
      ::kill(-self->pid_, SIGKILL);  // unreaped, so the group id is still ours
    });
    pidfd_.async_wait(asio::posix::stream_descriptor::wait_read,
                      [self = shared_from_this()](boost::system::error_code ec) {
                        if (!ec) self->on_exit();
                      });
  }

  void cancel() override {
    done_ = nullptr;
    kill_and_reap();
  }

 private:
  std::string spawn(const RunAs& who) {
    // Created anew by root in the root-only .runner/: never an existing file or a link.
    auto out_fd = open_beneath(task_dir_, taskcontract::kHealthCheckOutPath,
                               OpenIntent::kCreateFresh, taskcontract::kRunnerFileMode);
    if (!out_fd.ok()) return out_fd.status().message();
    int out = out_fd->release();
    int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null < 0) {
      ::close(out);
      return "cannot open /dev/null: " + errno_text(errno);
    }
    // Everything the child needs is built before fork: after it only syscalls run.
    std::string home = "HOME=" + who.home, user = "USER=" + who.name,
                logname = "LOGNAME=" + who.name;
    const char* path_env = ::getenv("PATH");
    std::string path = std::string("PATH=") + (path_env ? path_env : "/usr/bin:/bin");
    char* envp[] = {home.data(), user.data(), logname.data(), path.data(), nullptr};
    std::string bash = "/bin/bash", dash_c = "-c";
    char* argv[] = {bash.data(), dash_c.data(), command_.data(), nullptr};
    std::vector<gid_t> groups(who.groups.begin(), who.groups.end());

    pid_t pid = ::fork();
    if (pid == 0) {
      ::setpgid(0, 0);
      sigset_t none;
      sigemptyset(&none);
      ::sigprocmask(SIG_SETMASK, &none, nullptr);
      ::signal(SIGPIPE, SIG_DFL);
      ::dup2(null, 0);
      ::dup2(out, 1);
      ::dup2(out, 2);
      if (::chdir(work_dir_.c_str()) != 0) ::_exit(126);
      if (who.switch_user && (::setgroups(groups.size(), groups.data()) != 0 ||
                              ::setgid(who.gid) != 0 || ::setuid(who.uid) != 0))
        ::_exit(126);
      ::execve(argv[0], argv, envp);
      ::_exit(127);
    }
    int err = errno;
    ::close(out);
    ::close(null);
    if (pid < 0) return "cannot fork: " + errno_text(err);
    pid_ = pid;
    ::setpgid(pid, pid);  // also here, so a kill of the group cannot miss it
    auto fd = open_pidfd(pid);
    if (!fd.ok()) {
      kill_and_reap();
      return fd.status().message();
    }
    pidfd_.assign(*fd);
    return "";
  }

  void on_exit() {
    timer_.cancel();
    if (pid_ <= 0) return;
    ::kill(-pid_, SIGKILL);  // whatever the check left in its group
    siginfo_t info{};
    int rc = ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG);
    pid_ = 0;
    close_pidfd();
    if (rc != 0 || info.si_pid == 0) {
      complete({false, false, "`" + command_ + "`: lost track of the check's process"});
      return;
    }
    CheckResult r;
    r.ok = info.si_code == CLD_EXITED && info.si_status == 0 && !timed_out_;
    if (r.ok) {
      r.detail = "`" + command_ + "` exited 0";
    } else if (timed_out_) {
      r.detail = "`" + command_ + "` timed out after " + timeout_text(timeout_);
    } else {
      r.detail =
          "`" + command_ + "` " +
          (info.si_code == CLD_EXITED ? "exited with status " + std::to_string(info.si_status)
                                      : "was killed by signal " + std::to_string(info.si_status));
      std::string tail = output_tail(task_dir_);
      if (!tail.empty()) r.detail += ": " + tail;
    }
    complete(std::move(r));
  }

  void complete(CheckResult r) { complete_once(done_, std::move(r)); }

  void kill_and_reap() {
    timer_.cancel();
    if (pid_ > 0) {
      ::kill(-pid_, SIGKILL);
      ::kill(pid_, SIGKILL);
      int status = 0;
      while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
      pid_ = 0;
    }
    close_pidfd();
  }

  void close_pidfd() {
    if (!pidfd_.is_open()) return;
    boost::system::error_code ec;
    pidfd_.close(ec);
  }

  std::string command_;
  std::string task_dir_;
  std::string work_dir_;  // the check's working directory
  std::chrono::milliseconds timeout_;
  Done done_;
  asio::posix::stream_descriptor pidfd_;
  asio::steady_timer timer_;
  pid_t pid_ = 0;
  bool timed_out_ = false;
};

}  // namespace

std::string check_dir(const std::string& task_dir) {
  std::string work = taskcontract::work_dir_of(task_dir);
  struct stat st {};
  return ::lstat(work.c_str(), &st) == 0 && S_ISDIR(st.st_mode) ? work : task_dir;
}

Result<RunAs> run_as(const std::string& user, const std::string& sandbox) {
  RunAs who;
  who.home = sandbox;
  uid_t me = ::geteuid();
  std::vector<char> buf(16384);
  passwd pw{};
  passwd* found = nullptr;
  if (user.empty() || me != 0) {
    ::getpwuid_r(me, &pw, buf.data(), buf.size(), &found);
    who.name = found ? found->pw_name : std::to_string(me);
    return who;
  }
  ::getpwnam_r(user.c_str(), &pw, buf.data(), buf.size(), &found);
  if (!found) return not_found("user: no user '" + user + "' on this host");
  who.name = user;
  if (found->pw_uid == 0) return who;
  who.switch_user = true;
  who.uid = found->pw_uid;
  who.gid = found->pw_gid;
  int n = 64;
  std::vector<gid_t> groups(n);
  if (::getgrouplist(user.c_str(), found->pw_gid, groups.data(), &n) < 0) {
    groups.resize(n);
    ::getgrouplist(user.c_str(), found->pw_gid, groups.data(), &n);
  }
  groups.resize(std::max(n, 0));
  who.groups.assign(groups.begin(), groups.end());
  return who;
}

std::shared_ptr<ShellProbe> ShellProbe::start(asio::io_context& io, const std::string& command,
                                              const std::string& sandbox, const RunAs& who,
                                              std::chrono::milliseconds timeout, Done done) {
  auto run = std::make_shared<ShellRun>(io, command, sandbox, timeout, std::move(done));
  run->run(who);
  return run;
}

}  // namespace borealis::agent
