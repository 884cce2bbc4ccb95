// The server's limits against hostile clients: the connection cap, the per-request
// deadline (a slow trickle is cut), header size, and accept() running out of descriptors.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "common/log.h"
#include "net/http_client.h"
#include "net/running_server.h"

namespace borealis::net {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using testing::RunningServer;

// A raw TCP connection to 127.0.0.1:port, for clients our HttpClient would never be.
class RawConnection {
 public:
  // Connects at once unless `later`: then connect() does (with the descriptor made now).
  explicit RawConnection(uint16_t port, bool later = false)
      : fd_(::socket(AF_INET, SOCK_STREAM, 0)), port_(port) {
    if (!later) connect();
  }
  bool connect() {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port_);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    return connected_;
  }
  ~RawConnection() { close(); }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  bool connected() const { return connected_; }
  bool send(std::string_view bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == ssize_t(bytes.size());
  }
  // Whether the server has closed the connection (EOF or reset), waiting up to `wait`.
  bool closed_by_server(milliseconds wait) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(wait.count())) <= 0) return false;
    char c;
    return ::recv(fd_, &c, 1, MSG_PEEK) <= 0;
  }
  // Everything the server sends until it closes or `wait` passes.
  std::string read_all(milliseconds wait) {
    std::string out;
    auto until = Clock::now() + wait;
    while (Clock::now() < until) {
      pollfd p{fd_, POLLIN, 0};
      int left =
          static_cast<int>(std::chrono::duration_cast<milliseconds>(until - Clock::now()).count());
      if (::poll(&p, 1, std::max(left, 0)) <= 0) break;
      char buf[4096];
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }

 private:
  int fd_;
  uint16_t port_;
  bool connected_ = false;
};

// Polls `done` for up to two seconds: the server reacts on its own thread.
bool eventually(const std::function<bool()>& done) {
  auto until = Clock::now() + std::chrono::seconds(2);
  while (Clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(milliseconds(5));
  }
  return done();
}

// A started server with the options `set` changes; null (and a test failure) if it failed.
std::unique_ptr<RunningServer> serve(const std::function<void(HttpServerOptions&)>& set) {
  HttpServerOptions o;
  set(o);
  auto s = std::make_unique<RunningServer>(o);
  Status st = s->start();
  EXPECT_TRUE(st.ok()) << st.to_string();
  return st.ok() ? std::move(s) : nullptr;
}

TEST(HttpLimits, ConnectionCapRefusesWith503AndRecovers) {
  auto server = serve([](HttpServerOptions& o) { o.max_connections = 2; });
  ASSERT_TRUE(server);
  RunningServer& s = *server;
  RawConnection a(s.port()), b(s.port());
  ASSERT_TRUE(a.connected() && b.connected());
  ASSERT_TRUE(eventually([&] { return s.server().counters().open_connections == 2; }));

  RawConnection third(s.port());
  ASSERT_TRUE(third.connected());  // the kernel accepts; the server answers and closes
  std::string answer = third.read_all(milliseconds(2000));
  EXPECT_NE(answer.find("HTTP/1.1 503"), std::string::npos) << answer;
  EXPECT_NE(answer.find("connection cap (2 open connections)"), std::string::npos) << answer;
  EXPECT_TRUE(third.closed_by_server(milliseconds(1000)));
  auto c = s.server().counters();
  EXPECT_EQ(c.refused_over_cap, 1u);
  EXPECT_EQ(c.accepted, 2u);

  // One closes: the next client is served.
  a.close();
  ASSERT_TRUE(eventually([&] { return s.server().counters().open_connections < 2; }));
  auto client = HttpClient::create(s.url()).value();
  auto r = client->get("/health");
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(r->status, 200);
}

