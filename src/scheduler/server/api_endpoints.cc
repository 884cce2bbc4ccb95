// The public API (docs/api.md): jobs, tasks, kills, agents, health.
#include <algorithm>

#include "common/instance_ranges.h"
#include "common/strings.h"
#include "scheduler/server/endpoints.h"
#include "scheduler/server/scheduler_service.h"
#include "spec/job_spec_json.h"

namespace borealis::scheduler {

namespace {

using net::HttpRequest;
using net::HttpResponse;
using net::Responder;

constexpr const char* kVersion = "0.1.0";

HttpResponse ok_json(int status, const json::value& v) {
  return HttpResponse::json(status, json::serialize(v));
}

void create_job(SchedulerService& svc, const HttpRequest& req, Responder respond) {
  auto doc = parse_json(req.body);
  if (!doc.ok()) return respond(error_response(doc.status()));
  auto spec = spec::job_spec_from_json(*doc);
  if (!spec.ok()) return respond(error_response(spec.status()));
  svc.on_core([&svc, spec = std::move(spec).value(), respond](Core& core) mutable {
    auto job = core.create_job(std::move(spec), svc.now());
    if (!job.ok()) return respond(error_response(job.status()));
    std::string body = json::serialize(
        json::object{{"job", core.options().cluster + "/" + (*job)->key_string},
                     {"instances", static_cast<int64_t>((*job)->instances.size())}});
    svc.when_durable([respond, body](const Status& st) {
      respond(st.ok() ? HttpResponse::json(201, body) : error_response(st));
    });
  });
}

void list_jobs(SchedulerService& svc, const HttpRequest& req, Responder respond) {
  std::string role = req.param("role"), env = req.param("environment");
  svc.on_core([role, env, respond](Core& core) {
    std::vector<const Job*> jobs;
    for (const auto& [key, job] : core.jobs()) {
      if (!role.empty() && key.role != role) continue;
      if (!env.empty() && key.environment != env) continue;
      jobs.push_back(job.get());
    }
    std::sort(jobs.begin(), jobs.end(),
              [](const Job* a, const Job* b) { return a->key_string < b->key_string; });
    json::array out;
    for (const Job* j : jobs) out.push_back(job_view(core, *j));
    respond(ok_json(200, json::object{{"jobs", std::move(out)}}));
  });
}

void get_job(SchedulerService& svc, const HttpRequest& req, Responder respond) {
  auto key = key_from_path(req);
  if (!key.ok()) return respond(error_response(key.status()));
  svc.on_core([key = *key, respond](Core& core) {
    const Job* j = core.find_job(key);
    if (!j)
      return respond(error_response(
          not_found("job " + core.options().cluster + "/" + key.to_string() + " does not exist")));
    json::object view = job_view(core, *j);
    view["spec"] = parse_json(j->config->spec_json).value();
    respond(ok_json(200, json::object{{"job", std::move(view)}}));
  });
}

void get_tasks(SchedulerService& svc, const HttpRequest& req, Responder respond) {
  auto key = key_from_path(req);
  if (!key.ok()) return respond(error_response(key.status()));
  std::optional<std::vector<int32_t>> only;
  if (std::string s = req.param("instances"); !s.empty()) {
    auto ids = parse_instance_ranges(s);
    if (!ids.ok())
      return respond(error_response(invalid_argument("instances: " + ids.status().message())));
    only = std::move(*ids);
  }
  bool active_only = req.param("active") == "true";
  svc.on_core([key = *key, only, active_only, respond](Core& core) {
    const Job* j = core.find_job(key);
    if (!j)
      return respond(error_response(
          not_found("job " + core.options().cluster + "/" + key.to_string() + " does not exist")));
    json::array active, ended;
    for (const auto& [i, inst] : j->instances) {
      if (only && !std::binary_search(only->begin(), only->end(), i)) continue;
      if (inst.active) active.push_back(task_view(core, *inst.active));
      if (!active_only)
        for (const Task* t : inst.history) ended.push_back(task_view(core, *t));
    }
    std::stable_sort(ended.begin(), ended.end(), [](const json::value& a, const json::value& b) {
      return a.at("events").as_array().back().at("ts_ms").to_number<int64_t>() >
             b.at("events").as_array().back().at("ts_ms").to_number<int64_t>();
    });
    for (auto& t : ended) active.push_back(std::move(t));
    respond(ok_json(200, json::object{{"tasks", std::move(active)}}));
  });
}

void kill_job(SchedulerService& svc, const HttpRequest& req, Responder respond) {
  auto key = key_from_path(req);
  if (!key.ok()) return respond(error_response(key.status()));
  std::optional<std::vector<int32_t>> instances;
  std::string message;
  if (!trim(req.body).empty()) {
    auto doc = parse_json(req.body);
    if (!doc.ok()) return respond(error_response(doc.status()));
    if (!doc->is_object()) return respond(error_response(invalid_argument("expected an object")));
    FieldReader r(doc->get_object(), "");
    if (const json::value* v = r.raw("instances")) {
      if (!v->is_array())
        return respond(error_response(invalid_argument("instances: expected a list")));
      instances.emplace();
      for (const auto& i : v->get_array()) {
        if (!i.is_int64() || i.get_int64() < 0)
          return respond(
              error_response(invalid_argument("instances: expected non-negative integers")));
        instances->push_back(static_cast<int32_t>(i.get_int64()));
      }
    }
    Status st = r.get("message", &message);
    if (st.ok()) st = r.finish();
    if (!st.ok()) return respond(error_response(st));
  }
  svc.on_core([&svc, key = *key, instances, message, respond](Core& core) {
    auto killed = core.kill(key, instances, message, svc.now());
    if (!killed.ok()) return respond(error_response(killed.status()));
    json::array ids(killed->begin(), killed->end());
    std::string body = json::serialize(json::object{{"killed", std::move(ids)}});
    svc.when_durable([respond, body](const Status& st) {
      respond(st.ok() ? HttpResponse::json(200, body) : error_response(st));
    });
  });
}

void list_agents(SchedulerService& svc, const HttpRequest&, Responder respond) {
  svc.on_core([respond](Core& core) {
    json::array out;
    for (const Agent& a : core.agents()) {
      auto res = [](const ResourceVec& r) {
        return json::object{{"cpu", r.cpu()}, {"ram", r.ram}, {"disk", r.disk}, {"gpu", r.gpu}};
      };
      out.push_back(
          json::object{{"agent_id", a.id},
                       {"hostname", a.hostname},
                       {"address", a.address},
                       {"status", a.registered && a.active ? "ACTIVE" : "LOST"},
                       {"last_seen_ms", a.last_seen_ms},
                       {"attributes", json_string_map(a.attributes)},
                       {"resources", json::object{{"total", res(a.total)}, {"used", res(a.used)}}},
                       {"tasks", static_cast<int64_t>(a.tasks.size())}});
    }
    respond(ok_json(200, json::object{{"agents", std::move(out)}}));
  });
}

}  // namespace

Result<JobKey> key_from_path(const HttpRequest& req) {
  auto segs = net::path_segments(req.path);
  if (segs.size() < 6) return invalid_argument("expected /api/v1/jobs/ROLE/ENVIRONMENT/NAME");
  JobKey key{segs[3], segs[4], segs[5]};
  BOREALIS_RETURN_IF_ERROR(validate_identifier("role", key.role));
  BOREALIS_RETURN_IF_ERROR(validate_identifier("environment", key.environment));
  BOREALIS_RETURN_IF_ERROR(validate_identifier("name", key.name));
  return key;
}

void register_api_routes(net::HttpServer& server, SchedulerService& svc) {
  server.route("GET", "/health",
               [](const HttpRequest&, Responder r) { r(HttpResponse::text(200, "ok\n")); });
  server.route("GET", "/api/v1/cluster", [&svc](const HttpRequest&, Responder respond) {
    svc.on_core([respond](Core& core) {
      int64_t active = 0;
      for (const Agent& a : core.agents()) active += a.registered && a.active;
      respond(ok_json(
          200, json::object{{"cluster", core.options().cluster},
                            {"version", kVersion},
                            {"agents", active},
                            {"capabilities", json::object{{"container_images",
                                                           core.options().container_images}}}}));
    });
  });
  server.route("POST", "/api/v1/jobs",
               [&svc](const HttpRequest& q, Responder r) { create_job(svc, q, std::move(r)); });
  server.route("GET", "/api/v1/jobs",
               [&svc](const HttpRequest& q, Responder r) { list_jobs(svc, q, std::move(r)); });
  server.route("GET", "/api/v1/jobs/*/*/*",
               [&svc](const HttpRequest& q, Responder r) { get_job(svc, q, std::move(r)); });
  server.route("GET", "/api/v1/jobs/*/*/*/tasks",
               [&svc](const HttpRequest& q, Responder r) { get_tasks(svc, q, std::move(r)); });
  server.route("POST", "/api/v1/jobs/*/*/*/kill",
               [&svc](const HttpRequest& q, Responder r) { kill_job(svc, q, std::move(r)); });
  server.route("GET", "/api/v1/agents",
               [&svc](const HttpRequest& q, Responder r) { list_agents(svc, q, std::move(r)); });
}

}  // namespace borealis::scheduler
