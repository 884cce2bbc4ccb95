// LeaderElection: this scheduler as a candidate for leadership of its cluster, as Aurora's
// schedulers are through Curator. Each candidate is an ephemeral sequential node
// `candidate_NNNNNNNNNN` in the election directory (--scheduler-election-zk-path); the
// lowest sequence leads. A candidate watches only the node just before its own, so a
// leader's end wakes exactly one standby (no herd).
//
// Once elected, `elected` runs (it opens the store and starts the core; it may block) and
// the election keeps confirming its node every quarter of the session timeout, which
// renews the lease (leadership_lease.h). Leadership is lost for good when the session
// expires (or a new session starts: the old one's node is gone) or the node disappears;
// then `lost` runs once. A standby re-joins after a new session instead.
//
// A standby also follows who leads: a child watch on the leader's announcement (the
// members at --scheduler-zk-path, discovery/leader_watch.h) reads it again at each change
// and each reconnect, so it can send callers there at once.
//
// Threads: ZooKeeper calls are synchronous, so the election runs them on its own worker
// thread, where `elected` and `lost` run too; the accessors may be called from any thread.
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "common/result.h"
#include "discovery/leader_watch.h"
#include "scheduler/server/leadership_lease.h"
#include "zk/session.h"

namespace borealis::scheduler {

struct LeaderElectionOptions {
  zk::SessionOptions session;
  std::string election_path;   // "/borealis/prod1/scheduler-election"; a valid node path
  std::string serverset_path;  // where the leader announces itself
  std::string candidate_data;  // this scheduler's URL, for operators reading the nodes
  std::chrono::milliseconds retry_delay{500};
};

struct LeaderElectionHooks {
  std::function<void()> elected;
  std::function<void(const std::string& why)> lost;
};

class LeaderElection {
 public:
  // Starts the session and the worker; never waits for ZooKeeper.
  static Result<std::unique_ptr<LeaderElection>> start(LeaderElectionOptions options,
                                                       LeaderElectionHooks hooks);
  // Leaves the election: closes the session, which deletes the candidate node.
  ~LeaderElection();
  LeaderElection(const LeaderElection&) = delete;
  LeaderElection& operator=(const LeaderElection&) = delete;

  // Whether this candidate won (set before `elected` runs).
  bool elected() const { return elected_.load(); }
  // A standby's view of the leader's URL; nullopt when no leader is announced (or
  // ZooKeeper cannot be read).
  std::optional<std::string> leader_url() const;
  const LeadershipLease& lease() const { return lease_; }
  // This candidate's node, "" while there is none.
  std::string candidate_path() const;
  // The current session's id and password (for tests that expire it).
  std::pair<int64_t, std::string> session_credentials() const;

 private:
  explicit LeaderElection(LeaderElectionOptions options, LeaderElectionHooks hooks);
  void on_state(const zk::SessionState& state);
  void join();
  void check();
  void watch_predecessor(const std::string& node);
  void win();
  void lose(const std::string& why);
  void confirm_later();
  void leader_read(const Result<std::string>& leader);
  void retry_later();
  void set_candidate(std::string path);

  const LeaderElectionOptions options_;
  const LeaderElectionHooks hooks_;
  LeadershipLease lease_;
  std::atomic<bool> elected_{false};
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  boost::asio::steady_timer retry_timer_;
  boost::asio::steady_timer confirm_timer_;
  std::unique_ptr<zk::Session> session_;
  std::unique_ptr<discovery::LeaderWatch> leader_watch_;  // while a standby
  std::thread worker_;

  // Worker thread only.
  bool lost_ = false;
  uint64_t watch_round_ = 0;  // a predecessor watch of an older round is stale

  mutable std::mutex mu_;
  std::string candidate_;                  // guarded by mu_
  std::optional<std::string> leader_url_;  // guarded by mu_
};

}  // namespace borealis::scheduler
