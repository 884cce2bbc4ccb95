// What a scheduler answers as a standby (docs/operations.md#high-availability):
// GET /leaderhealth as Aurora's (200 on the leader, 503 on a standby, 502 when no leader is
// known), and for every route a standby does not serve itself a 307 to the same path and
// query on the leader, or a 503 naming the situation when no leader is announced.
#include "api/http_status.h"
#include "net/http_client.h"
#include "scheduler/server/endpoints.h"
#include "scheduler/server/scheduler_service.h"

namespace borealis::scheduler {

namespace {

using net::HttpRequest;
using net::HttpResponse;
using net::Responder;

void leaderhealth(SchedulerService& svc, const HttpRequest&, Responder respond) {
  LeaderView view = svc.leadership();
  switch (view.role) {
    case LeaderRole::kLeader:
      return respond(HttpResponse::text(200, "this scheduler is the leader\n"));
    case LeaderRole::kStandby:
      return respond(HttpResponse::text(503, "standby; the leader is " + view.leader_url + "\n"));
    case LeaderRole::kNoLeader:
      break;
  }
  respond(HttpResponse::text(502, "standby; no leader is announced\n"));
}

std::string query_string(const HttpRequest& req) {
  std::string out;
  for (const auto& [name, value] : req.query)
    out += (out.empty() ? "?" : "&") + net::url_encode(name) + "=" + net::url_encode(value);
  return out;
}

constexpr RouteAccess kOpen{auth::AccessKind::kRead, Scope::kOpen};

const ServiceRoute kLeadershipRoutes[] = {
    {"GET", "/leaderhealth", kOpen, leaderhealth},
};

}  // namespace

std::span<const ServiceRoute> leadership_routes() { return kLeadershipRoutes; }

bool served_by_standby(std::string_view route_path) {
  return route_path == "/health" || route_path == "/leaderhealth" || route_path == "/metrics" ||
         route_path == "/vars" || route_path == "/vars.json";
}

HttpResponse standby_response(const LeaderView& view, const HttpRequest& req) {
  if (view.role == LeaderRole::kStandby) {
    HttpResponse r = HttpResponse::text(307, "the leader is " + view.leader_url + "\n");
    r.headers["Location"] = view.leader_url + req.path + query_string(req);
    return r;
  }
  return HttpResponse::error(503, api::kNoLeaderCode,
                             "this scheduler is a standby and no leader is announced in "
                             "ZooKeeper (an election is under way); retry shortly");
}

}  // namespace borealis::scheduler
