// The `job` noun: groups the verbs that act on one job or list jobs; the `task` noun: the
// verbs that act on one instance's task.
#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace borealis::cli {

void register_job_commands(CLI::App& app, CommandContext& ctx) {
  CLI::App* job = app.add_subcommand("job", "Create, inspect, restart and kill jobs");
  require_verb(job, ctx);
  register_job_create(*job, ctx);
  register_job_inspect(*job, ctx);
  register_job_diff(*job, ctx);
  register_job_status(*job, ctx);
  register_job_list(*job, ctx);
  register_job_kill(*job, ctx);
  register_job_restart(*job, ctx);
  register_job_history(*job, ctx);
  register_job_logs(*job, ctx);
  register_job_tail(*job, ctx);
  register_job_discover(*job, ctx);
}

void register_task_commands(CLI::App& app, CommandContext& ctx) {
  CLI::App* task =
      app.add_subcommand("task", "Act on tasks: run a command or ssh in their sandboxes");
  require_verb(task, ctx);
  register_task_run(*task, ctx);
  register_task_ssh(*task, ctx);
}

}  // namespace borealis::cli
