// HTTP discovery (docs/api.md, "Discovery"): a job's ServerSet for clients without
// ZooKeeper, and every announced instance for Prometheus (docs/metrics.md), answered from
// the core's memory with an ETag so pollers are cheap.
#include <algorithm>

#include "api/prometheus_sd.h"
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

// `body` with `etag`, or 304 when the client holds that ETag already.
HttpResponse etag_answer(std::string body, const std::string& etag,
                         const std::string& if_none_match) {
  HttpResponse answer = matches_etag(if_none_match, etag)
                            ? HttpResponse::json(304, "")
                            : HttpResponse::json(200, std::move(body));
  answer.headers["ETag"] = etag;
  answer.headers["Cache-Control"] = "no-cache";
  return answer;
}

HttpResponse etag_answer(std::string body, const std::string& if_none_match) {
  std::string etag = body_etag(body);
  return etag_answer(std::move(body), etag, if_none_match);
}

HttpResponse etag_answer(const PrometheusTargetsCache::Document& doc,
                         const std::string& if_none_match) {
  return etag_answer(matches_etag(if_none_match, doc.etag) ? "" : doc.body, doc.etag,
                     if_none_match);
}

std::string if_none_match_of(const HttpRequest& req) {
  auto header = req.headers.find("if-none-match");
  return header == req.headers.end() ? "" : header->second;
}

// Every job's ServerSet (core thread), or only `role`'s: the only work the core does for
// the document.
std::vector<api::AnnouncedInstance> announced_instances(const Core& core, const std::string& role) {
  std::vector<api::AnnouncedInstance> out;
  for (const auto& [key, job] : core.jobs()) {
    if (!role.empty() && key.role != role) continue;
    auto members = discovery_view(core, *job);
    if (!members) continue;
    for (api::ServersetMember& m : members->members)
      out.push_back({core.options().cluster, key.role, key.environment, key.name, std::move(m)});
  }
  return out;
}

// The document, in a stable order (role, environment, job, instance) so its ETag changes
// only when a target does.
std::string prometheus_targets_body(std::vector<api::AnnouncedInstance> instances) {
  auto order = [](const api::AnnouncedInstance& i) {
    return std::tie(i.role, i.environment, i.job, i.member.shard);
  };
  std::sort(instances.begin(), instances.end(),
            [&](const auto& a, const auto& b) { return order(a) < order(b); });
  std::vector<api::PrometheusTargetGroup> groups;
  groups.reserve(instances.size());
  for (const api::AnnouncedInstance& i : instances)
    if (auto g = api::prometheus_target_group(i)) groups.push_back(std::move(*g));
  return json::serialize(api::encode(groups));
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
  std::string if_none_match = if_none_match_of(req);
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
    respond(etag_answer(std::move(body), if_none_match));
  });
}

void get_prometheus_targets(SchedulerService& svc, const HttpRequest& req, Responder respond) {
  std::string role = req.param("role");
  if (req.query.contains("role"))
    if (Status st = validate_identifier("role", role); !st.ok())
      return respond(error_response(st.with_context("query parameter 'role'")));
  // The document built at the current state version answers at once. Otherwise the core
  // thread only copies the members; sorting, JSON and the ETag happen on the HTTP thread,
  // which keeps the result for the polls that follow until the state changes.
  svc.on_core([&svc, role = std::move(role), if_none_match = if_none_match_of(req),
               respond = std::move(respond)](Core& core) mutable {
    uint64_t version = svc.state_version();
    PrometheusTargetsCache& cache = svc.prometheus_targets_cache();
    if (auto doc = cache.find(version, role)) return respond(etag_answer(*doc, if_none_match));
    auto instances = announced_instances(core, role);
    svc.on_http([&cache, version, role = std::move(role), if_none_match = std::move(if_none_match),
                 instances = std::move(instances), respond = std::move(respond)]() mutable {
      auto doc = std::make_shared<PrometheusTargetsCache::Document>();
      doc->body = prometheus_targets_body(std::move(instances));
      doc->etag = body_etag(doc->body);
      cache.keep(version, role, doc);
      respond(etag_answer(*doc, if_none_match));
    });
  });
}

}  // namespace borealis::scheduler
