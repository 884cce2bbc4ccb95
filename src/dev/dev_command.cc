#include "dev/dev_command.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>

#include "agent/agent.h"
#include "agent/agent_options.h"
#include "common/log.h"
#include "scheduler/server/scheduler_command.h"
#include "scheduler/server/scheduler_service.h"

namespace borealis::dev {

namespace {

std::string default_state_dir() {
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : "/tmp") + "/.borealis/dev";
}

}  // namespace

CLI::App* add_dev_command(CLI::App& app, DevOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "dev", "Run a local cluster (scheduler + one agent) in this process, for development");
  cmd->add_option("--state-dir", o.state_dir, "Where state, sandboxes and logs live")
      ->default_str("~/.borealis/dev");
  cmd->add_option("--http-port", o.http_port, "Port of the scheduler's API (devcluster: 8081)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  cmd->add_option("--agent-http-port", o.agent_http_port,
                  "Port of the agent's API (default: a free port, printed at start)")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--ports", o.ports, "Ports the agent hands to tasks, LO-HI")
      ->capture_default_str();
  cmd->add_option("--log-level", o.log_level, "trace, debug, info, warn or error")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}))
      ->capture_default_str();
  cmd->footer("Example:\n  borealis dev --state-dir /tmp/borealis-dev");
  return cmd;
}

int run_dev(const DevOptions& options) {
  init_logging("dev", options.log_level);
  scheduler::block_stop_signals();
  std::string state = options.state_dir.empty() ? default_state_dir() : options.state_dir;

  scheduler::SchedulerOptions so;
  so.cluster = "devcluster";
  so.store = "sqlite://" + state + "/scheduler/state.db";
  so.bind_address = "127.0.0.1";
  so.http_port = options.http_port;
  so.poll_timeout_ms = 2000;
  so.log_level = options.log_level;
  scheduler::SchedulerService scheduler(so);
  Status st = scheduler.start();
  if (!st.ok()) {
    std::fprintf(stderr, "borealis dev: cannot start the scheduler: %s\n", st.message().c_str());
    return 1;
  }

  agent::AgentOptions ao;
  ao.scheduler = "http://127.0.0.1:" + std::to_string(scheduler.port());
  ao.work_dir = state + "/agent";
  ao.http_bind = "127.0.0.1";
  ao.http_port = std::to_string(options.agent_http_port);
  ao.ports = options.ports;
  ao.log_level = options.log_level;
  agent::SystemHostProbe probe;
  auto config = agent::resolve_agent_options(ao, probe);
  if (!config.ok()) {
    std::fprintf(stderr, "borealis dev: %s\n", config.status().message().c_str());
    return 2;
  }
  // On a developer's machine tasks run as the developer, whatever their role says.
  config->run_tasks_as_agent_user = true;
  auto agent = agent::Agent::start(*config);
  if (!agent.ok()) {
    std::fprintf(stderr, "borealis dev: cannot start the agent: %s\n",
                 agent.status().message().c_str());
    return 1;
  }
  spdlog::info("devcluster: scheduler http://127.0.0.1:{}, agent http://127.0.0.1:{}, state {}",
               scheduler.port(), (*agent)->http_port(), state);
  // The same on stdout, for scripts that start `borealis dev` and need its ports.
  std::printf("devcluster: scheduler http://127.0.0.1:%d agent http://127.0.0.1:%d state %s\n",
              static_cast<int>(scheduler.port()), static_cast<int>((*agent)->http_port()),
              state.c_str());
  std::fflush(stdout);
  int sig = scheduler::wait_for_stop_signal();
  spdlog::info("signal {}: stopping (tasks keep running and are found again next time)", sig);
  agent->reset();
  scheduler.stop();
  return 0;
}

}  // namespace borealis::dev
