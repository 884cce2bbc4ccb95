// The `job` noun: groups the verbs that act on one job or list jobs.
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
}

}  // namespace borealis::cli
