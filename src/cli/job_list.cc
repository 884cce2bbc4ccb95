// borealis job list CLUSTER[/ROLE[/ENV]] [--output json]
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/job_args.h"
#include "cli/output.h"

namespace borealis::cli {

namespace {

struct ListOptions {
  std::string scope;
  std::string output = "text";
};

int run_list(const ListOptions& o, const CommandContext& ctx, const CLI::App* sub) {
  auto filter = parse_job_filter(o.scope);
  if (!filter.ok()) return usage_error(ctx, sub, filter.status().message());
  auto api = connect(ctx.env, filter->cluster);
  if (!api.ok()) return fail(ctx, api.status());
  auto jobs = (*api)->list_jobs(filter->role, filter->environment);
  if (!jobs.ok()) return fail(ctx, jobs.status());
  if (o.output == "json") {
    print_json(ctx.out, jobs->raw);
  } else {
    ctx.out << format_job_list(*jobs, filter->to_string());
  }
  return kExitOk;
}

}  // namespace

void register_job_list(CLI::App& job, CommandContext& ctx) {
  auto o = std::make_shared<ListOptions>();
  CLI::App* sub = job.add_subcommand("list", "List the jobs of a cluster, role or environment");
  sub->add_option("scope", o->scope, "CLUSTER, CLUSTER/ROLE or CLUSTER/ROLE/ENVIRONMENT")
      ->required();
  add_output_option(sub, &o->output);
  sub->footer(
      "Examples:\n"
      "  borealis job list devcluster\n"
      "  borealis job list devcluster/www-data/prod --output json\n");
  ctx.table.on_run(sub, [o, &ctx, sub] { return run_list(*o, ctx, sub); });
}

}  // namespace borealis::cli
