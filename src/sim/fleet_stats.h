// What the simulated agents saw, counted on their io threads and read by the simulation's
// main thread while they run.
//
// Threading: atomics; any thread.
#pragma once

#include <atomic>
#include <cstdint>

namespace borealis::sim {

struct FleetStats {
  std::atomic<int64_t> registrations{0};      // register answers with 200
  std::atomic<int64_t> launches{0};           // launch commands for tasks the agent did not run
  std::atomic<int64_t> repeated_launches{0};  // launches of a task it already runs (ignored)
  std::atomic<int64_t> kills{0};              // kill commands and `kill` answers applied
  std::atomic<int64_t> updates_acked{0};      // status updates the scheduler acknowledged
  std::atomic<int64_t> running_tasks{0};      // tasks the agents run now
  std::atomic<int64_t> failed_requests{0};    // requests that failed or were refused
  std::atomic<int64_t> last_launch_ms{0};     // steady ms of the latest new launch
};

}  // namespace borealis::sim
