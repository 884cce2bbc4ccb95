// Waiting for a job's instances to reach a state (`job create --wait-until`), by polling
// its tasks through the API.
//
//   PENDING   the scheduler accepted the job (nothing to poll)
//   RUNNING   every instance RUNNING (or already FINISHED); fails as soon as a task FAILED
//             or an instance ended otherwise (KILLED, LOST) without a replacement
//   FINISHED  every instance ended; fails unless every instance FINISHED
//
// Time comes from a Clock and waiting from an injected sleep, so tests never sleep.
#pragma once

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/api_client.h"
#include "common/clock.h"

namespace borealis::cli {

enum class WaitTarget { kPending, kRunning, kFinished };

std::string_view wait_target_name(WaitTarget t);
std::optional<WaitTarget> parse_wait_target(std::string_view s);

// Where a job stands against a target, judged from one task list.
struct WaitState {
  enum class Kind { kWaiting, kReached, kFailed };
  Kind kind = Kind::kWaiting;
  std::string progress;  // "1/3 RUNNING, 2 PENDING"
  std::string detail;    // why it failed, or why an instance still waits ("" if nothing to say)
};

// Judges instances 0..instances-1 of a job from its task list (active tasks first).
WaitState evaluate_wait(const std::vector<TaskInfo>& tasks, int64_t instances, WaitTarget target);

// The pauses between polls: `initial`, then twice the previous one, capped at `max` (a
// non-positive or too large `initial` starts at `max`).
class PollBackoff {
 public:
  PollBackoff(TimeMs initial, TimeMs max);
  TimeMs next();

 private:
  TimeMs next_;
  TimeMs max_;
};

struct WaitOptions {
  WaitTarget target = WaitTarget::kPending;
  TimeMs timeout_ms = 0;        // 0 = no limit
  TimeMs poll_initial_ms = 50;  // see PollBackoff
  TimeMs poll_ms = 1000;
  const Clock* clock = nullptr;
  std::function<void(TimeMs)> sleep;  // waits between polls
  std::ostream* progress = nullptr;   // progress lines when set (stderr on a terminal)
};

// Polls until the target is reached (OK), the job fails it, or the timeout passes; both
// errors say where the job stands. A scheduler that cannot be reached is retried until the
// timeout; other API errors end the wait.
Status wait_for_job(ApiClient& api, const ClusterJobKey& key, int64_t instances,
                    const WaitOptions& options);

}  // namespace borealis::cli
