// N simulated agents multiplexed on a few io threads (agent i on thread i % threads), all
// talking to one scheduler.
//
// Threading: start() and stop() from one thread; stats() from any.
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
  std::string scheduler_url;  // http://HOST:PORT
  std::string token;          // "" = none
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

 private:
  AgentFleet() = default;
  FleetStats stats_;
  std::vector<std::unique_ptr<boost::asio::io_context>> ios_;
  std::vector<std::unique_ptr<SimAgent>> agents_;
  std::vector<std::thread> threads_;
};

}  // namespace borealis::sim
