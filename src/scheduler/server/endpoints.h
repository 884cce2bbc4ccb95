// HTTP endpoints of the scheduler: the public API (docs/api.md) and the agent protocol
// (docs/internals/agent-protocol.md), plus the JSON views they render.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "api/discovery.h"
#include "api/jobs.h"
#include "api/updates.h"
#include "auth/identity.h"
#include "common/json.h"
#include "common/strings.h"
#include "net/http_server.h"
#include "scheduler/core/core.h"
#include "scheduler/server/task_usage_board.h"

namespace borealis::scheduler {

class SchedulerService;
struct LeaderView;

// What a route acts on, for the guard that runs before its handler (route_guard.cc,
// docs/security.md).
enum class Scope {
  kOpen,       // nothing: no credentials asked (/health)
  kCluster,    // no one role: cluster-wide reads, admin operations
  kJobPath,    // the job in the path: /api/v1/jobs/ROLE/ENVIRONMENT/NAME/...
  kJobBody,    // the job in the body: the JobSpec's role and environment
  kAgentHost,  // the agent protocol: the body's hostname and the host of its agent id
};
struct RouteAccess {
  auth::AccessKind kind;
  Scope scope;
};

// One endpoint: `method path` answered by `handler` on the service, for callers with
// `access`. Every route states its access here, where it is registered.
struct ServiceRoute {
  const char* method;
  const char* path;
  RouteAccess access;
  void (*handler)(SchedulerService&, const net::HttpRequest&, net::Responder);
};

// GET /api/v1/discovery/ROLE/ENV/JOB (discovery_endpoints.cc), a route of api_routes().
void get_discovery(SchedulerService& svc, const net::HttpRequest& req, net::Responder respond);
// GET /api/v1/prometheus/targets (discovery_endpoints.cc, docs/metrics.md): every announced
// instance as a Prometheus HTTP service discovery target.
void get_prometheus_targets(SchedulerService& svc, const net::HttpRequest& req,
                            net::Responder respond);
// The ETag of an answer body: a strong validator, the same for the same body.
std::string body_etag(std::string_view body);

// The route tables of api_endpoints.cc, agent_endpoints.cc, update_endpoints.cc and
// cron_endpoints.cc.
std::span<const ServiceRoute> api_routes();
std::span<const ServiceRoute> agent_routes();
std::span<const ServiceRoute> update_routes();
// GET /metrics, /vars, /vars.json (metrics_endpoints.cc, docs/metrics.md).
std::span<const ServiceRoute> metrics_routes();
std::span<const ServiceRoute> cron_routes();
// The web UI's pages and assets at /scheduler (ui_endpoints.cc, docs/ui.md).
std::span<const ServiceRoute> ui_routes();
// A task's processes, files and logs read from its agent (task_agent_endpoints.cc).
std::span<const ServiceRoute> task_agent_routes();
// Store backups: take, list, restore (backup_endpoints.cc; admins only).
std::span<const ServiceRoute> backup_routes();
// GET /leaderhealth (leadership_endpoints.cc).
std::span<const ServiceRoute> leadership_routes();
// Whether a standby answers the route itself (/health, /leaderhealth, /metrics, /vars,
// /vars.json); every other route gets standby_response().
bool served_by_standby(std::string_view route_path);
// A standby's answer to a route it does not serve: 307 to the same path and query on the
// leader, or 503 NO_LEADER.
net::HttpResponse standby_response(const LeaderView& view, const net::HttpRequest& req);
// Every route of the scheduler, in the order they match.
std::vector<ServiceRoute> scheduler_routes();
// Adds every route to `server`, each behind the guard (route_guard.cc).
void register_routes(net::HttpServer& server, SchedulerService& service);

// --- views (core thread): the API's types (src/api) filled from the core's model ---
// With `usage`, the task's latest usage as its agent reported it.
api::TaskInfo task_view(const Core& core, const Task& t, const TaskUsageBoard* usage = nullptr);
api::JobSummary job_view(const Core& core, const Job& j);
// The job's ServerSet: its RUNNING, placed instances whose version announces, by shard;
// nullopt when neither the job nor any such instance has `announce` (no ServerSet).
std::optional<api::Discovery> discovery_view(const Core& core, const Job& j);
// An update's summary (progress counts); the detail adds per-instance steps and events.
api::UpdateSummary update_summary_view(const Core& core, const Update& u);
api::UpdateDetail update_detail_view(const Core& core, const Update& u);
// "/api/v1/jobs/ROLE/ENV/NAME[/...]" -> the job key (each part validated).
Result<JobKey> key_from_path(const net::HttpRequest& req);
// The JobSpec in the request body, whose task user the scheduler allows (job create and
// cron schedule).
Result<jobspec::JobSpec> job_spec_from_request(const SchedulerService& svc,
                                               const net::HttpRequest& req);
// The request body decoded as `T` (src/api); an empty body reads as {}.
template <typename T>
Result<T> decode_request(const net::HttpRequest& req) {
  if (trim(req.body).empty()) return api::decode<T>(json::object{});
  return api::decode_body<T>(req.body);
}
// A poll answer: the commands, and each job version a launch needs, once.
std::string render_commands(const Core& core, const std::vector<const AgentCommand*>& commands);

// The authenticated caller of a change, as the guard hands it to the handler (a header of
// the request it passes on; the guard removes any such header the client sent). "" when
// the scheduler runs without authentication.
inline constexpr const char* kCallerHeader = "x-borealis-caller";
std::string caller_of(const net::HttpRequest& req);

// Maps a Status to the API's error response (docs/api.md) through api/http_status.h.
net::HttpResponse error_response(const Status& status);

}  // namespace borealis::scheduler
