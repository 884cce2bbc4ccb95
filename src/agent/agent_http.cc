#include "agent/agent_http.h"

#include <optional>

#include "agent/sandbox_fs.h"
#include "common/json.h"
#include "common/strings.h"

namespace borealis::agent {

namespace {

using net::HttpRequest;
using net::HttpResponse;
using net::Responder;

HttpResponse error_response(const Status& st) { return auth::error_answer(st); }

json::object task_to_json(const TaskMonitor& m) {
  json::array pids;
  for (int64_t p : m.pids()) pids.push_back(p);
  json::array procs;
  for (const auto& [name, p] : m.progress().processes()) {
    json::object o{{"name", name}, {"run", p.run}, {"state", p.state}};
    if (p.pid > 0) o["pid"] = p.pid;
    if (p.exit_code) o["exit_code"] = *p.exit_code;
    if (p.signal) o["signal"] = *p.signal;
    procs.push_back(std::move(o));
  }
  json::object o{{"task_id", m.task_id()},  {"state", task_state_name(m.state())},
                 {"message", m.message()},  {"runner_pid", m.runner_pid()},
                 {"pids", std::move(pids)}, {"processes", std::move(procs)},
                 {"sandbox", m.sandbox()},  {"killing", m.killing()}};
  if (m.ended()) o["ended_ms"] = m.ended_ms();
  if (m.health_checked()) {
    HealthView v = m.checker() ? m.checker()->view() : HealthView{};
    json::object h{{"status", health_name(v.health)},
                   {"checks", v.checks},
                   {"consecutive_failures", v.consecutive_failures},
                   {"consecutive_successes", v.consecutive_successes},
                   {"snoozed", v.snoozed},
                   {"last_result", v.last_result},
                   {"last_check_ms", v.last_check_ms}};
    if (m.checker()) h["check"] = m.checker()->target();
    if (!v.reason.empty()) h["reason"] = v.reason;
    o["health"] = std::move(h);
  }
  return o;
}

// The optional integer query parameter `name`.
Result<std::optional<int64_t>> int_param(const HttpRequest& req, const char* name) {
  auto it = req.query.find(name);
  if (it == req.query.end() || it->second.empty()) return std::optional<int64_t>();
  auto v = parse_int64(it->second);
  if (!v)
    return invalid_argument(std::string("query parameter '") + name + "': expected an " +
                            "integer, got '" + it->second + "'");
  return std::optional<int64_t>(*v);
}

class Routes {
 public:
  Routes(const TaskManager& tasks, auth::HttpGuard guard, HttpApiOptions options)
      : tasks_(tasks), guard_(guard), options_(options) {}

  HttpResponse health(const HttpRequest&) const { return HttpResponse::text(200, "ok"); }

  // Authenticates and authorizes the request for a route declaring `access`; the answer
  // to send instead of running the route, or nullopt to run it.
  std::optional<HttpResponse> refuse(const AgentRouteAccess& access, const HttpRequest& req) const {
    if (access.scope == AgentScope::kOpen || !guard_.enabled()) return std::nullopt;
    auto who = guard_.authenticate(req);
    if (!who.ok()) return error_response(who.status());
    auth::Access need{access.kind, "", "", ""};
    if (access.scope == AgentScope::kTask) {
      auto m = find(req);
      if (!m.ok()) return error_response(m.status());
      const TaskOwner& owner = (*m)->owner();
      if (owner.role.empty() && !(*who)->admin && access.kind != auth::AccessKind::kRead)
        return error_response(permission_denied("the role of task '" + (*m)->task_id() +
                                                "' is unknown on this agent: admins only"));
      need.role = owner.role;
      need.environment = owner.environment;
    }
    if (Status st = guard_.authorize(*who, need); !st.ok()) return error_response(st);
    return std::nullopt;
  }

  HttpResponse list(const HttpRequest&) const {
    json::array out;
    for (const auto& [id, m] : tasks_.tasks()) out.push_back(task_to_json(*m));
    return HttpResponse::json(200, to_json(json::object{{"tasks", std::move(out)}}));
  }

  HttpResponse one(const HttpRequest& req) const {
    auto m = find(req);
    if (!m.ok()) return error_response(m.status());
    return HttpResponse::json(200, to_json(json::object{{"task", task_to_json(**m)}}));
  }

  HttpResponse files(const HttpRequest& req) const {
    auto m = find(req);
    if (!m.ok()) return error_response(m.status());
    std::string rel = req.param("path");
    auto fd = open_in_sandbox((*m)->sandbox(), rel);
    if (!fd.ok()) return error_response(fd.status());
    if (is_directory(*fd)) {
      auto entries = list_directory(*fd);
      if (!entries.ok()) return error_response(entries.status());
      json::array list;
      for (const auto& e : *entries)
        list.push_back(json::object{
            {"name", e.name}, {"type", e.type}, {"size", e.size}, {"mtime_ms", e.mtime_ms}});
      return HttpResponse::json(200, to_json(json::object{{"task_id", (*m)->task_id()},
                                                          {"path", rel},
                                                          {"type", "directory"},
                                                          {"entries", std::move(list)}}));
    }
    return read(req, *fd);
  }

