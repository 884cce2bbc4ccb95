// GET /metrics, /vars and /vars.json (docs/metrics.md): the core's state counted on the
// core thread, then rendered with the live instruments on the HTTP thread.
#include "scheduler/server/endpoints.h"
#include "scheduler/server/scheduler_metrics.h"
#include "scheduler/server/scheduler_service.h"

namespace borealis::scheduler {

namespace {

using metrics::Exposition;

template <Exposition kFormat>
void scrape(SchedulerService& svc, const net::HttpRequest&, net::Responder respond) {
  if (!svc.leading()) {
    // A standby has no core: its own instruments only.
    std::vector<metrics::Family> families = svc.metrics().collect();
    for (auto& f : metrics::http_server_families(svc.http_counters()))
      families.push_back(std::move(f));
    return respond(metrics::exposition_response(kFormat, families));
  }
  svc.on_core([&svc, respond = std::move(respond)](Core& core) mutable {
    svc.on_http([&svc, families = core_families(core), respond = std::move(respond)]() mutable {
      for (auto part :
           {svc.metrics().collect(), metrics::http_server_families(svc.http_counters())})
        for (auto& f : part) families.push_back(std::move(f));
      respond(metrics::exposition_response(kFormat, families));
    });
  });
}

// Read access like the job and agent lists (docs/security.md): the figures name every
// job, so any identity may scrape them, and Prometheus sends its token as a Bearer header.
constexpr RouteAccess kReadAll{auth::AccessKind::kRead, Scope::kCluster};

const ServiceRoute kMetricsRoutes[] = {
    {"GET", "/metrics", kReadAll, scrape<Exposition::kPrometheus>},
    {"GET", "/vars", kReadAll, scrape<Exposition::kVars>},
    {"GET", "/vars.json", kReadAll, scrape<Exposition::kVarsJson>},
};

}  // namespace

std::span<const ServiceRoute> metrics_routes() { return kMetricsRoutes; }

}  // namespace borealis::scheduler
