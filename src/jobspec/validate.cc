#include "jobspec/validate.h"

#include <set>
#include <vector>

#include "common/strings.h"
#include "common/task_id.h"
#include "taskcontract/json_lite.h"
#include "taskcontract/process_rules.h"
#include "taskcontract/runtime_refs.h"
#include "taskcontract/task_spec.h"

namespace borealis::jobspec {

namespace {

Status field_error(const std::string& path, const std::string& message) {
  return invalid_argument(path + ": " + message);
}

template <typename T>
Status require_at_least(const std::string& path, T value, T minimum) {
  if (value < minimum)
    return field_error(
        path, "must be at least " + std::to_string(minimum) + ", got " + std::to_string(value));
  return Status();
}

// The ranges task.json accepts (taskcontract/task_spec.h).
constexpr int64_t kMaxCount = taskcontract::kMaxCount;
constexpr int64_t kMaxSeconds = static_cast<int64_t>(taskcontract::kMaxSeconds);

Status require_in_range(const std::string& path, int64_t value, int64_t minimum, int64_t maximum) {
  BOREALIS_RETURN_IF_ERROR(require_at_least(path, value, minimum));
  if (value > maximum)
    return field_error(
        path, "must be at most " + std::to_string(maximum) + ", got " + std::to_string(value));
  return Status();
}

Status require_positive(const std::string& path, double value) {
  if (!(value > 0)) {
    std::string v = std::to_string(value);
    return field_error(path, "must be greater than 0, got " + v);
  }
  return Status();
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
  BOREALIS_RETURN_IF_ERROR(require_in_range(path + ".max_failures", p.max_failures, 0, kMaxCount));
  BOREALIS_RETURN_IF_ERROR(
      require_in_range(path + ".min_duration", p.min_duration, 0, kMaxSeconds));
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
  BOREALIS_RETURN_IF_ERROR(require_positive("task.resources.cpu", t.resources->cpu));
  if (t.resources->ram <= 0)
    return field_error("task.resources.ram",
                       "must be greater than 0 bytes, got " + std::to_string(t.resources->ram));
  if (t.resources->disk <= 0)
    return field_error("task.resources.disk",
                       "must be greater than 0 bytes, got " + std::to_string(t.resources->disk));
  BOREALIS_RETURN_IF_ERROR(require_at_least<int64_t>("task.resources.gpu", t.resources->gpu, 0));
  BOREALIS_RETURN_IF_ERROR(require_in_range("task.max_failures", t.max_failures, 0, kMaxCount));
  BOREALIS_RETURN_IF_ERROR(
      require_in_range("task.max_concurrency", t.max_concurrency, 0, kMaxCount));
  BOREALIS_RETURN_IF_ERROR(
      require_in_range("task.finalization_wait", t.finalization_wait, 0, kMaxSeconds));
  return Status();
}

Status validate_update(const JobSpec& job) {
  const UpdateConfig& u = job.update_config;
  BOREALIS_RETURN_IF_ERROR(require_at_least<int64_t>("update_config.batch_size", u.batch_size, 1));
  BOREALIS_RETURN_IF_ERROR(require_at_least<int64_t>("update_config.watch_secs", u.watch_secs, 0));
  BOREALIS_RETURN_IF_ERROR(require_at_least<int64_t>("update_config.max_per_shard_failures",
                                                     u.max_per_shard_failures, 0));
  BOREALIS_RETURN_IF_ERROR(
      require_at_least<int64_t>("update_config.max_total_failures", u.max_total_failures, 0));
  if (u.max_total_failures >= job.instances)
    return field_error("update_config.max_total_failures",
                       "must be less than the number of instances (" +
                           std::to_string(job.instances) + "), got " +
                           std::to_string(u.max_total_failures));
  if (u.pulse_interval_secs && *u.pulse_interval_secs <= 0)
    return field_error("update_config.pulse_interval_secs", "must be greater than 0");
  int strategies =
      (u.queue_strategy ? 1 : 0) + (u.batch_strategy ? 1 : 0) + (u.variable_batch_strategy ? 1 : 0);
  if (strategies > 1)
    return field_error("update_config.update_strategy", "set at most one strategy");
  if (u.queue_strategy)
    BOREALIS_RETURN_IF_ERROR(require_at_least<int64_t>("update_config.update_strategy.batch_size",
                                                       u.queue_strategy->batch_size, 1));
  if (u.batch_strategy)
    BOREALIS_RETURN_IF_ERROR(require_at_least<int64_t>("update_config.update_strategy.batch_size",
                                                       u.batch_strategy->batch_size, 1));
  if (u.variable_batch_strategy) {
    const auto& sizes = u.variable_batch_strategy->batch_sizes;
    if (sizes.empty())
      return field_error("update_config.update_strategy.batch_sizes", "must not be empty");
    for (size_t i = 0; i < sizes.size(); ++i)
      BOREALIS_RETURN_IF_ERROR(require_at_least<int64_t>(
          "update_config.update_strategy.batch_sizes[" + std::to_string(i) + "]", sizes[i], 1));
  }
  return Status();
}

Status validate_health(const JobSpec& job) {
  const HealthCheckConfig& h = job.health_check_config;
  BOREALIS_RETURN_IF_ERROR(require_positive("health_check_config.interval_secs", h.interval_secs));
  BOREALIS_RETURN_IF_ERROR(require_positive("health_check_config.timeout_secs", h.timeout_secs));
  if (h.initial_interval_secs < 0)
    return field_error("health_check_config.initial_interval_secs", "must not be negative");
  BOREALIS_RETURN_IF_ERROR(require_at_least<int64_t>("health_check_config.max_consecutive_failures",
                                                     h.max_consecutive_failures, 0));
  BOREALIS_RETURN_IF_ERROR(require_at_least<int64_t>(
      "health_check_config.min_consecutive_successes", h.min_consecutive_successes, 1));
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
  if (job.instances < 1)
    return field_error("instances", "must be at least 1, got " + std::to_string(job.instances));
  if (job.instances > limits.max_instances)
    return field_error("instances", std::to_string(job.instances) + " is more than the limit of " +
                                        std::to_string(limits.max_instances));
  BOREALIS_RETURN_IF_ERROR(validate_task(job, limits));
  if (job.max_task_failures < -1)
    return field_error("max_task_failures", "must be -1 (unlimited) or at least 0");
  if (job.cron_schedule && job.service)
    return field_error("cron_schedule", "a service cannot have a cron schedule (service=True)");
  static const std::set<std::string> kPolicies = {"KILL_EXISTING", "CANCEL_NEW", "RUN_OVERLAP"};
  if (!kPolicies.contains(job.cron_collision_policy))
    return field_error("cron_collision_policy", "'" + job.cron_collision_policy +
                                                    "' must be KILL_EXISTING, CANCEL_NEW or "
                                                    "RUN_OVERLAP");
  BOREALIS_RETURN_IF_ERROR(validate_update(job));
  BOREALIS_RETURN_IF_ERROR(validate_health(job));
  BOREALIS_RETURN_IF_ERROR(validate_constraints(job));
  for (size_t i = 0; i < job.metadata.size(); ++i)
    if (job.metadata[i].key.empty())
      return field_error("metadata[" + std::to_string(i) + "].key", "must not be empty");
  if (job.announce) {
    std::set<std::string> ports = requested_ports(job);
    const auto& a = *job.announce;
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
