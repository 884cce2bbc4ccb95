// JSON views of scheduler state for the API and the agent protocol (core thread).
#include "common/strings.h"
#include "scheduler/core/job_summary.h"
#include "scheduler/server/endpoints.h"
#include "spec/job_spec_json.h"

namespace borealis::scheduler {

json::object task_view(const Core& core, const Task& t) {
  json::object ports;
  for (const auto& [name, port] : t.ports) ports[name] = port;
  json::array events;
  for (const auto& e : t.events)
    events.push_back(json::object{
        {"ts_ms", e.ts_ms}, {"status", task_state_name(e.state)}, {"message", e.message}});
  const Agent* agent = t.agent >= 0 ? &core.agents()[t.agent] : nullptr;
  std::string message = t.state == TaskState::kPending ? t.pending_reason : t.last_event().message;
  return json::object{{"instance_id", t.instance},          {"task_id", t.id},
                      {"status", task_state_name(t.state)}, {"host", agent ? agent->hostname : ""},
                      {"agent_id", agent ? agent->id : ""}, {"ports", std::move(ports)},
                      {"failure_count", t.failure_count},   {"message", message},
                      {"config_id", t.config->id},          {"events", std::move(events)}};
}

json::object job_view(const Core& core, const Job& j) {
  JobSummary s = summarize(j);
  json::object counts;
  for (const auto& [state, n] : s.state_counts) counts[state] = n;
  int64_t wanted = 0;
  for (const auto& [_, inst] : j.instances)
    if (!inst.killed) ++wanted;
  json::object o{{"key", core.options().cluster + "/" + j.key_string},
                 {"role", j.key.role},
                 {"environment", j.key.environment},
                 {"name", j.key.name},
                 {"instances", wanted},
                 {"service", j.config->spec.service},
                 {"state_counts", std::move(counts)},
                 {"status", s.status},
                 {"active_tasks", s.active_tasks},
                 {"created_ms", j.created_ms},
                 {"config_id", j.config->id}};
  if (j.config->spec.cron_schedule) o["cron_schedule"] = *j.config->spec.cron_schedule;
  return o;
}

std::string render_commands(const Core& core, const std::vector<const AgentCommand*>& commands) {
  json::array out;
  std::vector<const JobConfig*> configs;
  for (const AgentCommand* c : commands) {
    if (c->type == AgentCommand::Type::kKill) {
      out.push_back(json::object{
          {"seq", c->seq}, {"type", "kill"}, {"task_id", c->task_id}, {"reason", c->reason}});
      continue;
    }
    const Task* t = core.find_task(c->task_id);
    if (!t) continue;  // forgotten since: the agent will be told to kill it if it runs
    json::object ports;
    for (const auto& [name, port] : t->ports) ports[name] = port;
    out.push_back(json::object{{"seq", c->seq},
                               {"type", "launch"},
                               {"task_id", t->id},
                               {"instance", t->instance},
                               {"config_id", t->config->id},
                               {"ports", std::move(ports)}});
    bool seen = false;
    for (const JobConfig* k : configs) seen = seen || k == t->config.get();
    if (!seen) configs.push_back(t->config.get());
  }
  // The stored JSON of each version is spliced in as is: no re-serialisation per poll.
  std::string body = "{\"commands\":" + json::serialize(out) + ",\"configs\":{";
  for (size_t i = 0; i < configs.size(); ++i) {
    if (i) body += ',';
    append_json_string(body, configs[i]->id);
    body += ':';
    body += configs[i]->spec_json;
  }
  body += "}}";
  return body;
}

net::HttpResponse error_response(const Status& status) {
  int code = 500;
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
      code = 400;
      break;
    case StatusCode::kNotFound:
      code = 404;
      break;
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
      code = 409;
      break;
    case StatusCode::kResourceExhausted:
      code = 413;
      break;
    case StatusCode::kPermissionDenied:
      code = 403;
      break;
    case StatusCode::kUnavailable:
    case StatusCode::kIoError:
      code = 503;
      break;
    default:
      code = 500;
  }
  return net::HttpResponse::error(code, status_code_name(status.code()), status.message());
}

}  // namespace borealis::scheduler

namespace borealis::scheduler {

namespace {
const char* phase_name(UpdateStep::Phase p) {
  switch (p) {
    case UpdateStep::Phase::kWaiting:
      return "WAITING";
    case UpdateStep::Phase::kKilling:
      return "KILLING_OLD";
    case UpdateStep::Phase::kStarting:
      return "STARTING";
    case UpdateStep::Phase::kWatching:
      return "WATCHING";
    case UpdateStep::Phase::kSucceeded:
      return "SUCCEEDED";
    case UpdateStep::Phase::kFailed:
      return "FAILED";
  }
  return "?";
}
}  // namespace

json::object update_view(const Core& core, const Update& u, bool detail) {
  const auto& steps = u.steps();
  int64_t done = 0, failed = 0, in_flight = 0;
  for (const auto& s : steps) {
    done += s.phase == UpdateStep::Phase::kSucceeded;
    failed += s.phase == UpdateStep::Phase::kFailed;
    in_flight += s.in_flight();
  }
  json::object o{{"update_id", u.id},
                 {"job", core.options().cluster + "/" + u.job->key_string},
                 {"status", update_status_name(u.status)},
                 {"active", is_update_active(u.status)},
                 {"rolling_back", u.rollback_started},
                 {"restart", u.restart},
                 {"created_ms", u.created_ms},
                 {"updated_ms", u.updated_ms},
                 {"message", u.message},
                 {"instances_total", static_cast<int64_t>(steps.size())},
                 {"instances_done", done},
                 {"instances_failed", failed},
                 {"instances_in_flight", in_flight},
                 {"failed_instances", u.failed_instances},
                 {"batch", u.batch_number},
                 {"config_id", u.new_config->id},
                 {"settings", spec::update_config_to_json(u.settings)}};
  if (!u.events.empty())
    o["last_event"] = u.events.back().kind +
                      (u.events.back().message.empty() ? "" : ": " + u.events.back().message);
  if (!detail) return o;
  auto steps_json = [](const std::vector<UpdateStep>& list) {
    json::array out;
    for (const auto& s : list)
      out.push_back(json::object{{"instance", s.instance},
                                 {"phase", phase_name(s.phase)},
                                 {"failures", s.failures},
                                 {"task_id", s.task_id},
                                 {"from_config", s.from ? s.from->id : ""},
                                 {"to_config", s.to ? s.to->id : ""}});
    return out;
  };
  o["forward"] = steps_json(u.forward);
  o["rollback"] = steps_json(u.rollback);
  json::array events;
  for (const auto& e : u.events) {
    json::object ev{{"ts_ms", e.ts_ms}, {"kind", e.kind}, {"message", e.message}};
    if (e.instance >= 0) ev["instance"] = e.instance;
    events.push_back(std::move(ev));
  }
  o["events"] = std::move(events);
  return o;
}

}  // namespace borealis::scheduler
