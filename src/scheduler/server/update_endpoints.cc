// Update endpoints (docs/api.md, "Updates"): start, control, restart, add instances, list.
#include <algorithm>

#include "common/strings.h"
#include "scheduler/server/endpoints.h"
#include "scheduler/server/scheduler_service.h"
#include "spec/job_spec_json.h"

namespace borealis::scheduler {

namespace {

using net::HttpRequest;
using net::HttpResponse;
using net::Responder;

Result<json::object> body_object(const HttpRequest& req) {
  if (trim(req.body).empty()) return json::object{};
  auto doc = parse_json(req.body);
  if (!doc.ok()) return doc.status();
  if (!doc->is_object()) return invalid_argument("expected a JSON object");
  return doc->get_object();
}

Result<std::optional<std::vector<int32_t>>> read_instances(FieldReader& r) {
  const json::value* v = r.raw("instances");
  if (!v) return std::optional<std::vector<int32_t>>();
  if (!v->is_array()) return r.error("instances", "expected a list of instance ids");
  std::vector<int32_t> ids;
  for (const auto& i : v->get_array()) {
    if (!i.is_int64() || i.get_int64() < 0 || i.get_int64() > INT32_MAX)
      return r.error("instances", "expected non-negative integers");
    ids.push_back(static_cast<int32_t>(i.get_int64()));
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return std::optional<std::vector<int32_t>>(std::move(ids));
}

// Runs `fn` on the core thread and answers with the update it returns, once durable.
void answer_update(SchedulerService& svc, Responder respond,
                   std::function<Result<const Update*>(Core&)> fn) {
  svc.on_core([&svc, respond, fn = std::move(fn)](Core& core) {
    auto u = fn(core);
    if (!u.ok()) return respond(error_response(u.status()));
    std::string body = *u ? json::serialize(json::object{{"update", update_view(core, **u, false)}})
                          : json::serialize(json::object{
                                {"update", nullptr},
                                {"message",
                                 "the job is unchanged by the proposed update: no instance needs "
                                 "to change"}});
    svc.when_durable([respond, body](const Status& st) {
      respond(st.ok() ? HttpResponse::json(200, body) : error_response(st));
    });
  });
}

void start_update(SchedulerService& svc, const HttpRequest& req, Responder respond) {
  auto key = key_from_path(req);
  if (!key.ok()) return respond(error_response(key.status()));
  auto obj = body_object(req);
  if (!obj.ok()) return respond(error_response(obj.status()));
  FieldReader r(*obj, "");
  UpdateRequest request;
  const json::value* spec_json = r.raw("spec");
  if (!spec_json) return respond(error_response(invalid_argument("spec: is required")));
  auto spec = spec::job_spec_from_json(*spec_json);
  if (!spec.ok()) return respond(error_response(spec.status().with_context("spec")));
  request.spec = std::move(spec).value();
  auto instances = read_instances(r);
  if (!instances.ok()) return respond(error_response(instances.status()));
  request.instances = std::move(instances).value();
  Status st = r.get("message", &request.message);
  if (st.ok()) st = r.finish();
  if (!st.ok()) return respond(error_response(st));
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
  auto obj = body_object(req);
  if (!obj.ok()) return respond(error_response(obj.status()));
  FieldReader r(*obj, "");
  std::string message;
  Status st = r.get("message", &message);
  if (st.ok()) st = r.finish();
  if (!st.ok()) return respond(error_response(st));
  answer_update(svc, std::move(respond), [&svc, key = *key, action, message](Core& core) {
    return core.control_update(key, action, message, svc.now());
  });
}

void restart(SchedulerService& svc, const HttpRequest& req, Responder respond) {
  auto key = key_from_path(req);
  if (!key.ok()) return respond(error_response(key.status()));
  auto obj = body_object(req);
  if (!obj.ok()) return respond(error_response(obj.status()));
  FieldReader r(*obj, "");
  int64_t batch_size = 0, watch_secs = -1;
  auto instances = read_instances(r);
  if (!instances.ok()) return respond(error_response(instances.status()));
  Status st = r.get("batch_size", &batch_size);
  if (st.ok()) st = r.get("watch_secs", &watch_secs);
  if (st.ok()) st = r.finish();
  if (!st.ok()) return respond(error_response(st));
  answer_update(svc, std::move(respond),
                [&svc, key = *key, only = *instances, batch_size, watch_secs](Core& core) {
                  return core.start_restart(key, only, batch_size, watch_secs, svc.now());
                });
}

void add_instances(SchedulerService& svc, const HttpRequest& req, Responder respond) {
  auto key = key_from_path(req);
  if (!key.ok()) return respond(error_response(key.status()));
  auto obj = body_object(req);
  if (!obj.ok()) return respond(error_response(obj.status()));
  FieldReader r(*obj, "");
  int32_t instance = 0, count = 0;
  Status st = r.get("instance", &instance, true);
  if (st.ok()) st = r.get("count", &count, true);
  if (st.ok()) st = r.finish();
  if (!st.ok()) return respond(error_response(st));
  svc.on_core([&svc, key = *key, instance, count, respond](Core& core) {
    auto added = core.add_instances(key, instance, count, svc.now());
    if (!added.ok()) return respond(error_response(added.status()));
    json::array ids(added->begin(), added->end());
    std::string body = json::serialize(json::object{{"added", std::move(ids)}});
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
      json::array out;
      for (const Update* u : job->updates) out.push_back(update_view(core, *u, false));
      return respond(
          HttpResponse::json(200, json::serialize(json::object{{"updates", std::move(out)}})));
    }
    const Update* u = nullptr;
    if (id == "latest")
      u = job->updates.empty() ? nullptr : job->updates.front();
    else
      u = core.find_update(id);
    if (!u || u->job != job)
      return respond(error_response(not_found("job " + key.to_string() + " has no update " + id)));
    respond(HttpResponse::json(
        200, json::serialize(json::object{{"update", update_view(core, *u, true)}})));
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
    json::array out;
    for (const Update* u : found) out.push_back(update_view(core, *u, false));
    respond(HttpResponse::json(200, json::serialize(json::object{{"updates", std::move(out)}})));
  });
}

}  // namespace

void register_update_routes(net::HttpServer& server, SchedulerService& svc) {
  auto bind = [&svc](void (*fn)(SchedulerService&, const HttpRequest&, Responder)) {
    return [&svc, fn](const HttpRequest& q, Responder r) { fn(svc, q, std::move(r)); };
  };
  server.route("POST", "/api/v1/jobs/*/*/*/update", bind(start_update));
  server.route("POST", "/api/v1/jobs/*/*/*/update/*", bind(control));
  server.route("POST", "/api/v1/jobs/*/*/*/restart", bind(restart));
  server.route("POST", "/api/v1/jobs/*/*/*/instances", bind(add_instances));
  server.route("GET", "/api/v1/jobs/*/*/*/updates", bind(job_updates));
  server.route("GET", "/api/v1/jobs/*/*/*/updates/*", bind(job_updates));
  server.route("GET", "/api/v1/updates", bind(list_updates));
}

}  // namespace borealis::scheduler
