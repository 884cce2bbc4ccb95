// The agent's HTTP API (docs/agent-api.md): health, the tasks the agent knows, and
// read-only access to their sandbox files and process logs, confined to the sandbox.
//
// Threading: the routes run on the server's io_context, which must be the agent's loop
// thread, because they read the TaskManager directly. They only open files there; file
// bytes and directory entries are read on a thread of the routes' own, so a large or slow
// read never holds up the loop (and with it every task's monitor).
#pragma once

#include "agent/task_manager.h"
#include "net/http_server.h"

namespace borealis::agent {

struct HttpApiOptions {
  int64_t default_read_bytes = 1 << 20;
  int64_t max_read_bytes = 8 << 20;
};

// Adds the routes to `server` (before it starts). `tasks` must outlive the server.
void add_agent_routes(net::HttpServer& server, const TaskManager& tasks,
                      HttpApiOptions options = {});

}  // namespace borealis::agent
