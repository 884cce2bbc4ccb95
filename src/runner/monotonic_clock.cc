#include "runner/monotonic_clock.h"

#include <time.h>

namespace borealis::runner {

TimeMs MonotonicClock::now_ms() const {
  struct timespec ts {};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<TimeMs>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

}  // namespace borealis::runner
