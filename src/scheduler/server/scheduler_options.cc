#include "scheduler/server/scheduler_options.h"

#include <CLI/CLI.hpp>

namespace borealis::scheduler {

void add_scheduler_flags(CLI::App& app, SchedulerOptions& o) {
  app.add_option("--cluster", o.cluster, "Name of the cluster this scheduler runs")
      ->capture_default_str();
  app.add_option("--store", o.store, "Where state is kept: sqlite:///PATH")->required();
  app.add_option("--bind-address", o.bind_address, "Address the HTTP API listens on")
      ->capture_default_str();
  app.add_option("--http-port", o.http_port, "Port of the HTTP API, agent protocol and UI")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  app.add_option("--agent-timeout-secs", o.agent_timeout_secs,
                 "An agent silent this long is lost; its tasks are rescheduled")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  app.add_option("--poll-timeout-ms", o.poll_timeout_ms,
                 "How long an agent's poll is held when there is nothing to send")
      ->check(CLI::Range(50, 60000))
      ->capture_default_str();
  app.add_option("--flapping-threshold-secs", o.flapping_threshold_secs,
                 "A task that ran shorter than this is flapping: its replacement waits")
      ->check(CLI::Range(0, 86400))
      ->capture_default_str();
  app.add_option("--initial-flapping-delay-ms", o.initial_flapping_delay_ms,
                 "First wait before a flapping task runs again (doubles each time)")
      ->check(CLI::Range(0, 3600000))
      ->capture_default_str();
  app.add_option("--max-flapping-delay-secs", o.max_flapping_delay_secs,
                 "Longest wait before a flapping task runs again")
      ->check(CLI::Range(0, 86400))
      ->capture_default_str();
  app.add_option("--max-instances", o.max_instances, "Most instances one job may have")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  app.add_option("--sla-min-instances", o.sla_min_instances,
                 "sla_aware updates check the SLA of jobs with at least this many instances")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  app.add_flag("--sla-aware-kill-non-prod", o.sla_aware_kill_non_prod,
               "sla_aware updates check the SLA of non-production jobs too");
  app.add_option("--log-level", o.log_level, "trace, debug, info, warn or error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
      ->capture_default_str();
}

}  // namespace borealis::scheduler
