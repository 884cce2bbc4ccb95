// AgentOptions: the `borealis agent` flags as data. Each option is described once (flag,
// value name, default, help) in agent_option_table(); the CLI (cli/daemon_commands.cc),
// `--help` and the option table in docs/agent-api.md all come from that list.
// resolve_agent_options() validates the values (errors name the flag) and fills in what the
// host must tell (resources, hostname, runner path) into an AgentConfig.
//
// Thread-safety: plain values and pure functions (resolution asks the HostProbe).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/agent_config.h"
#include "agent/host_probe.h"
#include "common/option_table.h"
#include "common/result.h"
#include "discovery/serverset_path.h"

namespace borealis::agent {

// Raw flag values, as typed on the command line ("" = not given).
struct AgentOptions {
  std::string scheduler;          // "" = follow the leader (cluster and zk)
  std::string cluster;            // with zk: the cluster whose leader to follow
  std::string scheduler_zk_path;  // "" = /borealis/CLUSTER/scheduler
  std::string work_dir;
  std::string http_port = "5051";
  std::string http_bind = "0.0.0.0";
  std::string auth_file;  // protects the agent's API; "" = loopback only unless insecure
  bool insecure = false;
  std::string token_file;  // the token the agent presents to the scheduler
  std::string ports = "31000-31999";
  std::string resources;
  std::string hostname;
  std::string attributes;
  std::string runner;
  std::string sandbox_retention = "1d";
  std::string log_level = "info";
  std::string min_task_uid = std::to_string(taskcontract::kDefaultMinTaskUid);
  std::string allow_root_roles;
  // HTTPS for the agent's API; with tls_ca, mutual TLS.
  std::string tls_cert;
  std::string tls_key;
  std::string tls_ca;
  // TLS to the scheduler (an https:// --scheduler URL).
  std::string scheduler_ca;
  std::string client_cert;
  std::string client_key;
  int max_connections = 1024;
  int partition_stop_after = 0;  // seconds; 0 = off
  // The Logger of processes that have none (Thermos executor's --runner-logger-*).
  std::string runner_logger_destination;
  std::string runner_logger_mode;
  std::string runner_rotate_log_size;
  std::string runner_rotate_log_backups;
  // Per-task cgroups and usage (docs/cgroups.md).
  std::string cgroups = "auto";
  std::string cpu_limit = "weight";
  int pids_limit = 4096;
  int usage_interval = 10;       // seconds
  int disk_check_interval = 60;  // seconds
  // The push of per-task figures to OpenTSDB (docs/metrics.md).
  std::string opentsdb_url;    // "" = no push
  int opentsdb_interval = 60;  // seconds
  // The artifact cache (docs/artifacts.md).
  std::string artifact_cache;  // "" = <work-dir>/artifacts
  std::string artifact_cache_size = "4GiB";
  int artifact_fetch_timeout = 600;  // seconds
  // ServerSet announcements (docs/discovery.md).
  std::string zk;  // "" = announce nothing
  std::string zk_auth;
  std::string serverset_root = discovery::kDefaultServersetRoot;
  std::string zk_path_allow;  // "PREFIX,..."
  std::string announce_host;  // "" = hostname
};

const OptionTable<AgentOptions>& agent_option_table();

struct ResourceFlags {
  std::optional<double> cpu;
  std::optional<int64_t> ram;
  std::optional<int64_t> disk;
};

// Parsers behind the flags; each error says what was expected.
Result<PortRange> parse_port_range(std::string_view text);          // "31000-31999"
Result<ResourceFlags> parse_resource_flags(std::string_view text);  // "cpu=2,ram=8GiB"
Result<std::map<std::string, std::string>> parse_attributes(std::string_view text);  // "k=v,..."
Result<int64_t> parse_bytes(std::string_view text);       // "1073741824", "512MiB", "8G"
Result<TimeMs> parse_duration_ms(std::string_view text);  // "1d", "12h", "30m", "45s", "250ms"

// Validates every option and detects what is missing. Errors start with the flag:
// "--ports: expected LO-HI ...".
Result<AgentConfig> resolve_agent_options(const AgentOptions& options, const HostProbe& probe);

}  // namespace borealis::agent
