#include "scheduler/server/leadership_lease.h"

namespace borealis::scheduler {

void LeadershipLease::confirm(Clock::time_point sent) {
  {
    std::lock_guard lock(mu_);
    if (!confirmed_sent_ || sent > *confirmed_sent_) confirmed_sent_ = sent;
  }
  cv_.notify_all();
}

void LeadershipLease::lose(const std::string& why) {
  {
    std::lock_guard lock(mu_);
    if (!lost_) lost_ = why;
  }
  cv_.notify_all();
}

bool LeadershipLease::lost() const {
  std::lock_guard lock(mu_);
  return lost_.has_value();
}

bool LeadershipLease::valid_locked(Clock::time_point now) const {
  return confirmed_sent_ && now < *confirmed_sent_ + validity_;
}

Status LeadershipLease::await_valid(std::chrono::milliseconds wait) const {
  std::unique_lock lock(mu_);
  const Clock::time_point deadline = Clock::now() + wait;
  for (;;) {
    if (lost_) return failed_precondition("fenced: this scheduler lost its leadership: " + *lost_);
    Clock::time_point now = Clock::now();
    if (valid_locked(now)) return Status();
    if (now >= deadline)
      return unavailable("fenced: ZooKeeper has not confirmed this scheduler's leadership for " +
                         std::to_string(wait.count()) + " ms");
    cv_.wait_until(lock, deadline);
  }
}

}  // namespace borealis::scheduler
