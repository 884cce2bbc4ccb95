#include "agent/task_shell.h"

#include <fcntl.h>
#include <grp.h>
#include <pty.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "agent/file_util.h"
#include "agent/proc_stat.h"
#include "agent/runner_process.h"

namespace borealis::agent {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

// Output still coming after the shell exited (a background job holding the terminal) is
// relayed this long at most.
constexpr auto kDrainAfterExit = std::chrono::seconds(1);
constexpr auto kTaskCheckEvery = std::chrono::seconds(1);
// Each read of either side: well under a frame, so one read makes one frame.
constexpr size_t kReadBytes = 16 * 1024;
static_assert(kReadBytes <= api::kTaskShellMaxFrameBytes);

// SIGKILLs every process group of the shell's session: its own, and one per job it
// started (job control gives each its own group). Twice, for what forked in between.
void kill_session(pid_t sid) {
  for (int pass = 0; pass < 2; ++pass) {
    std::set<int64_t> groups = {sid};
    for (const ProcStat& p : processes_in_session(sid))
      if (p.state != 'Z') groups.insert(p.pgrp);
    for (int64_t g : groups)
      if (g > 1) ::kill(static_cast<pid_t>(-g), SIGKILL);
  }
}

struct Terminal {
  int master = -1;
  pid_t pid = 0;
};

void set_size(int fd, const api::WindowSize& size) {
  struct winsize ws {};
  ws.ws_row = static_cast<unsigned short>(size.rows);
  ws.ws_col = static_cast<unsigned short>(size.cols);
  ::ioctl(fd, TIOCSWINSZ, &ws);
}

// Starts bash on a new terminal: the child leads its own session with the terminal as its
// controlling one, then drops to the task's user and execs. "" or what went wrong.
std::string spawn(const TaskShellSpec& spec, Terminal* out) {
  int master = -1, slave = -1;
  struct winsize ws {};
  ws.ws_row = static_cast<unsigned short>(spec.size.rows);
  ws.ws_col = static_cast<unsigned short>(spec.size.cols);
  if (::openpty(&master, &slave, nullptr, nullptr, &ws) != 0)
    return "cannot open a pseudo-terminal: " + errno_text(errno);
  ::fcntl(master, F_SETFD, FD_CLOEXEC);
  // The terminal is the user's, as a login gives it (only they and tty may write to it).
  if (spec.who.switch_user &&
      (::fchown(slave, spec.who.uid, static_cast<gid_t>(-1)) != 0 || ::fchmod(slave, 0620) != 0)) {
    int err = errno;
    ::close(master);
    ::close(slave);
    return "cannot give the terminal to the task's user: " + errno_text(err);
  }
  // Everything the child needs is built before fork: after it only syscalls run.
  std::string profile = spec.work_dir + "/.thermos_profile";
  bool has_profile = ::access(profile.c_str(), F_OK) == 0;
  std::vector<std::string> env = run_as_environment(spec.who);
  env.insert(env.end(),
             {"TERM=" + spec.term, "SHELL=/bin/bash", "BOREALIS_TASK_ID=" + spec.task_id});
  std::vector<char*> envp;
  for (std::string& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = {"/bin/bash"};
  if (has_profile) {
    args.insert(args.end(), {"--rcfile", profile});
  } else {
    args.push_back("--norc");
  }
  args.push_back("-i");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<gid_t> groups(spec.who.groups.begin(), spec.who.groups.end());

  pid_t pid = ::fork();
  if (pid == 0) {
    ::setsid();
    ::ioctl(slave, TIOCSCTTY, 0);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGPIPE, SIG_DFL);
    ::dup2(slave, 0);
    ::dup2(slave, 1);
    ::dup2(slave, 2);
    if (slave > 2) ::close(slave);
    if (::chdir(spec.work_dir.c_str()) != 0) ::_exit(126);
    if (!switch_to_user(spec.who, groups)) {
      static constexpr char kMessage[] = "cannot switch to the task's user\r\n";
      ssize_t ignored = ::write(2, kMessage, sizeof kMessage - 1);
      (void)ignored;
      ::_exit(126);
    }
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  int err = errno;
  ::close(slave);  // the child has it: reads of the master fail once the shell's side closed
  if (pid < 0) {
    ::close(master);
    return "cannot fork: " + errno_text(err);
  }
  out->master = master;
  out->pid = pid;
  return "";
}

class TaskShell : public std::enable_shared_from_this<TaskShell> {
 public:
  TaskShell(asio::io_context& io, std::shared_ptr<net::ByteStream> client,
            std::function<bool()> task_alive, std::function<void(const std::string&)> done)
      : client_(std::move(client)),
        master_(io),
        pidfd_(io),
        drain_timer_(io),
        task_timer_(io),
        task_alive_(std::move(task_alive)),
        done_(std::move(done)) {}

  ~TaskShell() { kill_and_reap(); }

  void start(const TaskShellSpec& spec) {
    Terminal t;
    std::string error = spawn(spec, &t);
    if (error.empty()) {
      pid_ = t.pid;
      master_.assign(t.master);
      auto fd = open_pidfd(pid_);
      if (fd.ok()) {
        pidfd_.assign(*fd);
      } else {
        error = fd.status().message();
      }
    }
    if (!error.empty()) {
      // The client learns it from the shell's output: the 101 was already sent.
      auto message = std::make_shared<std::string>(api::encode_shell_frame(
          api::ShellFrameType::kOutput, "borealis: cannot start a shell: " + error + "\r\n"));
      client_->async_write(asio::buffer(*message), [self = shared_from_this(), message, error](
                                                       error_code, size_t) { self->end(error); });
      return;
    }
    pidfd_.async_wait(asio::posix::stream_descriptor::wait_read,
                      [self = shared_from_this()](error_code ec) {
                        if (!ec) self->on_exit();
                      });
    check_task();
    read_terminal();
    read_client();
  }

 private:
  void check_task() {
    task_timer_.expires_after(kTaskCheckEvery);
    task_timer_.async_wait([self = shared_from_this()](error_code ec) {
      if (ec || self->ended_) return;
      if (!self->task_alive_()) return self->end("the task ended");
      self->check_task();
    });
  }

  // Terminal -> client, one frame at a time.
  void read_terminal() {
    master_.async_read_some(asio::buffer(terminal_buffer_),
                            [self = shared_from_this()](error_code ec, size_t n) {
                              if (self->ended_ || self->exit_sent_) return;
                              if (ec || n == 0) return self->on_terminal_closed();
                              self->write_output(n);
                            });
  }

  void write_output(size_t n) {
    writing_ = true;
    out_frame_ = api::encode_shell_frame(api::ShellFrameType::kOutput,
                                         std::string_view(terminal_buffer_.data(), n));
    client_->async_write(asio::buffer(out_frame_),
                         [self = shared_from_this()](error_code ec, size_t) {
                           self->writing_ = false;
                           if (self->ended_) return;
                           if (ec) return self->end("the client went away");
                           if (self->exit_ready()) return self->send_exit();
                           self->read_terminal();
                         });
  }

  // Client -> terminal: frames in order; the next read once the input was written.
  void read_client() {
    client_->async_read_some(asio::buffer(client_buffer_),
                             [self = shared_from_this()](error_code ec, size_t n) {
                               if (self->ended_) return;
                               if (ec) return self->end("the client disconnected");
                               self->frames_.feed(std::string_view(self->client_buffer_.data(), n));
                               self->next_frame();
                             });
  }

  void next_frame() {
    auto frame = frames_.next();
    if (!frame.ok()) return end("protocol error from the client: " + frame.status().message());
    if (!*frame) return read_client();
    switch ((*frame)->type) {
      case api::ShellFrameType::kInput:
        in_bytes_ = std::move((*frame)->payload);
        asio::async_write(master_, asio::buffer(in_bytes_),
                          [self = shared_from_this()](error_code ec, size_t) {
                            if (self->ended_) return;
                            // A terminal that no longer takes input: its end comes by on_exit.
                            if (ec) return;
                            self->next_frame();
                          });
        return;
      case api::ShellFrameType::kResize: {
        auto size = api::decode_window_size((*frame)->payload);
        if (!size.ok()) return end("protocol error from the client: " + size.status().message());
        set_size(master_.native_handle(), *size);
        return next_frame();
      }
      default:
        return end("protocol error from the client: a frame only the agent sends");
    }
  }

  void on_exit() {
    // Looked at without reaping: until reaped, the shell's pid (its session's and group's
    // id) cannot be reused, so the kill below reaches only what it left behind.
    siginfo_t info{};
    int rc = ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT);
    if (rc != 0 || info.si_pid == 0) return end("lost track of the shell's process");
    kill_session(pid_);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = 0;
    exit_ = api::ShellExit{};
    if (info.si_code == CLD_EXITED) {
      exit_->exit_code = info.si_status;
    } else {
      exit_->signal = info.si_status;
    }
    drain_timer_.expires_after(kDrainAfterExit);
    drain_timer_.async_wait([self = shared_from_this()](error_code ec) {
      if (!ec && !self->ended_) self->on_terminal_closed();
    });
    if (exit_ready()) send_exit();
  }

  // The terminal gave its last byte (EIO once every holder of its other side closed it).
  void on_terminal_closed() {
    terminal_closed_ = true;
    if (exit_ready()) send_exit();
  }

  // The shell exited, its output is all relayed (or the drain is over), and no output
  // frame is being written.
  bool exit_ready() const { return exit_ && terminal_closed_ && !writing_ && !exit_sent_; }

  void send_exit() {
    exit_sent_ = true;
    drain_timer_.cancel();
    out_frame_ =
        api::encode_shell_frame(api::ShellFrameType::kExit, api::encode_shell_exit(*exit_));
    client_->async_write(asio::buffer(out_frame_),
                         [self = shared_from_this()](error_code, size_t) { self->end(""); });
  }

  void end(const std::string& why) {
    if (ended_) return;
    ended_ = true;
    kill_and_reap();
    error_code ignored;
    task_timer_.cancel();
    drain_timer_.cancel();
    if (master_.is_open()) master_.close(ignored);  // hangs up whatever still holds it
    if (pidfd_.is_open()) pidfd_.close(ignored);
    client_->close();
    std::string end =
        why.empty() && exit_ ? "exited with status " + std::to_string(exit_->status()) : why;
    if (auto done = std::exchange(done_, nullptr)) done(end);
  }

  void kill_and_reap() {
    if (pid_ <= 0) return;
    kill_session(pid_);
    ::kill(pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = 0;
  }

  std::shared_ptr<net::ByteStream> client_;
  asio::posix::stream_descriptor master_;
  asio::posix::stream_descriptor pidfd_;
  asio::steady_timer drain_timer_;
  asio::steady_timer task_timer_;
  std::function<bool()> task_alive_;
  std::function<void(const std::string&)> done_;
  pid_t pid_ = 0;
  std::array<char, kReadBytes> terminal_buffer_{};
  std::array<char, kReadBytes> client_buffer_{};
  std::string out_frame_;  // the frame being written to the client
  std::string in_bytes_;   // the input being written to the terminal
  api::ShellFrameReader frames_;
  std::optional<api::ShellExit> exit_;
  bool terminal_closed_ = false;
  bool exit_sent_ = false;
  bool writing_ = false;  // an output frame is being written to the client
  bool ended_ = false;
};

}  // namespace

void start_task_shell(asio::io_context& io, std::shared_ptr<net::ByteStream> client,
                      TaskShellSpec spec, std::function<bool()> task_alive,
                      std::function<void(const std::string& end)> done) {
  auto shell =
      std::make_shared<TaskShell>(io, std::move(client), std::move(task_alive), std::move(done));
  shell->start(spec);
}

}  // namespace borealis::agent
