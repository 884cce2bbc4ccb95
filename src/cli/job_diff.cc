// borealis job diff CLUSTER/ROLE/ENV/NAME FILE [--bind NAME=VALUE]...
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/job_args.h"
#include "cli/job_file.h"
#include "cli/text_diff.h"
#include "common/json.h"
#include "jobspec/job_spec_json.h"

namespace borealis::cli {

namespace {

struct DiffOptions {
  std::string key;
  std::string file;
  std::vector<std::string> binds;
};

// The running job's spec in the same canonical form as the file's (both through
// job_spec_to_json), so only real differences show; as received if this client cannot
// read it (a newer scheduler).
std::string canonical(const json::value& spec) {
  auto parsed = jobspec::job_spec_from_json(spec);
  return to_pretty_json(parsed.ok() ? jobspec::job_spec_to_json(*parsed) : spec);
}

int run_diff(const DiffOptions& o, const CommandContext& ctx, const CLI::App* sub) {
  auto key = parse_job_key_arg(o.key);
  if (!key.ok()) return usage_error(ctx, sub, key.status().message());
  auto binds = parse_binds(o.binds);
  if (!binds.ok()) return usage_error(ctx, sub, binds.status().message());
  auto job = load_job_spec(o.file, *key, *binds);
  if (!job.ok()) return fail(ctx, job.status());
  auto api = connect(ctx.env, key->cluster);
  if (!api.ok()) return fail(ctx, api.status());
  auto running = (*api)->get_job(key->job);
  if (!running.ok()) return fail(ctx, running.status().with_context("diffing " + o.key));

  std::string diff =
      unified_diff(canonical(running->spec), to_pretty_json(jobspec::job_spec_to_json(*job)),
                   "running " + key->to_string(), o.file);
  ctx.out << (diff.empty() ? "no changes\n" : diff);
  return kExitOk;
}

}  // namespace

void register_job_diff(CLI::App& job, CommandContext& ctx) {
  auto o = std::make_shared<DiffOptions>();
  CLI::App* sub =
      job.add_subcommand("diff", "Show what a config file would change in the running job");
  sub->add_option("key", o->key, "The job: CLUSTER/ROLE/ENVIRONMENT/NAME")->required();
  sub->add_option("file", o->file, "Aurora config (.aurora) or Aurora JSON job (.json)")
      ->required();
  sub->add_option("--bind", o->binds, "NAME=VALUE: binds {{NAME}} in the config (repeatable)");
  sub->footer(
      "Compares the job's JobSpec as the scheduler runs it with the one FILE gives, as a\n"
      "unified diff of their JSON ('-' running, '+' the file); prints 'no changes' when\n"
      "they are the same. Exit status 0 either way.\n\n"
      "Example:\n"
      "  borealis job diff devcluster/www-data/prod/web web.aurora --bind version=43\n");
  ctx.table.on_run(sub, [o, &ctx, sub] { return run_diff(*o, ctx, sub); });
}

}  // namespace borealis::cli
