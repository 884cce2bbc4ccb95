// SchedulerAddress: where the agent's link and update sender reach the scheduler. Either
// fixed (--scheduler URL) or the cluster's leader found in ZooKeeper (--zk with --cluster,
// discovery/scheduler_leader.h): then a failed request, a standby's 307 or 503, or an
// unknown agent id makes the caller relocate(). A ZooKeeper watch (leader_follower.h)
// pushes each leader it reads with watched(); while that value is known, relocate()
// returns it at once. Only while it is unknown (not read yet, or the read failed) does
// relocate() read ZooKeeper itself, at most once per min_interval however many threads
// ask. Waiters (wait_for_move, listeners) wake as soon as the URL changes.
//
// Thread-safety: every member may be called from any thread. A listener runs on the
// thread that changed the URL; its owner stops those threads before it goes.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <stop_token>
#include <string>
#include <vector>

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

  // A watch read the leader: its URL, NOT_FOUND when none is announced (both known until
  // the next read), or another error (unknown: relocate() reads ZooKeeper again).
  void watched(const Result<std::string>& leader);
  // Sleeps for `d`, or until the URL is no longer `seen` or `stop` is requested; false
  // when stopped.
  bool wait_for_move(std::stop_token stop, std::chrono::milliseconds d, const std::string& seen);
  // Runs (on the changing thread, without the lock held) after each change of the URL.
  void add_listener(std::function<void()> on_move);

 private:
  // Sets url_ and last_error_ from a lookup; true when the URL changed. Holds mu_.
  bool take(const Result<std::string>& found, const std::string& why);
  void moved();

  const Locate locate_;
  const std::chrono::milliseconds min_interval_{0};
  std::mutex listeners_mu_;
  std::vector<std::function<void()>> listeners_;  // guarded by listeners_mu_
  mutable std::mutex mu_;
  std::condition_variable_any cv_;                      // url_ changed
  std::string url_;                                     // guarded by mu_
  std::chrono::steady_clock::time_point looked_up_at_;  // guarded by mu_
  bool looked_up_ = false;                              // guarded by mu_
  bool watch_known_ = false;                            // guarded by mu_: url_ is the watch's
  Status last_error_;                                   // guarded by mu_
};

}  // namespace borealis::agent
