// LeaderAnnouncer: the scheduler's one member of the schedulers' ServerSet in ZooKeeper,
// an ephemeral sequential `member_` node whose JSON is api::ServersetMember. The CLI
// finds the scheduler there (clusters.json "zk" + "scheduler_zk_path").
//
// Leader by convention: the member with the lowest sequence number is the leader. There is
// no election yet (one scheduler per cluster): a second scheduler's member sorts after the
// first's, and readers take the first ALIVE one.
//
// Threads. ZooKeeper operations are synchronous, so the announcer runs them on a worker
// thread of its own, never on the scheduler's loops; the Session's state events are posted
// to that worker. A ZooKeeper that is down does not block anything: the member is created
// when a session connects, re-created after every new session (expiry), and a failed create
// is retried with a doubling delay.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "api/serverset.h"
#include "common/result.h"
#include "zk/session.h"

namespace borealis::scheduler {

struct LeaderAnnouncerOptions {
  zk::SessionOptions session;
  std::string serverset_path;  // "/borealis/prod1/scheduler"; a valid node path
  api::ServersetMember member;
  std::chrono::milliseconds first_retry_delay{500};
  std::chrono::milliseconds max_retry_delay{30000};
};

class LeaderAnnouncer {
 public:
  // Starts the session and the worker; never waits for ZooKeeper.
  static Result<std::unique_ptr<LeaderAnnouncer>> start(LeaderAnnouncerOptions options);
  // Withdraws: deletes the member (when connected) and closes the session.
  ~LeaderAnnouncer();
  LeaderAnnouncer(const LeaderAnnouncer&) = delete;
  LeaderAnnouncer& operator=(const LeaderAnnouncer&) = delete;

  // The member's node path, or "" while there is none. Any thread.
  std::string member_path() const;
  // The current session's id and password (for tests that expire it).
  std::pair<int64_t, std::string> session_credentials() const;

 private:
  explicit LeaderAnnouncer(LeaderAnnouncerOptions options);
  void on_state(const zk::SessionState& state);
  // Worker thread: creates the member, or adopts one this session already made.
  void join();
  void retry_later();
  void set_member(std::string path);

  const LeaderAnnouncerOptions options_;
  const std::string data_;  // the member's JSON
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  boost::asio::steady_timer retry_timer_;
  std::unique_ptr<zk::Session> session_;
  std::thread worker_;

  // Worker thread only.
  std::chrono::milliseconds retry_delay_;

  mutable std::mutex member_mutex_;
  std::string member_;  // guarded by member_mutex_; written by the worker (and the destructor)
};

}  // namespace borealis::scheduler
