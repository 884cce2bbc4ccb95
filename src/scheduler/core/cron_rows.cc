// The cron_jobs rows: a scheduled job's template version, its next due fire and its
// recent runs. The schedule itself is read back from the template's cron_schedule.
#include "common/job_key.h"
#include "common/json.h"
#include "scheduler/core/cron_controller.h"

namespace borealis::scheduler {
namespace {

constexpr std::pair<CronOutcome, const char*> kOutcomes[] = {
    {CronOutcome::kLaunched, "LAUNCHED"},
    {CronOutcome::kKilling, "KILLING_PREVIOUS"},
    {CronOutcome::kCancelled, "CANCELLED"},
    {CronOutcome::kMissed, "MISSED"},
};

std::string cron_row(const CronJob& job) {
  json::array runs;
  for (const CronRun& r : job.runs)
    runs.push_back(json::object{{"due_ms", r.due_ms},
                                {"at_ms", r.at_ms},
                                {"outcome", cron_outcome_name(r.outcome)},
                                {"manual", r.manual},
                                {"missed", r.missed},
                                {"message", r.message},
                                {"result", r.result}});
  json::object o{{"key", job.key_string},          {"config", job.config->id},
                 {"created_by", job.created_by},   {"scheduled_ms", job.scheduled_ms},
                 {"next_due_ms", job.next_due_ms}, {"launch_waiting", job.launch_waiting},
                 {"runs", std::move(runs)}};
  return json::serialize(o);
}

Result<CronRun> restore_run(const json::value& v, const std::string& where) {
  if (!v.is_object()) return invalid_argument(where + ": not an object");
  FieldReader r(v.get_object(), where);
  CronRun run;
  std::string outcome;
  BOREALIS_RETURN_IF_ERROR(r.get("due_ms", &run.due_ms, true));
  BOREALIS_RETURN_IF_ERROR(r.get("at_ms", &run.at_ms, true));
  BOREALIS_RETURN_IF_ERROR(r.get("outcome", &outcome, true));
  BOREALIS_RETURN_IF_ERROR(r.get("manual", &run.manual));
  BOREALIS_RETURN_IF_ERROR(r.get("missed", &run.missed));
  BOREALIS_RETURN_IF_ERROR(r.get("message", &run.message));
  BOREALIS_RETURN_IF_ERROR(r.get("result", &run.result));
  if (!parse_cron_outcome(outcome, &run.outcome))
    return invalid_argument(where + ".outcome: unknown '" + outcome + "'");
  return run;
}

}  // namespace

const char* cron_outcome_name(CronOutcome o) {
  for (const auto& [value, name] : kOutcomes)
    if (value == o) return name;
  return "UNKNOWN";
}

bool parse_cron_outcome(std::string_view name, CronOutcome* out) {
  for (const auto& [value, text] : kOutcomes) {
    if (name != text) continue;
    *out = value;
    return true;
  }
  return false;
}

void CronController::take_rows(StoreBatch& batch) {
  batch.deleted_cron_jobs = std::move(deleted_);
  deleted_.clear();
  for (CronJob* job : dirty_) batch.cron_jobs.emplace_back(job->key_string, cron_row(*job));
  dirty_.clear();
}

Status CronController::restore(const std::string& row) {
  auto parsed = parse_json(row);
  if (!parsed.ok()) return parsed.status().with_context("cron job row");
  if (!parsed->is_object()) return invalid_argument("cron job row: not an object");
  FieldReader r(parsed->get_object(), "cron job");
  auto job = std::make_unique<CronJob>();
  std::string config_id;
  BOREALIS_RETURN_IF_ERROR(r.get("key", &job->key_string, true));
  BOREALIS_RETURN_IF_ERROR(r.get("config", &config_id, true));
  BOREALIS_RETURN_IF_ERROR(r.get("created_by", &job->created_by));
  BOREALIS_RETURN_IF_ERROR(r.get("scheduled_ms", &job->scheduled_ms));
  BOREALIS_RETURN_IF_ERROR(r.get("next_due_ms", &job->next_due_ms, true));
  BOREALIS_RETURN_IF_ERROR(r.get("launch_waiting", &job->launch_waiting));
  std::string where = "cron job " + job->key_string;
  auto key = parse_job_key(job->key_string);
  if (!key.ok()) return key.status().with_context(where);
  job->key = *key;
  job->config = model_.versions().find(config_id);
  if (!job->config) return invalid_argument(where + " refers to missing config " + config_id);
  auto expr = parse_job_schedule(job->config->spec);
  if (!expr.ok()) return expr.status().with_context(where);
  job->expr = std::move(*expr);
  if (const json::value* runs = r.raw("runs"); runs && runs->is_array()) {
    for (const json::value& v : runs->get_array()) {
      if (job->runs.size() == options_.cron_runs_kept) break;
      BOREALIS_ASSIGN_OR_RETURN(CronRun run, restore_run(v, where + " run"));
      job->runs.push_back(std::move(run));
    }
  }
  JobKey k = job->key;
  jobs_[k] = std::move(job);
  return Status();
}

}  // namespace borealis::scheduler
