// The scheduler core's settings, shared by the core and the parts it is built from.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/clock.h"
#include "jobspec/validate.h"
#include "scheduler/core/placement.h"

namespace borealis::scheduler {

// How much history of ended tasks is kept (history_pruner.h, docs/operations.md).
struct HistoryBounds {
  size_t max_ended_tasks_per_job = 100;  // beyond each instance's newest ended task
  // An ended task older than this (from its last event) is forgotten; so is a job with no
  // active task whose last change is older. (Cron runs are bounded by cron_runs_kept.)
  TimeMs max_age_ms = 24 * 3600'000;
};

struct CoreOptions {
  std::string cluster = "devcluster";
  bool container_images = false;  // whether agents can run Docker/appc images
  TimeMs agent_timeout_ms = 15'000;
  TimeMs flapping_threshold_ms = 5 * 60'000;  // a task that ran shorter is flapping
  TimeMs initial_flapping_delay_ms = 5'000;
  TimeMs max_flapping_delay_ms = 5 * 60'000;
  size_t history_per_instance = 5;  // ended tasks kept per instance, whatever `history` says
  HistoryBounds history;
  size_t events_per_task = 20;
  size_t updates_per_job = 10;  // ended updates kept per job
  size_t events_per_update = 2000;
  jobspec::ValidationLimits limits;
  PlacementOptions placement;
  // sla_aware updates, as Aurora's scheduler flags: jobs smaller than this skip the SLA
  // check (-min_required_instances_for_sla_check), and only production jobs get it unless
  // sla_aware_kill_non_prod.
  int64_t sla_min_instances = 20;
  bool sla_aware_kill_non_prod = false;
  // Cron schedules are read in this zone of the system tz database (--cron-timezone).
  // The server checks it with validate_cron_timezone before building the core.
  std::string cron_timezone = "UTC";
  size_t cron_runs_kept = 20;  // fires remembered per cron job (cron show)
};

}  // namespace borealis::scheduler
