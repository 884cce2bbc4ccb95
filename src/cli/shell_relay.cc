#include "cli/shell_relay.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/signal_set.hpp>
#include <cerrno>
#include <cstring>
#include <deque>

namespace borealis::cli {

namespace asio = boost::asio;
using boost::system::error_code;

std::optional<api::WindowSize> terminal_size(int fd) {
  struct winsize ws {};
  if (::ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0 || ws.ws_col == 0) return std::nullopt;
  return api::WindowSize{ws.ws_row, ws.ws_col};
}

struct RawTerminal::Saved {
  termios settings{};
};

RawTerminal::RawTerminal(int fd) : fd_(fd) {
  if (!::isatty(fd)) return;
  auto saved = std::make_unique<Saved>();
  if (::tcgetattr(fd, &saved->settings) != 0) return;
  termios raw = saved->settings;
  ::cfmakeraw(&raw);
  if (::tcsetattr(fd, TCSADRAIN, &raw) != 0) return;
  saved_ = std::move(saved);
}

RawTerminal::~RawTerminal() {
  if (saved_) ::tcsetattr(fd_, TCSADRAIN, &saved_->settings);
}

namespace {

constexpr size_t kReadBytes = 16 * 1024;

// Writes all of `data` to `fd`, waiting when it is non-blocking (a terminal shares that
// flag between its descriptors, and asio sets it on stdin's).
bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n > 0) {
      data.remove_prefix(static_cast<size_t>(n));
    } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      pollfd p{fd, POLLOUT, 0};
      ::poll(&p, 1, 1000);
    } else {
      return false;
    }
  }
  return true;
}

class Relay {
 public:
  Relay(asio::io_context& io, std::shared_ptr<net::ByteStream> shell, int in, int out)
      : shell_(std::move(shell)),
        in_(io),
        in_fd_(in),
        out_(out),
        signals_(io, SIGWINCH, SIGTERM, SIGHUP) {
    int copy = ::dup(in);  // asio closes its descriptor: never our stdin
    if (copy < 0) return;
    error_code ec;
    in_.assign(copy, ec);
    if (ec) ::close(copy);
  }

  ~Relay() {
    error_code ignored;
    if (in_.is_open()) in_.close(ignored);
    // asio made the descriptor non-blocking, and a terminal's descriptors share that flag:
    // give the caller's shell its terminal back as it was.
    int flags = ::fcntl(in_fd_, F_GETFL);
    if (flags >= 0) ::fcntl(in_fd_, F_SETFL, flags & ~O_NONBLOCK);
  }

  Result<api::ShellExit> run(asio::io_context& io) {
    if (!in_.is_open())
      return invalid_argument("standard input must be a terminal or a pipe for a shell");
    wait_signal();
    read_input();
    read_shell();
    io.restart();
    io.run();
    if (exit_) return *exit_;
    return unavailable(why_.empty() ? "the connection to the shell closed" : why_);
  }

 private:
  void stop(std::string why) {
    if (why_.empty()) why_ = std::move(why);
    error_code ignored;
    signals_.cancel(ignored);
    if (in_.is_open()) in_.close(ignored);
    shell_->close();
  }

  void wait_signal() {
    signals_.async_wait([this](error_code ec, int signal) {
      if (ec) return;
      if (signal != SIGWINCH)
        return stop(std::string("stopped by ") + (signal == SIGTERM ? "SIGTERM" : "SIGHUP"));
      if (auto size = terminal_size(out_))
        send(api::ShellFrameType::kResize, api::encode_window_size(*size));
      wait_signal();
    });
  }

  // Keys -> input frames; the next read once they were sent.
  void read_input() {
    in_.async_read_some(asio::buffer(in_buffer_), [this](error_code ec, size_t n) {
      if (ec == asio::error::operation_aborted) return;
      if (ec) {
        // The end of a piped input: what ^D at a prompt does.
        send(api::ShellFrameType::kInput, "\x04");
        return;
      }
      send(api::ShellFrameType::kInput, std::string_view(in_buffer_.data(), n), true);
    });
  }

  // Queues a frame; frames go out one at a time in order. `then_read` reads more input
  // once this one is on its way.
  void send(api::ShellFrameType type, std::string_view payload, bool then_read = false) {
    queue_.push_back({api::encode_shell_frame(type, payload), then_read});
    if (queue_.size() == 1) write_front();
  }

  void write_front() {
    shell_->async_write(asio::buffer(queue_.front().bytes), [this](error_code ec, size_t) {
      if (ec) return stop("cannot send to the shell: " + ec.message());
      bool then_read = queue_.front().then_read;
      queue_.pop_front();
      if (!queue_.empty()) write_front();
      if (then_read) read_input();
    });
  }

  void read_shell() {
    shell_->async_read_some(asio::buffer(shell_buffer_), [this](error_code ec, size_t n) {
      if (ec) return stop("the agent closed the shell's connection (did the task end?)");
      frames_.feed(std::string_view(shell_buffer_.data(), n));
      for (;;) {
        auto frame = frames_.next();
        if (!frame.ok())
          return stop("the agent broke the shell protocol: " + frame.status().message());
        if (!*frame) break;
        if ((*frame)->type == api::ShellFrameType::kOutput) {
          if (!write_all(out_, (*frame)->payload))
            return stop(std::string("cannot write the shell's output: ") + std::strerror(errno));
        } else if ((*frame)->type == api::ShellFrameType::kExit) {
          auto exit = api::decode_shell_exit((*frame)->payload);
          if (!exit.ok())
            return stop("the agent broke the shell protocol: " + exit.status().message());
          exit_ = *exit;
          return stop("");
        } else {
          return stop("the agent broke the shell protocol: a frame only clients send");
        }
      }
      read_shell();
    });
  }

  struct Outgoing {
    std::string bytes;
    bool then_read = false;
  };

  std::shared_ptr<net::ByteStream> shell_;
  asio::posix::stream_descriptor in_;
  int in_fd_;
  int out_;
  asio::signal_set signals_;
  std::array<char, kReadBytes> in_buffer_{};
  std::array<char, kReadBytes> shell_buffer_{};
  std::deque<Outgoing> queue_;
  api::ShellFrameReader frames_;
  std::optional<api::ShellExit> exit_;
  std::string why_;
};

}  // namespace

Result<api::ShellExit> relay_shell(asio::io_context& io, std::shared_ptr<net::ByteStream> shell,
                                   int in, int out) {
  Relay relay(io, std::move(shell), in, out);
  return relay.run(io);
}

}  // namespace borealis::cli
