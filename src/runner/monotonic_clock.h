// A Clock reading CLOCK_MONOTONIC, for the runner's timers (min_duration, kill grace,
// finalization_wait) so a wall-clock step cannot stretch or skip them. Checkpoint `ts`
// stays wall time (SystemClock). Thread-safe.
#pragma once

#include "common/clock.h"

namespace borealis::runner {

class MonotonicClock final : public Clock {
 public:
  TimeMs now_ms() const override;
};

}  // namespace borealis::runner
