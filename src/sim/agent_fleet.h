// N simulated agents multiplexed on a few io threads (agent i on thread i % threads), all
// talking to one scheduler, or following the leader of several.
//
// Threading: start() and stop() from one thread; the others from any thread but the agents'.
#pragma once

#include <boost/asio/io_context.hpp>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "sim/fleet_stats.h"
#include "sim/sim_agent.h"

namespace borealis::sim {

struct FleetOptions {
  std::vector<std::string> scheduler_urls;  // http://HOST:PORT, at least one
  size_t first_scheduler = 0;               // the one the agents register with first
  std::string token;                        // "" = none
  int agents = 100;
  int threads = 1;
  protocol::HostResources resources;  // each agent's
};

class AgentFleet {
 public:
  static Result<std::unique_ptr<AgentFleet>> create(const FleetOptions& options);
  ~AgentFleet();

  void start();
  void stop();
  const FleetStats& stats() const { return stats_; }
  // Agents whose latest registration happened at or after `steady_ms`.
  int64_t registered_since(int64_t steady_ms) const;
  // The earliest of those registrations (steady ms); 0 when none.
  int64_t first_registered_since(int64_t steady_ms) const;
  // Every task id the agents run now, read on their io threads (empty when stopped).
  std::vector<std::string> task_ids();

 private:
  AgentFleet() = default;
  FleetStats stats_;
  std::vector<std::unique_ptr<boost::asio::io_context>> ios_;
  std::vector<std::unique_ptr<SimAgent>> agents_;
  std::vector<std::thread> threads_;
};

}  // namespace borealis::sim
