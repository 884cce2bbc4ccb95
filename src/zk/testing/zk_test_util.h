// Helpers for tests of zk::Session against a real server: the binary's one shared
// ZookeeperServer, an Asio loop that plays the owner's event loop, a recorder of the
// session states and watch events the owner receives on it, and a forced expiry.
#pragma once

#include <gtest/gtest.h>
#include <zookeeper/zookeeper.h>

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "zk/session.h"
#include "zk/testing/zookeeper_server.h"

namespace borealis::zk::testing {

// Started by the first test that needs it, stopped at exit.
inline ZookeeperServer& shared_server() {
  static std::unique_ptr<ZookeeperServer> server = [] {
    Result<std::unique_ptr<ZookeeperServer>> started = ZookeeperServer::start();
    if (!started.ok()) {
      ADD_FAILURE() << started.status().to_string();
      std::abort();
    }
    std::fprintf(stderr, "ZooKeeper started on port %u in %lld ms\n", (*started)->port(),
                 static_cast<long long>((*started)->start_time().count()));
    return std::move(started).value();
  }();
  return *server;
}

// The owner's event loop: one thread running an io_context.
class OwnerLoop {
 public:
  OwnerLoop() : work_(io_.get_executor()), thread_([this] { io_.run(); }) {}
  ~OwnerLoop() {
    work_.reset();
    thread_.join();
  }
  Executor executor() {
    return [this](std::function<void()> task) { boost::asio::post(io_, std::move(task)); };
  }
  bool on_loop_thread() const { return std::this_thread::get_id() == thread_.get_id(); }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
};

// Records what reaches the owner, and that it arrives on the owner's loop thread.
class Recorder {
 public:
  explicit Recorder(const OwnerLoop& loop) : loop_(loop) {}

  std::function<void(const SessionState&)> on_state() {
    return [this](const SessionState& s) {
      std::lock_guard lock(mutex_);
      off_loop_ |= !loop_.on_loop_thread();
      states_.push_back(s);
      cv_.notify_all();
    };
  }
  WatchCallback on_watch() {
    return [this](const WatchEvent& e) {
      std::lock_guard lock(mutex_);
      off_loop_ |= !loop_.on_loop_thread();
      watches_.push_back(e);
      cv_.notify_all();
    };
  }
  // Waits until `count` states equal to `event` (and, for kConnected, `new_session`) came.
  bool wait_state(SessionEvent event, size_t count = 1, bool new_session = true,
                  std::chrono::milliseconds timeout = std::chrono::seconds(15)) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] {
      return static_cast<size_t>(std::count_if(states_.begin(), states_.end(), [&](auto& s) {
               return s.event == event &&
                      (event != SessionEvent::kConnected || s.new_session == new_session);
             })) >= count;
    });
  }
  bool wait_watch(WatchEvent::Kind kind,
                  std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] {
      return std::any_of(watches_.begin(), watches_.end(), [&](auto& e) { return e.kind == kind; });
    });
  }
  bool wait_watch_count(size_t count,
                        std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] { return watches_.size() >= count; });
  }
  std::vector<WatchEvent> watches() {
    std::lock_guard lock(mutex_);
    return watches_;
  }
  std::vector<SessionState> states() {
    std::lock_guard lock(mutex_);
    return states_;
  }
  bool any_off_loop() {
    std::lock_guard lock(mutex_);
    return off_loop_;
  }

 private:
  const OwnerLoop& loop_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<SessionState> states_;
  std::vector<WatchEvent> watches_;
  bool off_loop_ = false;
};

inline SessionOptions options_for(const std::string& connect,
                                  std::optional<DigestCredential> credential = std::nullopt) {
  SessionOptions options;
  options.servers = parse_connect_string(connect).value();
  options.session_timeout = std::chrono::milliseconds(2000);
  options.credential = std::move(credential);
  return options;
}

// The first client races the second: when it reconnects before the close, it takes the
// session back and the close ends nothing. Repeat until the owner hears kExpired.
inline void expire_session(const std::string& connect, Session& session, Recorder& recorder) {
  for (int attempt = 0; attempt < 10; ++attempt) {
    auto [id, password] = session.session_credentials();
    EXPECT_TRUE(join_and_close_session(connect, id, password));
    if (recorder.wait_state(SessionEvent::kExpired, 1, false, std::chrono::seconds(2))) return;
  }
  ADD_FAILURE() << "the session did not expire after 10 attempts";
}

}  // namespace borealis::zk::testing
