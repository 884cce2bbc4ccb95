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

HttpResponse error_response(const Status& st) {
  switch (st.code()) {
    case StatusCode::kInvalidArgument:
      return HttpResponse::error(400, "INVALID_ARGUMENT", st.message());
    case StatusCode::kPermissionDenied:
      return HttpResponse::error(403, "PERMISSION_DENIED", st.message());
    case StatusCode::kNotFound:
      return HttpResponse::error(404, "NOT_FOUND", st.message());
    default:
      return HttpResponse::error(500, std::string(status_code_name(st.code())), st.message());
  }
}

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
  Routes(const TaskManager& tasks, HttpApiOptions options) : tasks_(tasks), options_(options) {}

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
  HttpApiOptions options_;
};

}  // namespace

void add_agent_routes(net::HttpServer& server, const TaskManager& tasks, HttpApiOptions options) {
  auto routes = std::make_shared<Routes>(tasks, options);
  auto get = [&server, routes](const char* pattern,
                               HttpResponse (Routes::*fn)(const HttpRequest&) const) {
    server.route("GET", pattern,
                 [routes, fn](const HttpRequest& req, Responder r) { r(((*routes).*fn)(req)); });
  };
  server.route("GET", "/health",
               [](const HttpRequest&, Responder r) { r(HttpResponse::text(200, "ok")); });
  get("/api/v1/tasks", &Routes::list);
  get("/api/v1/tasks/*", &Routes::one);
  get("/api/v1/tasks/*/files", &Routes::files);
  get("/api/v1/tasks/*/logs/*", &Routes::logs);
}

}  // namespace borealis::agent
