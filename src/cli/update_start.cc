// The `update` noun, and `borealis update start CLUSTER/ROLE/ENV/NAME[/INSTANCES] FILE
//     [--bind NAME=VALUE]... [--message TEXT] [--wait [--wait-timeout SECS]] [--output json]`
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/job_args.h"
#include "cli/job_file.h"
#include "cli/update_format.h"
#include "cli/update_wait.h"
#include "jobspec/job_spec_json.h"

namespace borealis::cli {

namespace {

struct StartOptions {
  std::string key;
  std::string file;
  std::vector<std::string> binds;
  std::string message;
  bool wait = false;
  int64_t wait_timeout_secs = 0;
  std::string output = "text";
};

int run_start(const StartOptions& o, const CommandContext& ctx, const CLI::App* sub) {
  auto key = parse_instance_key(o.key);
  if (!key.ok()) return usage_error(ctx, sub, key.status().message());
  auto binds = parse_binds(o.binds);
  if (!binds.ok()) return usage_error(ctx, sub, binds.status().message());

  auto job = load_job_spec(o.file, key->key, *binds);
  if (!job.ok()) return fail(ctx, job.status());
  ClusterInfo info;
  auto api = connect(ctx.env, key->key.cluster, &info);
  if (!api.ok()) return fail(ctx, api.status());
  if (Status st = check_cluster_can_run(*job, info); !st.ok()) return fail(ctx, st);

  auto started = (*api)->start_update(key->key.job, jobspec::job_spec_to_json(*job), key->instances,
                                      o.message);
  if (!started.ok())
    return fail(ctx,
                started.status().with_context("starting an update of " + key->key.to_string()));
  const bool json = o.output == "json";
  if (started->noop) {  // nothing to roll out: success, as in Aurora
    if (json)
      print_json(ctx.out, started->raw);
    else
      ctx.out << "Job " << key->key.to_string() << " is unchanged by the proposed update ("
              << started->noop_message << "); nothing to do.\n";
    return kExitOk;
  }
  if (!o.wait) {
    if (json) {
      print_json(ctx.out, started->raw);
    } else {
      ctx.out << "Started " << format_update_line(*started) << ".\n"
              << "Follow it with 'borealis update wait " << key->key.to_string() << " "
              << started->update_id << "'.\n";
    }
    return kExitOk;
  }
  if (!json) ctx.out << "Started " << format_update_line(*started) << ".\n";
  return wait_and_report(**api, key->key, started->update_id, ctx, json,
                         o.wait_timeout_secs * 1000);
}

}  // namespace

void register_update_commands(CLI::App& app, CommandContext& ctx) {
  CLI::App* update =
      app.add_subcommand("update", "Roll out a new configuration, and watch and steer updates");
  require_verb(update, ctx);
  register_update_start(*update, ctx);
  register_update_control(*update, ctx);
  register_update_view(*update, ctx);
}

void register_update_start(CLI::App& update, CommandContext& ctx) {
  auto o = std::make_shared<StartOptions>();
  CLI::App* sub = update.add_subcommand(
      "start", "Start a rolling update of a running job to the configuration in FILE");
  sub->add_option("key", o->key,
                  "CLUSTER/ROLE/ENVIRONMENT/NAME, optionally /INSTANCES (0-1,4) to update only "
                  "those (a canary)")
      ->required();
  sub->add_option("file", o->file, "Aurora config (.aurora) or Aurora JSON job (.json)")
      ->required();
  sub->add_option("--bind", o->binds, "NAME=VALUE: binds {{NAME}} in the config (repeatable)");
  sub->add_option("--message,-m", o->message, "Why: recorded with the update");
  sub->add_flag("--wait", o->wait,
                "Wait until the update ends; exit 1 unless it ends ROLLED_FORWARD");
  sub->add_option("--wait-timeout", o->wait_timeout_secs,
                  "Seconds --wait waits before failing (the update goes on); 0 waits forever")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  add_output_option(sub, &o->output);
  sub->footer(
      "The scheduler runs the update: only instances whose task changes are replaced, in\n"
      "batches, each watched for watch_secs, rolled back when too many fail (the job's\n"
      "update_config). The update goes on if this command is interrupted.\n\n"
      "Examples:\n"
      "  borealis update start devcluster/www-data/prod/web web.aurora --wait\n"
      "  borealis update start devcluster/www-data/prod/web/0 web.aurora -m canary\n");
  ctx.table.on_run(sub, [o, &ctx, sub] { return run_start(*o, ctx, sub); });
}

}  // namespace borealis::cli
