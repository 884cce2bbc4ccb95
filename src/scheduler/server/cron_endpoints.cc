// Cron endpoints (docs/api.md, "Cron jobs"): schedule, show, start now, deschedule.
#include "api/cron.h"
#include "scheduler/core/cron/cron_zone.h"
#include "scheduler/server/endpoints.h"
#include "scheduler/server/scheduler_service.h"

namespace borealis::scheduler {

namespace {

using net::HttpRequest;
using net::HttpResponse;
using net::Responder;

constexpr int kNextRunsShown = 5;

api::CronRunInfo run_view(const CronRun& r) {
  return {r.due_ms, r.at_ms, cron_outcome_name(r.outcome), r.manual, r.missed, r.message, r.result};
}

api::CronJobInfo cron_view(const Core& core, const CronJob& job, TimeMs now) {
  const CronController& cron = core.cron();
  api::CronJobInfo v;
  v.key = core.options().cluster + "/" + job.key_string;
  v.schedule = job.config->spec.cron_schedule.value_or("");
  v.collision_policy = job.config->spec.cron_collision_policy;
  v.timezone = cron.zone().name();
  v.created_by = job.created_by;
  v.scheduled_ms = job.scheduled_ms;
  v.config_id = job.config->id;
  v.launch_waiting = job.launch_waiting;
  if (auto next = cron.upcoming(job, now, kNextRunsShown); next.ok())
    for (TimeMs t : *next) v.next_runs.push_back({t, cron::format_local(t, cron.zone())});
  for (const CronRun& r : job.runs) v.runs.push_back(run_view(r));
  return v;
}

Status not_scheduled(const Core& core, const JobKey& key) {
  return not_found("job " + core.options().cluster + "/" + key.to_string() +
                   " is not a scheduled cron job");
}

// Answers `body` once everything the call changed is durable.
void answer_when_durable(SchedulerService& svc, Responder respond, std::string body) {
  svc.when_durable([respond, body = std::move(body)](const Status& st) {
    respond(st.ok() ? HttpResponse::json(200, body) : error_response(st));
  });
}

// Runs `fn` on the core thread with the path's scheduled cron job, or answers 404.
void on_cron_job(SchedulerService& svc, const HttpRequest& req, Responder respond,
                 std::function<void(Core&, const CronJob&, Responder)> fn) {
  auto key = key_from_path(req);
  if (!key.ok()) return respond(error_response(key.status()));
  svc.on_core([key = *key, respond, fn = std::move(fn)](Core& core) {
    const CronJob* job = core.cron().find(key);
    if (!job) return respond(error_response(not_scheduled(core, key)));
    fn(core, *job, respond);
  });
}

void schedule_cron(SchedulerService& svc, const HttpRequest& req, Responder respond) {
  auto spec = job_spec_from_request(svc, req);
  if (!spec.ok()) return respond(error_response(spec.status()));
  svc.on_core(
      [&svc, spec = std::move(spec).value(), user = caller_of(req), respond](Core& core) mutable {
        auto job = core.schedule_cron(std::move(spec), svc.now(), user);
        if (!job.ok()) return respond(error_response(job.status()));
        answer_when_durable(svc, respond,
                            json::serialize(api::encode(cron_view(core, **job, svc.now()))));
      });
}

void get_cron(SchedulerService& svc, const HttpRequest& req, Responder respond) {
  on_cron_job(svc, req, respond, [&svc](Core& core, const CronJob& job, Responder respond) {
    respond(HttpResponse::json(200, json::serialize(api::encode(cron_view(core, job, svc.now())))));
  });
}

void start_cron(SchedulerService& svc, const HttpRequest& req, Responder respond) {
  on_cron_job(svc, req, respond,
              [&svc, user = caller_of(req)](Core& core, const CronJob& job, Responder respond) {
                auto run = core.start_cron(job.key, svc.now(), user);
                if (!run.ok()) return respond(error_response(run.status()));
                answer_when_durable(
                    svc, respond,
                    json::serialize(api::encode(api::CronStartResult{run_view(**run)})));
              });
}

// Answers the schedule as it was; a run still active goes on.
void deschedule_cron(SchedulerService& svc, const HttpRequest& req, Responder respond) {
  on_cron_job(svc, req, respond, [&svc](Core& core, const CronJob& job, Responder respond) {
    std::string body = json::serialize(api::encode(cron_view(core, job, svc.now())));
    JobKey key = job.key;  // `job` is gone once descheduled
    if (Status st = core.deschedule_cron(key); !st.ok()) return respond(error_response(st));
    answer_when_durable(svc, respond, std::move(body));
  });
}

using auth::AccessKind;
constexpr RouteAccess kWriteJob{AccessKind::kWrite, Scope::kJobPath};

const ServiceRoute kCronRoutes[] = {
    {"POST", "/api/v1/cron", {AccessKind::kWrite, Scope::kJobBody}, schedule_cron},
    {"GET", "/api/v1/cron/*/*/*", {AccessKind::kRead, Scope::kJobPath}, get_cron},
    {"POST", "/api/v1/cron/*/*/*/start", kWriteJob, start_cron},
    {"POST", "/api/v1/cron/*/*/*/deschedule", kWriteJob, deschedule_cron},
};

}  // namespace

std::span<const ServiceRoute> cron_routes() { return kCronRoutes; }

}  // namespace borealis::scheduler
