#include "agent/health_spec.h"

#include <cmath>

#include "common/beneath.h"
#include "common/json.h"
#include "jobspec/job_spec_json.h"
#include "taskcontract/sandbox_layout.h"
#include "taskcontract/task_spec.h"
#include "template/template.h"

namespace borealis::agent {

namespace {

std::string interpolate_command(const std::string& command, const TaskFacts& facts) {
  auto out = tmpl::interpolate(command, tmpl::map_resolver(taskcontract::runtime_bindings(facts)));
  // An unbound reference stays in the text: the check then fails and says what it ran.
  return out.ok() ? out->text : command;
}

TimeMs secs_to_ms(double secs) { return static_cast<TimeMs>(std::llround(secs * 1000.0)); }

}  // namespace

HealthSpec resolve_health_spec(const jobspec::JobSpec& job, const TaskFacts& facts) {
  HealthSpec out;
  out.user = facts.user;
  out.role = job.role;
  const jobspec::HealthCheckConfig& hc = job.health_check_config;
  out.policy.initial_interval_secs = hc.initial_interval_secs;
  out.policy.interval_secs = hc.interval_secs;
  out.policy.timeout_secs = hc.timeout_secs;
  out.policy.max_consecutive_failures = hc.max_consecutive_failures;
  out.policy.min_consecutive_successes = hc.min_consecutive_successes;

  if (hc.health_checker.shell) {
    out.shell = ShellCheck{interpolate_command(hc.health_checker.shell->shell_command, facts)};
  } else if (hc.health_checker.http) {
    auto port = facts.ports.find("health");
    if (port == facts.ports.end()) port = facts.ports.find("http");
    if (port != facts.ports.end()) {
      const jobspec::HttpHealthChecker& h = *hc.health_checker.http;
      out.http = HttpCheck{port->second, h.endpoint, h.expected_response, h.expected_response_code};
    }
  }

  if (job.lifecycle.http) {
    const jobspec::HttpLifecycleConfig& l = *job.lifecycle.http;
    if (auto port = facts.ports.find(l.port); port != facts.ports.end())
      out.lifecycle = LifecycleSpec{port->second, l.graceful_shutdown_endpoint, l.shutdown_endpoint,
                                    secs_to_ms(l.graceful_shutdown_wait_secs),
                                    secs_to_ms(l.shutdown_wait_secs)};
  }
  return out;
}

Result<jobspec::JobSpec> load_job_spec(const std::string& sandbox) {
  std::string job_path = sandbox + "/" + taskcontract::kJobJsonPath;
  BOREALIS_ASSIGN_OR_RETURN(std::string job_text,
                            read_beneath(sandbox, taskcontract::kJobJsonPath, kMaxJobFileBytes));
  BOREALIS_ASSIGN_OR_RETURN(json::value job_json, parse_json(job_text));
  auto job = jobspec::job_spec_from_json(job_json);
  if (!job.ok()) return invalid_argument(job_path + ": " + job.status().message());
  return job;
}

Result<LaunchedTask> load_launched_task(const std::string& sandbox) {
  BOREALIS_ASSIGN_OR_RETURN(jobspec::JobSpec job, load_job_spec(sandbox));
  std::string task_path = sandbox + "/" + taskcontract::kTaskJsonPath;
  BOREALIS_ASSIGN_OR_RETURN(
      std::string task_text,
      read_beneath(sandbox, taskcontract::kTaskJsonPath, taskcontract::kMaxTaskJsonBytes));
  BOREALIS_ASSIGN_OR_RETURN(json::value task_json, parse_json(task_text));
  if (!task_json.is_object()) return invalid_argument(task_path + ": expected an object");
  const json::object& t = task_json.get_object();
  TaskFacts facts;
  if (const auto* v = t.if_contains("task_id"); v && v->is_string())
    facts.task_id = std::string(v->get_string());
  if (const auto* v = t.if_contains("instance"); v && v->is_int64())
    facts.instance = v->get_int64();
  if (const auto* v = t.if_contains("hostname"); v && v->is_string())
    facts.hostname = std::string(v->get_string());
  if (const auto* v = t.if_contains("user"); v && v->is_string())
    facts.user = std::string(v->get_string());
  if (const auto* v = t.if_contains("ports"); v && v->is_object())
    for (const auto& [name, port] : v->get_object())
      if (port.is_int64()) facts.ports[std::string(name)] = port.get_int64();
  return LaunchedTask{std::move(job), std::move(facts)};
}

Result<HealthSpec> load_health_spec(const std::string& sandbox) {
  auto launched = load_launched_task(sandbox);
  if (!launched.ok() && launched.status().code() == StatusCode::kNotFound) return HealthSpec{};
  if (!launched.ok()) return launched.status();
  return resolve_health_spec(launched->job, launched->facts);
}

}  // namespace borealis::agent
