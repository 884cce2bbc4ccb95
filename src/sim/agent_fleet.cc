#include "sim/agent_fleet.h"

#include <boost/asio/post.hpp>

namespace borealis::sim {

Result<std::unique_ptr<AgentFleet>> AgentFleet::create(const FleetOptions& options) {
  BOREALIS_ASSIGN_OR_RETURN(Endpoint endpoint, parse_http_url(options.scheduler_url));
  std::unique_ptr<AgentFleet> fleet(new AgentFleet());
  for (int i = 0; i < std::max(1, options.threads); ++i)
    fleet->ios_.push_back(std::make_unique<boost::asio::io_context>(1));
  std::string authorization = options.token.empty() ? "" : "Bearer " + options.token;
  for (int i = 0; i < options.agents; ++i) {
    std::string host = "sim-agent-" + std::to_string(i);
    auto& io = *fleet->ios_[static_cast<size_t>(i) % fleet->ios_.size()];
    // 192.0.2.0/24 is TEST-NET-1: an address nobody answers on, should anything call it.
    AgentShape shape{host, "192.0.2.1:" + std::to_string(10000 + i % 50000), options.resources};
    fleet->agents_.push_back(
        std::make_unique<SimAgent>(io, endpoint, authorization, std::move(shape), fleet->stats_));
  }
  return fleet;
}

AgentFleet::~AgentFleet() { stop(); }

void AgentFleet::start() {
  for (size_t i = 0; i < agents_.size(); ++i) {
    SimAgent* agent = agents_[i].get();
    boost::asio::post(*ios_[i % ios_.size()], [agent] { agent->start(); });
  }
  for (auto& io : ios_) threads_.emplace_back([ctx = io.get()] { ctx->run(); });
}

void AgentFleet::stop() {
  for (auto& io : ios_) io->stop();
  for (auto& t : threads_) t.join();
  threads_.clear();
  agents_.clear();  // their sockets and timers belong to io contexts that no longer run
}

}  // namespace borealis::sim
