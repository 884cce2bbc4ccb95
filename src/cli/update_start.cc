// The `update` noun, and `borealis update start CLUSTER/ROLE/ENV/NAME[/INSTANCES] FILE
//     [--bind NAME=VALUE]... [--message TEXT] [--wait [--wait-timeout SECS]] [--output json]`
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/job_actions.h"
#include "cli/job_args.h"
#include "cli/job_file_args.h"
#include "cli/update_wait.h"
#include "jobspec/job_spec_json.h"

namespace borealis::cli {

namespace {

const CommandDoc kStartDoc = {
    "start", "Start a rolling update of a running job to the configuration in FILE",
    "The scheduler runs the update: only instances whose task changes are replaced, in\n"
    "batches, each watched for watch_secs, rolled back when too many fail (the job's\n"
    "update_config). The update goes on if this command is interrupted.\n\n"
    "Examples:\n"
    "  borealis update start devcluster/www-data/prod/web web.aurora --wait\n"
    "  borealis update start devcluster/www-data/prod/web/0 web.aurora -m canary\n"};

struct StartOptions : JobFileArgs, UpdateStartArgs {};

int run_start(const StartOptions& o, const CommandContext& ctx, const CLI::App* sub) {
  auto key = parse_instance_key(o.key);
  if (!key.ok()) return usage_error(ctx, sub, key.status().message());
  auto job = load_job_to_send(o, key->key, ctx, sub);
  if (!job) return job.exit_code;
  return start_loaded_update(*job, *key, o, ctx);
}

}  // namespace

int start_loaded_update(JobToSend& job, const InstanceKey& key, const UpdateStartArgs& args,
                        const CommandContext& ctx) {
  if (Status st = check_cluster_can_run(job.spec, job.cluster); !st.ok()) return fail(ctx, st);
  auto started = job.api->start_update(key.key.job, jobspec::job_spec_to_json(job.spec),
                                       key.instances, args.message);
  if (!started.ok())
    return fail(ctx, started.status().with_context("starting an update of " + key.key.to_string()));
  const bool json = args.output == "json";
  if (started->noop) {  // nothing to roll out: success, as in Aurora
    if (json)
      print_json(ctx.out, started->raw);
    else
      ctx.out << "Job " << key.key.to_string() << " is unchanged by the proposed update ("
              << started->noop_message << "); nothing to do.\n";
    return kExitOk;
  }
  return report_started_update(*job.api, key.key, *started, ctx, json, args.wait,
                               args.wait_timeout_secs * 1000);
}

void register_update_commands(CLI::App& app, CommandContext& ctx) {
  CLI::App* update =
      app.add_subcommand("update", "Roll out a new configuration, and watch and steer updates");
  require_verb(update, ctx);
  register_update_start(*update, ctx);
  register_update_control(*update, ctx);
  register_update_view(*update, ctx);
}

void add_update_start_options(CLI::App* sub, UpdateStartArgs* o) {
  sub->add_option("--message,-m", o->message, "Why: recorded with the update");
  sub->add_flag("--wait", o->wait,
                "Wait until the update ends; exit 1 unless it ends ROLLED_FORWARD");
  add_wait_timeout_option(
      sub, &o->wait_timeout_secs,
      "Seconds --wait waits before failing (the update goes on); 0 waits forever");
  add_output_option(sub, &o->output);
}

void register_update_start(CLI::App& update, CommandContext& ctx) {
  auto [sub, o] = add_command<StartOptions>(update, ctx, kStartDoc, run_start);
  sub->add_option("key", o->key,
                  "CLUSTER/ROLE/ENVIRONMENT/NAME, optionally /INSTANCES (0-1,4) to update only "
                  "those (a canary)")
      ->required();
  add_config_file_arg(sub, &o->file);
  add_bind_option(sub, &o->binds);
  add_update_start_options(sub, o);
}

}  // namespace borealis::cli
