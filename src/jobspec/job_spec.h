// JobSpec: the one canonical job description. Every front-end (Aurora configs, JSON,
// stage files) compiles to it; the scheduler stores one per job version; agents and
// runners read parts of it.
//
// Field names, nesting and defaults are Apache Aurora's configuration schema (MesosJob,
// Task, Process, ...), so Aurora's JSON form of a job is a JobSpec. Optional fields that
// Aurora leaves unset without a default are std::optional here and absent from the JSON.
// Strings may keep runtime references ({{thermos.ports[http]}}, {{thermos.task_id}},
// {{thermos.user}}, {{mesos.instance}}, {{mesos.hostname}}) that the runner binds.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/job_key.h"

namespace borealis::jobspec {

constexpr int64_t kMB = 1024 * 1024;

struct Resources {
  double cpu = 0;
  int64_t ram = 0;   // bytes
  int64_t disk = 0;  // bytes
  int64_t gpu = 0;
  bool operator==(const Resources&) const = default;
};

struct RotatePolicy {
  int64_t log_size = 100 * kMB;
  int64_t backups = 5;
  bool operator==(const RotatePolicy&) const = default;
};

struct Logger {
  std::string destination = "file";  // file | console | both | none
  std::string mode = "standard";     // standard | rotate
  std::optional<RotatePolicy> rotate;
  bool operator==(const Logger&) const = default;
};

struct Process {
  std::string name;
  std::string cmdline;
  int64_t max_failures = 1;  // failed runs before the process fails for good; 0 = forever
  bool daemon = false;       // restart also after a successful exit
  bool ephemeral = false;    // the task does not wait for it
  int64_t min_duration = 5;  // seconds between the starts of two runs
  bool final = false;        // runs after the regular processes (finalization)
  std::optional<Logger> logger;
  std::optional<Resources> resources;  // reserved by Thermos, unused
  bool operator==(const Process&) const = default;
};

struct OrderConstraint {
  std::vector<std::string> order;
  bool operator==(const OrderConstraint&) const = default;
};

// A file the agent fetches, verifies and places in the sandbox before the runner starts
// (docs/artifacts.md).
struct Artifact {
  std::string uri;     // http://, https:// or file:///abs/path
  std::string sha256;  // 64 lowercase hex digits
  std::string name;    // file name in the sandbox; "" = the uri's last path segment
  bool operator==(const Artifact&) const = default;
};

struct Task {
  std::string name;  // Aurora default: the first process's name
  std::vector<Process> processes;
  std::vector<OrderConstraint> constraints;
  std::optional<Resources> resources;  // required for a job's task
  int64_t max_failures = 1;            // failed processes before the task fails
  int64_t max_concurrency = 0;         // 0 = unlimited
  int64_t finalization_wait = 30;      // seconds for final processes
  std::optional<std::string> user;
  std::vector<Artifact> artifacts;  // absent from the JSON when empty (Aurora has none)
  bool operator==(const Task&) const = default;
};

struct QueueUpdateStrategy {
  int64_t batch_size = 1;
  bool operator==(const QueueUpdateStrategy&) const = default;
};
struct BatchUpdateStrategy {
  int64_t batch_size = 1;
  bool autopause_after_batch = false;
  bool operator==(const BatchUpdateStrategy&) const = default;
};
struct VariableBatchUpdateStrategy {
  std::vector<int64_t> batch_sizes;
  bool autopause_after_batch = false;
  bool operator==(const VariableBatchUpdateStrategy&) const = default;
};

struct UpdateConfig {
  int64_t batch_size = 1;
  int64_t watch_secs = 45;
  int64_t max_per_shard_failures = 0;
  int64_t max_total_failures = 0;
  bool rollback_on_failure = true;
  bool wait_for_batch_completion = false;
  std::optional<int64_t> pulse_interval_secs;
  bool sla_aware = false;
  // At most one is set (Aurora's Choice); none = queue strategy with batch_size.
  std::optional<QueueUpdateStrategy> queue_strategy;
  std::optional<BatchUpdateStrategy> batch_strategy;
  std::optional<VariableBatchUpdateStrategy> variable_batch_strategy;
  bool operator==(const UpdateConfig&) const = default;
};

struct HttpHealthChecker {
  std::string endpoint = "/health";
  std::string expected_response = "ok";
  int64_t expected_response_code = 0;  // 0: check the body against expected_response
  bool operator==(const HttpHealthChecker&) const = default;
};
struct ShellHealthChecker {
  std::string shell_command;
  bool operator==(const ShellHealthChecker&) const = default;
};
struct HealthCheckerConfig {
  std::optional<HttpHealthChecker> http;
  std::optional<ShellHealthChecker> shell;
  bool operator==(const HealthCheckerConfig&) const = default;
};
struct HealthCheckConfig {
  HealthCheckerConfig health_checker{HttpHealthChecker{}, std::nullopt};
  double initial_interval_secs = 15.0;
  double interval_secs = 10.0;
  int64_t max_consecutive_failures = 0;
  int64_t min_consecutive_successes = 1;
  double timeout_secs = 1.0;
  bool operator==(const HealthCheckConfig&) const = default;
};

struct HttpLifecycleConfig {
  std::string port = "health";
  std::string graceful_shutdown_endpoint = "/quitquitquit";
  std::string shutdown_endpoint = "/abortabortabort";
  int64_t graceful_shutdown_wait_secs = 5;
  int64_t shutdown_wait_secs = 5;
  bool operator==(const HttpLifecycleConfig&) const = default;
};
struct LifecycleConfig {
  std::optional<HttpLifecycleConfig> http = HttpLifecycleConfig{};
  bool operator==(const LifecycleConfig&) const = default;
};

struct Announcer {
  std::string primary_port = "http";
  std::map<std::string, std::string> portmap = {{"aurora", "{{primary_port}}"}};
  std::optional<std::string> zk_path;
  bool operator==(const Announcer&) const = default;
};

struct Metadata {
  std::string key;
  std::string value;
  bool operator==(const Metadata&) const = default;
};

struct ExecutorConfig {
  std::string name = "AuroraExecutor";
  std::string data;
  bool operator==(const ExecutorConfig&) const = default;
};

struct PartitionPolicy {
  bool reschedule = true;
  int64_t delay_secs = 0;
  bool operator==(const PartitionPolicy&) const = default;
};

// sla_policy: Aurora's Choice of one of three; `kind` says which fields mean something.
struct SlaPolicy {
  enum class Kind { kCoordinator, kCount, kPercentage };
  Kind kind = Kind::kCount;
  std::string coordinator_url;
  std::string status_key = "drain";
  int64_t count = 0;
  double percentage = 0;
  int64_t duration_secs = 0;
  bool operator==(const SlaPolicy&) const = default;
};

struct DockerParameter {
  std::string name;
  std::string value;
  bool operator==(const DockerParameter&) const = default;
};
struct Volume {
  std::string container_path;
  std::string host_path;
  std::string mode;  // RO | RW
  bool operator==(const Volume&) const = default;
};
// container: Aurora's Choice of Container{docker}, Docker, or Mesos{image, volumes}.
struct ContainerSpec {
  enum class Kind { kContainerDocker, kDocker, kMesos };
  Kind kind = Kind::kDocker;
  // Docker
  std::string docker_image;
  std::vector<DockerParameter> docker_parameters;
  // Mesos
  enum class ImageKind { kNone, kAppc, kDocker };
  ImageKind image_kind = ImageKind::kNone;
  std::string image_name;
  std::string image_id;   // appc
  std::string image_tag;  // docker
  std::vector<Volume> volumes;
  bool operator==(const ContainerSpec&) const = default;
  // True when the job asks for an image the host must pull and run.
  bool needs_image() const { return kind != Kind::kMesos || image_kind != ImageKind::kNone; }
};

struct JobSpec {
  std::string name;  // Aurora default: the task's name
  std::string role;
  std::string environment;
  std::string cluster;
  std::optional<std::string> contact;
  int64_t instances = 1;
  Task task;
  std::optional<Announcer> announce;
  std::optional<std::string> tier;
  std::optional<std::string> cron_schedule;
  std::string cron_collision_policy = "KILL_EXISTING";
  UpdateConfig update_config;
  std::optional<std::map<std::string, std::string>> constraints;
  std::vector<Metadata> metadata;
  bool service = false;
  int64_t max_task_failures = 1;  // -1 = unlimited
  bool production = false;
  int64_t priority = 0;
  HealthCheckConfig health_check_config;
  LifecycleConfig lifecycle;
  std::optional<std::map<std::string, std::string>> task_links;
  ExecutorConfig executor_config;
  bool enable_hooks = false;
  std::optional<PartitionPolicy> partition_policy;
  std::optional<SlaPolicy> sla_policy;
  std::optional<ContainerSpec> container;

  bool operator==(const JobSpec&) const = default;

  JobKey key() const { return JobKey{role, environment, name}; }
};

// The named ports the scheduler must allocate for each task: every {{thermos.ports[X]}}
// in the task, plus announcer portmap names that are not numbers, minus portmap aliases
// (Aurora's AuroraConfig.ports()). Sorted, distinct.
std::set<std::string> requested_ports(const JobSpec& job);

}  // namespace borealis::jobspec
