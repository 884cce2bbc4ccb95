#include "sim/agent_fleet.h"

#include <boost/asio/post.hpp>
#include <future>

namespace borealis::sim {

Result<std::unique_ptr<AgentFleet>> AgentFleet::create(const FleetOptions& options) {
  if (options.scheduler_urls.empty()) return invalid_argument("the fleet needs a scheduler URL");
  std::vector<Endpoint> schedulers;
  for (const auto& url : options.scheduler_urls) {
    BOREALIS_ASSIGN_OR_RETURN(Endpoint endpoint, parse_http_url(url));
    schedulers.push_back(std::move(endpoint));
  }
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
        std::make_unique<SimAgent>(io, LeaderFollower(schedulers, options.first_scheduler),
                                   authorization, std::move(shape), fleet->stats_));
  }
  return fleet;
}

AgentFleet::~AgentFleet() { stop(); }

int64_t AgentFleet::registered_since(int64_t steady_ms) const {
  int64_t n = 0;
  for (const auto& agent : agents_) n += agent->registered_at_ms() >= steady_ms ? 1 : 0;
  return n;
}

int64_t AgentFleet::first_registered_since(int64_t steady_ms) const {
  int64_t first = 0;
  for (const auto& agent : agents_) {
    int64_t at = agent->registered_at_ms();
    if (at >= steady_ms && (first == 0 || at < first)) first = at;
  }
  return first;
}

std::vector<std::string> AgentFleet::task_ids() {
  if (threads_.empty()) return {};
  // Each agent's tasks belong to its io thread: ask every thread for its agents' ids.
  std::vector<std::future<std::vector<std::string>>> parts;
  for (size_t t = 0; t < ios_.size(); ++t) {
    auto part = std::make_shared<std::promise<std::vector<std::string>>>();
    parts.push_back(part->get_future());
    boost::asio::post(*ios_[t], [this, t, part] {
      std::vector<std::string> ids;
      for (size_t i = t; i < agents_.size(); i += ios_.size()) {
        auto mine = agents_[i]->task_ids();
        ids.insert(ids.end(), mine.begin(), mine.end());
      }
      part->set_value(std::move(ids));
    });
  }
  std::vector<std::string> all;
  for (auto& part : parts) {
    auto ids = part.get();
    all.insert(all.end(), ids.begin(), ids.end());
  }
  return all;
}

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
