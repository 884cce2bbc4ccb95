#include "agent/scheduler_address.h"

#include "common/log.h"

namespace borealis::agent {

std::string SchedulerAddress::url() const {
  std::lock_guard lock(mu_);
  return url_;
}

bool SchedulerAddress::take(const Result<std::string>& found, const std::string& why) {
  if (!found.ok()) {
    if (found.status().message() != last_error_.message())
      spdlog::warn("cannot find the scheduler leader ({}): {}", why, found.status().message());
    last_error_ = found.status();
    const bool changed = !url_.empty();
    url_.clear();
    return changed;
  }
  last_error_ = Status();
  if (*found == url_) return false;
  spdlog::info("the scheduler leader is {} ({})", *found, why);
  url_ = *found;
  return true;
}

void SchedulerAddress::moved() {
  cv_.notify_all();
  std::lock_guard lock(listeners_mu_);
  for (const auto& on_move : listeners_) on_move();
}

Result<std::string> SchedulerAddress::relocate(const std::string& why) {
  Result<std::string> out = std::string();
  bool changed = false;
  {
    std::lock_guard lock(mu_);
    if (!locate_) return url_;
    const auto now = std::chrono::steady_clock::now();
    // The watch keeps a known value fresh; a recent lookup is not repeated.
    if (watch_known_ || (looked_up_ && now - looked_up_at_ < min_interval_)) {
      if (url_.empty()) return last_error_;
      return url_;
    }
    looked_up_ = true;
    looked_up_at_ = now;
    auto found = locate_();
    changed = take(found, why);
    if (found.ok())
      out = url_;
    else
      out = found.status();
  }
  if (changed) moved();
  return out;
}

void SchedulerAddress::watched(const Result<std::string>& leader) {
  bool changed = false;
  {
    std::lock_guard lock(mu_);
    if (!leader.ok() && leader.status().code() != StatusCode::kNotFound) {
      // ZooKeeper could not be read: the scheduler may well be where it was.
      if (watch_known_ || leader.status().message() != last_error_.message())
        spdlog::warn("cannot read the scheduler leader from ZooKeeper: {}",
                     leader.status().message());
      watch_known_ = false;
      if (url_.empty()) last_error_ = leader.status();
      return;
    }
    watch_known_ = true;
    changed = take(leader, "ZooKeeper watch");
  }
  if (changed) moved();
}

bool SchedulerAddress::wait_for_move(std::stop_token stop, std::chrono::milliseconds d,
                                     const std::string& seen) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, stop, d, [&] { return url_ != seen; });
  return !stop.stop_requested();
}

void SchedulerAddress::add_listener(std::function<void()> on_move) {
  std::lock_guard lock(listeners_mu_);
  listeners_.push_back(std::move(on_move));
}

}  // namespace borealis::agent
