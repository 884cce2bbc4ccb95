// One simulator run (docs/simulator.md): start (or find) the scheduler, register the
// simulated agents, submit the workload through the public API while probing the API's
// latency, wait until the scheduler reports every task RUNNING, then optionally kill -9 the
// scheduler and time its recovery, and fill the cluster with the standard mix to measure
// packing. With several schedulers (HA mode) it talks to their leader, and the kill -9 of
// the leader times the failover to another instead of a restart.
//
// Threading: run() blocks the calling thread; the agents run on their own threads.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "sim/sim_report.h"
#include "sim/workload.h"

namespace borealis::sim {

struct SimOptions {
  std::vector<std::string> scheduler_urls;  // http://HOST:PORT; several: HA mode
  std::string token;                        // "" = none (a scheduler without --auth-file)
  int agents = 100;
  int64_t tasks = 1000;
  int64_t jobs = 0;  // 0: one job per 1000 tasks
  Workload workload = Workload::kUniform;
  int threads = 1;        // io threads for the agents
  double agent_cpu = 64;  // each agent's
  int64_t agent_ram_mb = 262144;
  int64_t agent_disk_mb = 4194304;
  std::string role = "www-data";
  std::string environment = "devel";
  // Shell commands, one per URL in the same order; none: the schedulers already run.
  std::vector<std::string> start_schedulers;
  std::string scheduler_log = "borealis-sim-scheduler.log";  // several: LOG.0, LOG.1, ...
  int scheduler_pid = 0;  // for RSS when the scheduler was not started here
  bool recovery = true;   // kill -9 and restart (needs one started scheduler)
  bool failover = false;  // kill -9 the leader (needs two or more started schedulers)
  bool packing = false;
  int64_t packing_chunk = 0;  // instances per packing job; 0: agents / 2
  int probe_interval_ms = 100;
  int timeout_secs = 900;  // for each phase
};

Result<SimReport> run_simulation(const SimOptions& options);

}  // namespace borealis::sim
