// A tiny HTTP server for the health tests, on 127.0.0.1 (port 0) with one thread of its
// own: it answers every request as its mode says and records "METHOD /path" in order.
// Test-only.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace borealis::agent::testing {

class TestHttpServer {
 public:
  enum class Mode { kHealthy, kSick, kSlow, kWrongBody };

  TestHttpServer() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    ::listen(listen_fd_, 1024);
    socklen_t len = sizeof(addr);
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    ::pipe2(stop_, O_CLOEXEC);
    thread_ = std::thread([this] { serve(); });
  }
  ~TestHttpServer() {
    char c = 'x';
    (void)!::write(stop_[1], &c, 1);
    thread_.join();
    ::close(listen_fd_);
    ::close(stop_[0]);
    ::close(stop_[1]);
  }

  int port() const { return port_; }
  void set_mode(Mode m) { mode_ = m; }
  std::vector<std::string> requests() const {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  // Waits for `fd` to be readable or the stop pipe; false on stop or timeout.
  bool wait_readable(int fd, int timeout_ms) {
    pollfd fds[2] = {{fd, POLLIN, 0}, {stop_[0], POLLIN, 0}};
    int n = ::poll(fds, 2, timeout_ms);
    return n > 0 && !(fds[1].revents & POLLIN) && (fds[0].revents & (POLLIN | POLLHUP));
  }

  void serve() {
    while (wait_readable(listen_fd_, -1)) {
      int c = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (c < 0) continue;
      handle(c);
      ::close(c);
    }
  }

  void handle(int c) {
    std::string in;
    char buf[4096];
    while (in.find("\r\n\r\n") == std::string::npos) {
      if (!wait_readable(c, 2000)) return;
      ssize_t n = ::read(c, buf, sizeof(buf));
      if (n <= 0) return;
      in.append(buf, static_cast<size_t>(n));
    }
    std::string line = in.substr(0, in.find("\r\n"));
    {
      std::lock_guard lock(mu_);
      requests_.push_back(line.substr(0, line.rfind(' ')));
    }
    Mode mode = mode_;
    int code = 200;
    std::string body = "ok";
    if (mode == Mode::kSick) code = 500, body = "sick";
    if (mode == Mode::kWrongBody) body = "starting";
    if (mode == Mode::kSlow) {
      pollfd p{stop_[0], POLLIN, 0};
      ::poll(&p, 1, 3000);  // answers late (or at once when stopping)
    }
    std::string out = "HTTP/1.1 " + std::to_string(code) + (code == 200 ? " OK" : " Error") +
                      "\r\nContent-Length: " + std::to_string(body.size()) +
                      "\r\nConnection: close\r\n\r\n" + body;
    (void)!::write(c, out.data(), out.size());
  }

  int listen_fd_ = -1;
  int port_ = 0;
  int stop_[2] = {-1, -1};
  std::atomic<Mode> mode_{Mode::kHealthy};
  mutable std::mutex mu_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

}  // namespace borealis::agent::testing
