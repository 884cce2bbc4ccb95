// borealis job diff CLUSTER/ROLE/ENV/NAME FILE [--bind NAME=VALUE]...
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/job_actions.h"
#include "cli/job_args.h"
#include "cli/job_file_args.h"
#include "cli/text_diff.h"
#include "common/json.h"
#include "jobspec/job_spec_json.h"

namespace borealis::cli {

namespace {

const CommandDoc kDiffDoc = {
    "diff", "Show what a config file would change in the running job",
    "Compares the job's JobSpec as the scheduler runs it with the one FILE gives, as a\n"
    "unified diff of their JSON ('-' running, '+' the file); prints 'no changes' when\n"
    "they are the same. Exit status 0 either way.\n\n"
    "Example:\n"
    "  borealis job diff devcluster/www-data/prod/web web.aurora --bind version=43\n"};

// The running job's spec in the same canonical form as the file's (both through
// job_spec_to_json), so only real differences show; as received if this client cannot
// read it (a newer scheduler).
std::string canonical(const json::value& spec) {
  auto parsed = jobspec::job_spec_from_json(spec);
  return to_pretty_json(parsed.ok() ? jobspec::job_spec_to_json(*parsed) : spec);
}

int run_diff(const JobFileArgs& o, const CommandContext& ctx, const CLI::App* sub) {
  auto key = parse_job_key_arg(o.key);
  if (!key.ok()) return usage_error(ctx, sub, key.status().message());
  auto job = load_job_to_send(o, *key, ctx, sub);
  if (!job) return job.exit_code;
  return diff_loaded_job(*job->api, *key, job->spec, o.file, ctx);
}

}  // namespace

int diff_loaded_job(ApiClient& api, const ClusterJobKey& key, const jobspec::JobSpec& spec,
                    const std::string& source, const CommandContext& ctx) {
  auto running = api.get_job(key.job);
  if (!running.ok()) return fail(ctx, running.status().with_context("diffing " + key.to_string()));
  std::string diff =
      unified_diff(canonical(running->spec), to_pretty_json(jobspec::job_spec_to_json(spec)),
                   "running " + key.to_string(), source);
  ctx.out << (diff.empty() ? "no changes\n" : diff);
  return kExitOk;
}

void register_job_diff(CLI::App& job, CommandContext& ctx) {
  auto [sub, o] = add_command<JobFileArgs>(job, ctx, kDiffDoc, run_diff);
  add_job_file_args(sub, o);
}

}  // namespace borealis::cli
