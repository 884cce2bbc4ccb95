// The agent protocol (docs/internals/agent-protocol.md): register, poll, updates.
#include "scheduler/server/endpoints.h"
#include "scheduler/server/scheduler_service.h"

namespace borealis::scheduler {

namespace {

using net::HttpRequest;
using net::HttpResponse;
using net::Responder;

Result<json::object> body_object(const HttpRequest& req) {
  auto doc = parse_json(req.body);
  if (!doc.ok()) return doc.status();
  if (!doc->is_object()) return invalid_argument("expected a JSON object");
  return doc->get_object();
}

Result<std::vector<ReportedTask>> read_reported(FieldReader& r) {
  std::vector<ReportedTask> out;
  Status st = r.array_of_objects("tasks", [&](FieldReader& t, size_t) {
    ReportedTask rt;
    std::string state;
    BOREALIS_RETURN_IF_ERROR(t.get("task_id", &rt.task_id, true));
    BOREALIS_RETURN_IF_ERROR(t.get("state", &state, true));
    auto s = parse_task_state(state);
    if (!s) return t.error("state", "unknown task state '" + state + "'");
    rt.state = *s;
    out.push_back(std::move(rt));
    return Status();
  });
  if (!st.ok()) return st;
  return out;
}

void do_register(SchedulerService& svc, const HttpRequest& req, Responder respond) {
  auto obj = body_object(req);
  if (!obj.ok()) return respond(error_response(obj.status()));
  FieldReader r(*obj, "");
  AgentRegistration reg;
  double cpu = 0;
  Status st = r.get("agent_id", &reg.agent_id);
  if (st.ok()) st = r.get("hostname", &reg.hostname, true);
  if (st.ok()) st = r.get("address", &reg.address);
  if (st.ok()) st = r.get("attributes", &reg.attributes);
  if (st.ok())
    st = r.object(
        "resources",
        [&](FieldReader& res) {
          BOREALIS_RETURN_IF_ERROR(res.get("cpu", &cpu, true));
          BOREALIS_RETURN_IF_ERROR(res.get("ram", &reg.resources.ram, true));
          BOREALIS_RETURN_IF_ERROR(res.get("disk", &reg.resources.disk, true));
          return res.get("gpu", &reg.resources.gpu);
        },
        true);
  reg.resources.cpu_milli = static_cast<int64_t>(cpu * 1000);
  if (st.ok()) {
    if (const json::value* ports = r.raw("ports")) {
      if (!ports->is_array()) st = r.error("ports", "expected a list of [lo, hi]");
      for (size_t i = 0; st.ok() && ports && i < ports->get_array().size(); ++i) {
        const auto& p = ports->get_array()[i];
        if (!p.is_array() || p.get_array().size() != 2 || !p.get_array()[0].is_int64() ||
            !p.get_array()[1].is_int64()) {
          st = r.error("ports", "expected a list of [lo, hi]");
          break;
        }
        int64_t lo = p.get_array()[0].get_int64(), hi = p.get_array()[1].get_int64();
        if (lo < 1 || hi > 65535 || lo > hi) {
          st = r.error("ports", "bad range " + std::to_string(lo) + "-" + std::to_string(hi));
          break;
        }
        reg.port_ranges.emplace_back(static_cast<uint16_t>(lo), static_cast<uint16_t>(hi));
      }
    }
  }
  if (st.ok()) {
    auto tasks = read_reported(r);
    if (!tasks.ok())
      st = tasks.status();
    else
      reg.tasks = std::move(tasks).value();
  }
  if (st.ok()) st = r.finish();
  if (!st.ok()) return respond(error_response(st));
  svc.on_core([&svc, reg = std::move(reg), respond](Core& core) mutable {
    auto id = core.register_agent(std::move(reg), svc.now());
    if (!id.ok()) return respond(error_response(id.status()));
    std::string body = json::serialize(json::object{
        {"agent_id", *id},
        {"poll_timeout_ms", svc.options().poll_timeout_ms},
        {"agent_timeout_ms", static_cast<int64_t>(svc.options().agent_timeout_secs) * 1000}});
    svc.when_durable([respond, body](const Status& st) {
      respond(st.ok() ? HttpResponse::json(200, body) : error_response(st));
    });
  });
}

void do_poll(SchedulerService& svc, const HttpRequest& req, Responder respond) {
  auto obj = body_object(req);
  if (!obj.ok()) return respond(error_response(obj.status()));
  FieldReader r(*obj, "");
  std::string agent_id;
  int64_t acked = 0;
  Status st = r.get("agent_id", &agent_id, true);
  if (st.ok()) st = r.get("acked_command_seq", &acked);
  std::optional<std::vector<ReportedTask>> tasks;
  if (st.ok() && r.has("tasks")) {
    auto t = read_reported(r);
    if (!t.ok())
      st = t.status();
    else
      tasks = std::move(t).value();
  }
  r.ignore("tasks");
  if (st.ok()) st = r.finish();
  if (!st.ok()) return respond(error_response(st));
  svc.on_core([&svc, agent_id, acked, tasks = std::move(tasks), respond](Core& core) mutable {
    Status polled = core.agent_poll(agent_id, static_cast<uint64_t>(acked), tasks, svc.now());
    if (!polled.ok()) return respond(error_response(polled));
    svc.park_poll(agent_id, std::move(respond));
  });
}

void do_updates(SchedulerService& svc, const HttpRequest& req, Responder respond) {
  auto obj = body_object(req);
  if (!obj.ok()) return respond(error_response(obj.status()));
  FieldReader r(*obj, "");
  std::string agent_id;
  std::vector<StatusUpdate> updates;
  int64_t max_seq = 0;
  Status st = r.get("agent_id", &agent_id, true);
  if (st.ok())
    st = r.array_of_objects(
        "updates",
        [&](FieldReader& u, size_t) {
          StatusUpdate su;
          std::string state;
          int64_t seq = 0, ts = 0;
          std::vector<std::string> ignored_pids;
          BOREALIS_RETURN_IF_ERROR(u.get("seq", &seq, true));
          BOREALIS_RETURN_IF_ERROR(u.get("task_id", &su.task_id, true));
          BOREALIS_RETURN_IF_ERROR(u.get("state", &state, true));
          BOREALIS_RETURN_IF_ERROR(u.get("ts_ms", &ts));
          BOREALIS_RETURN_IF_ERROR(u.get("message", &su.message));
          u.ignore("pids");
          auto s = parse_task_state(state);
          if (!s) return u.error("state", "unknown task state '" + state + "'");
          su.state = *s;
          max_seq = std::max(max_seq, seq);
          updates.push_back(std::move(su));
          return Status();
        },
        true);
  if (st.ok()) st = r.finish();
  if (!st.ok()) return respond(error_response(st));
  svc.on_core([&svc, agent_id, updates = std::move(updates), max_seq, respond](Core& core) {
    auto unwanted = core.apply_updates(agent_id, updates, svc.now());
    if (!unwanted.ok()) return respond(error_response(unwanted.status()));
    json::array kill(unwanted->begin(), unwanted->end());
    std::string body =
        json::serialize(json::object{{"acked_seq", max_seq}, {"kill", std::move(kill)}});
    svc.when_durable([respond, body](const Status& st) {
      respond(st.ok() ? HttpResponse::json(200, body) : error_response(st));
    });
  });
}

}  // namespace

void register_agent_routes(net::HttpServer& server, SchedulerService& svc) {
  server.route("POST", "/agent/v1/register",
               [&svc](const HttpRequest& q, Responder r) { do_register(svc, q, std::move(r)); });
  server.route("POST", "/agent/v1/poll",
               [&svc](const HttpRequest& q, Responder r) { do_poll(svc, q, std::move(r)); });
  server.route("POST", "/agent/v1/updates",
               [&svc](const HttpRequest& q, Responder r) { do_updates(svc, q, std::move(r)); });
}

}  // namespace borealis::scheduler
