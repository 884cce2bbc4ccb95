#include "scheduler/core/cron_controller.h"

#include <algorithm>
#include <limits>
#include <map>

#include "scheduler/core/cron/next_fire.h"
#include "scheduler/core/job_launch.h"

namespace borealis::scheduler {
namespace {

constexpr TimeMs kNever = std::numeric_limits<TimeMs>::max();

}  // namespace

Result<cron::CronExpr> parse_job_schedule(const jobspec::JobSpec& spec) {
  if (!spec.cron_schedule) return invalid_argument("cron_schedule: the job has no cron schedule");
  auto expr = cron::parse_cron(*spec.cron_schedule);
  if (!expr.ok()) return expr.status().with_context("cron_schedule");
  return expr;
}

Status validate_cron_timezone(const std::string& name) {
  auto zone = cron::CronZone::locate(name);
  return zone.ok() ? Status() : zone.status().with_context("--cron-timezone");
}

CronController::CronController(ClusterModel& model, TaskLifecycle& lifecycle,
                               const CoreOptions& options)
    : model_(model), lifecycle_(lifecycle), options_(options), zone_([&] {
        auto zone = cron::CronZone::locate(options.cron_timezone);
        BOREALIS_CHECK(zone.ok(), zone.status().to_string());
        return *zone;
      }()) {}

TimeMs CronController::next_after(const CronJob& job, TimeMs after) const {
  auto next = cron::next_fire(job.expr, zone_, after);
  return next.ok() ? *next : kNever;  // parse_cron refused schedules that never fire
}

Result<std::vector<TimeMs>> CronController::upcoming(const CronJob& job, TimeMs after,
                                                     int count) const {
  std::vector<TimeMs> out;
  for (int i = 0; i < count; ++i) {
    BOREALIS_ASSIGN_OR_RETURN(after, cron::next_fire(job.expr, zone_, after));
    out.push_back(after);
  }
  return out;
}

Result<const CronJob*> CronController::schedule(ConfigPtr config, const std::string& user,
                                                TimeMs now) {
  BOREALIS_ASSIGN_OR_RETURN(cron::CronExpr expr, parse_job_schedule(config->spec));
  JobKey key = config->spec.key();
  auto& slot = jobs_[key];
  if (!slot) {
    if (const Job* j = model_.job(key); j && active_tasks(*j) > 0) {
      jobs_.erase(key);
      return already_exists("job " + key.to_string() + " is not a cron job and has " +
                            std::to_string(active_tasks(*j)) +
                            " active tasks; kill it first (job killall)");
    }
    slot = std::make_unique<CronJob>();
    slot->key = key;
    slot->key_string = key.to_string();
  }
  CronJob& job = *slot;
  job.config = std::move(config);
  job.expr = std::move(expr);
  job.created_by = user;
  job.scheduled_ms = now;
  job.next_due_ms = next_after(job, now);
  dirty_.insert(&job);
  return static_cast<const CronJob*>(&job);
}

Status CronController::deschedule(const JobKey& key) {
  auto it = jobs_.find(key);
  if (it == jobs_.end())
    return not_found("job " + key.to_string() + " is not a scheduled cron job");
  dirty_.erase(it->second.get());
  deleted_.push_back(it->second->key_string);
  jobs_.erase(it);
  return Status();
}

Result<const CronRun*> CronController::start_now(const JobKey& key, const std::string& user,
                                                 TimeMs now) {
  auto it = jobs_.find(key);
  if (it == jobs_.end())
    return not_found("job " + key.to_string() + " is not a scheduled cron job; schedule it first");
  fire(*it->second, now, /*manual=*/true, user, now);
  return static_cast<const CronRun*>(&it->second->runs.front());
}

void CronController::tick(TimeMs now) {
  for (auto& [_, slot] : jobs_) {
    CronJob& job = *slot;
    settle(job);
    if (job.launch_waiting) {
      const Job* run = model_.job(job.key);
      if (run == nullptr || active_tasks(*run) == 0) launch(job, now);
    }
    if (job.next_due_ms <= now) {
      TimeMs due = job.next_due_ms;
      // From `now`, not `due`: a core that was late fires once, not once per fire it was late.
      job.next_due_ms = next_after(job, now);
      fire(job, due, /*manual=*/false, job.created_by, now);
    }
  }
}

void CronController::recover(TimeMs now) {
  for (auto& [_, slot] : jobs_) {
    CronJob& job = *slot;
    if (job.next_due_ms > now) continue;
    CronRun run{.due_ms = job.next_due_ms, .at_ms = now, .outcome = CronOutcome::kMissed};
    TimeMs last = job.next_due_ms;
    TimeMs t = job.next_due_ms;
    while (t <= now && run.missed < kMaxMissedCounted) {
      ++run.missed;
      last = t;
      t = next_after(job, t);
    }
    bool more = t <= now;
    job.next_due_ms = more ? next_after(job, now) : t;
    run.message = std::string(more ? "at least " : "") + std::to_string(run.missed) +
                  " fire(s) due from " + cron::format_local(run.due_ms, zone_) + " to " +
                  cron::format_local(last, zone_) +
                  " were missed: no scheduler was running; they are not run late";
    record(job, std::move(run));
  }
}

void CronController::fire(CronJob& job, TimeMs due, bool manual, const std::string& user,
                          TimeMs now) {
  CronRun run{.due_ms = due, .at_ms = now, .manual = manual};
  Job* previous = model_.job(job.key);
  int active = previous ? active_tasks(*previous) : 0;
  const std::string& policy = job.config->spec.cron_collision_policy;
  bool killing = false;
  if (job.launch_waiting) {
    run.outcome = CronOutcome::kCancelled;
    run.message = "an earlier run is still waiting for the previous run to be killed";
  } else if (active == 0) {
    settle(job);  // before its job is replaced
    launch_job(model_, lifecycle_, job.config, user, now);
    run.outcome = CronOutcome::kLaunched;
    run.message = "launched " + std::to_string(job.config->spec.instances) + " instance(s)";
  } else if (policy == "KILL_EXISTING") {
    for (auto& [_, inst] : previous->instances) {
      if (!inst.active) continue;
      inst.killed = true;
      lifecycle_.kill_task(inst.active, "killed by cron: a new run replaces it (KILL_EXISTING)",
                           now);
    }
    model_.changed(previous);
    run.outcome = CronOutcome::kKilling;
    run.message = "killing " + std::to_string(active) +
                  " active task(s) of the previous run (KILL_EXISTING); launches once they end";
    job.launch_waiting = true;
    killing = true;
  } else {
    run.outcome = CronOutcome::kCancelled;
    run.message =
        "the previous run still has " + std::to_string(active) + " active task(s) (" + policy + ")";
  }
  record(job, std::move(run));
  // Tasks not yet on an agent end at once: then nothing is left to wait for.
  if (killing && active_tasks(*previous) == 0) launch(job, now);
}

// Launches the run a KILL_EXISTING fire left waiting, and marks that fire launched.
void CronController::launch(CronJob& job, TimeMs now) {
  settle(job);
  launch_job(model_, lifecycle_, job.config, job.created_by, now);
  job.launch_waiting = false;
  for (CronRun& run : job.runs) {
    if (run.outcome != CronOutcome::kKilling) continue;
    run.outcome = CronOutcome::kLaunched;
    run.at_ms = now;
    run.message = "launched " + std::to_string(job.config->spec.instances) +
                  " instance(s) once the previous run was killed (KILL_EXISTING)";
    break;
  }
  dirty_.insert(&job);
}

void CronController::settle(CronJob& job) {
  auto run = std::find_if(job.runs.begin(), job.runs.end(),
                          [](const CronRun& r) { return r.outcome == CronOutcome::kLaunched; });
  if (run == job.runs.end() || !run->result.empty()) return;
  // Only a cron run can hold the key of a scheduled job (job create refuses it).
  const Job* current = model_.job(job.key);
  if (current == nullptr || current->created_ms != run->at_ms || active_tasks(*current) > 0) return;
  std::map<std::string_view, int> ends;
  for (const auto& [_, inst] : current->instances)
    if (!inst.history.empty()) ++ends[task_state_name(inst.history.front()->state)];
  std::string result;
  for (const auto& [state, count] : ends)
    result += (result.empty() ? "" : ", ") + std::to_string(count) + " " + std::string(state);
  run->result = result.empty() ? "no task ran" : result;
  dirty_.insert(&job);
}

void CronController::record(CronJob& job, CronRun run) {
  job.runs.push_front(std::move(run));
  while (job.runs.size() > options_.cron_runs_kept) job.runs.pop_back();
  dirty_.insert(&job);
}

}  // namespace borealis::scheduler
