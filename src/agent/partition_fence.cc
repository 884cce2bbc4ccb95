#include "agent/partition_fence.h"

#include <algorithm>
#include <chrono>

#include "common/log.h"

namespace borealis::agent {

PartitionFence::PartitionFence(boost::asio::io_context& io, TimeMs stop_after_ms,
                               const MonoClock& clock, StopAll stop_all)
    : stop_after_ms_(stop_after_ms),
      clock_(clock),
      stop_all_(std::move(stop_all)),
      last_contact_ms_(clock.mono_ms()),
      timer_(io) {}

void PartitionFence::start() {
  contact();
  schedule();
}

void PartitionFence::stop() { timer_.cancel(); }

void PartitionFence::schedule() {
  // A tenth of the bound, within 0.1 s to 1 s: tasks stop at most that late.
  TimeMs period = std::clamp<TimeMs>(stop_after_ms_ / 10, 100, 1000);
  timer_.expires_after(std::chrono::milliseconds(period));
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec) return;
    check();
    schedule();
  });
}

void PartitionFence::check() {
  MonoMs silent_ms = clock_.mono_ms() - last_contact_ms_.load();
  if (silent_ms <= stop_after_ms_) {
    if (fenced_) spdlog::info("partition fence: the scheduler answers again");
    fenced_ = false;
    return;
  }
  if (fenced_) return;
  fenced_ = true;
  std::string reason = "the agent could not reach the scheduler for " +
                       std::to_string(silent_ms / 1000) + " s (--partition-stop-after " +
                       std::to_string(stop_after_ms_ / 1000) + ")";
  spdlog::warn("partition fence: {}; stopping every task", reason);
  stop_all_(reason);
}

}  // namespace borealis::agent
