// Which of several schedulers a simulated agent talks to (docs/simulator.md#ha-mode). A real
// agent finds the leader in ZooKeeper (src/agent/scheduler_address.h); a simulated one has
// only the schedulers' URLs: it follows a standby's 307, which names the leader, and after a
// failed or refused request tries the next URL. A pass over every URL stands for one lookup
// of the leader in ZooKeeper: it starts at most every kSimLeaderLookupInterval. With one
// scheduler nothing ever moves.
//
// Thread-safety: a plain value, used on its agent's io thread.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "sim/async_http_client.h"

namespace borealis::sim {

// As the real agent's kLeaderLookupInterval (src/agent/scheduler_address.h): the least time
// between two passes over the schedulers, so a fleet looking for a new leader during an
// election does not flood the standbys.
inline constexpr std::chrono::milliseconds kSimLeaderLookupInterval{250};

class LeaderFollower {
 public:
  // `schedulers` is not empty; `first` indexes it.
  LeaderFollower(std::vector<Endpoint> schedulers, size_t first);

  const Endpoint& current() const { return current_; }
  bool follows_leader() const { return schedulers_.size() > 1; }

  // After a standby's 307: moves to the scheduler its Location names. False when the
  // Location is unreadable or names the current scheduler (then call next()).
  bool follow(const std::string& location);
  // After a failed or refused request: the next scheduler of the list. True when that
  // begins a new pass (every scheduler failed since the last pass began): the caller waits
  // kSimLeaderLookupInterval first.
  bool next();

 private:
  std::vector<Endpoint> schedulers_;
  size_t next_ = 0;    // the index next() moves to
  size_t failed_ = 0;  // failures in this pass
  Endpoint current_;
};

}  // namespace borealis::sim
