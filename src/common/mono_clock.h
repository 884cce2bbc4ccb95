// Monotonic time, for measuring how long something took or was silent. It is a separate
// interface from Clock (wall time) so the two cannot be mixed up: wall time is for
// timestamps people read and the store keeps, and a clock step (NTP, `date -s`) moves it;
// monotonic time never steps. Its zero is arbitrary: never persist it, show it or compare
// it across processes. Only system_clock.cc reads the real clock.
#pragma once

#include <cstdint>

namespace borealis {

// Milliseconds since an arbitrary point (the host's boot for SystemMonoClock).
using MonoMs = int64_t;

class MonoClock {
 public:
  virtual ~MonoClock() = default;
  virtual MonoMs mono_ms() const = 0;
};

// CLOCK_MONOTONIC. Thread-safe.
class SystemMonoClock final : public MonoClock {
 public:
  MonoMs mono_ms() const override;
  static const SystemMonoClock& instance();
};

// A monotonic clock that moves only when told (forward only). Not thread-safe.
class FakeMonoClock final : public MonoClock {
 public:
  explicit FakeMonoClock(MonoMs start = 1'000'000) : now_(start) {}
  MonoMs mono_ms() const override { return now_; }
  void advance_ms(MonoMs d) { now_ += d > 0 ? d : 0; }

 private:
  MonoMs now_;
};

}  // namespace borealis
