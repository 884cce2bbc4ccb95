// A task's view on its agent, read through the scheduler (docs/api.md, "A task on its
// agent"): its processes, sandbox files and logs. The browser reaches only the scheduler
// (no CORS, one origin, one token); the scheduler forwards the caller's Authorization
// header, so the agent applies its own grants (a task's files are for its role).
// Beside them, the task's recent usage, which the scheduler keeps itself (its graphs).
#include "api/task_usage_history.h"
#include "net/http_client.h"
#include "scheduler/server/endpoints.h"
#include "scheduler/server/scheduler_service.h"

namespace borealis::scheduler {

namespace {

using net::HttpRequest;
using net::Responder;

// /api/v1/jobs/ROLE/ENV/NAME/tasks/TASK_ID/<what>: the agent path for <what>.
Result<std::string> agent_path(const HttpRequest& req, const std::string& task_id) {
  auto segs = net::path_segments(req.path);
  std::string path = "/api/v1/tasks/" + net::url_encode(task_id);
  if (segs.size() == 9 && segs[8] == "agent") return path;
  if (segs.size() == 9 && segs[8] == "files")
    path += "/files";
  else if (segs.size() == 10 && segs[8] == "logs")
    path += "/logs/" + net::url_encode(segs[9]);
  else
    return not_found("no task route " + req.path);
  char sep = '?';
  for (const auto& [name, value] : req.query) {
    path += sep + net::url_encode(name) + "=" + net::url_encode(value);
    sep = '&';
  }
  return path;
}

void forward_to_agent(SchedulerService& svc, const HttpRequest& req, Responder respond) {
  auto key = key_from_path(req);
  if (!key.ok()) return respond(error_response(key.status()));
  std::string task_id = net::path_segments(req.path)[7];
  auto path = agent_path(req, task_id);
  if (!path.ok()) return respond(error_response(path.status()));
  auto header = req.headers.find("authorization");
  std::string authorization = header == req.headers.end() ? "" : header->second;
  svc.on_core([&svc, key = *key, task_id, path = *path, authorization, respond](Core& core) {
    std::string job = core.options().cluster + "/" + key.to_string();
    const Task* t = core.find_task(task_id);
    if (!t || !t->job || !(t->job->key == key))
      return respond(error_response(not_found("job " + job + " has no task " + task_id)));
    if (t->agent < 0)
      return respond(
          error_response(failed_precondition("task " + task_id + " is not placed on an agent")));
    const Agent& agent = core.agents()[t->agent];
    svc.agent_proxy().get(agent.address, path, authorization, respond);
  });
}

// The task's usage samples from the board (api/task_usage_history.h).
void get_task_usage(SchedulerService& svc, const HttpRequest& req, Responder respond) {
  auto key = key_from_path(req);
  if (!key.ok()) return respond(error_response(key.status()));
  std::string task_id = net::path_segments(req.path)[7];
  svc.on_core([&svc, key = *key, task_id, respond](Core& core) {
    const Task* t = core.find_task(task_id);
    if (!t || !t->job || !(t->job->key == key))
      return respond(error_response(not_found("job " + core.options().cluster + "/" +
                                              key.to_string() + " has no task " + task_id)));
    api::TaskUsageHistory history{task_id, {}};
    if (t->agent >= 0)
      history.samples = svc.usage_board().history(core.agents()[t->agent].id, task_id);
    respond(net::HttpResponse::json(200, json::serialize(api::encode(history))));
  });
}

constexpr RouteAccess kReadJob{auth::AccessKind::kRead, Scope::kJobPath};

const ServiceRoute kTaskAgentRoutes[] = {
    {"GET", "/api/v1/jobs/*/*/*/tasks/*/agent", kReadJob, forward_to_agent},
    {"GET", "/api/v1/jobs/*/*/*/tasks/*/files", kReadJob, forward_to_agent},
    {"GET", "/api/v1/jobs/*/*/*/tasks/*/logs/*", kReadJob, forward_to_agent},
    {"GET", "/api/v1/jobs/*/*/*/tasks/*/usage", kReadJob, get_task_usage},
};

}  // namespace

std::span<const ServiceRoute> task_agent_routes() { return kTaskAgentRoutes; }

}  // namespace borealis::scheduler
