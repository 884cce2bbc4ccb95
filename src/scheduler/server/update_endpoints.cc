// Update endpoints (docs/api.md, "Updates"): start, control, restart, add instances, list.
#include <algorithm>

#include "common/strings.h"
#include "jobspec/job_spec_json.h"
#include "scheduler/server/endpoints.h"
#include "scheduler/server/scheduler_service.h"

namespace borealis::scheduler {

namespace {

using net::HttpRequest;
using net::HttpResponse;
using net::Responder;

// Instance lists of update requests: sorted, each once.
std::optional<std::vector<int32_t>> sorted_unique(std::optional<std::vector<int32_t>> ids) {
  if (ids) {
    std::sort(ids->begin(), ids->end());
    ids->erase(std::unique(ids->begin(), ids->end()), ids->end());
  }
  return ids;
}

// Runs `fn` on the core thread and answers with the update it returns, once durable.
void answer_update(SchedulerService& svc, Responder respond,
                   std::function<Result<const Update*>(Core&)> fn) {
  svc.on_core([&svc, respond, fn = std::move(fn)](Core& core) {
    auto u = fn(core);
    if (!u.ok()) return respond(error_response(u.status()));
    api::UpdateAnswer answer;
    if (*u)
      answer.update = update_summary_view(core, **u);
    else
      answer.message = "the job is unchanged by the proposed update: no instance needs to change";
    std::string body = json::serialize(api::encode(answer));
    svc.when_durable([respond, body](const Status& st) {
      respond(st.ok() ? HttpResponse::json(200, body) : error_response(st));
    });
  });
}

void start_update(SchedulerService& svc, const HttpRequest& req, Responder respond) {
  auto key = key_from_path(req);
  if (!key.ok()) return respond(error_response(key.status()));
  auto body = decode_request<api::StartUpdateRequest>(req);
  if (!body.ok()) return respond(error_response(body.status()));
  auto spec = jobspec::job_spec_from_json(body->spec);
  if (!spec.ok()) return respond(error_response(spec.status().with_context("spec")));
  if (Status st = svc.check_task_user(*spec); !st.ok()) return respond(error_response(st));
  UpdateRequest request;
  request.spec = std::move(spec).value();
  request.instances = sorted_unique(std::move(body->instances));
  request.message = std::move(body->message);
  request.user = caller_of(req);
  answer_update(svc, std::move(respond),
                [&svc, key = *key, request = std::move(request)](Core& core) mutable {
                  return core.start_update(key, std::move(request), svc.now());
                });
}

void control(SchedulerService& svc, const HttpRequest& req, Responder respond) {
  auto key = key_from_path(req);
  if (!key.ok()) return respond(error_response(key.status()));
  auto segs = net::path_segments(req.path);
  const std::string& verb = segs.back();
  Core::UpdateAction action;
  if (verb == "pause")
    action = Core::UpdateAction::kPause;
  else if (verb == "resume")
    action = Core::UpdateAction::kResume;
  else if (verb == "abort")
    action = Core::UpdateAction::kAbort;
  else if (verb == "rollback")
    action = Core::UpdateAction::kRollback;
  else if (verb == "pulse")
    action = Core::UpdateAction::kPulse;
  else
    return respond(error_response(
        not_found("no update action '" + verb + "' (pause, resume, abort, rollback, pulse)")));
  auto body = decode_request<api::UpdateControlRequest>(req);
  if (!body.ok()) return respond(error_response(body.status()));
  answer_update(svc, std::move(respond),
                [&svc, key = *key, action, message = body->message](Core& core) {
                  return core.control_update(key, action, message, svc.now());
                });
}

void restart(SchedulerService& svc, const HttpRequest& req, Responder respond) {
  auto key = key_from_path(req);
  if (!key.ok()) return respond(error_response(key.status()));
  auto body = decode_request<api::RestartRequest>(req);
  if (!body.ok()) return respond(error_response(body.status()));
  answer_update(
      svc, std::move(respond),
      [&svc, key = *key, only = sorted_unique(body->instances), batch_size = body->batch_size,
       watch_secs = body->watch_secs, user = caller_of(req)](Core& core) {
        return core.start_restart(key, only, batch_size, watch_secs, svc.now(), user);
      });
}

void add_instances(SchedulerService& svc, const HttpRequest& req, Responder respond) {
  auto key = key_from_path(req);
  if (!key.ok()) return respond(error_response(key.status()));
  auto request = decode_request<api::AddInstancesRequest>(req);
  if (!request.ok()) return respond(error_response(request.status()));
  svc.on_core([&svc, key = *key, request = *request, respond](Core& core) {
    auto added = core.add_instances(key, request.instance, request.count, svc.now());
    if (!added.ok()) return respond(error_response(added.status()));
    std::string body = json::serialize(api::encode(api::AddInstancesResult{*added}));
    svc.when_durable([respond, body](const Status& st) {
      respond(st.ok() ? HttpResponse::json(200, body) : error_response(st));
    });
  });
}

void job_updates(SchedulerService& svc, const HttpRequest& req, Responder respond) {
  auto key = key_from_path(req);
  if (!key.ok()) return respond(error_response(key.status()));
  auto segs = net::path_segments(req.path);
  std::string id = segs.size() > 7 ? segs[7] : "";
  svc.on_core([key = *key, id, respond](Core& core) {
    const Job* job = core.find_job(key);
    if (!job)
      return respond(error_response(
          not_found("job " + core.options().cluster + "/" + key.to_string() + " does not exist")));
    if (id.empty()) {
      api::UpdateList list;
      for (const Update* u : job->updates) list.updates.push_back(update_summary_view(core, *u));
      return respond(HttpResponse::json(200, json::serialize(api::encode(list))));
    }
    const Update* u = nullptr;
    if (id == "latest")
      u = job->updates.empty() ? nullptr : job->updates.front();
    else
      u = core.find_update(id);
    if (!u || u->job != job)
      return respond(error_response(not_found("job " + key.to_string() + " has no update " + id)));
    respond(HttpResponse::json(200, json::serialize(api::encode(update_detail_view(core, *u)))));
  });
}

void list_updates(SchedulerService& svc, const HttpRequest& req, Responder respond) {
  std::string role = req.param("role"), env = req.param("environment"), name = req.param("name");
  std::vector<std::string> statuses;
  if (std::string s = req.param("status"); !s.empty()) {
    for (const auto& part : split(s, ',')) {
      if (!parse_update_status(part))
        return respond(
            error_response(invalid_argument("status: unknown update status '" + part + "'")));
      statuses.push_back(part);
    }
  }
  svc.on_core([role, env, name, statuses, respond](Core& core) {
    std::vector<const Update*> found;
    for (const auto& [_, u] : core.updates()) {
      const JobKey& k = u->job->key;
      if ((!role.empty() && k.role != role) || (!env.empty() && k.environment != env) ||
          (!name.empty() && k.name != name))
        continue;
      if (!statuses.empty() && std::find(statuses.begin(), statuses.end(),
                                         update_status_name(u->status)) == statuses.end())
        continue;
      found.push_back(u.get());
    }
    std::sort(found.begin(), found.end(),
              [](const Update* a, const Update* b) { return a->created_ms > b->created_ms; });
    api::UpdateList list;
    for (const Update* u : found) list.updates.push_back(update_summary_view(core, *u));
    respond(HttpResponse::json(200, json::serialize(api::encode(list))));
  });
}

}  // namespace

namespace {

constexpr RouteAccess kRead{auth::AccessKind::kRead, Scope::kJobPath};
constexpr RouteAccess kWrite{auth::AccessKind::kWrite, Scope::kJobPath};
const ServiceRoute kUpdateRoutes[] = {
    {"POST", "/api/v1/jobs/*/*/*/update", kWrite, start_update},
    {"POST", "/api/v1/jobs/*/*/*/update/*", kWrite, control},
    {"POST", "/api/v1/jobs/*/*/*/restart", kWrite, restart},
    {"POST", "/api/v1/jobs/*/*/*/instances", kWrite, add_instances},
    {"GET", "/api/v1/jobs/*/*/*/updates", kRead, job_updates},
    {"GET", "/api/v1/jobs/*/*/*/updates/*", kRead, job_updates},
    {"GET", "/api/v1/updates", {auth::AccessKind::kRead, Scope::kCluster}, list_updates},
};

}  // namespace

std::span<const ServiceRoute> update_routes() { return kUpdateRoutes; }

}  // namespace borealis::scheduler
