// Options of `borealis scheduler`, described once in scheduler_option_table(): the flags,
// their defaults and help come from there, and so does the table in docs/operations.md.
// `borealis dev` composes the same struct (dev/dev_command.h).
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <string>

#include "common/option_table.h"
#include "scheduler/core/core.h"
#include "taskcontract/task_user_policy.h"

namespace borealis::scheduler {

struct SchedulerOptions {
  std::string cluster = "devcluster";
  std::string store;                 // sqlite:///path or postgresql://user@host:port/db
  int store_retry_secs = 30;         // PostgreSQL: reconnecting after a lost connection
  std::string backup_dir;            // "" = DIR-OF-STATE.db/backups for SQLite; off for PostgreSQL
  int backup_interval_minutes = 60;  // 0 = only on request
  int backup_keep = 24;
  std::string bind_address = "0.0.0.0";
  std::string auth_file;  // "" = no authentication (loopback only unless insecure)
  bool insecure = false;
  int http_port = 8081;
  int agent_timeout_secs = 15;
  int poll_timeout_ms = 5000;
  int flapping_threshold_secs = 300;
  int initial_flapping_delay_ms = 5000;
  int max_flapping_delay_secs = 300;
  int max_instances = 10000;
  int sla_min_instances = 20;  // Aurora's -min_required_instances_for_sla_check
  bool sla_aware_kill_non_prod = false;
  bool container_images = false;
  std::string cron_timezone = "UTC";  // zone cron schedules are read in (docs/cron.md)
  // Bounded history (core/history_pruner.h): ended tasks and cron runs kept.
  int history_max_terminal_tasks_per_job = 100;
  int history_max_age_hours = 24;
  int history_max_cron_runs_per_job = 20;
  int tick_ms = 100;
  std::string log_level = "info";
  int min_task_uid = static_cast<int>(taskcontract::kDefaultMinTaskUid);
  std::string allow_root_roles;  // ROLE,...
  // No flag: off where tasks run as the agent's user whatever their role (`borealis dev`
  // run by a developer, test clusters).
  bool check_task_users = true;
  // HTTPS for the API and the agent protocol; with tls_ca, mutual TLS.
  std::string tls_cert;
  std::string tls_key;
  std::string tls_ca;
  int max_connections = 4096;
  // Leader election and announcement in ZooKeeper (leader_announcement.h); off without zk:
  // then this scheduler leads alone.
  std::string zk;                          // HOST:PORT[,...][/chroot]
  std::string zk_auth;                     // file holding user:password
  std::string scheduler_zk_path;           // "" = /borealis/CLUSTER/scheduler
  std::string advertise_host;              // "" = bind_address, or the hostname for a wildcard
  std::string scheduler_election_zk_path;  // "" = /borealis/CLUSTER/scheduler-election
  int zk_session_timeout_ms = 4000;
};

const OptionTable<SchedulerOptions>& scheduler_option_table();

// Where backups go: --backup-dir, else `backups` beside a SQLite store's file; "" (off) for
// a PostgreSQL store without --backup-dir.
std::string backup_dir(const SchedulerOptions& options);

// What the Core runs with: the options in the Core's units.
CoreOptions core_options(const SchedulerOptions& options);

}  // namespace borealis::scheduler
