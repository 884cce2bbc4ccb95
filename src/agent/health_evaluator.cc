#include "agent/health_evaluator.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "common/enum_names.h"

namespace borealis::agent {

namespace {
// Indexed by Health.
constexpr std::array<std::string_view, 3> kHealthNames = {"unknown", "healthy", "unhealthy"};
}  // namespace

std::string_view health_name(Health h) { return enum_name(kHealthNames, h, "unknown"); }

HealthEvaluator::HealthEvaluator(const HealthPolicy& policy) : policy_(policy) {
  double interval = std::max(policy_.interval_secs, kMinIntervalSecs);
  double grace = std::max(0.0, policy_.initial_interval_secs);
  // A hair of slack so 0.3 / 0.1 is 3 attempts, not 4 from rounding.
  grace_attempts_ = static_cast<int64_t>(std::ceil(grace / interval - 1e-9));
  policy_.min_consecutive_successes = std::max<int64_t>(1, policy_.min_consecutive_successes);
  policy_.max_consecutive_failures = std::max<int64_t>(0, policy_.max_consecutive_failures);
  max_attempts_ =
      grace_attempts_ + policy_.max_consecutive_failures + policy_.min_consecutive_successes;
}

void HealthEvaluator::resume_healthy() {
  health_ = Health::kHealthy;
  attempts_ = std::max(attempts_, grace_attempts_);
}

void HealthEvaluator::fail(std::string reason) {
  health_ = Health::kUnhealthy;
  reason_ = std::move(reason);
}

Health HealthEvaluator::record(const CheckResult& r) {
  if (health_ == Health::kUnhealthy) return health_;
  ++attempts_;
  if (r.ok) {
    ++successes_;
    failures_ = 0;
    if (health_ == Health::kUnknown && successes_ >= policy_.min_consecutive_successes)
      health_ = Health::kHealthy;
  } else {
    successes_ = 0;
    if (attempts_ > grace_attempts_) {
      ++failures_;
      if (failures_ > policy_.max_consecutive_failures) {
        fail("health check failed " + std::to_string(failures_) +
             (failures_ == 1 ? " time" : " times in a row") + ": " + r.detail);
        return health_;
      }
      int64_t left = max_attempts_ - attempts_;
      if (health_ == Health::kUnknown && policy_.min_consecutive_successes > left) {
        fail("health check cannot pass " + std::to_string(policy_.min_consecutive_successes) +
             " time(s) in a row within its " + std::to_string(max_attempts_) +
             " attempts; last: " + r.detail);
        return health_;
      }
    }
  }
  if (health_ == Health::kUnknown && attempts_ >= max_attempts_)
    fail("not healthy after " + std::to_string(attempts_) + " health checks (needs " +
         std::to_string(policy_.min_consecutive_successes) +
         " success(es) in a row); last: " + r.detail);
  return health_;
}

}  // namespace borealis::agent
