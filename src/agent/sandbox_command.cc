#include "agent/sandbox_command.h"

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <vector>

#include "agent/complete_once.h"
#include "agent/file_util.h"
#include "agent/runner_process.h"

namespace borealis::agent {

namespace asio = boost::asio;

namespace {

class CommandRun final : public SandboxCommand, public std::enable_shared_from_this<CommandRun> {
 public:
  CommandRun(asio::io_context& io, std::string command, std::string work_dir,
             std::chrono::milliseconds timeout, Done done)
      : command_(std::move(command)),
        work_dir_(std::move(work_dir)),
        timeout_(timeout),
        done_(std::move(done)),
        pidfd_(io),
        timer_(io) {}

  ~CommandRun() override { kill_and_reap(); }

  void run(const RunAs& who, int output) {
    std::string error = spawn(who, output);
    if (!error.empty()) {
      asio::post(timer_.get_executor(), [self = shared_from_this(), error] {
        self->complete(CommandEnd{.error = error});
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
  std::string spawn(const RunAs& who, int out) {
    int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null < 0) return "cannot open /dev/null: " + errno_text(errno);
    // Everything the child needs is built before fork: after it only syscalls run.
    std::vector<std::string> env = run_as_environment(who);
    std::vector<char*> envp;
    for (std::string& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
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
      if (!switch_to_user(who, groups)) {
        static constexpr char kMessage[] = "cannot switch to the task's user\n";
        ssize_t ignored = ::write(2, kMessage, sizeof kMessage - 1);
        (void)ignored;
        ::_exit(126);
      }
      ::execve(argv[0], argv, envp.data());
      ::_exit(127);
    }
    int err = errno;
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
    ::kill(-pid_, SIGKILL);  // whatever the command left in its group
    siginfo_t info{};
    int rc = ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG);
    pid_ = 0;
    close_pidfd();
    if (rc != 0 || info.si_pid == 0) {
      complete(CommandEnd{.error = "lost track of the command's process"});
      return;
    }
    CommandEnd end;
    end.timed_out = timed_out_;
    if (info.si_code == CLD_EXITED)
      end.exit_code = info.si_status;
    else
      end.signal = info.si_status;
    complete(std::move(end));
  }

  void complete(CommandEnd end) { complete_once(done_, std::move(end)); }

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
  std::string work_dir_;
  std::chrono::milliseconds timeout_;
  Done done_;
  asio::posix::stream_descriptor pidfd_;
  asio::steady_timer timer_;
  pid_t pid_ = 0;
  bool timed_out_ = false;
};

}  // namespace

std::shared_ptr<SandboxCommand> SandboxCommand::start(asio::io_context& io,
                                                      const std::string& command,
                                                      const std::string& work_dir, const RunAs& who,
                                                      int output, std::chrono::milliseconds timeout,
                                                      Done done) {
  auto run = std::make_shared<CommandRun>(io, command, work_dir, timeout, std::move(done));
  run->run(who, output);
  return run;
}

}  // namespace borealis::agent
