// The one file that reads the real clocks.
#include <chrono>

#include "common/clock.h"
#include "common/mono_clock.h"

namespace borealis {

TimeMs SystemClock::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

const SystemClock& SystemClock::instance() {
  static const SystemClock clock;
  return clock;
}

// steady_clock is CLOCK_MONOTONIC on Linux.
MonoMs SystemMonoClock::mono_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

const SystemMonoClock& SystemMonoClock::instance() {
  static const SystemMonoClock clock;
  return clock;
}

}  // namespace borealis
