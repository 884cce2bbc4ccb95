// JSON views of scheduler state for the API and the agent protocol (core thread).
#include "common/strings.h"
#include "scheduler/core/job_summary.h"
#include "scheduler/server/endpoints.h"

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
