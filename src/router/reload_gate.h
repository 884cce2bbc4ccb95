// The reload rate limit: HAProxy reloads at most once per min_reload_interval, and the
// changes that need one while it waits are coalesced into that one reload.
//
// Thread-safety: none; one owner.
#pragma once

#include <optional>

#include "common/mono_clock.h"

namespace borealis::router {

class ReloadGate {
 public:
  ReloadGate(const MonoClock& clock, MonoMs min_interval_ms)
      : clock_(clock), min_interval_ms_(min_interval_ms) {}

  // A reload is wanted (again: still one reload).
  void request() { pending_ = true; }
  bool pending() const { return pending_; }
  // How long until the pending reload may run: 0 = now; nullopt when none is pending.
  std::optional<MonoMs> wait_ms() const {
    if (!pending_) return std::nullopt;
    if (!last_) return 0;
    MonoMs due = *last_ + min_interval_ms_, now = clock_.mono_ms();
    return due > now ? due - now : 0;
  }
  // The reload ran now (or was tried: a failed one also waits out the interval).
  void reloaded() {
    pending_ = false;
    last_ = clock_.mono_ms();
  }

 private:
  const MonoClock& clock_;
  MonoMs min_interval_ms_;
  bool pending_ = false;
  std::optional<MonoMs> last_;
};

}  // namespace borealis::router
