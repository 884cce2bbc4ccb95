// Cron jobs (docs/api.md, "Cron jobs"; docs/cron.md): what schedule, show, start and
// deschedule answer. A schedule request is a JobSpec with a cron_schedule.
//
//   {"cron": {"key": "devcluster/www/prod/backup", "schedule": "0 3 * * *",
//             "collision_policy": "KILL_EXISTING", "timezone": "UTC", ...,
//             "next_runs": [{"at_ms": ..., "local": "2026-11-27 03:00:00 UTC"}],
//             "runs": [CronRunInfo, ...]}}
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "api/codec.h"
#include "common/clock.h"

namespace borealis::api {

// One fire of the schedule (or `cron start`), newest first, and what became of it.
struct CronRunInfo {
  TimeMs due_ms = 0;    // when it was due (the first missed fire for MISSED)
  TimeMs at_ms = 0;     // when the scheduler acted on it
  std::string outcome;  // LAUNCHED | KILLING_PREVIOUS | CANCELLED | MISSED; required
  bool manual = false;  // `cron start`
  int64_t missed = 0;   // MISSED: how many fires
  std::string message;
  std::string result;  // LAUNCHED, once the run ended: "2 FINISHED, 1 FAILED"
  bool operator==(const CronRunInfo&) const = default;
};

// A coming fire: its instant and its local time in the scheduler's --cron-timezone.
struct CronNextRun {
  TimeMs at_ms = 0;
  std::string local;
  bool operator==(const CronNextRun&) const = default;
};

struct CronJobInfo {
  std::string key;  // "cluster/role/env/name"; required
  std::string schedule;
  std::string collision_policy;
  std::string timezone;
  std::string created_by;
  TimeMs scheduled_ms = 0;
  std::string config_id;        // the template's version (GET .../versions/ID)
  bool launch_waiting = false;  // a KILL_EXISTING run waits for the previous run to end
  std::vector<CronNextRun> next_runs;
  std::vector<CronRunInfo> runs;
  bool operator==(const CronJobInfo&) const = default;
};
BOREALIS_API_CODEC(CronJobInfo);

// POST .../start answers the fire it made.
struct CronStartResult {
  CronRunInfo run;
  bool operator==(const CronStartResult&) const = default;
};
BOREALIS_API_CODEC(CronStartResult);

}  // namespace borealis::api
