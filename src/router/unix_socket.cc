#include "router/unix_socket.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace borealis::router {

namespace {

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

Status errno_status(const std::string& what, const std::string& path) {
  return unavailable(what + " HAProxy socket " + path + ": " + std::strerror(errno));
}

}  // namespace

Result<std::string> unix_socket_request(const std::string& path, const std::string& request,
                                        std::chrono::milliseconds timeout) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path)
    return invalid_argument("HAProxy socket path is too long: " + path);
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  Fd s{::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)};
  if (s.fd < 0) return errno_status("cannot make a socket for", path);
  // connect() on a Unix socket does not block for long: the listener is local.
  if (::connect(s.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    return errno_status("cannot connect to", path);
  timeval tv{static_cast<time_t>(timeout.count() / 1000),
             static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
  ::setsockopt(s.fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  ::setsockopt(s.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string text = request + "\n";
  for (size_t sent = 0; sent < text.size();) {
    ssize_t n = ::send(s.fd, text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return errno_status("cannot write to", path);
    sent += static_cast<size_t>(n);
  }
  ::shutdown(s.fd, SHUT_WR);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string reply;
  char buf[16384];
  for (;;) {
    if (std::chrono::steady_clock::now() > deadline)
      return unavailable("HAProxy socket " + path + " did not answer within " +
                         std::to_string(timeout.count()) + " ms");
    ssize_t n = ::recv(s.fd, buf, sizeof buf, 0);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_status("cannot read from", path);
    }
    reply.append(buf, static_cast<size_t>(n));
    if (reply.size() > kMaxRuntimeReplyBytes)
      return resource_exhausted("HAProxy socket " + path + " answered more than " +
                                std::to_string(kMaxRuntimeReplyBytes) + " bytes");
  }
  return reply;
}

}  // namespace borealis::router
