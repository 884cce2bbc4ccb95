// SchedulerAddress: where the agent's link and update sender reach the scheduler. Either
// fixed (--scheduler URL) or the cluster's leader found in ZooKeeper (--zk with --cluster,
// discovery/scheduler_leader.h): then a failed request, a standby's 307 or 503, or an
// unknown agent id makes the caller relocate(), which reads ZooKeeper again (at most once
// per min_interval, however many threads ask).
//
// Thread-safety: every member may be called from any thread.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>

#include "common/result.h"

namespace borealis::agent {

// How often a link looks for a leader while none is announced (an election under way); also
// the least time between two lookups.
inline constexpr std::chrono::milliseconds kLeaderLookupInterval{250};
// The longest a link following a leader waits before trying (and looking up) it again.
inline constexpr std::chrono::milliseconds kLeaderRetryMax{1000};

class SchedulerAddress {
 public:
  using Locate = std::function<Result<std::string>()>;

  // A fixed scheduler.
  explicit SchedulerAddress(std::string url) : url_(std::move(url)) {}
  // The leader, as `locate` finds it (first looked up by the first relocate()).
  SchedulerAddress(Locate locate, std::chrono::milliseconds min_interval)
      : locate_(std::move(locate)), min_interval_(min_interval) {}

  // The URL to use now; "" while following a leader not found yet.
  std::string url() const;
  bool follows_leader() const { return static_cast<bool>(locate_); }
  // Following a leader: looks it up again (unless looked up less than min_interval ago)
  // and returns the URL now to use; an error when none is announced. Fixed: the URL.
  Result<std::string> relocate(const std::string& why);

 private:
  const Locate locate_;
  const std::chrono::milliseconds min_interval_{0};
  mutable std::mutex mu_;
  std::string url_;                                     // guarded by mu_
  std::chrono::steady_clock::time_point looked_up_at_;  // guarded by mu_
  bool looked_up_ = false;                              // guarded by mu_
  Status last_error_;                                   // guarded by mu_
};

}  // namespace borealis::agent
