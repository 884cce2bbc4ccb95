// HTTP discovery (docs/api.md, "Discovery"): a job's ServerSet for clients without
// ZooKeeper, answered from the core's memory with an ETag so pollers are cheap.
#include "auth/token.h"
#include "common/strings.h"
#include "scheduler/server/endpoints.h"
#include "scheduler/server/scheduler_service.h"

namespace borealis::scheduler {

namespace {

using net::HttpRequest;
using net::HttpResponse;
using net::Responder;

// ?endpoint= names a port; longer names than a JobSpec allows cannot match.
constexpr size_t kMaxEndpointNameBytes = 1024;

// If-None-Match is "*" or a list of entity tags, each possibly weak (W/"...").
bool matches_etag(std::string_view if_none_match, const std::string& etag) {
  for (const std::string& tag : split(if_none_match, ',')) {
    std::string_view t = trim(tag);
    if (t.starts_with("W/")) t.remove_prefix(2);
    if (t == "*" || t == etag) return true;
  }
  return false;
}

}  // namespace

std::string body_etag(std::string_view body) {
  return "\"" + auth::sha256_hex(body).substr(0, 32) + "\"";
}

void get_discovery(SchedulerService& svc, const HttpRequest& req, Responder respond) {
  auto key = key_from_path(req);
  if (!key.ok()) return respond(error_response(key.status()));
  std::optional<std::string> endpoint;
  if (req.query.contains("endpoint")) {
    endpoint = req.param("endpoint");
    if (endpoint->empty() || endpoint->size() > kMaxEndpointNameBytes)
      return respond(
          error_response(invalid_argument("endpoint: expected a port name of 1 to " +
                                          std::to_string(kMaxEndpointNameBytes) + " bytes")));
  }
  auto header = req.headers.find("if-none-match");
  std::string if_none_match = header == req.headers.end() ? "" : header->second;
  svc.on_core([key = *key, endpoint, if_none_match, respond](Core& core) {
    std::string job = core.options().cluster + "/" + key.to_string();
    const Job* j = core.find_job(key);
    if (!j) return respond(error_response(not_found("job " + job + " does not exist")));
    auto members = discovery_view(core, *j);
    if (!members)
      return respond(error_response(
          not_found("job " + job +
                    " does not announce (its configuration has no `announce`): it has "
                    "no serverset")));
    std::string body = json::serialize(
        endpoint ? api::encode(api::named_endpoints(*members, *endpoint)) : api::encode(*members));
    std::string etag = body_etag(body);
    HttpResponse answer = matches_etag(if_none_match, etag) ? HttpResponse::json(304, "")
                                                            : HttpResponse::json(200, body);
    answer.headers["ETag"] = etag;
    answer.headers["Cache-Control"] = "no-cache";
    respond(std::move(answer));
  });
}

}  // namespace borealis::scheduler
