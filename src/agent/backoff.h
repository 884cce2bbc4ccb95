// Exponential backoff with jitter between retries of a failed call, and a sleep that a
// stop request cuts short.
//
// Thread-safety: a Backoff belongs to one thread; interruptible_sleep is reentrant.
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <random>
#include <stop_token>

namespace borealis::agent {

class Backoff {
 public:
  Backoff(int64_t min_ms, int64_t max_ms)
      : min_ms_(std::max<int64_t>(1, min_ms)), max_ms_(std::max(min_ms_, max_ms)), next_(min_ms_) {}

  // The next delay: doubles from min to max, each with up to 25% of random extra.
  std::chrono::milliseconds next() {
    int64_t base = next_;
    next_ = std::min(max_ms_, next_ * 2);
    std::uniform_int_distribution<int64_t> extra(0, base / 4);
    return std::chrono::milliseconds(base + extra(rng_));
  }
  void reset() { next_ = min_ms_; }

 private:
  int64_t min_ms_;
  int64_t max_ms_;
  int64_t next_;
  std::minstd_rand rng_{std::random_device{}()};
};

// Sleeps for `d` or until `stop` is requested; returns false when stopped.
inline bool interruptible_sleep(std::stop_token stop, std::chrono::milliseconds d) {
  std::mutex mu;
  std::condition_variable_any cv;
  std::unique_lock lock(mu);
  return !cv.wait_for(lock, stop, d, [] { return false; }) && !stop.stop_requested();
}

}  // namespace borealis::agent
