#include "sim/leader_follower.h"

namespace borealis::sim {

LeaderFollower::LeaderFollower(std::vector<Endpoint> schedulers, size_t first)
    : schedulers_(std::move(schedulers)),
      next_((first + 1) % schedulers_.size()),
      current_(schedulers_[first % schedulers_.size()]) {}

bool LeaderFollower::follow(const std::string& location) {
  auto leader = location_endpoint(location);
  if (!leader.ok()) return false;
  if (leader->host == current_.host && leader->port == current_.port) return false;
  current_ = std::move(leader).value();
  return true;
}

bool LeaderFollower::next() {
  current_ = schedulers_[next_];
  next_ = (next_ + 1) % schedulers_.size();
  if (++failed_ < schedulers_.size()) return false;
  failed_ = 0;
  return true;
}

}  // namespace borealis::sim
