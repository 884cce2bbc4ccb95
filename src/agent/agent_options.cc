#include "agent/agent_options.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <limits>

#include "auth/http_guard.h"
#include "auth/token_file.h"
#include "auth/zk_credential_file.h"
#include "common/strings.h"
#include "net/http_client.h"
#include "net/tls_option_specs.h"
#include "taskcontract/log_policy.h"
#include "zk/node_path.h"

namespace borealis::agent {

namespace {
using Spec = OptionSpec<AgentOptions>;
using O = AgentOptions;
}  // namespace

const OptionTable<AgentOptions>& agent_option_table() {
  static const OptionTable<AgentOptions> table = {
      Spec{.flag = "--scheduler",
           .value_name = "URL",
           .help = "the scheduler's base URL: http://HOST:PORT, or https://HOST:PORT (TLS)",
           .field = option_field(&O::scheduler),
           .default_text = "none: give it, or --zk and --cluster to follow the leader"},
      Spec{.flag = "--cluster",
           .value_name = "NAME",
           .help = "follow this cluster's scheduler leader through ZooKeeper (--zk) instead of "
                   "a fixed --scheduler",
           .field = option_field(&O::cluster),
           .default_text = "none"},
      Spec{.flag = "--scheduler-zk-path",
           .value_name = "PATH",
           .help = "where the scheduler leader is announced (with --cluster)",
           .field = option_field(&O::scheduler_zk_path),
           .default_text = "/borealis/CLUSTER/scheduler"},
      Spec{.flag = "--work-dir",
           .value_name = "DIR",
           .help = "where the agent keeps its id, its update outbox and the task sandboxes",
           .field = option_field(&O::work_dir),
           .required = true},
      Spec{.flag = "--http-port",
           .value_name = "N",
           .help = "port of the agent's HTTP API (logs, files); 0 = any free port",
           .field = option_field(&O::http_port)},
      Spec{.flag = "--http-bind",
           .value_name = "ADDRESS",
           .help = "address the HTTP API listens on",
           .field = option_field(&O::http_bind)},
      Spec{.flag = "--auth-file",
           .value_name = "FILE",
           .help = "users, their tokens' digests and grants (docs/security.md); the agent's "
                   "API then needs 'Authorization: Bearer TOKEN', and a task's files and logs "
                   "are for its role only",
           .field = option_field(&O::auth_file),
           .default_text = "none"},
      Spec{.flag = "--insecure",
           .help = "allow a non-loopback --http-bind without --auth-file",
           .field = option_field(&O::insecure)},
      Spec{.flag = "--token-file",
           .value_name = "FILE",
           .help = "the token this agent presents to the scheduler (its user lists this host "
                   "in `agents`); the file must be the agent user's, mode 0600",
           .field = option_field(&O::token_file),
           .default_text = "none"},
      Spec{.flag = "--ports",
           .value_name = "LO-HI",
           .help = "inclusive port range offered to tasks",
           .field = option_field(&O::ports)},
      Spec{.flag = "--resources",
           .value_name = "cpu=C,ram=BYTES,disk=BYTES",
           .help = "resources offered; each is optional and a missing one is detected (cpu: "
                   "online CPUs, ram: MemTotal, disk: free space of the work dir). BYTES may "
                   "end in K, M, G, T (or KiB, MiB, GiB, TiB): powers of 1024",
           .field = option_field(&O::resources),
           .default_text = "detected"},
      Spec{.flag = "--hostname",
           .value_name = "H",
           .help = "the name the agent registers under, and mesos.hostname for its tasks",
           .field = option_field(&O::hostname),
           .default_text = "the machine's hostname"},
      Spec{.flag = "--attributes",
           .value_name = "k=v,...",
           .help = "host attributes for placement constraints (e.g. rack=r1); `host` is "
                   "always the hostname",
           .field = option_field(&O::attributes)},
      Spec{.flag = "--runner",
           .value_name = "PATH",
           .help = "the borealis-runner executable",
           .field = option_field(&O::runner),
           .default_text = "borealis-runner next to this executable"},
      Spec{.flag = "--sandbox-retention",
           .value_name = "DURATION",
           .help = "how long the sandbox of an ended task is kept (e.g. 90m, 12h, 7d; a bare "
                   "number is seconds)",
           .field = option_field(&O::sandbox_retention)},
      Spec{.flag = "--log-level",
           .value_name = "LEVEL",
           .help = "trace, debug, info, warn or error",
           .field = option_field(&O::log_level)},
      Spec{.flag = "--min-task-uid",
           .value_name = "N",
           .help = taskcontract::kMinTaskUidHelp,
           .field = option_field(&O::min_task_uid)},
      Spec{.flag = "--allow-root-roles",
           .value_name = "ROLE,...",
           .help = taskcontract::kAllowRootRolesHelp,
           .field = option_field(&O::allow_root_roles)},
      Spec{.flag = "--scheduler-ca",
           .value_name = "FILE",
           .help = "PEM CA the scheduler's certificate must chain to (https:// --scheduler)",
           .field = option_field(&O::scheduler_ca),
           .default_text = "the system's CAs"},
      Spec{.flag = "--client-cert",
           .value_name = "FILE",
           .help = "PEM certificate the agent presents to the scheduler (mutual TLS); needs "
                   "--client-key",
           .field = option_field(&O::client_cert)},
      Spec{.flag = "--client-key",
           .value_name = "FILE",
           .help = "PEM private key of --client-cert",
           .field = option_field(&O::client_key)},
      Spec{.flag = "--max-connections",
           .value_name = "N",
           .help = "most open connections to the agent's API; above it new ones get 503",
           .field = option_field(&O::max_connections),
           .range = {{1, 1000000}}},
      Spec{.flag = "--partition-stop-after",
           .value_name = "SECS",
           .help = "kill this host's tasks once the scheduler has been unreachable this long, "
                   "so a long partition does not run two copies of a task (docs/partitions.md); "
                   "0 = never",
           .field = option_field(&O::partition_stop_after),
           .range = {{0, 30 * 86400}}},
      Spec{.flag = "--runner-logger-destination",
           .value_name = "D",
           .help = "file, console, both or none: where the output of processes without a "
                   "Logger goes (docs/internals/runner-sandbox.md, \"Logs\")",
           .field = option_field(&O::runner_logger_destination),
           .default_text = "file"},
      Spec{.flag = "--runner-logger-mode",
           .value_name = "M",
           .help = "standard or rotate, for processes without a Logger",
           .field = option_field(&O::runner_logger_mode),
           .default_text = "standard"},
      Spec{.flag = "--runner-rotate-log-size",
           .value_name = "BYTES",
           .help = "with --runner-logger-mode rotate: the size of each log file (K, M, G "
                   "suffixes: powers of 1024)",
           .field = option_field(&O::runner_rotate_log_size),
           .default_text = "100MiB"},
      Spec{.flag = "--runner-rotate-log-backups",
           .value_name = "N",
           .help = "with --runner-logger-mode rotate: how many rotated files are kept",
           .field = option_field(&O::runner_rotate_log_backups),
           .default_text = "5"},
      Spec{.flag = "--cgroups",
           .value_name = "MODE",
           .help = "auto or off: a cgroup per task (docs/cgroups.md); auto = v2 where mounted "
                   "with the memory, cpu and pids controllers, else v1, else off with a warning",
           .field = option_field(&O::cgroups),
           .choices = {"auto", "off"}},
      Spec{.flag = "--cpu-limit",
           .value_name = "KIND",
           .help = "quota or weight: a task's `cpu` as a hard CFS quota, or as its weight "
                   "against other tasks",
           .field = option_field(&O::cpu_limit),
           .choices = {"quota", "weight"}},
      Spec{.flag = "--pids-limit",
           .value_name = "N",
           .help = "most processes and threads per task (its cgroup's pids.max)",
           .field = option_field(&O::pids_limit),
           .range = {{1, 4194304}}},
      Spec{.flag = "--usage-interval",
           .value_name = "SECS",
           .help = "how often each task's CPU and memory are sampled",
           .field = option_field(&O::usage_interval),
           .range = {{1, 86400}}},
      Spec{.flag = "--disk-check-interval",
           .value_name = "SECS",
           .help = "how often each sandbox's disk use is measured (and a task over its `disk` "
                   "killed)",
           .field = option_field(&O::disk_check_interval),
           .range = {{1, 86400}}},
      Spec{.flag = "--opentsdb-url",
           .value_name = "URL",
           .help = "push each live task's CPU, memory and disk to this OpenTSDB "
                   "(http://host:4242, POST /api/put; docs/metrics.md)",
           .field = option_field(&O::opentsdb_url),
           .default_text = "none: no push"},
      Spec{.flag = "--opentsdb-interval",
           .value_name = "SECS",
           .help = "how often the figures are pushed to --opentsdb-url",
           .field = option_field(&O::opentsdb_interval),
           .range = {{1, 86400}}},
      Spec{.flag = "--artifact-cache",
           .value_name = "DIR",
           .help = "where verified task artifacts are kept, by sha256 (docs/artifacts.md); "
                   "made root's, mode 0700. On the sandboxes' file system, artifacts are hard "
                   "links, not copies",
           .field = option_field(&O::artifact_cache),
           .default_text = "<work-dir>/artifacts"},
      Spec{.flag = "--artifact-cache-size",
           .value_name = "BYTES",
           .help = "bound of the artifact cache; least recently used artifacts are evicted, "
                   "and a larger artifact fails its task. BYTES as in --resources",
           .field = option_field(&O::artifact_cache_size)},
      Spec{.flag = "--artifact-fetch-timeout",
           .value_name = "SECS",
           .help = "the most one artifact download may take (connect and transfer)",
           .field = option_field(&O::artifact_fetch_timeout),
           .range = {{1, 86400}}},
      net::tls_cert_option(&O::tls_cert),
      net::tls_key_option(&O::tls_key),
      net::tls_ca_option(&O::tls_ca),
      Spec{.flag = "--zk",
           .value_name = "HOST:PORT[,...][/CHROOT]",
           .help = "ZooKeeper ensemble: announce every RUNNING, healthy instance of a job with "
                   "`announce` as a ServerSet member (docs/discovery.md)",
           .field = option_field(&O::zk),
           .default_text = "none: nothing is announced"},
      Spec{.flag = "--zk-auth",
           .value_name = "FILE",
           .help = "file holding `user:password` for ZooKeeper digest auth; members are then "
                   "readable by anyone and writable by that user only. The file must be the "
                   "agent user's, mode 0600",
           .field = option_field(&O::zk_auth),
           .default_text = "none: open ACLs"},
      Spec{.flag = "--serverset-root",
           .value_name = "PATH",
           .help = "ServerSets are at PATH/ROLE/ENVIRONMENT/JOB",
           .field = option_field(&O::serverset_root)},
      Spec{.flag = "--zk-path-allow",
           .value_name = "PREFIX,...",
           .help = "node paths under which a job's Announcer.zk_path may put its ServerSet; a "
                   "job whose zk_path is elsewhere runs unannounced",
           .field = option_field(&O::zk_path_allow),
           .default_text = "none: zk_path is refused"},
      Spec{.flag = "--announce-host",
           .value_name = "HOST",
           .help = "the host (a name or an IP address) written in ServerSet members: what "
                   "routers and clients connect to",
           .field = option_field(&O::announce_host),
           .default_text = "--hostname"},
  };
  return table;
}

Result<PortRange> parse_port_range(std::string_view text) {
  auto bad = [&](const std::string& why) {
    return invalid_argument("expected LO-HI with 1 <= LO <= HI <= 65535, got '" +
                            std::string(text) + "'" + (why.empty() ? "" : ": " + why));
  };
  auto dash = text.find('-');
  if (dash == std::string_view::npos) return bad("");
  auto lo = parse_int64(trim(text.substr(0, dash)));
  auto hi = parse_int64(trim(text.substr(dash + 1)));
  if (!lo || !hi) return bad("");
  if (*lo < 1 || *hi > 65535) return bad("out of range");
  if (*lo > *hi) return bad("LO is above HI");
  return PortRange{static_cast<int>(*lo), static_cast<int>(*hi)};
}

Result<int64_t> parse_bytes(std::string_view text) {
  text = trim(text);
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  auto n = parse_int64(text.substr(0, digits));
  std::string_view unit = text.substr(digits);
  static const std::pair<std::string_view, int> kUnits[] = {
      {"", 0},     {"B", 0},  {"K", 10},   {"KiB", 10}, {"M", 20},
      {"MiB", 20}, {"G", 30}, {"GiB", 30}, {"T", 40},   {"TiB", 40}};
  for (const auto& [name, shift] : kUnits) {
    if (name != unit) continue;
    if (!n) break;
    if (*n > (std::numeric_limits<int64_t>::max() >> shift))
      return invalid_argument("'" + std::string(text) + "' is too large");
    return *n << shift;
  }
  return invalid_argument("expected a byte count such as 8589934592, 512MiB or 8G, got '" +
                          std::string(text) + "'");
}

Result<TimeMs> parse_duration_ms(std::string_view text) {
  text = trim(text);
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  auto n = parse_int64(text.substr(0, digits));
  std::string_view unit = text.substr(digits);
  static const std::pair<std::string_view, int64_t> kUnits[] = {
      {"", 1000}, {"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000}};
  for (const auto& [name, ms] : kUnits) {
    if (name != unit || !n) continue;
    if (*n > std::numeric_limits<int64_t>::max() / ms)
      return invalid_argument("'" + std::string(text) + "' is too long");
    return *n * ms;
  }
  return invalid_argument("expected a duration such as 3600, 90m, 12h or 7d, got '" +
                          std::string(text) + "'");
}

Result<ResourceFlags> parse_resource_flags(std::string_view text) {
  ResourceFlags out;
  if (trim(text).empty()) return out;
  for (const auto& item : split(text, ',')) {
    auto eq = item.find('=');
    std::string key(trim(std::string_view(item).substr(0, eq)));
    if (eq == std::string::npos)
      return invalid_argument("expected cpu=C,ram=BYTES,disk=BYTES, got '" + item + "'");
    std::string_view value = trim(std::string_view(item).substr(eq + 1));
    if (key == "cpu") {
      auto cpu = parse_double(value);
      if (!cpu || !(*cpu > 0))
        return invalid_argument("cpu: expected a number above 0, got '" + std::string(value) + "'");
      out.cpu = *cpu;
    } else if (key == "ram" || key == "disk") {
      auto bytes = parse_bytes(value);
      if (!bytes.ok()) return bytes.status().with_context(key);
      if (key == "ram" && *bytes <= 0) return invalid_argument("ram: must be above 0");
      (key == "ram" ? out.ram : out.disk) = *bytes;
    } else {
      return invalid_argument("unknown resource '" + key + "' (known: cpu, ram, disk)");
    }
  }
  return out;
}

Result<std::map<std::string, std::string>> parse_attributes(std::string_view text) {
  std::map<std::string, std::string> out;
  if (trim(text).empty()) return out;
  for (const auto& item : split(text, ',')) {
    auto eq = item.find('=');
    if (eq == std::string::npos || trim(std::string_view(item).substr(0, eq)).empty())
      return invalid_argument("expected k=v,..., got '" + item + "'");
    std::string key(trim(std::string_view(item).substr(0, eq)));
    if (out.contains(key)) return invalid_argument("attribute '" + key + "' given twice");
    out[key] = std::string(trim(std::string_view(item).substr(eq + 1)));
  }
  return out;
}

namespace {

Status flag_error(std::string_view flag, const Status& st) {
  return invalid_argument(std::string(flag) + ": " + st.message());
}

// The Logger the agent gives processes without one; none when no flag is set (the runner's
// default is then Thermos's: plain files).
Result<std::optional<jobspec::Logger>> resolve_default_logger(const AgentOptions& o) {
  if (o.runner_logger_destination.empty() && o.runner_logger_mode.empty() &&
      o.runner_rotate_log_size.empty() && o.runner_rotate_log_backups.empty())
    return std::optional<jobspec::Logger>();
  jobspec::Logger logger;
  jobspec::RotatePolicy rotate;
  if (!o.runner_logger_destination.empty()) logger.destination = o.runner_logger_destination;
  if (!o.runner_logger_mode.empty()) logger.mode = o.runner_logger_mode;
  if (!o.runner_rotate_log_size.empty()) {
    auto size = parse_bytes(o.runner_rotate_log_size);
    if (!size.ok()) return flag_error("--runner-rotate-log-size", size.status());
    rotate.log_size = *size;
  }
  if (!o.runner_rotate_log_backups.empty()) {
    auto backups = parse_int64(trim(o.runner_rotate_log_backups));
    if (!backups)
      return invalid_argument("--runner-rotate-log-backups: expected a number, got '" +
                              o.runner_rotate_log_backups + "'");
    rotate.backups = *backups;
  }
  // Checked as if rotating, so a bad size is refused even before the mode is switched on.
  if (auto d = taskcontract::parse_log_destination(logger.destination); !d.ok())
    return flag_error("--runner-logger-destination", d.status());
  if (auto m = taskcontract::parse_log_mode(logger.mode); !m.ok())
    return flag_error("--runner-logger-mode", m.status());
  auto policy =
      taskcontract::make_log_policy(logger.destination, "rotate", rotate.log_size, rotate.backups);
  if (!policy.ok())
    return flag_error(policy.status().message().starts_with("rotate.log_size")
                          ? "--runner-rotate-log-size"
                          : "--runner-rotate-log-backups",
                      policy.status());
  logger.rotate = rotate;
  return std::optional<jobspec::Logger>(std::move(logger));
}

// --zk, --zk-auth, --serverset-root and --zk-path-allow.
Status resolve_announcer_options(const AgentOptions& o, AgentConfig* c) {
  if (Status st = zk::validate_node_path(o.serverset_root); !st.ok())
    return flag_error("--serverset-root", st);
  c->serversets.root = o.serverset_root;
  for (char ch : o.announce_host)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '.' && ch != '-' && ch != ':' &&
        ch != '_')
      return invalid_argument("--announce-host: '" + o.announce_host +
                              "' is not a host name or an IP address");
  c->serversets.member_host = o.announce_host;
  for (const auto& prefix :
       o.zk_path_allow.empty() ? std::vector<std::string>{} : split(o.zk_path_allow, ',')) {
    std::string p(trim(prefix));
    if (Status st = zk::validate_node_path(p); !st.ok()) return flag_error("--zk-path-allow", st);
    c->serversets.allowed_zk_paths.push_back(std::move(p));
  }
  if (o.zk.empty()) {
    if (!o.zk_auth.empty()) return invalid_argument("--zk-auth: needs --zk");
    return Status();
  }
  auto servers = zk::parse_connect_string(o.zk);
  if (!servers.ok()) return flag_error("--zk", servers.status());
  c->zk = std::move(servers).value();
  if (o.zk_auth.empty()) return Status();
  auto credential = auth::read_zk_credential_file(o.zk_auth);
  if (!credential.ok()) return flag_error("--zk-auth", credential.status());
  c->zk_credential = std::move(credential).value();
  return Status();
}

// statvfs needs an existing path: the work dir may not exist yet.
Result<int64_t> free_disk_near(const HostProbe& probe, std::string path) {
  while (true) {
    auto free = probe.free_disk_bytes(path);
    if (free.ok() || path.empty() || path == "/") return free;
    auto slash = path.rfind('/');
    path = slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
  }
}

}  // namespace

Result<AgentConfig> resolve_agent_options(const AgentOptions& o, const HostProbe& probe) {
  AgentConfig c;
  if (o.scheduler.empty() && (o.zk.empty() || o.cluster.empty()))
    return invalid_argument(
        "--scheduler: required, unless the agent follows the leader (--zk and --cluster)");
  if (!o.scheduler.empty() && !o.cluster.empty())
    return invalid_argument(
        "--cluster: follows the leader through ZooKeeper instead of --scheduler: give one");
  if (o.cluster.empty() && !o.scheduler_zk_path.empty())
    return invalid_argument("--scheduler-zk-path: needs --cluster");
  c.scheduler_tls = net::ClientTlsFiles{o.scheduler_ca, o.client_cert, o.client_key};
  BOREALIS_RETURN_IF_ERROR(
      net::check_tls_flags(c.scheduler_tls, {"--client-cert", "--client-key", "--scheduler-ca"}));
  // Creating a client reads the TLS files: a bad one fails here, not in the link's loop.
  if (!o.scheduler.empty())
    if (auto client = net::HttpClient::create(o.scheduler, c.scheduler_tls); !client.ok())
      return flag_error("--scheduler", client.status());
  if (!o.cluster.empty()) {
    c.scheduler_zk_path =
        o.scheduler_zk_path.empty() ? "/borealis/" + o.cluster + "/scheduler" : o.scheduler_zk_path;
    if (Status st = zk::validate_node_path(c.scheduler_zk_path); !st.ok())
      return flag_error(o.scheduler_zk_path.empty() ? "--cluster" : "--scheduler-zk-path", st);
  }
  c.tls = net::ServerTlsFiles{o.tls_cert, o.tls_key, o.tls_ca};
  BOREALIS_RETURN_IF_ERROR(net::check_tls_flags(c.tls, {"--tls-cert", "--tls-key", "--tls-ca"}));
  c.max_connections = o.max_connections;
  c.partition_stop_after_ms = static_cast<TimeMs>(o.partition_stop_after) * 1000;
  c.scheduler_url = o.scheduler;
  while (c.scheduler_url.size() > 1 && c.scheduler_url.back() == '/') c.scheduler_url.pop_back();

  if (o.work_dir.empty()) return invalid_argument("--work-dir: required");
  c.work_dir = o.work_dir;
  if (c.work_dir[0] != '/') {
    char cwd[4096];
    if (!::getcwd(cwd, sizeof cwd)) return invalid_argument("--work-dir: cannot resolve");
    c.work_dir = std::string(cwd) + "/" + c.work_dir;
  }
  while (c.work_dir.size() > 1 && c.work_dir.back() == '/') c.work_dir.pop_back();

  auto port = parse_int64(trim(o.http_port));
  if (!port || *port < 0 || *port > 65535)
    return invalid_argument("--http-port: expected 0-65535, got '" + o.http_port + "'");
  c.http_port = static_cast<uint16_t>(*port);
  if (trim(o.http_bind).empty()) return invalid_argument("--http-bind: must not be empty");
  c.http_bind = std::string(trim(o.http_bind));
  auto ports = parse_port_range(o.ports);
  if (!ports.ok()) return flag_error("--ports", ports.status());
  c.ports = *ports;

  auto res = parse_resource_flags(o.resources);
  if (!res.ok()) return flag_error("--resources", res.status());
  if (res->cpu) {
    c.resources.cpu = *res->cpu;
  } else {
    BOREALIS_ASSIGN_OR_RETURN(c.resources.cpu, probe.online_cpus());
  }
  if (res->ram) {
    c.resources.ram = *res->ram;
  } else {
    BOREALIS_ASSIGN_OR_RETURN(c.resources.ram, probe.memory_bytes());
  }
  if (res->disk) {
    c.resources.disk = *res->disk;
  } else {
    BOREALIS_ASSIGN_OR_RETURN(c.resources.disk, free_disk_near(probe, c.work_dir));
  }

  if (o.hostname.empty()) {
    BOREALIS_ASSIGN_OR_RETURN(c.hostname, probe.hostname());
  } else {
    c.hostname = o.hostname;
  }
  for (char ch : c.hostname)
    if (ch == ' ' || ch == '\t' || ch == '/' || ch == ',')
      return invalid_argument("--hostname: '" + c.hostname + "' is not a host name");
  if (c.hostname.empty()) return invalid_argument("--hostname: must not be empty");

  auto attrs = parse_attributes(o.attributes);
  if (!attrs.ok()) return flag_error("--attributes", attrs.status());
  if (attrs->contains("host"))
    return invalid_argument("--attributes: 'host' is always the hostname; do not set it");
  c.attributes = std::move(attrs).value();
  c.attributes["host"] = c.hostname;

  if (o.runner.empty()) {
    BOREALIS_ASSIGN_OR_RETURN(std::string dir, probe.executable_dir());
    c.runner_path = dir + "/borealis-runner";
  } else {
    c.runner_path = o.runner;
  }
  if (::access(c.runner_path.c_str(), X_OK) != 0)
    return invalid_argument("--runner: '" + c.runner_path + "' is not an executable file");

  auto retention = parse_duration_ms(o.sandbox_retention);
  if (!retention.ok()) return flag_error("--sandbox-retention", retention.status());
  c.sandbox_retention_ms = *retention;
  // Collect at a tenth of the retention, between every minute and every ten minutes.
  c.gc_interval_ms = std::clamp<TimeMs>(c.sandbox_retention_ms / 10, 60'000, 600'000);

  static const std::string_view kLevels[] = {"trace", "debug", "info", "warn", "error"};
  if (std::find(std::begin(kLevels), std::end(kLevels), o.log_level) == std::end(kLevels))
    return invalid_argument("--log-level: expected trace, debug, info, warn or error, got '" +
                            o.log_level + "'");
  c.log_level = o.log_level;

  auto min_uid = parse_int64(trim(o.min_task_uid));
  if (!min_uid || *min_uid < 0 || *min_uid > taskcontract::kMaxUid)
    return invalid_argument("--min-task-uid: expected a uid, 0 or more, got '" + o.min_task_uid +
                            "'");
  c.task_users.min_uid = *min_uid;
  auto roles = taskcontract::parse_role_list(o.allow_root_roles);
  if (!roles.ok()) return flag_error("--allow-root-roles", roles.status());
  c.task_users.allow_root_roles = std::move(roles).value();
  BOREALIS_ASSIGN_OR_RETURN(c.default_logger, resolve_default_logger(o));
  if (o.cgroups != "auto" && o.cgroups != "off")
    return invalid_argument("--cgroups: expected auto or off, got '" + o.cgroups + "'");
  c.cgroups.enabled = o.cgroups == "auto";
  if (o.cpu_limit != "quota" && o.cpu_limit != "weight")
    return invalid_argument("--cpu-limit: expected quota or weight, got '" + o.cpu_limit + "'");
  c.cgroups.cpu_limit = o.cpu_limit == "quota" ? CpuLimit::kQuota : CpuLimit::kWeight;
  c.cgroups.pids_max = o.pids_limit;
  c.usage_interval_ms = TimeMs{o.usage_interval} * 1000;
  c.disk_check_interval_ms = TimeMs{o.disk_check_interval} * 1000;
  if (!o.opentsdb_url.empty() && !o.opentsdb_url.starts_with("http://") &&
      !o.opentsdb_url.starts_with("https://"))
    return invalid_argument("--opentsdb-url: expected http://HOST:PORT, got '" + o.opentsdb_url +
                            "'");
  c.opentsdb.url = o.opentsdb_url;
  c.opentsdb.interval_ms = TimeMs{o.opentsdb_interval} * 1000;
  if (!o.artifact_cache.empty()) {
    if (o.artifact_cache[0] != '/')
      return invalid_argument("--artifact-cache: expected an absolute path, got '" +
                              o.artifact_cache + "'");
    c.artifacts.cache_dir = o.artifact_cache;
  }
  auto cache_bytes = parse_bytes(o.artifact_cache_size);
  if (!cache_bytes.ok()) return flag_error("--artifact-cache-size", cache_bytes.status());
  if (*cache_bytes < 1) return invalid_argument("--artifact-cache-size: must be at least 1 byte");
  c.artifacts.cache_bytes = *cache_bytes;
  c.artifacts.fetch_timeout = std::chrono::seconds(o.artifact_fetch_timeout);
  BOREALIS_RETURN_IF_ERROR(resolve_announcer_options(o, &c));
  // Last: what the values mean together (an open API on a public address).
  if (!o.auth_file.empty()) {
    auto auth = auth::AuthConfig::load_file(o.auth_file);
    if (!auth.ok()) return flag_error("--auth-file", auth.status());
    c.auth = std::make_shared<const auth::AuthConfig>(std::move(auth).value());
  }
  BOREALIS_RETURN_IF_ERROR(
      auth::check_bind_address(c.http_bind, c.auth != nullptr, o.insecure, "--http-bind"));
  if (!o.token_file.empty()) {
    auto token = auth::read_token_file(o.token_file);
    if (!token.ok()) return flag_error("--token-file", token.status());
    c.scheduler_token = std::move(token).value();
  }
  return c;
}

}  // namespace borealis::agent
