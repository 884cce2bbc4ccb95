// CronController: the cron driver. It keeps the scheduled cron jobs, fires each when its
// next due time has come (on the core's tick, with the core's `now`), applies the job's
// collision policy against a previous run that is still active, and records what became
// of every fire. Semantics follow Aurora's cron (AuroraCronJob):
//   - no previous run active: the run's instances are created (launch_job);
//   - KILL_EXISTING: the previous run's tasks are killed; the run launches once they have
//     all ended. Fires while it waits are cancelled;
//   - CANCEL_NEW: the fire is cancelled;
//   - RUN_OVERLAP (deprecated by Aurora) is refused by job validation.
// Fires missed while no scheduler ran are recorded as missed by recover(), never fired
// late (Quartz's "do nothing" misfire rule, which Aurora uses). A fire that finds the core
// late by a few ticks still fires, once; next_due then moves past `now`.
//
// Durability: each change (a fire's new run, next_due) lands in the same store batch,
// in the cron_jobs rows (cron_rows.cc).
// Threading: core thread only.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/result.h"
#include "scheduler/core/cluster_model.h"
#include "scheduler/core/core_options.h"
#include "scheduler/core/cron/cron_zone.h"
#include "scheduler/core/cron_job.h"
#include "scheduler/core/task_lifecycle.h"

namespace borealis::scheduler {

class CronController {
 public:
  using CronMap = std::unordered_map<JobKey, std::unique_ptr<CronJob>>;

  // CHECK-fails when options.cron_timezone is not a known zone: the caller validates it
  // first (validate_cron_timezone).
  CronController(ClusterModel& model, TaskLifecycle& lifecycle, const CoreOptions& options);

  // Schedules (or replaces the schedule of) the job `config` describes. Its spec must
  // carry a valid cron_schedule (see parse_job_schedule). A job under the key that is
  // not a cron job and still has active tasks is refused.
  Result<const CronJob*> schedule(ConfigPtr config, const std::string& user, TimeMs now);
  // Forgets the schedule; a run still active goes on (as Aurora's deschedule).
  Status deschedule(const JobKey& key);
  // `cron start`: one run now, under the job's collision policy.
  Result<const CronRun*> start_now(const JobKey& key, const std::string& user, TimeMs now);

  // Fires what is due, and launches runs whose previous run has ended.
  void tick(TimeMs now);
  // After a restore: records the fires missed while no scheduler ran.
  void recover(TimeMs now);

  // The next `count` fires after `after`.
  Result<std::vector<TimeMs>> upcoming(const CronJob& job, TimeMs after, int count) const;

  const CronJob* find(const JobKey& key) const { return find_owned(jobs_, key); }
  const CronMap& jobs() const { return jobs_; }
  const cron::CronZone& zone() const { return zone_; }

  // Store rows (cron_rows.cc).
  void take_rows(StoreBatch& batch);
  Status restore(const std::string& row);

 private:
  void fire(CronJob& job, TimeMs due, bool manual, const std::string& user, TimeMs now);
  void launch(CronJob& job, TimeMs now);
  // Records the final states of the latest launched run once all its instances ended.
  void settle(CronJob& job);
  void record(CronJob& job, CronRun run);
  TimeMs next_after(const CronJob& job, TimeMs after) const;

  ClusterModel& model_;
  TaskLifecycle& lifecycle_;
  const CoreOptions& options_;
  cron::CronZone zone_;
  CronMap jobs_;
  std::unordered_set<CronJob*> dirty_;
  std::vector<std::string> deleted_;
};

// The schedule of `spec`, or an INVALID_ARGUMENT naming the field ("cron_schedule: ...").
Result<cron::CronExpr> parse_job_schedule(const jobspec::JobSpec& spec);
// OK when `name` is a zone of the system tz database, else says which flag is wrong.
Status validate_cron_timezone(const std::string& name);

}  // namespace borealis::scheduler
