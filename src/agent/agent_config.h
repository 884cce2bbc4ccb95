// AgentConfig: everything an Agent runs with, typed and validated (agent_options.h turns
// command-line flags into one). The fields below the line are tuning knobs that tests
// shorten; they have no flags.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "agent/artifact_stager.h"
#include "agent/host_resources.h"
#include "agent/opentsdb_pusher.h"
#include "agent/outbox.h"
#include "agent/task_cgroup.h"
#include "agent/task_monitor.h"
#include "auth/auth_config.h"
#include "common/clock.h"
#include "discovery/serverset_path.h"
#include "jobspec/job_spec.h"
#include "net/tls_options.h"
#include "taskcontract/task_user_policy.h"
#include "zk/connect_string.h"

namespace borealis::agent {

struct AgentConfig {
  std::string scheduler_url;  // "http://host:port"; "" when following the leader
  // The scheduler leader's ServerSet in zk (--cluster): the agent follows the leader found
  // there instead of a fixed scheduler_url; "" = a fixed scheduler_url.
  std::string scheduler_zk_path;
  std::string work_dir;  // absolute
  std::string http_bind = "0.0.0.0";
  // Who may call the agent's API; null: anyone (the API then listens on loopback only,
  // unless --insecure).
  std::shared_ptr<const auth::AuthConfig> auth;
  std::string scheduler_token;  // sent to the scheduler as 'Bearer TOKEN'; "" = none
  uint16_t http_port = 5051;    // 0 = any free port
  PortRange ports;
  HostResources resources;
  std::string hostname;
  std::map<std::string, std::string> attributes;  // always has "host" = hostname
  std::string runner_path;
  TimeMs sandbox_retention_ms = 24 * 3600 * 1000;
  std::string log_level = "info";
  net::ServerTlsFiles tls;            // the agent's API; HTTPS when tls.enabled()
  net::ClientTlsFiles scheduler_tls;  // to an https:// scheduler_url
  int max_connections = 1024;         // of the agent's API
  // Kill every task once the scheduler has not answered for this long (partition_fence.h);
  // 0 = never.
  TimeMs partition_stop_after_ms = 0;

  // The Logger of processes that have none (--runner-logger-*); none: plain files.
  std::optional<jobspec::Logger> default_logger;
  // Which users tasks may run as (--min-task-uid, --allow-root-roles).
  taskcontract::TaskUserPolicy task_users;
  // Tasks run as the agent's user instead of their role's (`borealis dev` run by a
  // developer). No flag: production agents run tasks as their roles.
  bool run_tasks_as_agent_user = false;
  // A role with no Unix user runs as `nobody` (`borealis dev` run as root). No flag.
  bool roles_without_user_run_as_nobody = false;

  // Per-task cgroups (--cgroups, --cpu-limit, --pids-limit; docs/cgroups.md). Off unless
  // asked for: agents built in code (tests) do not touch the machine's cgroups.
  CgroupSettings cgroups{.enabled = false};
  TimeMs usage_interval_ms = 10'000;       // --usage-interval
  TimeMs disk_check_interval_ms = 60'000;  // --disk-check-interval
  OpenTsdbOptions opentsdb;                // --opentsdb-url, --opentsdb-interval
  ArtifactOptions artifacts;               // --artifact-cache, -size, --artifact-fetch-timeout
  // ServerSet announcements (docs/discovery.md): none without zk.
  std::optional<zk::ConnectString> zk;                // --zk
  std::optional<zk::DigestCredential> zk_credential;  // --zk-auth
  discovery::ServersetPolicy serversets;              // --serverset-root, --zk-path-allow

  // ---- tuning
  TimeMs gc_interval_ms = 10 * 60 * 1000;
  TimeMs rescan_interval_ms = 5000;
  int64_t backoff_min_ms = 100;
  int64_t backoff_max_ms = 5000;
  int64_t reconcile_interval_ms = 30'000;
  int64_t request_timeout_ms = 10'000;
  std::chrono::milliseconds zk_session_timeout{10'000};
  MonitorOptions monitor;
  OutboxOptions outbox;
};

}  // namespace borealis::agent
