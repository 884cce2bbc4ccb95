// Completing a probe: its callback runs at most once, and is cleared before it runs so a
// cancel or a second completion from inside the callback finds nothing to call.
#pragma once

#include <functional>
#include <utility>

namespace borealis::agent {

template <typename R>
void complete_once(std::function<void(R)>& done, R result) {
  if (!done) return;
  std::function<void(R)> call = std::move(done);
  done = nullptr;
  call(std::move(result));
}

}  // namespace borealis::agent
