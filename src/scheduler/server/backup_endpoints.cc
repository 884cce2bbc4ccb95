// Backup endpoints (docs/api.md, "Backups"; docs/operations.md, "Backups and restore"): take
// one now, list them, restore one. Admins only (route_guard.cc, docs/security.md).
#include <spdlog/spdlog.h>

#include <thread>

#include "api/backups.h"
#include "scheduler/server/endpoints.h"
#include "scheduler/server/scheduler_service.h"

namespace borealis::scheduler {

namespace {

using net::HttpRequest;
using net::HttpResponse;
using net::Responder;

// The exit status after a restore: the process must be started again (EX_TEMPFAIL).
constexpr int kExitAfterRestore = 75;

api::BackupEntry entry(const BackupInfo& b) {
  return {b.name, static_cast<int64_t>(b.size_bytes), b.created_ms};
}

Result<BackupRunner*> runner(SchedulerService& svc) {
  if (!svc.backups())
    return failed_precondition(
        "backups are off: start the scheduler with --backup-dir DIR (a PostgreSQL store has no "
        "default directory)");
  return svc.backups();
}

void list_backups(SchedulerService& svc, const HttpRequest&, Responder respond) {
  auto r = runner(svc);
  if (!r.ok()) return respond(error_response(r.status()));
  auto listed = (*r)->list();
  if (!listed.ok()) return respond(error_response(listed.status()));
  api::BackupList out{(*r)->dir(), {}};
  for (const BackupInfo& b : *listed) out.backups.push_back(entry(b));
  respond(HttpResponse::json(200, json::serialize(api::encode(out))));
}

void take_backup(SchedulerService& svc, const HttpRequest& req, Responder respond) {
  auto r = runner(svc);
  if (!r.ok()) return respond(error_response(r.status()));
  std::string caller = caller_of(req);
  (*r)->take([respond, caller](Result<BackupInfo> b) {
    if (!b.ok()) return respond(error_response(b.status()));
    spdlog::info("backup {} taken ({} bytes){}", b->name, b->size_bytes,
                 caller.empty() ? "" : " for " + caller);
    respond(HttpResponse::json(200, json::serialize(api::encode(api::BackupTaken{entry(*b)}))));
  });
}

// The store now holds the backup and the scheduler's memory does not: it must not write
// again. The answer goes out, then the process exits for its supervisor to start it again,
// recovering from the store as after a failed write. Exiting rather than re-executing
// itself: a fresh process recovers through the one path every restart takes, and with
// several schedulers the next leader may be another one.
void restore_backup(SchedulerService& svc, const HttpRequest& req, Responder respond) {
  auto r = runner(svc);
  if (!r.ok()) return respond(error_response(r.status()));
  std::vector<std::string> parts = net::path_segments(req.path);
  std::string name = parts.size() == 6 ? parts[4] : "";
  std::string store = svc.store_description();
  std::string caller = caller_of(req);
  (*r)->restore(name, [respond, name, store, caller](Result<BackupInfo> b) {
    if (!b.ok()) return respond(error_response(b.status()));
    std::string message = "the store " + store + " now holds backup " + name +
                          "; the scheduler exits (status 75) for its supervisor to restart it "
                          "from the store";
    respond(HttpResponse::json(
        200, json::serialize(api::encode(api::BackupRestored{entry(*b), message}))));
    spdlog::critical("restored backup {} into {}{}; exiting so a restart recovers from it", name,
                     store, caller.empty() ? "" : " for " + caller);
    // This runs on the committer's thread, so nothing is written meanwhile; the pause lets
    // the HTTP thread send the answer.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    spdlog::default_logger()->flush();
    std::_Exit(kExitAfterRestore);
  });
}

constexpr RouteAccess kAdmin{auth::AccessKind::kAdmin, Scope::kCluster};

const ServiceRoute kRoutes[] = {
    {"GET", "/api/v1/admin/backups", kAdmin, list_backups},
    {"POST", "/api/v1/admin/backups", kAdmin, take_backup},
    {"POST", "/api/v1/admin/backups/*/restore", kAdmin, restore_backup},
};

}  // namespace

std::span<const ServiceRoute> backup_routes() { return kRoutes; }

}  // namespace borealis::scheduler
