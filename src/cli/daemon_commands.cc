#include "cli/daemon_commands.h"

#include <CLI/CLI.hpp>
#include <memory>

#include "scheduler/server/scheduler_command.h"

namespace borealis::cli {

void register_daemon_commands(CLI::App& app, CommandTable& table) {
  // Options live as long as the process: the action runs after parsing.
  static scheduler::SchedulerOptions scheduler_options;
  CLI::App* sched = scheduler::add_scheduler_command(app, scheduler_options);
  table.on_run(sched, [] { return scheduler::run_scheduler(scheduler_options); });
}

}  // namespace borealis::cli
