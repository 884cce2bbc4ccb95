// ZookeeperServer: Debian's ZooKeeper (the `zookeeper` package's jars, run by
// /usr/bin/java) started for a test on a loopback port in a temporary directory. start()
// returns once a real client session connects; the server dies with the test process
// (PR_SET_PDEATHSIG), so a crashed test leaves no JVM behind. One server per test binary,
// shared by its tests: a JVM costs about half a second to start.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "common/result.h"
#include "testing/temp_dir.h"

namespace borealis::zk::testing {

// Tests of this repository use loopback ports 30800-30899 for ZooKeeper.
inline constexpr uint16_t kFirstPort = 30800;
inline constexpr uint16_t kLastPort = 30899;

struct ZookeeperServerOptions {
  uint16_t port = 0;  // 0: the first free port in [kFirstPort, kLastPort]
  int tick_ms = 200;  // session timeouts are clamped to [2, 20] ticks
  std::chrono::milliseconds start_timeout{30000};
};

class ZookeeperServer {
 public:
  static Result<std::unique_ptr<ZookeeperServer>> start(ZookeeperServerOptions options = {});
  // Stops the server (SIGTERM, SIGKILL after 5 s) and removes its directory.
  ~ZookeeperServer();

  uint16_t port() const { return port_; }
  // "127.0.0.1:PORT"
  std::string connect_string() const;
  // How long the last start took, until a client connected.
  std::chrono::milliseconds start_time() const { return start_time_; }
  bool running() const { return pid_ > 0; }

  // Stops the server and keeps its data; restart() starts it again on the same port with
  // the same data (sessions whose timeout passed meanwhile are expired).
  void stop();
  Status restart();
  // The server's output, for a failing test's message.
  std::string log_tail() const;

 private:
  ZookeeperServer(ZookeeperServerOptions options, uint16_t port);
  Status launch();

  ZookeeperServerOptions options_;
  uint16_t port_;
  borealis::testing::TempDir dir_{"borealis-zk"};
  pid_t pid_ = -1;
  std::chrono::milliseconds start_time_{0};
};

// A log_callback_fn for the C client that drops its lines (a test's own handles).
void discard_client_log(const char* message);

// True when a client session to `connect_string` connects within `timeout`.
bool zookeeper_answers(const std::string& connect_string, std::chrono::milliseconds timeout);

// Expires a session from outside, the classic way: a second client joins it (its id and
// password) and closes it; the server ends the session, and the owner's next connect is
// told it expired. False when the second client could not connect within 10 s. The owner
// may reconnect first and take the session back: callers repeat until it hears kExpired.
bool join_and_close_session(const std::string& connect_string, int64_t id,
                            const std::string& password);

}  // namespace borealis::zk::testing
