// The public API (docs/api.md): jobs, tasks, kills, agents, health.
#include <algorithm>

#include "api/cluster.h"
#include "api/jobs.h"
#include "common/instance_ranges.h"
#include "common/strings.h"
#include "jobspec/job_spec_json.h"
#include "scheduler/server/endpoints.h"
#include "scheduler/server/scheduler_service.h"
#include "version/version.h"

namespace borealis::scheduler {

namespace {

using net::HttpRequest;
using net::HttpResponse;
using net::Responder;

HttpResponse ok_json(int status, const json::object& v) {
  return HttpResponse::json(status, json::serialize(v));
}

void create_job(SchedulerService& svc, const HttpRequest& req, Responder respond) {
  auto spec = job_spec_from_request(svc, req);
  if (!spec.ok()) return respond(error_response(spec.status()));
  svc.on_core(
      [&svc, spec = std::move(spec).value(), user = caller_of(req), respond](Core& core) mutable {
        auto job = core.create_job(std::move(spec), svc.now(), user);
        if (!job.ok()) return respond(error_response(job.status()));
        std::string body = json::serialize(
            api::encode(api::CreateJobResult{core.options().cluster + "/" + (*job)->key_string,
                                             static_cast<int64_t>((*job)->instances.size())}));
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
    api::JobList list;
    for (const Job* j : jobs) list.jobs.push_back(job_view(core, *j));
    respond(ok_json(200, api::encode(list)));
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
    api::JobDetail detail{job_view(core, *j), parse_json(j->config->spec_json).value()};
    respond(ok_json(200, api::encode(detail)));
  });
}

// One stored version of the job. Versions are stored by id for every job; only one of
// this job's key is shown here, so the path's role is the one authorized.
void get_version(SchedulerService& svc, const HttpRequest& req, Responder respond) {
  auto key = key_from_path(req);
  if (!key.ok()) return respond(error_response(key.status()));
  std::string id = net::path_segments(req.path).back();
  svc.on_core([key = *key, id, respond](Core& core) {
    ConfigPtr version = core.versions().find(id);
    if (!version || version->spec.key() != key)
      return respond(
          error_response(not_found("job " + key.to_string() + " has no version '" + id + "'")));
    respond(ok_json(200, api::encode(api::JobVersion{id, parse_json(version->spec_json).value()})));
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
  svc.on_core([&svc, key = *key, only, active_only, respond](Core& core) {
    const Job* j = core.find_job(key);
    if (!j)
      return respond(error_response(
          not_found("job " + core.options().cluster + "/" + key.to_string() + " does not exist")));
    api::TaskList list;
    std::vector<const Task*> ended;
    for (const auto& [i, inst] : j->instances) {
      if (only && !std::binary_search(only->begin(), only->end(), i)) continue;
      if (inst.active) list.tasks.push_back(task_view(core, *inst.active, &svc.usage_board()));
      if (!active_only) ended.insert(ended.end(), inst.history.begin(), inst.history.end());
    }
    std::stable_sort(ended.begin(), ended.end(), [](const Task* a, const Task* b) {
      return a->last_event().ts_ms > b->last_event().ts_ms;
    });
    for (const Task* t : ended) list.tasks.push_back(task_view(core, *t));
    respond(ok_json(200, api::encode(list)));
  });
}

void kill_job(SchedulerService& svc, const HttpRequest& req, Responder respond) {
  auto key = key_from_path(req);
  if (!key.ok()) return respond(error_response(key.status()));
  auto request = decode_request<api::KillRequest>(req);
  if (!request.ok()) return respond(error_response(request.status()));
  svc.on_core([&svc, key = *key, request = std::move(request).value(), respond](Core& core) {
    auto killed = core.kill(key, request.instances, request.message, svc.now());
    if (!killed.ok()) return respond(error_response(killed.status()));
    std::string body = json::serialize(api::encode(api::KillResult{std::move(killed).value()}));
    svc.when_durable([respond, body](const Status& st) {
      respond(st.ok() ? HttpResponse::json(200, body) : error_response(st));
    });
  });
}

void list_agents(SchedulerService& svc, const HttpRequest&, Responder respond) {
  svc.on_core([respond](Core& core) {
    auto res = [](const ResourceVec& r) {
      return api::resources_json(r.cpu(), r.ram, r.disk, r.gpu);
    };
    api::AgentList list;
    for (const Agent& a : core.agents())
      list.agents.push_back({a.id, a.hostname, a.address,
                             a.registered && a.active ? "ACTIVE" : "LOST", a.last_seen_ms,
                             a.attributes, res(a.total), res(a.used),
                             static_cast<int64_t>(a.tasks.size())});
    respond(ok_json(200, api::encode(list)));
  });
}

}  // namespace

Result<jobspec::JobSpec> job_spec_from_request(const SchedulerService& svc,
                                               const HttpRequest& req) {
  BOREALIS_ASSIGN_OR_RETURN(json::value doc, parse_json(req.body));
  BOREALIS_ASSIGN_OR_RETURN(jobspec::JobSpec spec, jobspec::job_spec_from_json(doc));
  BOREALIS_RETURN_IF_ERROR(svc.check_task_user(spec));
  return spec;
}

Result<JobKey> key_from_path(const HttpRequest& req) {
  auto segs = net::path_segments(req.path);
  if (segs.size() < 6) return invalid_argument("expected /api/v1/jobs/ROLE/ENVIRONMENT/NAME");
  JobKey key{segs[3], segs[4], segs[5]};
  BOREALIS_RETURN_IF_ERROR(validate_identifier("role", key.role));
  BOREALIS_RETURN_IF_ERROR(validate_identifier("environment", key.environment));
  BOREALIS_RETURN_IF_ERROR(validate_identifier("name", key.name));
  return key;
}

namespace {

void health(SchedulerService&, const HttpRequest&, Responder respond) {
  respond(HttpResponse::text(200, "ok\n"));
}

void cluster_info(SchedulerService& svc, const HttpRequest&, Responder respond) {
  svc.on_core([respond](Core& core) {
    int64_t active = 0;
    for (const Agent& a : core.agents()) active += a.registered && a.active;
    respond(ok_json(200, api::encode(api::ClusterInfo{core.options().cluster, kVersion, active,
                                                      core.options().container_images})));
  });
}

using auth::AccessKind;
constexpr RouteAccess kOpen{AccessKind::kRead, Scope::kOpen};
constexpr RouteAccess kReadAll{AccessKind::kRead, Scope::kCluster};
constexpr RouteAccess kReadJob{AccessKind::kRead, Scope::kJobPath};

const ServiceRoute kApiRoutes[] = {
    {"GET", "/health", kOpen, health},
    {"GET", "/api/v1/cluster", kReadAll, cluster_info},
    {"POST", "/api/v1/jobs", {AccessKind::kWrite, Scope::kJobBody}, create_job},
    {"GET", "/api/v1/jobs", kReadAll, list_jobs},
    {"GET", "/api/v1/jobs/*/*/*", kReadJob, get_job},
    {"GET", "/api/v1/jobs/*/*/*/tasks", kReadJob, get_tasks},
    {"GET", "/api/v1/jobs/*/*/*/versions/*", kReadJob, get_version},
    {"POST", "/api/v1/jobs/*/*/*/kill", {AccessKind::kWrite, Scope::kJobPath}, kill_job},
    {"GET", "/api/v1/agents", kReadAll, list_agents},
    {"GET", "/api/v1/discovery/*/*/*", kReadJob, get_discovery},
    {"GET", "/api/v1/prometheus/targets", kReadAll, get_prometheus_targets},
};

}  // namespace

std::span<const ServiceRoute> api_routes() { return kApiRoutes; }

}  // namespace borealis::scheduler
