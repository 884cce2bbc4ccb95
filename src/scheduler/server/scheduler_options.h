// Options of `borealis scheduler`, described once: the flags, their defaults and help
// come from here (and `borealis scheduler --help` is what docs/operations.md quotes).
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace borealis::scheduler {

struct SchedulerOptions {
  std::string cluster = "devcluster";
  std::string store;  // sqlite:///path
  std::string bind_address = "0.0.0.0";
  int http_port = 8081;
  int agent_timeout_secs = 15;
  int poll_timeout_ms = 5000;
  int flapping_threshold_secs = 300;
  int initial_flapping_delay_ms = 5000;
  int max_flapping_delay_secs = 300;
  int max_instances = 10000;
  int sla_min_instances = 20;  // Aurora's -min_required_instances_for_sla_check
  bool sla_aware_kill_non_prod = false;
  int tick_ms = 100;
  std::string log_level = "info";
};

// Adds the flags to `app`, writing into `options`.
void add_scheduler_flags(CLI::App& app, SchedulerOptions& options);

}  // namespace borealis::scheduler
