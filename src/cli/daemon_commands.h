// The daemon subcommands of `borealis`: `scheduler`, `agent`, `dev` and `router`, registered here
// and only here. Each daemon is an options struct with its OptionTable (common/option_table.h) and
// a function that runs it; this file turns the tables into CLI11 options, so every daemon's flags,
// checks, --help and docs come from its table. Owned by the lead (this file, daemon_commands.cc,
// and the libraries they link in src/cli/CMakeLists.txt); the CLI library does not depend on them.
// main() passes register_daemon_commands to run_cli.
//
// Thread-safety: call from main's thread, before other threads start.
#pragma once

#include <functional>

#include "agent/agent_options.h"
#include "cli/command.h"
#include "dev/dev_command.h"
#include "router/router_command.h"
#include "scheduler/server/scheduler_options.h"

namespace borealis::cli {

// What each daemon command runs once its flags are parsed; the result is the exit code.
struct DaemonRunners {
  std::function<int(const scheduler::SchedulerOptions&)> scheduler;
  std::function<int(const agent::AgentOptions&)> agent;
  std::function<int(const dev::DevOptions&)> dev;
  std::function<int(const router::RouterOptions&)> router;
};

// The real daemons: scheduler::run_scheduler, agent::run_agent, dev::run_dev,
// router::run_router.
DaemonRunners real_daemons();

// Adds the four subcommands; `runners` is what they run: real_daemons() in main, recorders
// in tests.
void register_daemon_commands(CLI::App& app, CommandTable& table, DaemonRunners runners);

}  // namespace borealis::cli
