// One simulated agent: it speaks the real agent protocol (src/protocol,
// docs/internals/agent-protocol.md) as src/agent/scheduler_link.cc does — register with its
// task list, long-poll for commands, post numbered status updates until acknowledged — but
// its tasks "run" at once: a launch is answered with STARTING then RUNNING, a kill with
// KILLED. It holds two keep-alive connections, one for polls and one for updates, as a real
// agent does. Given several schedulers, it follows their leader (sim/leader_follower.h).
//
// Threading: created, started and driven on one io_context thread.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "protocol/messages.h"
#include "sim/async_http_client.h"
#include "sim/fleet_stats.h"
#include "sim/leader_follower.h"

namespace borealis::sim {

struct AgentShape {
  std::string hostname;  // unique in the fleet
  std::string address;   // advertised, never listened on: the scheduler does not call agents
  protocol::HostResources resources;
};

class SimAgent {
 public:
  SimAgent(boost::asio::io_context& io, LeaderFollower schedulers, const std::string& authorization,
           AgentShape shape, FleetStats& stats);
  void start();  // registers, then polls until the io_context stops

  // Steady-clock ms of its latest registration (0: none yet); any thread.
  int64_t registered_at_ms() const { return registered_at_ms_.load(); }
  // The tasks it runs now; on its io thread.
  std::vector<std::string> task_ids() const;

 private:
  void register_now();
  void poll_now();
  void retry_register(const Result<AsyncResponse>& failed);
  void apply(const protocol::PollAnswer& answer);
  void launch(const std::string& task_id);
  void kill(const std::string& task_id);
  void queue_update(const std::string& task_id, protocol::TaskState state);
  void flush_updates();
  std::vector<protocol::TaskReport> task_reports() const;

  AgentShape shape_;
  FleetStats& stats_;
  LeaderFollower schedulers_;
  AsyncHttpConnection poll_conn_;
  AsyncHttpConnection update_conn_;
  boost::asio::steady_timer retry_timer_;
  boost::asio::steady_timer update_timer_;
  std::string agent_id_;
  bool registered_ = false;
  std::atomic<int64_t> registered_at_ms_{0};
  int64_t acked_command_seq_ = 0;
  int64_t poll_timeout_ms_ = 5000;
  std::chrono::steady_clock::time_point tasks_sent_at_;
  std::chrono::milliseconds backoff_{100};
  std::map<std::string, protocol::TaskState> tasks_;  // not ended
  std::vector<protocol::StatusUpdate> outbox_;        // not yet acknowledged, in seq order
  int64_t next_update_seq_ = 1;
  bool update_in_flight_ = false;
};

}  // namespace borealis::sim
