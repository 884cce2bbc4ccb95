// PartitionFence: the agent's side of a long partition (--partition-stop-after). The
// scheduler replaces a silent agent's tasks after their partition_policy's delay; the
// agent cannot know whether it did, so an agent that has not heard from the scheduler for
// longer than the operator's bound stops all its tasks, and two copies of a task do not
// keep running for the whole partition. Each task ends KILLED with the reason, which
// reaches the scheduler with the update when the link returns. Off by default, as in
// Aurora (docs/partitions.md).
//
// Silence is measured on the monotonic clock from the last answer of the scheduler (or
// from start(): an agent that starts cut off fences its re-attached tasks too). Once
// fenced, it fences again only after a new answer and a new silence.
//
// Threading: contact() from any thread; everything else on the loop thread.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <string>

#include "common/clock.h"
#include "common/mono_clock.h"

namespace borealis::agent {

class PartitionFence {
 public:
  // Stops every task with the reason given; called on the loop thread.
  using StopAll = std::function<void(const std::string& reason)>;

  // `stop_after_ms` > 0; `clock` must outlive the fence.
  PartitionFence(boost::asio::io_context& io, TimeMs stop_after_ms, const MonoClock& clock,
                 StopAll stop_all);

  // Starts counting the silence and checking it periodically.
  void start();
  void stop();
  // The scheduler answered (a register or a poll). Any thread.
  void contact() { last_contact_ms_.store(clock_.mono_ms()); }
  // Stops the tasks if the silence is over the bound (the timer calls it).
  void check();
  bool fenced() const { return fenced_; }

 private:
  void schedule();

  const TimeMs stop_after_ms_;
  const MonoClock& clock_;
  StopAll stop_all_;
  std::atomic<MonoMs> last_contact_ms_;
  bool fenced_ = false;
  boost::asio::steady_timer timer_;
};

}  // namespace borealis::agent
