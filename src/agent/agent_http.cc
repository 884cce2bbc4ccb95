#include "agent/agent_http.h"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <memory>
#include <optional>

#include "agent/sandbox_fs.h"
#include "agent/shell_probe.h"
#include "agent/task_run.h"
#include "agent/task_shell.h"
#include "api/json_fields.h"
#include "api/task_run.h"
#include "api/task_shell.h"
#include "common/json.h"
#include "common/log.h"
#include "common/strings.h"
#include "metrics/http_metrics.h"
#include "taskcontract/log_policy.h"

namespace borealis::agent {

namespace {

// stdout, stderr, or a backup of a rotating Logger: stdout.N, stderr.N (N from 1).
bool is_log_stream(std::string_view stream) {
  for (std::string_view base : {"stdout", "stderr"}) {
    if (stream == base) return true;
    if (stream.size() > base.size() + 1 && stream.substr(0, base.size()) == base &&
        stream[base.size()] == '.') {
      auto n = parse_int64(stream.substr(base.size() + 1));
      return n && *n >= 1 && *n <= taskcontract::kMaxRotateBackups;
    }
  }
  return false;
}

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
  o["ports"] = api::int_map_json(m.ports().ports);
  if (!m.ports().primary_endpoint.empty()) o["primary_endpoint"] = m.ports().primary_endpoint;
  if (m.ended()) o["ended_ms"] = m.ended_ms();
  if (m.has_usage()) o["usage"] = api::encode(m.usage());
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

// A read that waits for bytes: nothing from `offset` yet, and `wait_ms` to wait for them.
// Polls the file every kFollowPollMs on the pool's timer (no thread waits), and answers with
// what arrived, or with no data once the wait is over.
constexpr int64_t kFollowPollMs = 100;

struct FollowRead {
  std::shared_ptr<Fd> file;
  int64_t offset = 0;
  int64_t length = 0;
  std::chrono::steady_clock::time_point deadline;
  std::map<std::string, std::string> headers;
  Responder respond;
};

HttpResponse chunk_response(FileChunk chunk, std::map<std::string, std::string> headers) {
  HttpResponse resp;
  resp.status = 200;
  resp.content_type = "application/octet-stream";
  resp.headers = std::move(headers);
  resp.headers["X-Borealis-Offset"] = std::to_string(chunk.offset);
  resp.headers["X-Borealis-File-Size"] = std::to_string(chunk.size);
  resp.body = std::move(chunk.data);
  return resp;
}

void follow_read(boost::asio::thread_pool::executor_type ex, std::shared_ptr<FollowRead> f) {
  auto chunk = read_chunk(*f->file, f->offset, f->length);
  if (!chunk.ok()) return f->respond(error_response(chunk.status()));
  if (!chunk->data.empty() || f->length == 0 || std::chrono::steady_clock::now() >= f->deadline)
    return f->respond(chunk_response(std::move(chunk).value(), std::move(f->headers)));
  auto timer = std::make_shared<boost::asio::steady_timer>(ex);
  timer->expires_after(std::chrono::milliseconds(kFollowPollMs));
  timer->async_wait([ex, f, timer](const boost::system::error_code& ec) {
    if (ec) return;  // the agent is stopping
    follow_read(ex, f);
  });
}

class Routes {
 public:
  Routes(const net::HttpServer& server, const TaskManager& tasks, auth::HttpGuard guard,
         HttpApiOptions options)
      : server_(server), tasks_(tasks), guard_(guard), options_(options), http_(registry_) {}

  const metrics::HttpMetrics& http() const { return http_; }

  // /metrics, /vars, /vars.json: the tasks' figures, then the HTTP ones.
  template <metrics::Exposition kFormat>
  void scrape(const HttpRequest&, Responder respond) {
    std::vector<metrics::Family> families = agent_families(tasks_, options_.offer);
    for (auto part : {registry_.collect(), metrics::http_server_families(server_.counters())})
      for (auto& f : part) families.push_back(std::move(f));
    respond(metrics::exposition_response(kFormat, families));
  }

  void health(const HttpRequest&, Responder respond) { respond(HttpResponse::text(200, "ok")); }

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

  void list(const HttpRequest&, Responder respond) {
    json::array out;
    for (const auto& [id, m] : tasks_.tasks()) out.push_back(task_to_json(*m));
    json::object body{{"tasks", std::move(out)}};
    if (const ArtifactCacheStats* a = tasks_.artifact_stats())
      body["artifact_cache"] = json::object{{"hits", a->hits},
                                            {"misses", a->misses},
                                            {"evictions", a->evictions},
                                            {"bytes", a->bytes},
                                            {"entries", a->entries}};
    respond(HttpResponse::json(200, to_json(body)));
  }

