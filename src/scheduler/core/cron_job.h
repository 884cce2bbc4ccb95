// A scheduled cron job: the job's configuration (its template), when it fires next, and
// what became of its recent fires. Its runs are ordinary jobs under the same key, each
// created anew when the schedule fires (Aurora's cron template and its runs).
#pragma once

#include <cstdint>
#include <deque>
#include <string>

#include "common/clock.h"
#include "scheduler/core/cron/cron_expr.h"
#include "scheduler/core/model.h"

namespace borealis::scheduler {

enum class CronOutcome {
  kLaunched,   // the run's tasks were created
  kKilling,    // KILL_EXISTING: the previous run is being killed; this run starts after
  kCancelled,  // CANCEL_NEW (or a launch already waiting): the previous run is still active
  kMissed,     // no scheduler was running when it was due: not fired late
};
const char* cron_outcome_name(CronOutcome o);
bool parse_cron_outcome(std::string_view name, CronOutcome* out);

// One fire of the schedule (or one `cron start`), or a stretch of missed fires.
struct CronRun {
  TimeMs due_ms = 0;  // when it was due (the first missed one for kMissed)
  TimeMs at_ms = 0;   // when the scheduler acted on it
  CronOutcome outcome = CronOutcome::kLaunched;
  bool manual = false;  // `cron start`, not the schedule
  int64_t missed = 0;   // kMissed: how many fires, counted up to kMaxMissedCounted
  std::string message;  // what happened, for people
  // kLaunched, once the run has ended: its instances' final states ("2 FINISHED,
  // 1 FAILED"); "" while it runs.
  std::string result;
};

inline constexpr int64_t kMaxMissedCounted = 10'000;

struct CronJob {
  JobKey key;
  std::string key_string;
  ConfigPtr config;  // the template; its spec carries cron_schedule and the policy
  cron::CronExpr expr;
  std::string created_by;
  TimeMs scheduled_ms = 0;  // when it was (re)scheduled
  // The next fire not yet acted on. Written in the same batch as the run a fire creates,
  // so a restart sees both or neither: never a fire twice, never one silently lost.
  TimeMs next_due_ms = 0;
  // KILL_EXISTING: a run waits for the previous run's tasks to end, then launches.
  bool launch_waiting = false;
  std::deque<CronRun> runs;  // newest first, bounded by CoreOptions::cron_runs_kept
};

}  // namespace borealis::scheduler
