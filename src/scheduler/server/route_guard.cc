// The guard in front of every scheduler route: authenticates the caller, resolves what the
// route acts on from its declared Scope, authorizes, and only then runs the handler. With
// no auth file every request passes, as before authentication existed.
#include <memory>

#include "auth/http_guard.h"
#include "common/log.h"
#include "scheduler/server/endpoints.h"
#include "scheduler/server/scheduler_service.h"

namespace borealis::scheduler {

namespace {

using net::HttpRequest;
using net::Responder;

// A string member of a JSON object body, "" when absent; an error when not a string.
Result<std::string> body_string(const json::object& body, const char* name) {
  const json::value* v = body.if_contains(name);
  if (!v) return std::string();
  if (!v->is_string()) return invalid_argument(std::string(name) + ": expected a string");
  return std::string(v->get_string());
}

Result<json::object> body_object(const HttpRequest& req) {
  BOREALIS_ASSIGN_OR_RETURN(json::value doc, parse_json(req.body));
  if (!doc.is_object()) return invalid_argument("the request body must be a JSON object");
  return std::move(doc.get_object());
}

// What a route with a role scope acts on.
Result<auth::Access> resolve(const RouteAccess& access, const HttpRequest& req) {
  switch (access.scope) {
    case Scope::kOpen:
    case Scope::kCluster:
    case Scope::kAgentHost:
      return auth::Access{access.kind, "", "", ""};
    case Scope::kJobPath: {
      BOREALIS_ASSIGN_OR_RETURN(JobKey key, key_from_path(req));
      return auth::Access{access.kind, key.role, key.environment, ""};
    }
    case Scope::kJobBody: {
      // The same JSON the handler decodes into a JobSpec: the same role and environment.
      BOREALIS_ASSIGN_OR_RETURN(json::object body, body_object(req));
      BOREALIS_ASSIGN_OR_RETURN(std::string role, body_string(body, "role"));
      BOREALIS_ASSIGN_OR_RETURN(std::string env, body_string(body, "environment"));
      BOREALIS_RETURN_IF_ERROR(validate_identifier("role", role));
      BOREALIS_RETURN_IF_ERROR(validate_identifier("environment", env));
      return auth::Access{access.kind, role, env, ""};
    }
  }
  return internal_error("unknown route scope");
}

void refuse(const HttpRequest& req, const auth::Identity* who, const Status& st,
            const Responder& respond) {
  // An identity refused is worth an operator's eye; anonymous knocks would flood the log.
  spdlog::log(who ? spdlog::level::info : spdlog::level::debug, "refused {} {} from {} ({}): {}",
              req.method, req.path, req.remote,
              who ? "user '" + who->name + "'" : std::string("anonymous"), st.message());
  respond(error_response(st));
}

// The agent protocol: the caller must be the agent of the host the body names and of the
// host its agent id is registered for. The agent id's host is core state, so the check
// runs on the core thread; the handler then runs on the HTTP thread as usual. An agent id
// moves to another host only through a register authorized for both hosts.
void check_agent_then(SchedulerService& svc, const ServiceRoute& route, const auth::Identity* who,
                      const HttpRequest& req, Responder respond) {
  auto body = body_object(req);
  if (!body.ok()) return refuse(req, who, body.status(), respond);
  auto agent_id = body_string(*body, "agent_id");
  auto hostname = body_string(*body, "hostname");
  if (!agent_id.ok()) return refuse(req, who, agent_id.status(), respond);
  if (!hostname.ok()) return refuse(req, who, hostname.status(), respond);
  auto request = std::make_shared<HttpRequest>(req);
  svc.on_core([&svc, handler = route.handler, who, request, agent_id = *agent_id,
               hostname = *hostname, respond = std::move(respond)](Core& core) mutable {
    std::vector<std::string> hosts;
    if (!hostname.empty()) hosts.push_back(hostname);
    if (const Agent* a = agent_id.empty() ? nullptr : core.find_agent(agent_id))
      if (a->hostname != hostname) hosts.push_back(a->hostname);
    if (hosts.empty()) hosts.push_back("");  // an unknown agent id: any agent identity
    for (const std::string& host : hosts) {
      Status st = svc.guard().authorize(who, {auth::AccessKind::kAgent, "", "", host});
      if (!st.ok()) return refuse(*request, who, st, respond);
    }
    svc.on_http([&svc, handler, request, respond = std::move(respond)]() mutable {
      handler(svc, *request, std::move(respond));
    });
  });
}

// `req` for a change's handler, carrying who made it (only the guard says who).
HttpRequest with_caller(const HttpRequest& req, const auth::Identity* who) {
  HttpRequest out = req;
  out.headers.erase(kCallerHeader);
  if (who) out.headers[kCallerHeader] = who->name;
  return out;
}

void guarded(SchedulerService& svc, const ServiceRoute& route, const HttpRequest& req,
             Responder respond) {
  const auth::HttpGuard& guard = svc.guard();
  bool change = route.access.kind == auth::AccessKind::kWrite;
  if (route.access.scope == Scope::kOpen || !guard.enabled()) {
    if (change && req.headers.count(kCallerHeader))
      return route.handler(svc, with_caller(req, nullptr), std::move(respond));
    return route.handler(svc, req, std::move(respond));
  }
  auto who = guard.authenticate(req);
  if (!who.ok()) return refuse(req, nullptr, who.status(), respond);
  if (route.access.scope == Scope::kAgentHost && !(*who)->admin)
    return check_agent_then(svc, route, *who, req, std::move(respond));
  auto access = resolve(route.access, req);
  if (!access.ok()) return refuse(req, *who, access.status(), respond);
  if (Status st = guard.authorize(*who, *access); !st.ok()) return refuse(req, *who, st, respond);
  if (change) return route.handler(svc, with_caller(req, *who), std::move(respond));
  route.handler(svc, req, std::move(respond));
}

}  // namespace

std::string caller_of(const HttpRequest& req) {
  auto it = req.headers.find(kCallerHeader);
  return it == req.headers.end() ? "" : it->second;
}

std::vector<ServiceRoute> scheduler_routes() {
  std::vector<ServiceRoute> all;
  for (auto table : {leadership_routes(), api_routes(), agent_routes(), update_routes(),
                     metrics_routes(), cron_routes(), task_agent_routes(), ui_routes(),
                     backup_routes()})
    all.insert(all.end(), table.begin(), table.end());
  return all;
}

void register_routes(net::HttpServer& server, SchedulerService& svc) {
  for (const ServiceRoute& route : scheduler_routes())
    server.route(route.method, route.path,
                 [&svc, route](const HttpRequest& req, Responder respond) {
                   // Counted by route pattern (bounded), refusals by the guard included.
                   Responder timed =
                       svc.metrics().http().timed(route.path, route.method, std::move(respond));
                   // A standby has no state: it sends callers, agents included, to the leader.
                   if (!svc.leading() && !served_by_standby(route.path))
                     return timed(standby_response(svc.leadership(), req));
                   guarded(svc, route, req, std::move(timed));
                 });
}

}  // namespace borealis::scheduler