  void one(const HttpRequest& req, Responder respond) {
    auto m = find(req);
    if (!m.ok()) return respond(error_response(m.status()));
    respond(HttpResponse::json(200, to_json(json::object{{"task", task_to_json(**m)}})));
  }

  void files(const HttpRequest& req, Responder respond) {
    auto m = find(req);
    if (!m.ok()) return respond(error_response(m.status()));
    std::string rel = req.param("path");
    auto fd = open_in_sandbox((*m)->sandbox(), rel);
    if (!fd.ok()) return respond(error_response(fd.status()));
    if (!is_directory(*fd)) return read(req, std::move(fd).value(), {}, std::move(respond));
    // Listing a directory reads as many entries as the task made: off the loop too.
    auto dir = std::make_shared<Fd>(std::move(fd).value());
    boost::asio::post(io_pool_, [dir, rel, id = (*m)->task_id(), respond = std::move(respond)] {
      auto listing = list_directory(*dir);
      if (!listing.ok()) return respond(error_response(listing.status()));
      json::array list;
      for (const auto& e : listing->entries)
        list.push_back(json::object{
            {"name", e.name}, {"type", e.type}, {"size", e.size}, {"mtime_ms", e.mtime_ms}});
      json::object out{
          {"task_id", id}, {"path", rel}, {"type", "directory"}, {"entries", std::move(list)}};
      if (listing->truncated) out["truncated"] = true;
      respond(HttpResponse::json(200, to_json(out)));
    });
  }

  void logs(const HttpRequest& req, Responder respond) {
    auto r = open_log(req);
    if (!r.ok()) return respond(error_response(r.status()));
    read(req, std::move(r->first), {{"X-Borealis-Run", std::to_string(r->second)}},
         std::move(respond));
  }

  // Runs a command in the task's work dir as the task's user (api/task_run.h), a bounded
  // number at a time on this agent.
  void run(const HttpRequest& req, Responder respond) {
    auto m = find(req);
    if (!m.ok()) return respond(error_response(m.status()));
    auto request = api::decode_body<api::TaskRunRequest>(req.body);
    if (!request.ok()) return respond(error_response(request.status()));
    if (Status st = api::check_task_run_request(*request); !st.ok())
      return respond(error_response(st));
    const Result<RunAs>& who = (*m)->run_as();
    if (!who.ok())
      return respond(error_response(failed_precondition(
          "task '" + (*m)->task_id() + "': cannot run commands: " + who.status().message())));
    if (*running_commands_ >= kMaxRunningCommands)
      return respond(error_response(unavailable(std::to_string(kMaxRunningCommands) +
                                                " commands already run on this agent; try again")));
    ++*running_commands_;
    start_task_run(
        (*m)->io(), (*m)->task_id(), *request, check_dir((*m)->sandbox()), *who,
        [running = running_commands_, respond = std::move(respond)](Result<api::TaskRunResult> r) {
          --*running;
          if (!r.ok()) return respond(error_response(r.status()));
          respond(HttpResponse::json(200, to_json(api::encode(*r))));
        });
  }

  // Opens an interactive shell in the task's work dir as the task's user (api/task_shell.h):
  // an HTTP Upgrade, a bounded number at a time on this agent, each logged with who asked.
  void shell(const HttpRequest& req, Responder respond) {
    auto m = find(req);
    if (!m.ok()) return respond(error_response(m.status()));
    auto upgrade = req.headers.find("upgrade");
    if (upgrade == req.headers.end() || upgrade->second != api::kTaskShellProtocol)
      return respond(error_response(invalid_argument(
          std::string("a shell needs the header 'Upgrade: ") + api::kTaskShellProtocol + "'")));
    if ((*m)->ended())
      return respond(error_response(
          failed_precondition("task '" + (*m)->task_id() + "' has ended: no shell in it")));
    auto spec = shell_spec(req, **m);
    if (!spec.ok()) return respond(error_response(spec.status()));
    if (*open_shells_ >= api::kTaskShellMaxPerAgent)
      return respond(error_response(unavailable(std::to_string(api::kTaskShellMaxPerAgent) +
                                                " shells already open on this agent; try again")));
    std::string who = "anonymous";
    if (guard_.enabled())
      if (auto id = guard_.authenticate(req); id.ok()) who = (*id)->name;
    std::string what = "shell in task " + (*m)->task_id() + " (role " + (*m)->owner().role +
                       ") for " + who + " from " + req.remote;
    spdlog::info("audit: opening a {} as user '{}'", what, spec->who.name);
    ++*open_shells_;
    HttpResponse resp;
    resp.status = 101;
    resp.content_type = "";
    resp.headers["Upgrade"] = api::kTaskShellProtocol;
    resp.on_upgrade = [&io = (*m)->io(), spec = std::move(spec).value(), &tasks = tasks_,
                       open = open_shells_, what](std::shared_ptr<net::ByteStream> stream) {
      std::string id = spec.task_id;
      auto alive = [&tasks, id] {
        auto it = tasks.tasks().find(id);
        return it != tasks.tasks().end() && !it->second->ended();
      };
      start_task_shell(io, std::move(stream), spec, alive, [open, what](const std::string& end) {
        --*open;
        spdlog::info("audit: closed the {}: {}", what, end);
      });
    };
    respond(std::move(resp));
  }

