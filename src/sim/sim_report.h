// The simulator's figures (docs/simulator.md#figures), as JSON and as text. A figure that
// was not measured (no scheduler PID, no restart, no packing run) is absent from the JSON
// and "-" in the text.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/json.h"

namespace borealis::sim {

struct SimReport {
  int64_t agents = 0;
  int64_t tasks = 0;
  int64_t jobs = 0;
  std::string workload;
  int threads = 1;

  double register_s = 0;        // fleet start -> every agent registered
  double submit_s = 0;          // first create -> last create answered
  double all_running_s = 0;     // first create -> every task RUNNING in the job list
  double placements_per_s = 0;  // tasks / (first create -> last new launch received)
  double api_p50_ms = 0;
  double api_p99_ms = 0;
  int64_t api_requests = 0;
  int64_t api_errors = 0;
  std::string api_first_error;  // sent when not empty

  std::optional<int64_t> scheduler_idle_rss_bytes;  // agents registered, no task
  std::optional<int64_t> scheduler_rss_bytes;       // every task RUNNING
  std::optional<double> memory_per_task_bytes;      // (rss - idle rss) / tasks

  std::optional<double> recovery_health_s;  // kill -9 -> /health answers again
  std::optional<double> recovery_s;         // kill -9 -> all re-registered, all RUNNING
  std::optional<int64_t> relaunched_tasks;  // new launches after the kill (want 0)
  std::optional<int64_t> recovery_rss_bytes;

  std::optional<int64_t> schedulers;                  // several: HA mode
  std::optional<int64_t> failover_kill_unix_ms;       // when the leader was killed, to read
                                                      // the schedulers' logs against
  std::optional<double> failover_elected_s;           // kill -9 of the leader -> another's
                                                      // /leaderhealth 200
  std::optional<double> failover_first_registered_s;  // -> the first agent registered with it
  std::optional<double> failover_registered_s;        // -> every agent registered with it
  std::optional<double> failover_s;                   // -> and every task RUNNING in its view
  std::optional<int64_t> failover_relaunched_tasks;   // launches after the kill (want 0)
  std::optional<int64_t> failover_double_active;      // instances two agents' tasks ran (want 0)
  std::optional<int64_t> failover_rss_bytes;          // the new leader's

  std::optional<double> packing_efficiency;  // the larger of the two shares below
  std::optional<double> packing_cpu_share;
  std::optional<double> packing_ram_share;
  std::optional<int64_t> packing_tasks;  // tasks running when the first could not be placed

  int64_t agent_failed_requests = 0;
  int64_t repeated_launches = 0;
};

json::object report_json(const SimReport& r);
std::string report_text(const SimReport& r);

}  // namespace borealis::sim
