// borealis job inspect CLUSTER/ROLE/ENV/NAME FILE [--bind NAME=VALUE]... [--output json]
// borealis config list FILE [--bind NAME=VALUE]...
// Both read only the file; neither talks to a scheduler.
#include <CLI/CLI.hpp>
#include <algorithm>

#include "cli/commands.h"
#include "cli/inspect_format.h"
#include "cli/job_actions.h"
#include "cli/job_args.h"
#include "cli/job_file_args.h"
#include "common/json.h"
#include "jobspec/job_spec_json.h"

namespace borealis::cli {

namespace {

const CommandDoc kInspectDoc = {
    "inspect", "Show the job a config file defines for a key, as loaded",
    "Loads and checks the job on this machine; nothing is sent to a scheduler.\n\n"
    "Examples:\n"
    "  borealis job inspect devcluster/www-data/devel/hello_world hello_world.aurora\n"
    "  borealis job inspect devcluster/www-data/prod/web web.aurora --bind version=42 -o "
    "json\n"};

const CommandDoc kConfigListDoc = {
    "list", "List the job keys a config file defines",
    "One key per line, sorted. A job that cannot be used is listed too, with a warning on\n"
    "stderr saying why.\n\n"
    "Example:\n"
    "  borealis config list web.aurora\n"};

struct InspectOptions : JobFileArgs {
  std::string output = "text";
};

int run_inspect(const InspectOptions& o, const CommandContext& ctx, const CLI::App* sub) {
  auto key = parse_job_key_arg(o.key);
  if (!key.ok()) return usage_error(ctx, sub, key.status().message());
  auto jobs = load_file_jobs(o, ctx, sub);
  if (!jobs) return jobs.exit_code;
  auto job = select_job(*jobs, *key, o.file);
  if (!job.ok()) return fail(ctx, job.status());
  return print_loaded_job(*job, o.output, ctx);
}

int run_config_list(const JobFileArgs& o, const CommandContext& ctx, const CLI::App* sub) {
  auto jobs = load_file_jobs(o, ctx, sub);
  if (!jobs) return jobs.exit_code;
  std::vector<std::string> keys;
  for (const config::LoadedJob& job : *jobs) {
    keys.push_back(display_job_key(job.key));
    // A broken job is still listed (its key is what a command would name), with why it
    // cannot be used.
    if (!job.status.ok()) ctx.err << "warning: " << o.file << ": " << job.status.message() << "\n";
  }
  std::sort(keys.begin(), keys.end());
  for (const std::string& k : keys) ctx.out << k << "\n";
  return kExitOk;
}

}  // namespace

int print_loaded_job(const config::LoadedJob& job, const std::string& output,
                     const CommandContext& ctx) {
  if (output == "json") {
    ctx.out << to_pretty_json(jobspec::job_spec_to_json(job.spec));
  } else {
    ctx.out << format_job_inspect(job.spec, job.ports);
  }
  return kExitOk;
}

void register_job_inspect(CLI::App& job, CommandContext& ctx) {
  auto [sub, o] = add_command<InspectOptions>(job, ctx, kInspectDoc, run_inspect);
  add_job_file_args(sub, o);
  sub->add_option("--output,-o", o->output,
                  "Output format: text (a summary) or json (the JobSpec that would be sent)")
      ->check(CLI::IsMember({"text", "json"}))
      ->default_val("text");
}

void register_config_commands(CLI::App& app, CommandContext& ctx) {
  CLI::App* config = app.add_subcommand("config", "Look at config files");
  require_verb(config, ctx);
  auto [list, o] = add_command<JobFileArgs>(*config, ctx, kConfigListDoc, run_config_list);
  add_config_file_arg(list, &o->file);
  add_bind_option(list, &o->binds);
}

}  // namespace borealis::cli
