// JSON views of scheduler state for the API and the agent protocol (core thread).
#include <array>

#include "api/serverset.h"
#include "auth/http_guard.h"
#include "common/enum_names.h"
#include "common/strings.h"
#include "jobspec/job_spec_json.h"
#include "jobspec/ports.h"
#include "protocol/messages.h"
#include "scheduler/core/job_summary.h"
#include "scheduler/server/endpoints.h"

namespace borealis::scheduler {

namespace {
// Every name the task binds: the ports it holds plus their aliases (jobspec/ports.h).
std::map<std::string, int64_t> task_ports(const Task& t) {
  return jobspec::task_port_map(t.config->ports, t.port_map());
}
}  // namespace

api::TaskInfo task_view(const Core& core, const Task& t, const TaskUsageBoard* usage) {
  api::TaskInfo v;
  v.instance_id = t.instance;
  v.task_id = t.id;
  v.status = task_state_name(t.state);
  if (t.agent >= 0) {
    const Agent& agent = core.agents()[t.agent];
    v.host = agent.hostname;
    v.agent_id = agent.id;
    if (const protocol::TaskUsage* u = usage ? usage->find(agent.id, t.id) : nullptr) v.usage = *u;
  }
  v.ports = task_ports(t);
  if (t.agent >= 0 && t.config->spec.announce) {
    auto member =
        api::serverset_member(v.host, v.ports, t.config->spec.announce->primary_port, t.instance);
    v.primary_endpoint = api::endpoint_text(member.service_endpoint);
  }
  v.failure_count = t.failure_count;
  v.message = t.state == TaskState::kPending ? t.pending_reason() : t.last_event().message();
  v.config_id = t.config->id;
  for (const auto& e : t.events)
    v.events.push_back({e.ts_ms, std::string(task_state_name(e.state)), e.message()});
  return v;
}

std::optional<api::Discovery> discovery_view(const Core& core, const Job& j) {
  api::Discovery d{j.key_string, {}};
  bool announced = j.config->spec.announce.has_value();
  for (const auto& [_, inst] : j.instances) {
    const Task* t = inst.active;
    // An instance mid-update may run a version whose announce differs from the job's.
    if (!t || t->state != TaskState::kRunning || t->agent < 0 || !t->config->spec.announce)
      continue;
    announced = true;
    d.members.push_back(api::serverset_member(core.agents()[t->agent].hostname, task_ports(*t),
                                              t->config->spec.announce->primary_port, t->instance));
  }
  if (!announced) return std::nullopt;
  return d;
}

api::JobSummary job_view(const Core& core, const Job& j) {
  JobSummary s = summarize(j);
  api::JobSummary v;
  v.key = core.options().cluster + "/" + j.key_string;
  v.role = j.key.role;
  v.environment = j.key.environment;
  v.name = j.key.name;
  for (const auto& [_, inst] : j.instances)
    if (!inst.killed) ++v.instances;
  v.service = j.config->spec.service;
  v.state_counts.insert(s.state_counts.begin(), s.state_counts.end());
  v.status = s.status;
  v.active_tasks = s.active_tasks;
  v.created_ms = j.created_ms;
  v.created_by = j.created_by;
  v.config_id = j.config->id;
  v.cron_schedule = j.config->spec.cron_schedule;
  return v;
}

std::string render_commands(const Core& core, const std::vector<const AgentCommand*>& commands) {
  std::vector<protocol::Command> out;
  std::vector<const JobConfig*> configs;
  for (const AgentCommand* c : commands) {
    if (c->type == AgentCommand::Type::kKill) {
      out.push_back({static_cast<int64_t>(c->seq), "kill", {}, c->task_id, c->reason});
      continue;
    }
    const Task* t = core.find_task(c->task_id);
    if (!t) continue;  // forgotten since: the agent will be told to kill it if it runs
    protocol::LaunchCommand launch{t->id, t->instance, t->config->id, {}};
    launch.ports = task_ports(*t);
    out.push_back({static_cast<int64_t>(c->seq), "launch", std::move(launch), t->id, ""});
    bool seen = false;
    for (const JobConfig* k : configs) seen = seen || k == t->config.get();
    if (!seen) configs.push_back(t->config.get());
  }
  // The stored JSON of each version is spliced in as is: no re-serialisation per poll.
  std::vector<std::pair<std::string, std::string_view>> spliced;
  for (const JobConfig* k : configs) spliced.emplace_back(k->id, k->spec_json);
  return protocol::poll_answer_body(out, spliced);
}

net::HttpResponse error_response(const Status& status) { return auth::error_answer(status); }

}  // namespace borealis::scheduler

namespace borealis::scheduler {

namespace {
// Indexed by UpdateStep::Phase.
constexpr std::array<std::string_view, 6> kPhaseNames = {"WAITING",  "KILLING_OLD", "STARTING",
                                                         "WATCHING", "SUCCEEDED",   "FAILED"};

std::string_view phase_name(UpdateStep::Phase p) { return enum_name(kPhaseNames, p); }
}  // namespace

api::UpdateSummary update_summary_view(const Core& core, const Update& u) {
  api::UpdateSummary v;
  v.update_id = u.id;
  v.job = core.options().cluster + "/" + u.job->key_string;
  v.status = update_status_name(u.status);
  v.active = is_update_active(u.status);
  v.rolling_back = u.rollback_started;
  v.restart = u.restart;
  v.created_ms = u.created_ms;
  v.updated_ms = u.updated_ms;
  v.message = u.message;
  v.user = u.user;
  const auto& steps = u.steps();
  v.instances_total = static_cast<int64_t>(steps.size());
  for (const auto& s : steps) {
    v.instances_done += s.phase == UpdateStep::Phase::kSucceeded;
    v.instances_failed += s.phase == UpdateStep::Phase::kFailed;
    v.instances_in_flight += s.in_flight();
  }
  v.failed_instances = u.failed_instances;
  v.batch = u.batch_number;
  v.config_id = u.new_config->id;
  v.settings = jobspec::update_config_to_json(u.settings);
  if (!u.events.empty())
    v.last_event = u.events.back().kind +
                   (u.events.back().message.empty() ? "" : ": " + u.events.back().message);
  return v;
}

api::UpdateDetail update_detail_view(const Core& core, const Update& u) {
  auto steps = [](const std::vector<UpdateStep>& list) {
    std::vector<api::UpdateStep> out;
    for (const auto& s : list)
      out.push_back({s.instance, std::string(phase_name(s.phase)), s.failures, s.task_id,
                     s.from ? s.from->id : "", s.to ? s.to->id : ""});
    return out;
  };
  api::UpdateDetail d{update_summary_view(core, u), steps(u.forward), steps(u.rollback), {}};
  for (const auto& e : u.events) d.events.push_back({e.ts_ms, e.kind, e.instance, e.message});
  return d;
}

}  // namespace borealis::scheduler
