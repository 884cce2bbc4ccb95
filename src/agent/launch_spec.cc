#include "agent/launch_spec.h"

#include "common/task_id.h"
#include "jobspec/job_spec_json.h"

namespace borealis::agent {

Status validate_task_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxTaskIdBytes)
    return invalid_argument("task id must have 1 to " + std::to_string(kMaxTaskIdBytes) +
                            " characters, got " + std::to_string(id.size()));
  if (id == "." || id == "..")
    return invalid_argument("task id '" + std::string(id) + "' is a path");
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok)
      return invalid_argument("task id '" + std::string(id) +
                              "' has a character outside [A-Za-z0-9._-]");
  }
  return Status();
}

json::object task_json(const LaunchCommand& launch, const jobspec::JobSpec& job,
                       const std::string& hostname, const std::string& user,
                       const std::optional<jobspec::Logger>& default_logger) {
  jobspec::Task task = job.task;
  if (default_logger)
    for (jobspec::Process& p : task.processes)
      if (!p.logger) p.logger = default_logger;
  json::object ports;
  for (const auto& [name, port] : launch.ports) ports[name] = port;
  return json::object{{"task_id", launch.task_id}, {"instance", launch.instance},
                      {"hostname", hostname},      {"cluster", job.cluster},
                      {"role", job.role},          {"environment", job.environment},
                      {"job", job.name},           {"user", user},
                      {"ports", std::move(ports)}, {"task", jobspec::task_to_json(task)}};
}

int64_t finalization_wait_secs(const json::value& task_json, int64_t fallback) {
  if (!task_json.is_object()) return fallback;
  const auto* task = task_json.get_object().if_contains("task");
  if (!task || !task->is_object()) return fallback;
  const auto* wait = task->get_object().if_contains("finalization_wait");
  if (!wait || !wait->is_int64() || wait->get_int64() < 0) return fallback;
  return wait->get_int64();
}

}  // namespace borealis::agent
