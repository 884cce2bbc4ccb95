// The `manage` verbs that act on a running job without its template:
//   borealis manage status|kill|restart JOB --stage STAGE [--configs DIR]
// Each resolves JOB + STAGE to the job key through the stage file, then does what its
// `borealis job` command does.
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/job_actions.h"
#include "cli/manage_args.h"

namespace borealis::cli {

namespace {

const CommandDoc kStatusDoc = {"status", "Show the job's tasks (as 'borealis job status')",
                               "Example:\n"
                               "  borealis manage status eightball --stage prod\n"};
const CommandDoc kKillDoc = {"kill", "Kill every instance of the job (as 'borealis job killall')",
                             "Example:\n"
                             "  borealis manage kill eightball --stage devel\n"};
const CommandDoc kRestartDoc = {
    "restart", "Restart the job's instances in rolling batches (as 'borealis job restart')",
    "Example:\n"
    "  borealis manage restart eightball --stage prod --batch-size 2\n"};

struct StatusOptions : ManageArgs {
  std::string output = "text";
};
struct RestartOptions : ManageArgs, RestartArgs {};

int run_status(const StatusOptions& o, const CommandContext& ctx, const CLI::App* sub) {
  auto key = resolve_job_key(o, ctx);
  if (!key) return key.exit_code;
  return show_job_status(ShowArgs{key->to_string(), o.output}, ctx, sub);
}

int run_kill(const ManageArgs& o, const CommandContext& ctx, const CLI::App* sub) {
  auto key = resolve_job_key(o, ctx);
  if (!key) return key.exit_code;
  return kill_every_instance(key->to_string(), ctx, sub);
}

int run_restart(const RestartOptions& o, const CommandContext& ctx, const CLI::App* sub) {
  auto key = resolve_job_key(o, ctx);
  if (!key) return key.exit_code;
  RestartArgs args = o;
  args.key = key->to_string();
  return restart_job(args, ctx, sub);
}

}  // namespace

void register_manage_control(CLI::App& manage, CommandContext& ctx) {
  auto [status, so] = add_command<StatusOptions>(manage, ctx, kStatusDoc, run_status);
  add_manage_args(status, so);
  add_output_option(status, &so->output);

  auto [kill, ko] = add_command<ManageArgs>(manage, ctx, kKillDoc, run_kill);
  add_manage_args(kill, ko);

  auto [restart, ro] = add_command<RestartOptions>(manage, ctx, kRestartDoc, run_restart);
  add_manage_args(restart, ro);
  add_restart_options(restart, ro);
}

}  // namespace borealis::cli
