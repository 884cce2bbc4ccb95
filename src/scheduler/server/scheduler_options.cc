#include "scheduler/server/scheduler_options.h"

#include <limits>

#include "common/env.h"
#include "common/strings.h"
#include "net/tls_option_specs.h"

namespace borealis::scheduler {

namespace {
using Spec = OptionSpec<SchedulerOptions>;
using O = SchedulerOptions;
}  // namespace

const OptionTable<SchedulerOptions>& scheduler_option_table() {
  static const OptionTable<SchedulerOptions> table = {
      Spec{.flag = "--cluster",
           .value_name = "NAME",
           .help = "name of the cluster this scheduler runs",
           .field = option_field(&O::cluster)},
      Spec{.flag = "--store",
           .value_name = "URL",
           .help =
               "where state is kept: sqlite:///PATH, or postgresql://USER[:PASSWORD]@HOST:PORT/DB "
               "shared by the cluster's schedulers (docs/operations.md#the-store)",
           .field = option_field(&O::store),
           .required = true},
      Spec{.flag = "--store-retry-secs",
           .value_name = "N",
           .help = "PostgreSQL: how long a write reconnects and retries after a lost connection "
                   "before the scheduler exits",
           .field = option_field(&O::store_retry_secs),
           .range = {{1, 3600}}},
      Spec{.flag = "--backup-dir",
           .value_name = "DIR",
           .help = "where store backups are written (borealis admin backup); required for them "
                   "with PostgreSQL",
           .field = option_field(&O::backup_dir),
           .default_text = "backups beside a SQLite store's file"},
      Spec{.flag = "--backup-interval-minutes",
           .value_name = "N",
           .help = "a backup every N minutes; 0 = only on request",
           .field = option_field(&O::backup_interval_minutes),
           .range = {{0, 525600}}},
      Spec{.flag = "--backup-keep",
           .value_name = "N",
           .help = "backups kept: older ones are removed after each backup",
           .field = option_field(&O::backup_keep),
           .range = {{1, 100000}}},
      Spec{.flag = "--bind-address",
           .value_name = "ADDRESS",
           .help = "address the HTTP API listens on",
           .field = option_field(&O::bind_address)},
      Spec{.flag = "--auth-file",
           .value_name = "FILE",
           .help = "users, their tokens' digests and grants (docs/security.md); every route but "
                   "/health then needs 'Authorization: Bearer TOKEN'",
           .field = option_field(&O::auth_file),
           .default_text = "none"},
      Spec{.flag = "--insecure",
           .help = "allow a non-loopback --bind-address without --auth-file",
           .field = option_field(&O::insecure)},
      Spec{.flag = "--http-port",
           .value_name = "N",
           .help = "port of the scheduler's HTTP API, agent protocol and UI; 0 = any free port",
           .field = option_field(&O::http_port),
           .range = {{0, 65535}}},
      Spec{.flag = "--agent-timeout-secs",
           .value_name = "N",
           .help = "an agent silent this long is lost; its tasks are rescheduled",
           .field = option_field(&O::agent_timeout_secs),
           .range = {{1, 3600}}},
      Spec{.flag = "--poll-timeout-ms",
           .value_name = "N",
           .help = "how long an agent's poll is held when there is nothing to send",
           .field = option_field(&O::poll_timeout_ms),
           .range = {{50, 60000}}},
      Spec{.flag = "--flapping-threshold-secs",
           .value_name = "N",
           .help = "a task that ran shorter than this is flapping: its replacement waits",
           .field = option_field(&O::flapping_threshold_secs),
           .range = {{0, 86400}}},
      Spec{.flag = "--initial-flapping-delay-ms",
           .value_name = "N",
           .help = "first wait before a flapping task runs again (doubles each time)",
           .field = option_field(&O::initial_flapping_delay_ms),
           .range = {{0, 3600000}}},
      Spec{.flag = "--max-flapping-delay-secs",
           .value_name = "N",
           .help = "longest wait before a flapping task runs again",
           .field = option_field(&O::max_flapping_delay_secs),
           .range = {{0, 86400}}},
      Spec{.flag = "--max-instances",
           .value_name = "N",
           .help = "most instances one job may have",
           .field = option_field(&O::max_instances),
           .range = {{1, 1000000}}},
      Spec{.flag = "--sla-min-instances",
           .value_name = "N",
           .help = "sla_aware updates check the SLA of jobs with at least this many instances",
           .field = option_field(&O::sla_min_instances),
           .range = {{1, 1000000}}},
      Spec{.flag = "--sla-aware-kill-non-prod",
           .help = "sla_aware updates check the SLA of non-production jobs too",
           .field = option_field(&O::sla_aware_kill_non_prod)},
      Spec{.flag = "--container-images",
           .help = "the agents can run Docker and appc images: accept jobs that need one, and "
                   "say so in GET /api/v1/cluster (capabilities.container_images)",
           .field = option_field(&O::container_images)},
      Spec{.flag = "--cron-timezone",
           .value_name = "ZONE",
           .help = "time zone of the system tz database that cron schedules are read in, e.g. "
                   "America/New_York (docs/cron.md)",
           .field = option_field(&O::cron_timezone)},
      Spec{.flag = "--history-max-terminal-tasks-per-job",
           .value_name = "N",
           .help = "ended tasks a job keeps besides each instance's last one (its outcome); "
                   "older ones are pruned from memory and the store",
           .field = option_field(&O::history_max_terminal_tasks_per_job),
           .range = {{0, 1000000}}},
      Spec{.flag = "--history-max-age-hours",
           .value_name = "N",
           .help = "ended tasks, and jobs with no active task, are pruned once their last "
                   "change is this old",
           .field = option_field(&O::history_max_age_hours),
           .range = {{1, 100000}}},
      Spec{.flag = "--history-max-cron-runs-per-job",
           .value_name = "N",
           .help = "recent runs a cron job keeps (cron show)",
           .field = option_field(&O::history_max_cron_runs_per_job),
           .range = {{1, 10000}}},
      Spec{.flag = "--max-connections",
           .value_name = "N",
           .help = "most open HTTP connections (agents hold two each); above it new ones get 503",
           .field = option_field(&O::max_connections),
           .range = {{1, 1000000}}},
      Spec{.flag = "--zk",
           .value_name = "HOST:PORT[,...][/CHROOT]",
           .help = "ZooKeeper to elect the leader in (--scheduler-election-zk-path); the "
                   "leader is announced at --scheduler-zk-path, where the CLI and agents find it",
           .field = option_field(&O::zk),
           .default_text = "none"},
      Spec{.flag = "--zk-auth",
           .value_name = "FILE",
           .help = "ZooKeeper digest credential 'user:password' (mode 0600, this user's); the "
                   "member is then world-readable and writable by that user only",
           .field = option_field(&O::zk_auth),
           .default_text = "none"},
      Spec{.flag = "--scheduler-zk-path",
           .value_name = "PATH",
           .help = "the schedulers' ServerSet, where the elected leader is the one member",
           .field = option_field(&O::scheduler_zk_path),
           .default_text = "/borealis/CLUSTER/scheduler"},
      Spec{.flag = "--scheduler-election-zk-path",
           .value_name = "PATH",
           .help = "where the schedulers stand for election (candidate_ nodes)",
           .field = option_field(&O::scheduler_election_zk_path),
           .default_text = "/borealis/CLUSTER/scheduler-election"},
      Spec{.flag = "--zk-session-timeout-ms",
           .value_name = "N",
           .help = "ZooKeeper session timeout: a dead leader is replaced after about this long",
           .field = option_field(&O::zk_session_timeout_ms),
           .range = {{1000, 60000}}},
      Spec{.flag = "--advertise-host",
           .value_name = "HOST",
           .help = "the host the ZooKeeper member names",
           .field = option_field(&O::advertise_host),
           .default_text = "--bind-address, or the hostname when that is a wildcard"},
      net::tls_cert_option(&O::tls_cert),
      net::tls_key_option(&O::tls_key),
      net::tls_ca_option(&O::tls_ca),
      Spec{.flag = "--log-level",
           .value_name = "LEVEL",
           .help = "trace, debug, info, warn or error",
           .field = option_field(&O::log_level),
           .choices = {"trace", "debug", "info", "warn", "error"}},
      Spec{.flag = "--min-task-uid",
           .value_name = "N",
           .help = taskcontract::kMinTaskUidHelp,
           .field = option_field(&O::min_task_uid),
           .range = {{0, std::numeric_limits<int>::max()}}},
      Spec{.flag = "--allow-root-roles",
           .value_name = "ROLE,...",
           .help = taskcontract::kAllowRootRolesHelp,
           .field = option_field(&O::allow_root_roles)},
  };
  return table;
}

std::string backup_dir(const SchedulerOptions& o) {
  if (!o.backup_dir.empty()) return o.backup_dir;
  const std::string sqlite = "sqlite://";
  if (!starts_with(o.store, sqlite)) return "";
  return parent_dir(o.store.substr(sqlite.size())) + "/backups";
}

CoreOptions core_options(const SchedulerOptions& o) {
  CoreOptions co;
  co.cluster = o.cluster;
  co.container_images = o.container_images;
  co.agent_timeout_ms = o.agent_timeout_secs * 1000LL;
  co.flapping_threshold_ms = o.flapping_threshold_secs * 1000LL;
  co.initial_flapping_delay_ms = o.initial_flapping_delay_ms;
  co.max_flapping_delay_ms = o.max_flapping_delay_secs * 1000LL;
  co.limits.max_instances = o.max_instances;
  co.sla_min_instances = o.sla_min_instances;
  co.sla_aware_kill_non_prod = o.sla_aware_kill_non_prod;
  co.cron_timezone = o.cron_timezone;
  co.history.max_ended_tasks_per_job = static_cast<size_t>(o.history_max_terminal_tasks_per_job);
  co.history.max_age_ms = o.history_max_age_hours * 3600'000LL;
  co.cron_runs_kept = static_cast<size_t>(o.history_max_cron_runs_per_job);
  return co;
}

}  // namespace borealis::scheduler
