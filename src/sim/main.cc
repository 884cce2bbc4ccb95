// borealis-sim: simulated agents against a real scheduler (docs/simulator.md).
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "common/log.h"
#include "sim/simulation.h"

namespace {

using borealis::sim::SimOptions;

// Every agent holds two connections: let the fleet open as many as the hard limit allows.
void raise_descriptor_limit() {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &lim);
  }
}

borealis::Result<std::string> read_token(const std::string& path) {
  std::ifstream in(path);
  if (!in) return borealis::not_found("token file '" + path + "' cannot be read");
  std::string token;
  std::getline(in, token);
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) token.pop_back();
  if (token.empty()) return borealis::invalid_argument("token file '" + path + "' is empty");
  return token;
}

}  // namespace

int main(int argc, char** argv) {
  SimOptions o;
  std::string token_file, output = "text", workload = "uniform", log_level = "warn";
  bool no_recovery = false;
  CLI::App app{
      "Simulated agents against a real Borealis scheduler: placement rate, API latency, "
      "scheduler memory, recovery after kill -9 and packing (docs/simulator.md)"};
  app.add_option("--scheduler", o.scheduler_urls,
                 "the scheduler's URL, http://HOST:PORT; repeated (or a comma list) for several "
                 "schedulers, whose leader the simulator and its agents follow")
      ->required()
      ->delimiter(',');
  app.add_option("--agents", o.agents, "simulated agents")->check(CLI::Range(1, 100000));
  app.add_option("--tasks", o.tasks, "tasks to run")
      ->check(CLI::Range(int64_t{1}, int64_t{10000000}));
  app.add_option("--jobs", o.jobs, "jobs the tasks are spread over (default: one per 1000 tasks)")
      ->check(CLI::Range(int64_t{0}, int64_t{1000000}));
  app.add_option("--token-file", token_file,
                 "a file holding the admin token (scheduler with --auth-file)");
  app.add_option("--output", output, "json or text")->check(CLI::IsMember({"json", "text"}));
  app.add_option("--workload", workload,
                 "uniform (one small shape) or standard (the documented mix)")
      ->check(CLI::IsMember({"uniform", "standard"}));
  app.add_option("--threads", o.threads, "io threads the agents share")->check(CLI::Range(1, 64));
  app.add_option("--agent-cpu", o.agent_cpu, "cores each agent offers")
      ->check(CLI::Range(0.001, 1e6));
  app.add_option("--agent-ram-mb", o.agent_ram_mb, "MiB of RAM each agent offers")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 30));
  app.add_option("--agent-disk-mb", o.agent_disk_mb, "MiB of disk each agent offers")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 30));
  app.add_option("--role", o.role, "the jobs' role: a Unix user the scheduler accepts for tasks");
  app.add_option("--environment", o.environment, "the jobs' environment");
  app.add_option("--start-scheduler", o.start_schedulers,
                 "a shell command that starts the scheduler at --scheduler; the simulator runs "
                 "it, reads its memory, and kill -9s and restarts it to time recovery; repeated, "
                 "one per --scheduler URL in the same order");
  app.add_option("--scheduler-log", o.scheduler_log,
                 "where the started scheduler's output goes (several: FILE.0, FILE.1, ...)");
  app.add_option("--scheduler-pid", o.scheduler_pid,
                 "the scheduler's PID on this host, for its memory");
  app.add_flag("--no-recovery", no_recovery, "do not kill -9 and restart the started scheduler");
  app.add_flag("--failover", o.failover,
               "with several started schedulers: kill -9 the leader once every task runs, and "
               "time the failover to another");
  app.add_flag(
      "--packing", o.packing,
      "after the run, fill the cluster with the standard mix until a task cannot be placed");
  app.add_option("--packing-chunk", o.packing_chunk,
                 "instances per packing job (default: agents / 2)")
      ->check(CLI::Range(int64_t{0}, int64_t{10000}));
  app.add_option("--probe-interval-ms", o.probe_interval_ms, "one API probe request this often")
      ->check(CLI::Range(1, 60000));
  app.add_option("--timeout-secs", o.timeout_secs, "longest wait of each phase")
      ->check(CLI::Range(1, 86400));
  app.add_option("--log-level", log_level, "trace, debug, info, warn or error");
  CLI11_PARSE(app, argc, argv);

  borealis::init_logging("sim", log_level);
  o.workload = workload == "standard" ? borealis::sim::Workload::kStandard
                                      : borealis::sim::Workload::kUniform;
  o.recovery = !no_recovery;
  if (!token_file.empty()) {
    auto token = read_token(token_file);
    if (!token.ok()) {
      std::fprintf(stderr, "borealis-sim: %s\n", token.status().message().c_str());
      return 2;
    }
    o.token = *token;
  }
  raise_descriptor_limit();
  auto report = borealis::sim::run_simulation(o);
  if (!report.ok()) {
    std::fprintf(stderr, "borealis-sim: %s\n", report.status().message().c_str());
    return 1;
  }
  if (output == "json") {
    std::cout << borealis::to_pretty_json(borealis::sim::report_json(*report)) << "\n";
  } else {
    std::cout << borealis::sim::report_text(*report);
  }
  return 0;
}
