// borealis job status CLUSTER/ROLE/ENV/NAME[/INSTANCES] [--output json]
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/job_args.h"
#include "cli/output.h"

namespace borealis::cli {

namespace {

struct StatusOptions {
  std::string key;
  std::string output = "text";
};

int run_status(const StatusOptions& o, const CommandContext& ctx, const CLI::App* sub) {
  auto key = parse_instance_key(o.key);
  if (!key.ok()) return usage_error(ctx, sub, key.status().message());
  auto api = connect(ctx.env, key->key.cluster);
  if (!api.ok()) return fail(ctx, api.status());

  TaskQuery query;
  query.instances = key->instances;
  if (o.output == "json") {
    auto tasks = (*api)->tasks(key->key.job, query);
    if (!tasks.ok()) return fail(ctx, tasks.status());
    print_json(ctx.out, tasks->raw);
    return kExitOk;
  }
  auto job = (*api)->get_job(key->key.job);
  if (!job.ok()) return fail(ctx, job.status());
  auto tasks = (*api)->tasks(key->key.job, query);
  if (!tasks.ok()) return fail(ctx, tasks.status());
  ctx.out << format_job_status(job->summary, *tasks, ctx.env.clock->now_ms());
  return kExitOk;
}

}  // namespace

void register_job_status(CLI::App& job, CommandContext& ctx) {
  auto o = std::make_shared<StatusOptions>();
  CLI::App* sub = job.add_subcommand("status", "Show a job's tasks: where they run, their state");
  sub->add_option("key", o->key,
                  "The job: CLUSTER/ROLE/ENVIRONMENT/NAME, optionally /INSTANCES (0-2,5)")
      ->required();
  add_output_option(sub, &o->output);
  sub->footer(
      "Shows the active task of every instance (a PENDING task says why it waits) and the\n"
      "tasks that ended recently. AGE is the time since a task last changed status.\n\n"
      "Examples:\n"
      "  borealis job status devcluster/www-data/prod/hello\n"
      "  borealis job status devcluster/www-data/prod/hello/0-1 --output json\n");
  ctx.table.on_run(sub, [o, &ctx, sub] { return run_status(*o, ctx, sub); });
}

}  // namespace borealis::cli
