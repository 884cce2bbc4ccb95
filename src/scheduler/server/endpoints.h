// HTTP endpoints of the scheduler: the public API (docs/api.md) and the agent protocol
// (docs/internals/agent-protocol.md), plus the JSON views they render.
#pragma once

#include <string>
#include <vector>

#include "common/json.h"
#include "net/http_server.h"
#include "scheduler/core/core.h"

namespace borealis::scheduler {

class SchedulerService;

void register_api_routes(net::HttpServer& server, SchedulerService& service);
void register_agent_routes(net::HttpServer& server, SchedulerService& service);
void register_update_routes(net::HttpServer& server, SchedulerService& service);

// --- views (core thread) ---
json::object task_view(const Core& core, const Task& t);
json::object job_view(const Core& core, const Job& j);
// An update's summary (progress counts); `detail` adds per-instance steps and events.
json::object update_view(const Core& core, const Update& u, bool detail);
// "/api/v1/jobs/ROLE/ENV/NAME[/...]" -> the job key (each part validated).
Result<JobKey> key_from_path(const net::HttpRequest& req);
// A poll answer: the commands, and each job version a launch needs, once.
std::string render_commands(const Core& core, const std::vector<const AgentCommand*>& commands);

// Maps a Status to the API's error response (docs/api.md).
net::HttpResponse error_response(const Status& status);

}  // namespace borealis::scheduler
