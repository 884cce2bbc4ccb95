// The agent protocol (docs/internals/agent-protocol.md): register, poll, updates. Bodies
// are read and written with src/protocol; this file converts them to the core's types.
#include "common/log.h"
#include "protocol/messages.h"
#include "scheduler/server/endpoints.h"
#include "scheduler/server/scheduler_service.h"

namespace borealis::scheduler {

namespace {

using net::HttpRequest;
using net::HttpResponse;
using net::Responder;

// Every state an agent reports is one of the core's.
TaskState core_state(protocol::TaskState s) {
  auto state = parse_task_state(protocol::task_state_name(s));
  BOREALIS_CHECK(state.has_value(), "a protocol task state the core does not know");
  return *state;
}

std::vector<ReportedTask> reported(const std::vector<protocol::TaskReport>& tasks) {
  std::vector<ReportedTask> out;
  for (const auto& t : tasks) out.push_back({t.task_id, core_state(t.state)});
  return out;
}

AgentRegistration registration_of(protocol::RegisterRequest req) {
  AgentRegistration reg;
  reg.agent_id = std::move(req.agent_id);
  reg.hostname = std::move(req.hostname);
  reg.address = std::move(req.address);
  reg.attributes = std::move(req.attributes);
  reg.resources.cpu_milli = static_cast<int64_t>(req.resources.cpu * 1000);
  reg.resources.ram = req.resources.ram;
  reg.resources.disk = req.resources.disk;
  reg.resources.gpu = req.resources.gpu;
  for (const auto& p : req.ports)
    reg.port_ranges.emplace_back(static_cast<uint16_t>(p.lo), static_cast<uint16_t>(p.hi));
  reg.tasks = reported(req.tasks);
  return reg;
}

// Answers `body` once the core's changes are durable.
void answer_when_durable(SchedulerService& svc, Responder respond, std::string body) {
  svc.when_durable([respond, body = std::move(body)](const Status& st) {
    respond(st.ok() ? HttpResponse::json(200, body) : error_response(st));
  });
}

void do_register(SchedulerService& svc, const HttpRequest& req, Responder respond) {
  auto request = api::decode_body<protocol::RegisterRequest>(req.body);
  if (!request.ok()) return respond(error_response(request.status()));
  svc.on_core([&svc, reg = registration_of(std::move(request).value()),
               respond](Core& core) mutable {
    auto id = core.register_agent(std::move(reg), svc.now(), svc.mono_now());
    if (!id.ok()) return respond(error_response(id.status()));
    protocol::RegisterAnswer answer{*id, svc.options().poll_timeout_ms,
                                    static_cast<int64_t>(svc.options().agent_timeout_secs) * 1000};
    answer_when_durable(svc, respond, json::serialize(protocol::encode(answer)));
  });
}

void do_poll(SchedulerService& svc, const HttpRequest& req, Responder respond) {
  auto request = api::decode_body<protocol::PollRequest>(req.body);
  if (!request.ok()) return respond(error_response(request.status()));
  std::optional<std::vector<ReportedTask>> tasks;
  if (request->tasks) tasks = reported(*request->tasks);
  svc.on_core([&svc, agent_id = request->agent_id, acked = request->acked_command_seq,
               tasks = std::move(tasks), reports = std::move(request->tasks),
               respond](Core& core) mutable {
    Status polled =
        core.agent_poll(agent_id, static_cast<uint64_t>(acked), tasks, svc.now(), svc.mono_now());
    if (!polled.ok()) return respond(error_response(polled));
    if (reports) svc.usage_board().reported(agent_id, *reports);
    svc.park_poll(agent_id, std::move(respond));
  });
}

// Updates that do not decode are acknowledged with the rest and named in the answer's
// `rejected`, so one bad update never makes the agent resend its whole batch.
void do_updates(SchedulerService& svc, const HttpRequest& req, Responder respond) {
  auto body = parse_json(req.body);
  if (!body.ok()) return respond(error_response(body.status()));
  auto received = protocol::decode_received_updates(*body);
  if (!received.ok()) return respond(error_response(received.status()));
  protocol::UpdatesRequest& request = received->request;
  std::vector<StatusUpdate> updates;
  int64_t max_seq = 0;
  for (auto& u : request.updates) {
    updates.push_back({std::move(u.task_id), core_state(u.state), std::move(u.message)});
    max_seq = std::max(max_seq, u.seq);
  }
  for (const auto& r : received->rejected) {
    spdlog::warn("agent {}: status update seq {} refused: {}", request.agent_id, r.seq, r.error);
    max_seq = std::max(max_seq, r.seq);
  }
  if (!request.dropped_seqs.empty())
    spdlog::warn("agent {} dropped {} status update(s) this scheduler refused, first seq {}",
                 request.agent_id, request.dropped_seqs.size(), request.dropped_seqs.front());
  svc.on_core([&svc, agent_id = request.agent_id, updates = std::move(updates), max_seq,
               rejected = std::move(received->rejected), respond](Core& core) mutable {
    auto unwanted = core.apply_updates(agent_id, updates, svc.now(), svc.mono_now());
    if (!unwanted.ok()) return respond(error_response(unwanted.status()));
    protocol::UpdatesAnswer answer{max_seq, std::move(unwanted).value(), std::move(rejected)};
    answer_when_durable(svc, respond, json::serialize(protocol::encode(answer)));
  });
}

}  // namespace

namespace {

constexpr RouteAccess kAgent{auth::AccessKind::kAgent, Scope::kAgentHost};
const ServiceRoute kAgentRoutes[] = {
    {"POST", "/agent/v1/register", kAgent, do_register},
    {"POST", "/agent/v1/poll", kAgent, do_poll},
    {"POST", "/agent/v1/updates", kAgent, do_updates},
};

}  // namespace

std::span<const ServiceRoute> agent_routes() { return kAgentRoutes; }

}  // namespace borealis::scheduler