TEST(HttpLimits, LongPollsCountAgainstTheCap) {
  auto server = serve([](HttpServerOptions& o) { o.max_connections = 1; });
  ASSERT_TRUE(server);
  RunningServer& s = *server;
  RawConnection poller(s.port());
  ASSERT_TRUE(poller.send("GET /held HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(eventually([&] { return s.server().counters().open_connections == 1; }));
  auto client = HttpClient::create(s.url()).value();
  auto r = client->get("/health", milliseconds(2000));
  // Refused: a 503, or the connection closed before the client read it.
  EXPECT_TRUE(!r.ok() || r->status == 503);
  EXPECT_EQ(s.server().counters().refused_over_cap, 1u);
}

TEST(HttpLimits, TrickleClientIsCutAtTheRequestDeadline) {
  auto server = serve([](HttpServerOptions& o) { o.request_timeout_ms = 300; });
  ASSERT_TRUE(server);
  RunningServer& s = *server;
  RawConnection slow(s.port());
  ASSERT_TRUE(slow.connected());
  // One byte every 20 ms: each arrives well within any idle timeout, but the request as
  // a whole never completes.
  const std::string request =
      "GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(200, 'a') + "\r\n\r\n";
  auto first_byte = Clock::now();
  bool cut = false;
  for (char ch : request) {
    if (!slow.send(std::string(1, ch)) || slow.closed_by_server(milliseconds(20))) {
      cut = true;
      break;
    }
  }
  auto held = Clock::now() - first_byte;
  EXPECT_TRUE(cut) << "the server waited for the whole trickle";
  EXPECT_GE(held, milliseconds(250));
  EXPECT_LT(held, milliseconds(2000));
  EXPECT_TRUE(eventually([&] { return s.server().counters().timed_out == 1; }));
}

TEST(HttpLimits, TheDeadlineStartsAtTheFirstByteNotAtTheConnection) {
  auto server = serve([](HttpServerOptions& o) { o.request_timeout_ms = 200; });
  ASSERT_TRUE(server);
  RunningServer& s = *server;
  RawConnection idle(s.port());
  // Idle for longer than the request deadline (but within the keep-alive timeout).
  std::this_thread::sleep_for(milliseconds(400));
  ASSERT_TRUE(idle.send("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  std::string answer = idle.read_all(milliseconds(2000));
  EXPECT_NE(answer.find("HTTP/1.1 200"), std::string::npos) << answer;
  EXPECT_EQ(s.server().counters().timed_out, 0u);
}

TEST(HttpLimits, OversizedHeadersGet431) {
  auto server = serve([](HttpServerOptions& o) { o.max_header_bytes = 1024; });
  ASSERT_TRUE(server);
  RunningServer& s = *server;
  RawConnection c(s.port());
  ASSERT_TRUE(
      c.send("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(2048, 'b') + "\r\n\r\n"));
  std::string answer = c.read_all(milliseconds(2000));
  EXPECT_NE(answer.find("HTTP/1.1 431"), std::string::npos) << answer;
  EXPECT_NE(answer.find("request headers larger than 1024 bytes"), std::string::npos);
}

// Opens descriptors until the process has none left, and gives them back when it goes.
class DescriptorExhaustion {
 public:
  DescriptorExhaustion() {
    ::getrlimit(RLIMIT_NOFILE, &saved_);
    int highest = 0;
    for (const auto& e : std::filesystem::directory_iterator("/proc/self/fd"))
      highest = std::max(highest, std::stoi(e.path().filename().string()));
    rlimit low = saved_;
    low.rlim_cur = static_cast<rlim_t>(highest) + 64;  // few to fill, whatever the limit was
    ::setrlimit(RLIMIT_NOFILE, &low);
    for (int fd; (fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0;) held_.push_back(fd);
    exhausted_ = errno == EMFILE;
  }
  ~DescriptorExhaustion() { release(); }
  bool exhausted() const { return exhausted_; }
  void release() {
    for (int fd : held_) ::close(fd);
    held_.clear();
    ::setrlimit(RLIMIT_NOFILE, &saved_);
  }

 private:
  rlimit saved_{};
  std::vector<int> held_;
  bool exhausted_ = false;
};

TEST(HttpLimits, AcceptBacksOffWhenOutOfDescriptors) {
  auto server = serve([](HttpServerOptions& o) { o.accept_retry_ms = 100; });
  ASSERT_TRUE(server);
  RunningServer& s = *server;
  RawConnection client(s.port(), /*later=*/true);  // its descriptor exists before
  // UBSan checks a virtual call's target the first time it sees it, and needs a
  // descriptor for that: make the calls the server's error path makes while it can.
  spdlog::info("warming up: {}",
               boost::system::error_code(EMFILE, boost::system::system_category()).message());
  {
    DescriptorExhaustion none_left;
    ASSERT_TRUE(none_left.exhausted());
    // The connection waits in the listen queue: connect() completes in the kernel.
    ASSERT_TRUE(client.connect());
    ASSERT_TRUE(client.send("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    std::this_thread::sleep_for(milliseconds(450));
    uint64_t failures = s.server().counters().accept_failures;
    // Retried every 100 ms, not in a loop: a spinning accept fails thousands of times.
    EXPECT_GE(failures, 2u);
    EXPECT_LE(failures, 8u);
    EXPECT_EQ(s.server().counters().accepted, 0u);
  }
  // Descriptors are back: the queued connection is served at the next retry.
  std::string answer = client.read_all(milliseconds(2000));
  EXPECT_NE(answer.find("HTTP/1.1 200"), std::string::npos) << answer;
  EXPECT_EQ(s.server().counters().accepted, 1u);
}

}  // namespace
}  // namespace borealis::net
