#include "jobspec/validate_limits.h"

#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "taskcontract/task_spec.h"

namespace borealis::jobspec {

namespace {

constexpr int64_t kMaxCount = taskcontract::kMaxCount;
constexpr double kMaxSeconds = taskcontract::kMaxSeconds;

// Numbers as people write them: "0.0004", "1e+16", "4096".
template <typename T>
std::string shown(T value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

template <typename T>
Status in_range(const std::string& path, T value, T minimum, T maximum) {
  // Written so that NaN fails too.
  if (value >= minimum && value <= maximum) return Status();
  return invalid_argument(path + ": must be between " + shown(minimum) + " and " + shown(maximum) +
                          ", got " + shown(value));
}

Status count(const std::string& path, int64_t value, int64_t minimum = 0) {
  return in_range(path, value, minimum, kMaxCount);
}

Status seconds(const std::string& path, double value, double minimum = 0) {
  return in_range(path, value, minimum, kMaxSeconds);
}
Status seconds(const std::string& path, int64_t value, int64_t minimum = 0) {
  return in_range(path, value, minimum, static_cast<int64_t>(kMaxSeconds));
}

Status text(const std::string& path, std::string_view value, size_t maximum) {
  if (value.size() <= maximum) return Status();
  return invalid_argument(path + ": " + std::to_string(value.size()) +
                          " bytes, more than the limit of " + std::to_string(maximum));
}

Status entries(const std::string& path, size_t n, size_t maximum = kMaxEntries) {
  if (n <= maximum) return Status();
  return invalid_argument(path + ": " + std::to_string(n) + " entries, more than the limit of " +
                          std::to_string(maximum));
}

Status text_map(const std::string& path, const std::map<std::string, std::string>& m,
                size_t max_value = kMaxTextBytes) {
  BOREALIS_RETURN_IF_ERROR(entries(path, m.size()));
  for (const auto& [key, value] : m) {
    BOREALIS_RETURN_IF_ERROR(text(path + " key", key, kMaxNameBytes));
    BOREALIS_RETURN_IF_ERROR(text(path + "." + key, value, max_value));
  }
  return Status();
}

// cpu is counted in whole millicores: finer values would be rounded away silently.
Status cpu(const std::string& path, double value) {
  BOREALIS_RETURN_IF_ERROR(in_range(path, value, kMinCpu, kMaxCpu));
  double milli = value * 1000;
  if (std::fabs(milli - std::round(milli)) > 1e-6)
    return invalid_argument(path + ": must be a multiple of " + shown(kMinCpu) +
                            " (whole millicores), got " + shown(value));
  return Status();
}

Status task_limits(const Task& t) {
  BOREALIS_RETURN_IF_ERROR(text("task.name", t.name, kMaxNameBytes));
  if (t.user) BOREALIS_RETURN_IF_ERROR(text("task.user", *t.user, kMaxNameBytes));
  BOREALIS_RETURN_IF_ERROR(entries("task.constraints", t.constraints.size()));
  for (size_t i = 0; i < t.processes.size(); ++i) {
    const Process& p = t.processes[i];
    std::string path = "task.processes[" + std::to_string(i) + "]";
    BOREALIS_RETURN_IF_ERROR(count(path + ".max_failures", p.max_failures));
    BOREALIS_RETURN_IF_ERROR(seconds(path + ".min_duration", p.min_duration));
    if (p.logger) {
      BOREALIS_RETURN_IF_ERROR(
          text(path + ".logger.destination", p.logger->destination, kMaxNameBytes));
      BOREALIS_RETURN_IF_ERROR(text(path + ".logger.mode", p.logger->mode, kMaxNameBytes));
      if (const auto& rotate = p.logger->rotate) {
        BOREALIS_RETURN_IF_ERROR(in_range(path + ".logger.rotate.log_size", rotate->log_size,
                                          int64_t{0}, kMaxDiskBytes));
        BOREALIS_RETURN_IF_ERROR(count(path + ".logger.rotate.backups", rotate->backups));
      }
    }
  }
  if (t.resources) {
    BOREALIS_RETURN_IF_ERROR(cpu("task.resources.cpu", t.resources->cpu));
    BOREALIS_RETURN_IF_ERROR(
        in_range("task.resources.ram", t.resources->ram, int64_t{1}, kMaxRamBytes));
    BOREALIS_RETURN_IF_ERROR(
        in_range("task.resources.disk", t.resources->disk, int64_t{1}, kMaxDiskBytes));
    BOREALIS_RETURN_IF_ERROR(
        in_range("task.resources.gpu", t.resources->gpu, int64_t{0}, kMaxGpus));
  }
  BOREALIS_RETURN_IF_ERROR(count("task.max_failures", t.max_failures));
  BOREALIS_RETURN_IF_ERROR(count("task.max_concurrency", t.max_concurrency));
  return seconds("task.finalization_wait", t.finalization_wait);
}

Status update_limits(const UpdateConfig& u, const ValidationLimits& limits) {
  const int64_t max_batch = limits.max_instances;
  BOREALIS_RETURN_IF_ERROR(
      in_range("update_config.batch_size", u.batch_size, int64_t{1}, max_batch));
  BOREALIS_RETURN_IF_ERROR(seconds("update_config.watch_secs", u.watch_secs));
  BOREALIS_RETURN_IF_ERROR(count("update_config.max_per_shard_failures", u.max_per_shard_failures));
  BOREALIS_RETURN_IF_ERROR(count("update_config.max_total_failures", u.max_total_failures));
  if (u.pulse_interval_secs)
    BOREALIS_RETURN_IF_ERROR(
        seconds("update_config.pulse_interval_secs", *u.pulse_interval_secs, 1));
  const std::string strategy = "update_config.update_strategy.";
  if (u.queue_strategy)
    BOREALIS_RETURN_IF_ERROR(
        in_range(strategy + "batch_size", u.queue_strategy->batch_size, int64_t{1}, max_batch));
  if (u.batch_strategy)
    BOREALIS_RETURN_IF_ERROR(
        in_range(strategy + "batch_size", u.batch_strategy->batch_size, int64_t{1}, max_batch));
  if (u.variable_batch_strategy) {
    const auto& sizes = u.variable_batch_strategy->batch_sizes;
    BOREALIS_RETURN_IF_ERROR(
        entries(strategy + "batch_sizes", sizes.size(), static_cast<size_t>(max_batch)));
    for (size_t i = 0; i < sizes.size(); ++i)
      BOREALIS_RETURN_IF_ERROR(in_range(strategy + "batch_sizes[" + std::to_string(i) + "]",
                                        sizes[i], int64_t{1}, max_batch));
  }
  return Status();
}

Status health_limits(const JobSpec& job, const ValidationLimits& limits) {
  const HealthCheckConfig& h = job.health_check_config;
  const std::string hc = "health_check_config.";
  BOREALIS_RETURN_IF_ERROR(seconds(hc + "initial_interval_secs", h.initial_interval_secs));
  BOREALIS_RETURN_IF_ERROR(seconds(hc + "interval_secs", h.interval_secs, kMinIntervalSecs));
  BOREALIS_RETURN_IF_ERROR(seconds(hc + "timeout_secs", h.timeout_secs, kMinIntervalSecs));
  BOREALIS_RETURN_IF_ERROR(count(hc + "max_consecutive_failures", h.max_consecutive_failures));
  BOREALIS_RETURN_IF_ERROR(count(hc + "min_consecutive_successes", h.min_consecutive_successes, 1));
  if (const auto& http = h.health_checker.http) {
    const std::string p = hc + "health_checker.http.";
    BOREALIS_RETURN_IF_ERROR(text(p + "endpoint", http->endpoint, kMaxNameBytes));
    BOREALIS_RETURN_IF_ERROR(text(p + "expected_response", http->expected_response, kMaxTextBytes));
    if (http->expected_response_code != 0)
      BOREALIS_RETURN_IF_ERROR(in_range(p + "expected_response_code", http->expected_response_code,
                                        int64_t{100}, int64_t{599}));
  }
  if (const auto& shell = h.health_checker.shell)
    BOREALIS_RETURN_IF_ERROR(text(hc + "health_checker.shell.shell_command", shell->shell_command,
                                  limits.max_cmdline_bytes));
  if (const auto& http = job.lifecycle.http) {
    const std::string p = "lifecycle.http.";
    BOREALIS_RETURN_IF_ERROR(text(p + "port", http->port, kMaxNameBytes));
    BOREALIS_RETURN_IF_ERROR(
        text(p + "graceful_shutdown_endpoint", http->graceful_shutdown_endpoint, kMaxNameBytes));
    BOREALIS_RETURN_IF_ERROR(text(p + "shutdown_endpoint", http->shutdown_endpoint, kMaxNameBytes));
    BOREALIS_RETURN_IF_ERROR(
        seconds(p + "graceful_shutdown_wait_secs", http->graceful_shutdown_wait_secs));
    BOREALIS_RETURN_IF_ERROR(seconds(p + "shutdown_wait_secs", http->shutdown_wait_secs));
  }
  return Status();
}

Status container_limits(const ContainerSpec& c) {
  BOREALIS_RETURN_IF_ERROR(text("container.image", c.docker_image, kMaxNameBytes));
  BOREALIS_RETURN_IF_ERROR(text("container.image.name", c.image_name, kMaxNameBytes));
  BOREALIS_RETURN_IF_ERROR(text("container.image.id", c.image_id, kMaxNameBytes));
  BOREALIS_RETURN_IF_ERROR(text("container.image.tag", c.image_tag, kMaxNameBytes));
  BOREALIS_RETURN_IF_ERROR(entries("container.parameters", c.docker_parameters.size()));
  for (size_t i = 0; i < c.docker_parameters.size(); ++i) {
    std::string path = "container.parameters[" + std::to_string(i) + "]";
    BOREALIS_RETURN_IF_ERROR(text(path + ".name", c.docker_parameters[i].name, kMaxNameBytes));
    BOREALIS_RETURN_IF_ERROR(text(path + ".value", c.docker_parameters[i].value, kMaxTextBytes));
  }
  BOREALIS_RETURN_IF_ERROR(entries("container.volumes", c.volumes.size()));
  for (size_t i = 0; i < c.volumes.size(); ++i) {
    std::string path = "container.volumes[" + std::to_string(i) + "]";
    BOREALIS_RETURN_IF_ERROR(
        text(path + ".container_path", c.volumes[i].container_path, kMaxNameBytes));
    BOREALIS_RETURN_IF_ERROR(text(path + ".host_path", c.volumes[i].host_path, kMaxNameBytes));
    BOREALIS_RETURN_IF_ERROR(text(path + ".mode", c.volumes[i].mode, kMaxNameBytes));
  }
  return Status();
}

Status policy_limits(const JobSpec& job) {
  if (job.partition_policy)
    BOREALIS_RETURN_IF_ERROR(
        seconds("partition_policy.delay_secs", job.partition_policy->delay_secs));
  if (const auto& sla = job.sla_policy) {
    BOREALIS_RETURN_IF_ERROR(
        text("sla_policy.coordinator_url", sla->coordinator_url, kMaxTextBytes));
    BOREALIS_RETURN_IF_ERROR(text("sla_policy.status_key", sla->status_key, kMaxNameBytes));
    BOREALIS_RETURN_IF_ERROR(count("sla_policy.count", sla->count));
    BOREALIS_RETURN_IF_ERROR(in_range("sla_policy.percentage", sla->percentage, 0.0, 100.0));
    BOREALIS_RETURN_IF_ERROR(seconds("sla_policy.duration_secs", sla->duration_secs));
  }
  return Status();
}

Status job_text_limits(const JobSpec& job) {
  if (job.contact) BOREALIS_RETURN_IF_ERROR(text("contact", *job.contact, kMaxNameBytes));
  if (job.tier) BOREALIS_RETURN_IF_ERROR(text("tier", *job.tier, kMaxNameBytes));
  if (job.cron_schedule)
    BOREALIS_RETURN_IF_ERROR(text("cron_schedule", *job.cron_schedule, kMaxNameBytes));
  if (job.constraints)
    BOREALIS_RETURN_IF_ERROR(text_map("constraints", *job.constraints, kMaxNameBytes));
  if (job.task_links) BOREALIS_RETURN_IF_ERROR(text_map("task_links", *job.task_links));
  BOREALIS_RETURN_IF_ERROR(entries("metadata", job.metadata.size()));
  for (size_t i = 0; i < job.metadata.size(); ++i) {
    std::string path = "metadata[" + std::to_string(i) + "]";
    BOREALIS_RETURN_IF_ERROR(text(path + ".key", job.metadata[i].key, kMaxNameBytes));
    BOREALIS_RETURN_IF_ERROR(text(path + ".value", job.metadata[i].value, kMaxTextBytes));
  }
  if (job.announce) {
    BOREALIS_RETURN_IF_ERROR(
        text("announce.primary_port", job.announce->primary_port, kMaxNameBytes));
    BOREALIS_RETURN_IF_ERROR(text_map("announce.portmap", job.announce->portmap, kMaxNameBytes));
    if (job.announce->zk_path)
      BOREALIS_RETURN_IF_ERROR(text("announce.zk_path", *job.announce->zk_path, kMaxNameBytes));
  }
  BOREALIS_RETURN_IF_ERROR(text("executor_config.name", job.executor_config.name, kMaxNameBytes));
  return text("executor_config.data", job.executor_config.data, kMaxTextBytes);
}

}  // namespace

Status validate_limits(const JobSpec& job, const ValidationLimits& limits) {
  BOREALIS_RETURN_IF_ERROR(in_range("instances", job.instances, int64_t{1}, limits.max_instances));
  BOREALIS_RETURN_IF_ERROR(in_range("priority", job.priority, kMinPriority, kMaxPriority));
  BOREALIS_RETURN_IF_ERROR(
      in_range("max_task_failures", job.max_task_failures, int64_t{-1}, kMaxCount));
  BOREALIS_RETURN_IF_ERROR(task_limits(job.task));
  BOREALIS_RETURN_IF_ERROR(update_limits(job.update_config, limits));
  BOREALIS_RETURN_IF_ERROR(health_limits(job, limits));
  if (job.container) BOREALIS_RETURN_IF_ERROR(container_limits(*job.container));
  BOREALIS_RETURN_IF_ERROR(policy_limits(job));
  return job_text_limits(job);
}

}  // namespace borealis::jobspec
