#include "cli/job_file_args.h"

#include <CLI/CLI.hpp>

namespace borealis::cli {

void add_job_key_arg(CLI::App* sub, std::string* key) {
  sub->add_option("key", *key, "The job: CLUSTER/ROLE/ENVIRONMENT/NAME")->required();
}

void add_config_file_arg(CLI::App* sub, std::string* file, const std::string& more) {
  sub->add_option("file", *file, "Aurora config (.aurora) or Aurora JSON job (.json)" + more)
      ->required();
}

void add_bind_option(CLI::App* sub, std::vector<std::string>* binds) {
  sub->add_option("--bind", *binds, "NAME=VALUE: binds {{NAME}} in the config (repeatable)");
}

void add_job_file_args(CLI::App* sub, JobFileArgs* args) {
  add_job_key_arg(sub, &args->key);
  add_config_file_arg(sub, &args->file);
  add_bind_option(sub, &args->binds);
}

OrExit<std::vector<config::LoadedJob>> load_file_jobs(const JobFileArgs& args,
                                                      const CommandContext& ctx,
                                                      const CLI::App* sub) {
  using Out = OrExit<std::vector<config::LoadedJob>>;
  auto binds = parse_binds(args.binds);
  if (!binds.ok()) return Out::exit(usage_error(ctx, sub, binds.status().message()));
  auto jobs = load_config_jobs(args.file, *binds);
  if (!jobs.ok()) return Out::exit(fail(ctx, jobs.status()));
  return std::move(jobs).value();
}

OrExit<JobToSend> load_job_to_send(const JobFileArgs& args, const ClusterJobKey& key,
                                   const CommandContext& ctx, const CLI::App* sub) {
  using Out = OrExit<JobToSend>;
  auto binds = parse_binds(args.binds);
  if (!binds.ok()) return Out::exit(usage_error(ctx, sub, binds.status().message()));
  // The job is checked here, before anything is sent.
  auto job = load_job_spec(args.file, key, *binds);
  if (!job.ok()) return Out::exit(fail(ctx, job.status()));
  ClusterInfo info;
  auto api = connect(ctx.env, key.cluster, &info);
  if (!api.ok()) return Out::exit(fail(ctx, api.status()));
  return JobToSend{std::move(job).value(), std::move(api).value(), std::move(info)};
}

}  // namespace borealis::cli
