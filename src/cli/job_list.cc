// borealis job list CLUSTER[/ROLE[/ENV]] [--output json]
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/job_args.h"
#include "cli/output.h"

namespace borealis::cli {

namespace {

const CommandDoc kListDoc = {"list", "List the jobs of a cluster, role or environment",
                             "Examples:\n"
                             "  borealis job list devcluster\n"
                             "  borealis job list devcluster/www-data/prod --output json\n"};

int run_list(const ShowArgs& o, const CommandContext& ctx, const CLI::App* sub) {
  auto c = connect_parsed(parse_job_filter(o.what), ctx, sub);
  if (!c) return c.exit_code;
  const JobFilter& filter = c->key;
  auto jobs = c->api->list_jobs(filter.role, filter.environment);
  if (!jobs.ok()) return fail(ctx, jobs.status());
  return print_response(ctx, o.output, *jobs, [&](const JobList& list) {
    return format_job_list(list, filter.to_string());
  });
}

}  // namespace

void register_job_list(CLI::App& job, CommandContext& ctx) {
  auto [sub, o] = add_command<ShowArgs>(job, ctx, kListDoc, run_list);
  sub->add_option("scope", o->what, "CLUSTER, CLUSTER/ROLE or CLUSTER/ROLE/ENVIRONMENT")
      ->required();
  add_output_option(sub, &o->output);
}

}  // namespace borealis::cli
