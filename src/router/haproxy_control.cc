#include "router/haproxy_control.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "common/log.h"
#include "router/unix_socket.h"

namespace borealis::router {

namespace {

constexpr size_t kMaxCommandOutput = 64 * 1024;
constexpr std::chrono::milliseconds kSocketTimeout{2000};
constexpr std::chrono::milliseconds kStartTimeout{5000};

// In the child, before exec: the router's blocked stop signals must not stay blocked in
// HAProxy, and HAProxy goes when the router goes.
void prepare_child() {
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);
}

[[noreturn]] void exec_argv(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  ::execv(args[0], args.data());
  std::fprintf(stderr, "cannot run %s: %s\n", args[0], std::strerror(errno));
  ::_exit(127);
}

// An answer of the runtime API that means the command was done.
bool runtime_ok(const std::string& reply) {
  return reply.find_first_not_of("\n") == std::string::npos ||
         reply.find("changed from") != std::string::npos ||
         reply.find("no need to change") != std::string::npos;
}

}  // namespace

Result<CommandResult> run_command(const std::vector<std::string>& argv,
                                  std::chrono::milliseconds timeout) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0)
    return io_error(std::string("cannot make a pipe: ") + std::strerror(errno));
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    return io_error(std::string("cannot fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    prepare_child();
    ::dup2(pipe_fds[1], 1);
    ::dup2(pipe_fds[1], 2);
    exec_argv(argv);
  }
  ::close(pipe_fds[1]);
  CommandResult result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool timed_out = false;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{pipe_fds[0], POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    char buf[4096];
    ssize_t n = ::read(pipe_fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (result.output.size() < kMaxCommandOutput) result.output.append(buf, static_cast<size_t>(n));
  }
  ::close(pipe_fds[0]);
  if (timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out)
    return unavailable(argv[0] + " did not finish within " + std::to_string(timeout.count()) +
                       " ms");
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

Status HaproxyControl::check_config(const std::string& file) const {
  BOREALIS_ASSIGN_OR_RETURN(
      CommandResult r, run_command({config_.binary, "-c", "-f", file}, std::chrono::seconds(30)));
  if (r.exit_code != 0)
    return invalid_argument("haproxy -c refused " + file + " (exit " + std::to_string(r.exit_code) +
                            "): " + r.output);
  return Status::ok_status();
}

Status HaproxyControl::start() {
  if (config_.external() || master_ > 0) return Status::ok_status();
  std::vector<std::string> argv = {config_.binary,          "-W", "-S",
                                   config_.master_socket(), "-f", config_.config_path};
  pid_t pid = ::fork();
  if (pid < 0) return io_error(std::string("cannot fork haproxy: ") + std::strerror(errno));
  if (pid == 0) {
    prepare_child();
    exec_argv(argv);
  }
  master_ = pid;
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (!worker_pid().ok()) {
    if (died())
      return unavailable("haproxy exited at start (" + config_.binary + " -W -f " +
                         config_.config_path + "); see its messages above");
    if (std::chrono::steady_clock::now() > deadline)
      return unavailable("haproxy did not answer on " + config_.admin_socket() + " within " +
                         std::to_string(kStartTimeout.count()) + " ms");
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  spdlog::info("haproxy started (master pid {}), runtime API {}", master_, config_.admin_socket());
  return Status::ok_status();
}

Result<std::string> HaproxyControl::worker_pid() const {
  BOREALIS_ASSIGN_OR_RETURN(
      std::string info, unix_socket_request(config_.admin_socket(), "show info", kSocketTimeout));
  size_t at = info.find("\nPid: ");
  if (at == std::string::npos) return unavailable("haproxy's `show info` has no Pid");
  return info.substr(at + 6, info.find('\n', at + 6) - (at + 6));
}

Status HaproxyControl::reload() {
  ++reloads_;
  if (config_.external()) {
    BOREALIS_ASSIGN_OR_RETURN(
        CommandResult r,
        run_command({"/bin/sh", "-c", config_.reload_command}, std::chrono::seconds(30)));
    if (r.exit_code != 0)
      return unavailable("reload_command `" + config_.reload_command + "` failed (exit " +
                         std::to_string(r.exit_code) + "): " + r.output);
    return Status::ok_status();
  }
  if (master_ <= 0) return start();
  auto before = worker_pid();
  BOREALIS_RETURN_IF_ERROR(
      unix_socket_request(config_.master_socket(), "reload", kSocketTimeout).status());
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  for (;;) {
    auto now = worker_pid();
    if (now.ok() && (!before.ok() || *now != *before)) return Status::ok_status();
    if (std::chrono::steady_clock::now() > deadline)
      return unavailable("no new haproxy worker answered on " + config_.admin_socket() +
                         " within " + std::to_string(kStartTimeout.count()) + " ms of the reload");
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

Status HaproxyControl::runtime(const std::vector<std::string>& commands) const {
  for (const auto& command : commands) {
    BOREALIS_ASSIGN_OR_RETURN(std::string reply,
                              unix_socket_request(config_.admin_socket(), command, kSocketTimeout));
    if (!runtime_ok(reply))
      return failed_precondition("haproxy runtime API refused `" + command +
                                 "`: " + reply.substr(0, 512));
  }
  return Status::ok_status();
}

bool HaproxyControl::died() {
  if (master_ <= 0) return false;
  int status = 0;
  if (::waitpid(master_, &status, WNOHANG) != master_) return false;
  spdlog::error("haproxy (master pid {}) exited with status {}", master_, status);
  master_ = -1;
  return true;
}

void HaproxyControl::stop() {
  if (master_ <= 0) return;
  ::kill(master_, SIGUSR1);  // soft stop: workers finish their connections
  for (int i = 0; i < 300; ++i) {
    if (::waitpid(master_, nullptr, WNOHANG) == master_) {
      master_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(master_, SIGTERM);
  ::waitpid(master_, nullptr, 0);
  master_ = -1;
}

}  // namespace borealis::router