 private:
  // What a shell request asks for: its terminal's size and type, and the task's user.
  Result<TaskShellSpec> shell_spec(const HttpRequest& req, const TaskMonitor& m) const {
    TaskShellSpec spec;
    spec.task_id = m.task_id();
    spec.work_dir = check_dir(m.sandbox());
    for (auto [name, field] :
         {std::pair{"rows", &spec.size.rows}, std::pair{"cols", &spec.size.cols}}) {
      auto v = int_param(req, name);
      if (!v.ok()) return v.status();
      if (*v)
        *field = static_cast<int>(std::clamp<int64_t>(**v, 0, api::kTaskShellMaxDimension + 1));
    }
    BOREALIS_RETURN_IF_ERROR(api::check_window_size(spec.size));
    spec.term = req.param("term", spec.term);
    BOREALIS_RETURN_IF_ERROR(api::check_term(spec.term));
    const Result<RunAs>& who = m.run_as();
    if (!who.ok())
      return failed_precondition("task '" + m.task_id() +
                                 "': cannot open a shell: " + who.status().message());
    spec.who = *who;
    return spec;
  }

  // The log file a logs request names, and its run.
  Result<std::pair<Fd, int64_t>> open_log(const HttpRequest& req) const {
    auto m = find(req);
    if (!m.ok()) return m.status();
    std::string process = net::path_segments(req.path).at(5);
    if (process.empty() || process == "." || process == ".." ||
        process.find('/') != std::string::npos)
      return invalid_argument("bad process name '" + process + "'");
    std::string stream = req.param("stream", "stdout");
    if (!is_log_stream(stream))
      return invalid_argument("query parameter 'stream': expected stdout or stderr, or a " +
                              std::string("rotated one (stdout.1, ...), got '") + stream + "'");
    auto run = int_param(req, "run");
    if (!run.ok()) return run.status();
    std::string runs_dir = ".logs/" + process;
    int64_t n = 0;
    if (*run) {
      n = **run;
    } else {
      auto dir = open_in_sandbox((*m)->sandbox(), runs_dir);
      if (!dir.ok())
        return dir.status().code() == StatusCode::kNotFound
                   ? not_found("no logs for process '" + process + "'")
                   : dir.status();
      // .logs/ is the runner's (the task cannot add entries), so this stays small.
      auto listing = list_directory(*dir);
      if (!listing.ok()) return listing.status();
      n = -1;
      for (const auto& e : listing->entries)
        if (auto v = parse_int64(e.name); v && *v > n) n = *v;
      if (n < 0) return not_found("process '" + process + "' has no runs yet");
    }
    auto fd = open_in_sandbox((*m)->sandbox(), runs_dir + "/" + std::to_string(n) + "/" + stream);
    if (!fd.ok()) return fd.status();
    if (is_directory(*fd)) return not_found(stream + " is a directory");
    return std::make_pair(std::move(fd).value(), n);
  }

  Result<const TaskMonitor*> find(const HttpRequest& req) const {
    std::string id = net::path_segments(req.path).at(3);
    auto it = tasks_.tasks().find(id);
    if (it == tasks_.tasks().end()) return not_found("no task '" + id + "' on this agent");
    return it->second.get();
  }

