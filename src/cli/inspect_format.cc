#include "cli/inspect_format.h"

#include <algorithm>

#include "cli/output.h"
#include "cli/update_format.h"
#include "common/strings.h"

namespace borealis::cli {

namespace {

// "  name:         value\n", values aligned.
class Fields {
 public:
  explicit Fields(std::string* out) : out_(out) {}
  void add(const std::string& name, const std::string& value) {
    *out_ += "  " + name + ":" + std::string(name.size() < 15 ? 15 - name.size() : 1, ' ') + value +
             "\n";
  }

 private:
  std::string* out_;
};

std::string yes_no(bool b) { return b ? "yes" : "no"; }

std::string resources_text(const jobspec::Resources& r) {
  std::string s = "cpu " + format_number(r.cpu) + ", ram " + format_bytes(r.ram) + ", disk " +
                  format_bytes(r.disk);
  if (r.gpu > 0) s += ", gpu " + std::to_string(r.gpu);
  return s;
}

std::string map_text(const std::map<std::string, std::string>& m) {
  std::vector<std::string> parts;
  for (const auto& [k, v] : m) parts.push_back(k + "=" + v);
  return join(parts, ", ");
}

bool has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

std::string health_text(const jobspec::HealthCheckConfig& h,
                        const std::vector<std::string>& ports) {
  std::string how;
  if (h.health_checker.shell) {
    how = "shell '" + h.health_checker.shell->shell_command + "'";
  } else if (h.health_checker.http) {
    // The agent checks over the 'health' port, else 'http'; with neither there is no check.
    std::string port = has(ports, "health") ? "health" : has(ports, "http") ? "http" : "";
    if (port.empty()) return "none (an http check needs a 'health' or 'http' port)";
    const auto& http = *h.health_checker.http;
    how = "http " + http.endpoint + " on port '" + port + "' expecting " +
          (http.expected_response_code > 0 ? "status " + std::to_string(http.expected_response_code)
                                           : "'" + http.expected_response + "'");
  } else {
    return "none";
  }
  return how + ", every " + format_number(h.interval_secs) + "s, failures ignored for the first " +
         format_number(h.initial_interval_secs) + "s, timeout " + format_number(h.timeout_secs) +
         "s, unhealthy after " + std::to_string(h.max_consecutive_failures + 1) +
         " failure(s), healthy after " + std::to_string(h.min_consecutive_successes) +
         " success(es)";
}

std::string container_text(const jobspec::ContainerSpec& c) {
  if (c.kind != jobspec::ContainerSpec::Kind::kMesos) {
    std::string s = "Docker image '" + c.docker_image + "'";
    for (const auto& p : c.docker_parameters) s += ", --" + p.name + "=" + p.value;
    return s;
  }
  std::string s = "Mesos";
  if (c.image_kind == jobspec::ContainerSpec::ImageKind::kAppc)
    s += " with appc image '" + c.image_name + "' (" + c.image_id + ")";
  if (c.image_kind == jobspec::ContainerSpec::ImageKind::kDocker)
    s += " with docker image '" + c.image_name + ":" + c.image_tag + "'";
  for (const auto& v : c.volumes)
    s += ", volume " + v.host_path + " -> " + v.container_path + " (" + v.mode + ")";
  return s;
}

void add_process(std::string& out, const jobspec::Process& p) {
  std::vector<std::string> traits;
  if (p.daemon) traits.push_back("daemon");
  if (p.ephemeral) traits.push_back("ephemeral");
  if (p.final) traits.push_back("final");
  traits.push_back("max failures " + std::to_string(p.max_failures));
  traits.push_back("min duration " + std::to_string(p.min_duration) + "s");
  out += "\nProcess " + p.name + " (" + join(traits, ", ") + ")\n";
  for (const std::string& line : split(p.cmdline, '\n')) out += "    " + line + "\n";
}

}  // namespace

std::string format_job_inspect(const jobspec::JobSpec& job, const std::vector<std::string>& ports) {
  std::string out = "Job " + ClusterJobKey{job.cluster, job.key()}.to_string() + "\n";
  Fields f(&out);
  f.add("instances", std::to_string(job.instances));
  f.add("service", yes_no(job.service));
  if (job.cron_schedule)
    f.add("cron", "'" + *job.cron_schedule + "', on collision " + job.cron_collision_policy);
  f.add("production", yes_no(job.production) + (job.tier ? ", tier " + *job.tier : "") +
                          ", priority " + std::to_string(job.priority));
  if (job.contact) f.add("contact", *job.contact);
  f.add("task failures", job.max_task_failures < 0
                             ? "unlimited"
                             : std::to_string(job.max_task_failures) + " allowed");
  if (job.constraints && !job.constraints->empty())
    f.add("constraints", map_text(*job.constraints));
  f.add("ports", ports.empty() ? "-" : join(ports, ", "));
  if (job.container) f.add("container", container_text(*job.container));
  if (job.announce) {
    f.add("announce", "primary port " + job.announce->primary_port +
                          (job.announce->zk_path ? ", at " + *job.announce->zk_path : ""));
  }
  f.add("update", format_update_config(job.update_config));
  f.add("health check", health_text(job.health_check_config, ports));
  if (!job.metadata.empty()) {
    std::vector<std::string> parts;
    for (const auto& m : job.metadata) parts.push_back(m.key + "=" + m.value);
    f.add("metadata", join(parts, ", "));
  }

  const jobspec::Task& task = job.task;
  out += "\nTask " + task.name + "\n";
  if (task.resources) f.add("resources", resources_text(*task.resources));
  std::string limits = std::to_string(task.max_failures) + " failed process(es) allowed";
  if (task.max_concurrency > 0)
    limits += ", at most " + std::to_string(task.max_concurrency) + " at a time";
  f.add("processes", limits);
  f.add("finalization", std::to_string(task.finalization_wait) + "s for final processes");
  if (task.user) f.add("user", *task.user);
  for (const jobspec::OrderConstraint& c : task.constraints) f.add("order", join(c.order, " < "));

  for (const jobspec::Process& p : task.processes) add_process(out, p);
  return out;
}

}  // namespace borealis::cli
