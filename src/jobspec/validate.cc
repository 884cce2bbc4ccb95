#include "jobspec/validate.h"

#include <set>
#include <vector>

#include "common/strings.h"
#include "common/task_id.h"
#include "jobspec/artifacts.h"
#include "jobspec/ports.h"
#include "jobspec/validate_limits.h"
#include "taskcontract/json_lite.h"
#include "taskcontract/log_policy.h"
#include "taskcontract/process_rules.h"
#include "taskcontract/runtime_refs.h"
#include "taskcontract/task_spec.h"

namespace borealis::jobspec {

namespace {

Status field_error(const std::string& path, const std::string& message) {
  return invalid_argument(path + ": " + message);
}

bool valid_environment(std::string_view env) {
  if (env == "prod" || env == "devel" || env == "test") return true;
  if (!starts_with(env, "staging")) return false;
  for (char c : env.substr(7))
    if (c < '0' || c > '9') return false;
  return true;
}

// Process names become directory names under .logs/: the scheduler allows only
// identifier characters, and check_processes adds the runner's rules (no leading '.').
Status validate_process(const std::string& path, const Process& p, const ValidationLimits& limits) {
  BOREALIS_RETURN_IF_ERROR(
      validate_identifier("process name", p.name).with_context(path + ".name"));
  if (trim(p.cmdline).empty()) return field_error(path + ".cmdline", "must not be empty");
  if (p.cmdline.size() > limits.max_cmdline_bytes)
    return field_error(path + ".cmdline",
                       "longer than " + std::to_string(limits.max_cmdline_bytes) + " bytes");
  BOREALIS_RETURN_IF_ERROR(
      taskcontract::check_runtime_references(p.cmdline).with_context(path + ".cmdline"));
  if (p.logger) {
    const RotatePolicy rotate = p.logger->rotate.value_or(RotatePolicy{});
    auto policy = taskcontract::make_log_policy(p.logger->destination, p.logger->mode,
                                                rotate.log_size, rotate.backups);
    if (!policy.ok()) return invalid_argument(path + ".logger." + policy.status().message());
  }
  return Status();
}

// The runner refuses a task.json over taskcontract::kMaxTaskJsonBytes. What can make it
// large is the text a job chooses (names, cmdlines, loggers, the ports its cmdlines name),
// so that, JSON-quoted, plus an allowance for the fields of fixed size must fit.
Status validate_task_json_size(const JobSpec& job) {
  constexpr size_t kLaunchAllowance = 64 * 1024;  // job key, task id, host, resources, ...
  constexpr size_t kProcessAllowance = 1024;      // a process's keys, numbers and flags
  auto quoted = [](std::string_view text) { return taskcontract::json::quoted_size(text); };
  const Task& t = job.task;
  size_t bytes = kLaunchAllowance + quoted(t.name) + quoted(t.user.value_or(""));
  for (const Process& p : t.processes) {
    bytes += kProcessAllowance + quoted(p.name) + quoted(p.cmdline);
    if (p.logger) bytes += quoted(p.logger->destination) + quoted(p.logger->mode);
  }
  for (const OrderConstraint& c : t.constraints) {
    bytes += 16;
    for (const std::string& name : c.order) bytes += quoted(name) + 1;
  }
  for (const std::string& port : requested_ports(job)) bytes += quoted(port) + 8;
  if (bytes > taskcontract::kMaxTaskJsonBytes)
    return field_error("task", "its task.json would take up to " + std::to_string(bytes) +
                                   " bytes, more than the runner accepts (" +
                                   std::to_string(taskcontract::kMaxTaskJsonBytes) +
                                   "); shorten the cmdlines or use fewer processes");
  return Status();
}

// The process rules the runner applies to task.json (taskcontract/process_rules.h).
Status validate_process_graph(const Task& task) {
  std::vector<taskcontract::ProcessView> processes;
  processes.reserve(task.processes.size());
  for (const Process& p : task.processes)
    processes.push_back({p.name, p.daemon, p.ephemeral, p.final});
  std::vector<taskcontract::OrderView> orders;
  orders.reserve(task.constraints.size());
  for (const OrderConstraint& c : task.constraints) orders.emplace_back(c.order);
  return taskcontract::check_processes(processes, orders);
}

Status validate_task(const JobSpec& job, const ValidationLimits& limits) {
  const Task& t = job.task;
  if (t.processes.empty())
    return field_error("task.processes", "a task needs at least one process");
  if (static_cast<int64_t>(t.processes.size()) > limits.max_processes)
    return field_error("task.processes",
                       "more than " + std::to_string(limits.max_processes) + " processes");
  for (size_t i = 0; i < t.processes.size(); ++i)
    BOREALIS_RETURN_IF_ERROR(
        validate_process("task.processes[" + std::to_string(i) + "]", t.processes[i], limits));
  BOREALIS_RETURN_IF_ERROR(validate_process_graph(t));
  BOREALIS_RETURN_IF_ERROR(validate_task_json_size(job));
  if (!t.resources) return field_error("task.resources", "is required");
  return validate_artifacts(t);
}

Status validate_update(const JobSpec& job) {
  const UpdateConfig& u = job.update_config;
  if (u.max_total_failures >= job.instances)
    return field_error("update_config.max_total_failures",
                       "must be less than the number of instances (" +
                           std::to_string(job.instances) + "), got " +
                           std::to_string(u.max_total_failures));
  int strategies =
      (u.queue_strategy ? 1 : 0) + (u.batch_strategy ? 1 : 0) + (u.variable_batch_strategy ? 1 : 0);
  if (strategies > 1)
    return field_error("update_config.update_strategy", "set at most one strategy");
  if (u.variable_batch_strategy && u.variable_batch_strategy->batch_sizes.empty())
    return field_error("update_config.update_strategy.batch_sizes", "must not be empty");
  return Status();
}

Status validate_health(const JobSpec& job) {
  const HealthCheckConfig& h = job.health_check_config;
  if (h.health_checker.shell && trim(h.health_checker.shell->shell_command).empty())
    return field_error("health_check_config.health_checker.shell.shell_command",
                       "must not be empty");
  return Status();
}

Status validate_constraints(const JobSpec& job) {
  if (!job.constraints) return Status();
  for (const auto& [attr, value] : *job.constraints) {
    std::string path = "constraints." + attr;
    if (attr.empty()) return field_error("constraints", "attribute name must not be empty");
    if (starts_with(value, "limit:")) {
      auto n = parse_int64(value.substr(6));
      if (!n || *n < 1)
        return field_error(path, "'" + value + "' is not a valid limit; use limit:N with N >= 1");
    } else if (value.empty() || value == "!") {
      return field_error(path, "needs a value, a list 'a,b', a negation '!a' or 'limit:N'");
    }
  }
  return Status();
}

}  // namespace

Status validate_job_spec(const JobSpec& job, const ValidationLimits& limits) {
  BOREALIS_RETURN_IF_ERROR(validate_identifier("cluster", job.cluster));
  BOREALIS_RETURN_IF_ERROR(validate_identifier("role", job.role));
  BOREALIS_RETURN_IF_ERROR(validate_identifier("environment", job.environment));
  BOREALIS_RETURN_IF_ERROR(validate_identifier("name", job.name));
  BOREALIS_RETURN_IF_ERROR(check_task_ids_fit(JobKey{job.role, job.environment, job.name}));
  if (!valid_environment(job.environment))
    return field_error("environment",
                       "'" + job.environment + "' must be prod, devel, test or staging<N>");
  BOREALIS_RETURN_IF_ERROR(validate_task(job, limits));
  BOREALIS_RETURN_IF_ERROR(validate_limits(job, limits));
  if (job.cron_schedule && job.service)
    return field_error("cron_schedule", "a service cannot have a cron schedule (service=True)");
  if (job.cron_collision_policy == "RUN_OVERLAP")
    return field_error("cron_collision_policy",
                       "RUN_OVERLAP is not supported: Aurora deprecated it (and ignores a fire "
                       "while the previous run is active); use KILL_EXISTING or CANCEL_NEW");
  static const std::set<std::string> kPolicies = {"KILL_EXISTING", "CANCEL_NEW"};
  if (!kPolicies.contains(job.cron_collision_policy))
    return field_error("cron_collision_policy",
                       "'" + job.cron_collision_policy + "' must be KILL_EXISTING or CANCEL_NEW");
  BOREALIS_RETURN_IF_ERROR(validate_update(job));
  BOREALIS_RETURN_IF_ERROR(validate_health(job));
  BOREALIS_RETURN_IF_ERROR(validate_constraints(job));
  for (size_t i = 0; i < job.metadata.size(); ++i)
    if (job.metadata[i].key.empty())
      return field_error("metadata[" + std::to_string(i) + "].key", "must not be empty");
  if (job.announce) {
    std::set<std::string> ports = requested_ports(job);
    const auto& a = *job.announce;
    BOREALIS_RETURN_IF_ERROR(check_portmap(a.portmap));
    if (!ports.contains(a.primary_port) && !a.portmap.contains(a.primary_port))
      return field_error("announce.primary_port",
                         "'" + a.primary_port +
                             "' is not a port any process uses ({{thermos.ports[" + a.primary_port +
                             "]}}) nor one in the portmap");
  }
  if (job.container && job.container->kind != ContainerSpec::Kind::kMesos &&
      job.container->docker_image.empty())
    return field_error("container.image", "must not be empty");
  return Status();
}

}  // namespace borealis::jobspec