  // Answers with at most max_read_bytes of `fd`. The bytes are read on io_pool_, never
  // on the loop thread the routes run on (it also runs every task's monitor). With
  // `wait_ms` and nothing from `offset` yet, it waits up to that long for bytes (a long
  // poll: followers ask again as soon as they got an answer).
  void read(const HttpRequest& req, Fd fd, std::map<std::string, std::string> headers,
            Responder respond) {
    auto offset = int_param(req, "offset");
    if (!offset.ok()) return respond(error_response(offset.status()));
    auto length = int_param(req, "length");
    if (!length.ok()) return respond(error_response(length.status()));
    auto wait_ms = int_param(req, "wait_ms");
    if (!wait_ms.ok()) return respond(error_response(wait_ms.status()));
    int64_t len = length->value_or(options_.default_read_bytes);
    if (len < 0)
      return respond(error_response(invalid_argument("query parameter 'length': negative")));
    int64_t wait = wait_ms->value_or(0);
    if (wait < 0 || wait > kMaxFollowWaitMs)
      return respond(error_response(invalid_argument("query parameter 'wait_ms': expected 0 to " +
                                                     std::to_string(kMaxFollowWaitMs) + ", got " +
                                                     std::to_string(wait))));
    auto f = std::make_shared<FollowRead>();
    f->file = std::make_shared<Fd>(std::move(fd));
    f->offset = offset->value_or(0);
    f->length = std::min(len, options_.max_read_bytes);
    f->deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait);
    f->headers = std::move(headers);
    f->respond = std::move(respond);
    boost::asio::post(io_pool_, [ex = io_pool_.get_executor(), f] { follow_read(ex, f); });
  }

  // Commands that may run at once on this agent (each is a process of a task's user).
  static constexpr int kMaxRunningCommands = 16;

  const net::HttpServer& server_;
  const TaskManager& tasks_;
  // Shared with the runs' and shells' callbacks, which may end after the routes.
  std::shared_ptr<int> running_commands_ = std::make_shared<int>(0);
  std::shared_ptr<int> open_shells_ = std::make_shared<int>(0);
  auth::HttpGuard guard_;
  HttpApiOptions options_;
  metrics::Registry registry_;
  metrics::HttpMetrics http_;
  // Reads file bytes and directory entries. Its jobs own their descriptors and touch
  // nothing else (never tasks_), so they may outlive a request's task.
  boost::asio::thread_pool io_pool_{1};
};

struct AgentRoute {
  AgentRouteAccess access;
  void (Routes::*run)(const HttpRequest&, Responder);
};

using auth::AccessKind;
const AgentRoute kRoutes[] = {
    {{"GET", "/health", AccessKind::kRead, AgentScope::kOpen}, &Routes::health},
    {{"GET", "/api/v1/tasks", AccessKind::kRead, AgentScope::kAgent}, &Routes::list},
    {{"GET", "/api/v1/tasks/*", AccessKind::kRead, AgentScope::kTask}, &Routes::one},
    {{"GET", "/api/v1/tasks/*/files", AccessKind::kTaskData, AgentScope::kTask}, &Routes::files},
    {{"GET", "/api/v1/tasks/*/logs/*", AccessKind::kTaskData, AgentScope::kTask}, &Routes::logs},
    // A command in the sandbox acts as the task: write access, like a restart or a kill.
    {{"POST", "/api/v1/tasks/*/run", AccessKind::kWrite, AgentScope::kTask}, &Routes::run},
    // So does a shell in it (an HTTP Upgrade to api::kTaskShellProtocol).
    {{"POST", "/api/v1/tasks/*/shell", AccessKind::kWrite, AgentScope::kTask}, &Routes::shell},
    // Read like the task list: any identity (docs/metrics.md), Prometheus with its token.
    {{"GET", "/metrics", AccessKind::kRead, AgentScope::kAgent},
     &Routes::scrape<metrics::Exposition::kPrometheus>},
    {{"GET", "/vars", AccessKind::kRead, AgentScope::kAgent},
     &Routes::scrape<metrics::Exposition::kVars>},
    {{"GET", "/vars.json", AccessKind::kRead, AgentScope::kAgent},
     &Routes::scrape<metrics::Exposition::kVarsJson>},
};

}  // namespace

std::vector<AgentRouteAccess> agent_api_routes() {
  std::vector<AgentRouteAccess> out;
  for (const AgentRoute& r : kRoutes) out.push_back(r.access);
  return out;
}

void add_agent_routes(net::HttpServer& server, const TaskManager& tasks, auth::HttpGuard guard,
                      HttpApiOptions options) {
  auto routes = std::make_shared<Routes>(server, tasks, guard, options);
  for (const AgentRoute& route : kRoutes)
    server.route(route.access.method, route.access.path,
                 [routes, &route](const HttpRequest& req, Responder respond) {
                   // Counted by route pattern (bounded), refusals included.
                   respond = routes->http().timed(route.access.path, route.access.method,
                                                  std::move(respond));
                   auto refused = routes->refuse(route.access, req);
                   if (refused) return respond(std::move(*refused));
                   ((*routes).*route.run)(req, std::move(respond));
                 });
}

}  // namespace borealis::agent
