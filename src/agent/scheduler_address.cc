#include "agent/scheduler_address.h"

#include "common/log.h"

namespace borealis::agent {

std::string SchedulerAddress::url() const {
  std::lock_guard lock(mu_);
  return url_;
}

Result<std::string> SchedulerAddress::relocate(const std::string& why) {
  std::lock_guard lock(mu_);
  if (!locate_) return url_;
  const auto now = std::chrono::steady_clock::now();
  if (looked_up_ && now - looked_up_at_ < min_interval_) {
    if (url_.empty()) return last_error_;
    return url_;
  }
  looked_up_ = true;
  looked_up_at_ = now;
  auto found = locate_();
  if (!found.ok()) {
    if (found.status().message() != last_error_.message())
      spdlog::warn("cannot find the scheduler leader ({}): {}", why, found.status().message());
    last_error_ = found.status();
    url_.clear();
    return found.status();
  }
  last_error_ = Status();
  if (*found != url_) spdlog::info("the scheduler leader is {} ({})", *found, why);
  url_ = std::move(found).value();
  return url_;
}

}  // namespace borealis::agent
