// The agent's HTTP API (docs/agent-api.md): health, the tasks the agent knows, and
// read-only access to their sandbox files and process logs, confined to the sandbox; and
// its metrics (/metrics, /vars, /vars.json; docs/metrics.md).
// With an auth file, every route but /health needs a token; a task's files and logs are
// for its role (and admins) only (docs/security.md).
//
// Threading: the routes run on the server's io_context, which must be the agent's loop
// thread, because they read the TaskManager directly. They only open files there; file
// bytes and directory entries are read on a thread of the routes' own, so a large or slow
// read never holds up the loop (and with it every task's monitor).
#pragma once

#include <vector>

#include "agent/agent_metrics.h"
#include "agent/task_manager.h"
#include "auth/http_guard.h"
#include "net/http_server.h"

namespace borealis::agent {

// The longest a file or log read waits for new bytes (its `wait_ms`, a long poll).
inline constexpr int64_t kMaxFollowWaitMs = 30000;

struct HttpApiOptions {
  int64_t default_read_bytes = 1 << 20;
  int64_t max_read_bytes = 8 << 20;
  HostOffer offer;  // what /metrics reports the agent offers
};

// What an agent API route acts on, for the guard in front of it.
enum class AgentScope {
  kOpen,   // nothing: no credentials asked (/health)
  kAgent,  // the agent as a whole (its task list)
  kTask,   // the task in the path (/api/v1/tasks/ID/...): its role and environment
};
struct AgentRouteAccess {
  const char* method;
  const char* path;
  auth::AccessKind kind;
  AgentScope scope;
};

// Every route add_agent_routes adds, with the access it declares, in match order.
std::vector<AgentRouteAccess> agent_api_routes();

// Adds the routes to `server` (before it starts), behind `guard` (whose AuthConfig, like
// `tasks`, must outlive the server).
void add_agent_routes(net::HttpServer& server, const TaskManager& tasks,
                      auth::HttpGuard guard = auth::HttpGuard(), HttpApiOptions options = {});

}  // namespace borealis::agent
