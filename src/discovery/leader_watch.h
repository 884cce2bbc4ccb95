// LeaderWatch: the scheduler leader's URL at a ServerSet path (scheduler_leader.h), kept
// up to date by a ZooKeeper child watch instead of polls. A leader announcing itself, or
// its member going, fires the watch; the watch then reads the members again (bounded as
// leader_url() reads them) and is armed again with that read. Each kConnected reads
// again: a new session (the first, and the one after an expiry) has lost its watches, and
// the members may have changed while the connection was down. While the path does not
// exist yet (no scheduler ever announced) or a read fails, it reads again every
// retry_delay, which is then the only polling.
//
// Threads: everything runs on the owner's io_context thread, the one the Session's
// executor posts to, where the Session's synchronous calls are allowed: the owner calls
// start() and on_state() there, and `on_change` runs there. The owner stops that loop
// before destroying the watch (watch events may still be queued on it).
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "common/result.h"
#include "zk/session.h"

namespace borealis::discovery {

class LeaderWatch {
 public:
  // `on_change` gets the result of every read: the leader's URL, or leader_url()'s error
  // (NOT_FOUND when none is announced). `session` and `io` must outlive the watch.
  using OnRead = std::function<void(const Result<std::string>& leader)>;
  LeaderWatch(boost::asio::io_context& io, zk::Session& session, std::string path,
              std::chrono::milliseconds retry_delay, OnRead on_read);
  LeaderWatch(const LeaderWatch&) = delete;
  LeaderWatch& operator=(const LeaderWatch&) = delete;

  // Reads (when connected) and arms the watch. Loop thread.
  void start();
  // The owner's session state callback passes every state on. Loop thread.
  void on_state(const zk::SessionState& state);
  // No more reads or callbacks. Loop thread.
  void stop();
  // Reads made so far (each a children read and one get per member tried); any thread.
  uint64_t reads() const { return reads_.load(); }

 private:
  void read();
  void retry_later();

  boost::asio::io_context& io_;
  zk::Session& session_;
  const std::string path_;
  const std::chrono::milliseconds retry_delay_;
  const OnRead on_read_;
  boost::asio::steady_timer retry_timer_;
  std::atomic<uint64_t> reads_{0};

  // Loop thread only.
  bool stopped_ = false;
  bool armed_ = false;        // a watch of the current session is pending
  uint64_t watch_round_ = 0;  // a watch of an older round (or session) is stale
  bool retry_pending_ = false;
};

}  // namespace borealis::discovery
