// HTTP endpoints of the scheduler: the public API (docs/api.md) and the agent protocol
// (docs/internals/agent-protocol.md), plus the JSON views they render.
#pragma once

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "api/jobs.h"
#include "api/updates.h"
#include "common/json.h"
#include "common/strings.h"
#include "net/http_server.h"
#include "scheduler/core/core.h"

namespace borealis::scheduler {

class SchedulerService;

void register_api_routes(net::HttpServer& server, SchedulerService& service);
void register_agent_routes(net::HttpServer& server, SchedulerService& service);
void register_update_routes(net::HttpServer& server, SchedulerService& service);

// One endpoint: `method path` answered by `handler` on the service.
struct ServiceRoute {
  const char* method;
  const char* path;
  void (*handler)(SchedulerService&, const net::HttpRequest&, net::Responder);
};
inline void add_routes(net::HttpServer& server, SchedulerService& service,
                       std::initializer_list<ServiceRoute> routes) {
  for (const ServiceRoute& route : routes)
    server.route(route.method, route.path,
                 [&service, handler = route.handler](const net::HttpRequest& q, net::Responder r) {
                   handler(service, q, std::move(r));
                 });
}

// --- views (core thread): the API's types (src/api) filled from the core's model ---
api::TaskInfo task_view(const Core& core, const Task& t);
api::JobSummary job_view(const Core& core, const Job& j);
// An update's summary (progress counts); the detail adds per-instance steps and events.
api::UpdateSummary update_summary_view(const Core& core, const Update& u);
api::UpdateDetail update_detail_view(const Core& core, const Update& u);
// "/api/v1/jobs/ROLE/ENV/NAME[/...]" -> the job key (each part validated).
Result<JobKey> key_from_path(const net::HttpRequest& req);
// The request body decoded as `T` (src/api); an empty body reads as {}.
template <typename T>
Result<T> decode_request(const net::HttpRequest& req) {
  if (trim(req.body).empty()) return api::decode<T>(json::object{});
  return api::decode_body<T>(req.body);
}
// A poll answer: the commands, and each job version a launch needs, once.
std::string render_commands(const Core& core, const std::vector<const AgentCommand*>& commands);

// Maps a Status to the API's error response (docs/api.md) through api/http_status.h.
net::HttpResponse error_response(const Status& status);

}  // namespace borealis::scheduler