  HttpResponse logs(const HttpRequest& req) const {
    auto m = find(req);
    if (!m.ok()) return error_response(m.status());
    std::string process = net::path_segments(req.path).at(5);
    if (process.empty() || process == "." || process == ".." ||
        process.find('/') != std::string::npos)
      return error_response(invalid_argument("bad process name '" + process + "'"));
    std::string stream = req.param("stream", "stdout");
    if (stream != "stdout" && stream != "stderr")
      return error_response(invalid_argument("query parameter 'stream': expected stdout or " +
                                             std::string("stderr, got '") + stream + "'"));
    auto run = int_param(req, "run");
    if (!run.ok()) return error_response(run.status());
    std::string runs_dir = ".logs/" + process;
    int64_t n = 0;
    if (*run) {
      n = **run;
    } else {
      auto dir = open_in_sandbox((*m)->sandbox(), runs_dir);
      if (!dir.ok())
        return error_response(dir.status().code() == StatusCode::kNotFound
                                  ? not_found("no logs for process '" + process + "'")
                                  : dir.status());
      auto entries = list_directory(*dir);
      if (!entries.ok()) return error_response(entries.status());
      n = -1;
      for (const auto& e : *entries)
        if (auto v = parse_int64(e.name); v && *v > n) n = *v;
      if (n < 0) return error_response(not_found("process '" + process + "' has no runs yet"));
    }
    auto fd = open_in_sandbox((*m)->sandbox(), runs_dir + "/" + std::to_string(n) + "/" + stream);
    if (!fd.ok()) return error_response(fd.status());
    if (is_directory(*fd)) return error_response(not_found(stream + " is a directory"));
    HttpResponse resp = read(req, *fd);
    resp.headers["X-Borealis-Run"] = std::to_string(n);
    return resp;
  }

 private:
  Result<const TaskMonitor*> find(const HttpRequest& req) const {
    std::string id = net::path_segments(req.path).at(3);
    auto it = tasks_.tasks().find(id);
    if (it == tasks_.tasks().end()) return not_found("no task '" + id + "' on this agent");
    return it->second.get();
  }

  HttpResponse read(const HttpRequest& req, const Fd& fd) const {
    auto offset = int_param(req, "offset");
    if (!offset.ok()) return error_response(offset.status());
    auto length = int_param(req, "length");
    if (!length.ok()) return error_response(length.status());
    int64_t len = length->value_or(options_.default_read_bytes);
    if (len < 0) return error_response(invalid_argument("query parameter 'length': negative"));
    len = std::min(len, options_.max_read_bytes);
    auto chunk = read_chunk(fd, offset->value_or(0), len);
    if (!chunk.ok()) return error_response(chunk.status());
    HttpResponse resp;
    resp.status = 200;
    resp.content_type = "application/octet-stream";
    resp.headers["X-Borealis-Offset"] = std::to_string(chunk->offset);
    resp.headers["X-Borealis-File-Size"] = std::to_string(chunk->size);
    resp.body = std::move(chunk->data);
    return resp;
  }

  const TaskManager& tasks_;
  auth::HttpGuard guard_;
  HttpApiOptions options_;
};

struct AgentRoute {
  AgentRouteAccess access;
  HttpResponse (Routes::*run)(const HttpRequest&) const;
};

using auth::AccessKind;
const AgentRoute kRoutes[] = {
    {{"GET", "/health", AccessKind::kRead, AgentScope::kOpen}, &Routes::health},
    {{"GET", "/api/v1/tasks", AccessKind::kRead, AgentScope::kAgent}, &Routes::list},
    {{"GET", "/api/v1/tasks/*", AccessKind::kRead, AgentScope::kTask}, &Routes::one},
    {{"GET", "/api/v1/tasks/*/files", AccessKind::kTaskData, AgentScope::kTask}, &Routes::files},
    {{"GET", "/api/v1/tasks/*/logs/*", AccessKind::kTaskData, AgentScope::kTask}, &Routes::logs},
};

}  // namespace

std::vector<AgentRouteAccess> agent_api_routes() {
  std::vector<AgentRouteAccess> out;
  for (const AgentRoute& r : kRoutes) out.push_back(r.access);
  return out;
}

void add_agent_routes(net::HttpServer& server, const TaskManager& tasks, auth::HttpGuard guard,
                      HttpApiOptions options) {
  auto routes = std::make_shared<Routes>(tasks, guard, options);
  for (const AgentRoute& route : kRoutes)
    server.route(route.access.method, route.access.path,
                 [routes, &route](const HttpRequest& req, Responder respond) {
                   auto refused = routes->refuse(route.access, req);
                   respond(refused ? std::move(*refused) : ((*routes).*route.run)(req));
                 });
}

}  // namespace borealis::agent
