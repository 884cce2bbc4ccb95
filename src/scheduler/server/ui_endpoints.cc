// The web UI at /scheduler (docs/ui.md): every page is the same shell, whose script reads
// the scheduler's JSON API with the user's token and renders the page its path names. The
// pages and assets hold no data, so they are open; every data call is authorized as usual.
#include "scheduler/server/endpoints.h"
#include "scheduler/server/ui_assets.h"

namespace borealis::scheduler {

namespace {

using net::HttpRequest;
using net::HttpResponse;
using net::Responder;

// Scripts and styles only from the scheduler itself; nothing inline, no other origin.
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'";

HttpResponse asset_response(const UiAsset& asset) {
  HttpResponse r;
  r.content_type = std::string(asset.content_type);
  r.body = std::string(asset.body);
  r.headers["Cache-Control"] = "no-cache";
  r.headers["Content-Security-Policy"] = kContentSecurityPolicy;
  r.headers["X-Content-Type-Options"] = "nosniff";
  return r;
}

const UiAsset* find_asset(std::string_view name) {
  for (const UiAsset& a : ui_assets())
    if (a.name == name) return &a;
  return nullptr;
}

void page(SchedulerService&, const HttpRequest&, Responder respond) {
  const UiAsset* shell = find_asset("index.html");
  if (!shell) return respond(error_response(internal_error("the UI has no index.html")));
  respond(asset_response(*shell));
}

void asset(SchedulerService&, const HttpRequest& req, Responder respond) {
  std::string name = net::path_segments(req.path).back();
  const UiAsset* a = name == "index.html" ? nullptr : find_asset(name);
  if (!a) return respond(error_response(not_found("the UI has no file " + name)));
  respond(asset_response(*a));
}

constexpr RouteAccess kOpenPage{auth::AccessKind::kRead, Scope::kOpen};

// The first matching pattern wins: the named pages before a job's.
const ServiceRoute kUiRoutes[] = {
    {"GET", "/scheduler", kOpenPage, page},
    {"GET", "/scheduler/agents", kOpenPage, page},
    {"GET", "/scheduler/updates", kOpenPage, page},
    {"GET", "/scheduler/assets/*", kOpenPage, asset},
    {"GET", "/scheduler/*/*/*", kOpenPage, page},
    {"GET", "/scheduler/*/*/*/*", kOpenPage, page},
};

}  // namespace

std::span<const ServiceRoute> ui_routes() { return kUiRoutes; }

}  // namespace borealis::scheduler
