// LeaderFollower: the agent's one ZooKeeper session for following the scheduler leader
// (--zk, --zk-auth, --cluster's --scheduler-zk-path), kept for the agent's whole life. A
// discovery::LeaderWatch on it pushes every read of the leader's announcement into the
// SchedulerAddress, so the link and the update sender learn of a new leader from one child
// watch event instead of opening a session per lookup. ZooKeeper down at start delays only
// finding the leader: the session keeps trying, and each session it opens is logged with
// its number ("ZooKeeper session 0x... for following the scheduler leader (session N)").
//
// Threads: the follower's own thread runs the session's callbacks and the watch's reads;
// read_now() may be called from any thread. Destroy it before the SchedulerAddress.
#pragma once

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>
#include <thread>

#include "agent/agent_config.h"
#include "agent/scheduler_address.h"
#include "discovery/leader_watch.h"
#include "zk/session.h"

namespace borealis::agent {

class LeaderFollower {
 public:
  // Starts connecting and never waits for ZooKeeper. `config.zk` and
  // `config.scheduler_zk_path` must be set; `address` must outlive this.
  static Result<std::unique_ptr<LeaderFollower>> start(const AgentConfig& config,
                                                       SchedulerAddress& address);
  ~LeaderFollower();
  LeaderFollower(const LeaderFollower&) = delete;
  LeaderFollower& operator=(const LeaderFollower&) = delete;

  // One read of the leader now, on the caller's thread, over the follower's session
  // (kUnavailable while it is not connected).
  Result<std::string> read_now();

 private:
  LeaderFollower(std::string servers, std::string path);
  void on_state(const zk::SessionState& state);  // the follower's thread

  const std::string servers_;
  const std::string path_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::unique_ptr<zk::Session> session_;
  std::unique_ptr<discovery::LeaderWatch> watch_;
  std::thread thread_;
  int sessions_ = 0;  // the follower's thread only
};

}  // namespace borealis::agent
