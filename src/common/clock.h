// Time as an input. Everything that needs "now" takes a Clock; only system_clock.cc
// reads the real clock, so tests advance a FakeClock instead of sleeping.
#pragma once

#include <cstdint>

namespace borealis {

// Milliseconds since the Unix epoch (wall time; persisted in the store).
using TimeMs = int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimeMs now_ms() const = 0;
};

// The real wall clock. Thread-safe.
class SystemClock final : public Clock {
 public:
  TimeMs now_ms() const override;
  static const SystemClock& instance();
};

// A clock that moves only when told. Not thread-safe: for single-threaded tests.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimeMs start = 1'700'000'000'000) : now_(start) {}
  TimeMs now_ms() const override { return now_; }
  void advance_ms(TimeMs d) { now_ += d; }
  void set_ms(TimeMs t) { now_ = t; }

 private:
  TimeMs now_;
};

}  // namespace borealis
