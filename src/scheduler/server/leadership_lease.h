// LeadershipLease: how long this scheduler may still act as the leader without hearing
// from ZooKeeper. The election confirms it with a round trip on its candidate node every
// quarter of the session timeout; a confirmation started at T proves the session was alive
// after T, so ZooKeeper cannot have expired it (and elected another leader) before
// T + session timeout. The lease is valid until T + validity (half the session timeout),
// leaving the other half for a write in flight and clock slack.
//
// A leader that was paused (SIGSTOP, a stalled VM) wakes up with a stale lease: its store
// writes wait for a fresh confirmation, which an expired session never gives, so it
// acknowledges nothing more. The store's epoch check (Store::claim_epoch) covers a write
// that started before the pause.
//
// Thread-safety: every member may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>

#include "common/result.h"

namespace borealis::scheduler {

class LeadershipLease {
 public:
  using Clock = std::chrono::steady_clock;

  explicit LeadershipLease(std::chrono::milliseconds validity) : validity_(validity) {}

  // ZooKeeper confirmed the candidate node with a request sent at `sent`.
  void confirm(Clock::time_point sent);
  // Leadership is gone for good (session expired, candidate node deleted): every wait
  // fails from now on.
  void lose(const std::string& why);
  bool lost() const;

  // OK while the lease is valid; otherwise waits up to `wait` for a confirmation.
  // kFailedPrecondition ("fenced: ...") once lost; kUnavailable when no confirmation came.
  Status await_valid(std::chrono::milliseconds wait) const;

 private:
  bool valid_locked(Clock::time_point now) const;

  const std::chrono::milliseconds validity_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::optional<Clock::time_point> confirmed_sent_;  // guarded by mu_
  std::optional<std::string> lost_;                  // guarded by mu_
};

}  // namespace borealis::scheduler
