// HealthEvaluator: the pure rules that turn a task's health check results into a verdict,
// counted in attempts the way Aurora's executor does (health_checker.py), so timing
// jitter never costs a task an attempt:
//
//   grace      = ceil(initial_interval_secs / interval_secs) attempts: a failure among the
//                first `grace` attempts is not counted (it still resets the successes).
//   healthy    = min_consecutive_successes successes in a row (then the agent reports
//                RUNNING). Once healthy, a task stays healthy until it fails.
//   unhealthy  = more than max_consecutive_failures counted failures in a row, whether
//                healthy yet or not;
//                or, not healthy yet, when the successes needed can no longer fit in the
//                attempts left before the deadline ("fail fast");
//                or, not healthy after grace + max_consecutive_failures +
//                min_consecutive_successes attempts (the deadline). Aurora allows one more
//                attempt than that; we stop at exactly the computed count. (With the fail
//                fast rule the deadline is a safety net: fail fast always fires first.)
//   snoozed    = a check skipped because <sandbox>/.healthchecksnooze exists; as in Aurora it
//                counts as a success.
// Unhealthy is final. A re-attached task that was already RUNNING starts healthy and with
// no grace (resume_healthy).
//
// Thread-safety: a plain value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "agent/health_spec.h"

namespace borealis::agent {

// Shorter (or non-positive) intervals are taken as this: a spec cannot make the agent
// spin.
inline constexpr double kMinIntervalSecs = 0.01;

enum class Health { kUnknown, kHealthy, kUnhealthy };
std::string_view health_name(Health h);  // "unknown", "healthy", "unhealthy"

struct CheckResult {
  bool ok = false;
  bool snoozed = false;
  std::string detail;  // what was checked and, on failure, what went wrong
};

class HealthEvaluator {
 public:
  explicit HealthEvaluator(const HealthPolicy& policy);

  // Already healthy (re-attach of a RUNNING task): no grace, failures count at once.
  void resume_healthy();
  // Folds in one attempt's result and returns the verdict after it.
  Health record(const CheckResult& result);

  Health health() const { return health_; }
  // Why the task is unhealthy ("health check failed 3 times in a row: ...").
  const std::string& reason() const { return reason_; }
  int64_t attempts() const { return attempts_; }
  int64_t consecutive_failures() const { return failures_; }
  int64_t consecutive_successes() const { return successes_; }
  int64_t grace_attempts() const { return grace_attempts_; }
  int64_t max_attempts_to_healthy() const { return max_attempts_; }

 private:
  void fail(std::string reason);

  HealthPolicy policy_;
  int64_t grace_attempts_;
  int64_t max_attempts_;
  int64_t attempts_ = 0;
  int64_t failures_ = 0;   // counted, consecutive
  int64_t successes_ = 0;  // consecutive
  Health health_ = Health::kUnknown;
  std::string reason_;
};

}  // namespace borealis::agent
