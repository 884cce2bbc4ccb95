// borealis job status CLUSTER/ROLE/ENV/NAME[/INSTANCES] [--output json]
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/job_actions.h"
#include "cli/job_args.h"
#include "cli/output.h"

namespace borealis::cli {

namespace {

const CommandDoc kStatusDoc = {
    "status", "Show a job's tasks: where they run, their state",
    "Shows the active task of every instance (a PENDING task says why it waits) and the\n"
    "tasks that ended recently. AGE is the time since a task last changed status.\n\n"
    "Examples:\n"
    "  borealis job status devcluster/www-data/prod/hello\n"
    "  borealis job status devcluster/www-data/prod/hello/0-1 --output json\n"};

}  // namespace

int show_job_status(const ShowArgs& o, const CommandContext& ctx, const CLI::App* sub) {
  auto c = connect_instance_key(o.what, ctx, sub);
  if (!c) return c.exit_code;
  const ClusterJobKey& key = c->key.key;
  TaskQuery query;
  query.instances = c->key.instances;
  if (o.output == "json") {
    auto tasks = c->api->tasks(key.job, query);
    if (!tasks.ok()) return fail(ctx, tasks.status());
    print_json(ctx.out, tasks->raw);
    return kExitOk;
  }
  auto job = c->api->get_job(key.job);
  if (!job.ok()) return fail(ctx, job.status());
  auto tasks = c->api->tasks(key.job, query);
  if (!tasks.ok()) return fail(ctx, tasks.status());
  ctx.out << format_job_status(job->summary, *tasks, ctx.env.clock->now_ms());
  return kExitOk;
}

void register_job_status(CLI::App& job, CommandContext& ctx) {
  auto [sub, o] = add_command<ShowArgs>(job, ctx, kStatusDoc, show_job_status);
  sub->add_option("key", o->what,
                  "The job: CLUSTER/ROLE/ENVIRONMENT/NAME, optionally /INSTANCES (0-2,5)")
      ->required();
  add_output_option(sub, &o->output);
}

}  // namespace borealis::cli
