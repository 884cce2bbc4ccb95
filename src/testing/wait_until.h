// Waiting in tests without fixed sleeps: poll a condition every few milliseconds until it
// holds or a deadline passes.
#pragma once

#include <chrono>
#include <functional>

namespace borealis::testing {

// True as soon as `cond` holds; false when `timeout` passed first (then `cond` was false
// at its last check).
bool wait_until(const std::function<bool()>& cond,
                std::chrono::milliseconds timeout = std::chrono::seconds(10),
                std::chrono::milliseconds interval = std::chrono::milliseconds(10));

}  // namespace borealis::testing
