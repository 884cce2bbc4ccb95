#include "cli/manage_args.h"

#include <CLI/CLI.hpp>
#include <algorithm>

#include "config/aurora/library_templates.h"

namespace borealis::cli {

namespace {

// Metadata the template set under a manage key is replaced: manage's values are the truth.
void set_metadata(jobspec::JobSpec& spec, const std::string& key, const std::string& value) {
  if (value.empty()) return;
  std::erase_if(spec.metadata, [&](const jobspec::Metadata& m) { return m.key == key; });
  spec.metadata.push_back({key, value});
}

std::string file_name(const std::string& path) { return path.substr(path.rfind('/') + 1); }

// `file: borealis/NAME` is a pattern of the template library (docs/templates.md), compiled
// into the binary; anything else is <configs>/<file>.aurora.
Result<std::vector<config::LoadedJob>> load_template(const manage::Profile& p,
                                                     const json::value& context) {
  if (!config::is_library_template(p.template_file))
    return load_config_jobs(p.template_path, {}, context);
  BOREALIS_ASSIGN_OR_RETURN(std::string text, config::library_template_source(p.template_file));
  return config::load_aurora_text(p.template_file + ".aurora", text, {}, context);
}

}  // namespace

void add_manage_locations(CLI::App* sub, ManageArgs* args) {
  sub->add_option("--configs", args->configs,
                  "The configs dir; default: $BOREALIS_CONFIGS, else borealis/configs at the git "
                  "root of the current directory");
  sub->add_option("--artifacts", args->artifacts,
                  "The artifact store, a directory or http(s) URL; default: $BOREALIS_ARTIFACTS, "
                  "else `artifacts` in the configs dir's settings.yaml");
}

void add_manage_args(CLI::App* sub, ManageArgs* args) {
  sub->add_option("job", args->job, "The job: the name of its <job>.yaml in the configs dir")
      ->required();
  sub->add_option("--stage", args->stage, "The stage (one of the file's envs); required")
      ->required();
  add_manage_locations(sub, args);
}

manage::Locations manage_locations(const ManageArgs& args, const CliEnv& env) {
  manage::Locations where;
  where.configs_flag = args.configs;
  where.configs_env = env.manage_configs;
  where.artifacts_flag = args.artifacts;
  where.artifacts_env = env.manage_artifacts;
  where.store_timeout = env.http_timeout;
  return where;
}

OrExit<manage::ManagedJob> resolve_managed(const ManageArgs& args, const CommandContext& ctx) {
  using Out = OrExit<manage::ManagedJob>;
  auto job = manage::resolve_job(manage_locations(args, ctx.env), args.job, args.stage);
  if (!job.ok()) return Out::exit(fail(ctx, job.status()));
  return std::move(job).value();
}

OrExit<ManagedLoad> load_managed(const ManageArgs& args, const CommandContext& ctx, Intent intent) {
  using Out = OrExit<ManagedLoad>;
  auto managed = resolve_managed(args, ctx);
  if (!managed) return Out::exit(managed.exit_code);
  if (Status st = manage::prepare_deploy(*managed, manage_locations(args, ctx.env),
                                         intent == Intent::kDeploy);
      !st.ok())
    return Out::exit(fail(ctx, st));
  const manage::Profile& p = managed->profile;
  auto jobs = load_template(p, managed->context_json());
  if (!jobs.ok()) return Out::exit(fail(ctx, jobs.status()));
  auto loaded = select_job(
      *jobs, p.key(),
      config::is_library_template(p.template_file) ? p.template_file + ".aurora" : p.template_path);
  if (!loaded.ok()) return Out::exit(fail(ctx, loaded.status()));
  set_metadata(loaded->spec, "borealis.githash", p.githash);
  set_metadata(loaded->spec, "borealis.buildname", p.buildname);
  set_metadata(loaded->spec, "borealis.stage_file", file_name(p.stage_file));
  return ManagedLoad{std::move(*managed), std::move(loaded).value()};
}

OrExit<JobToSend> managed_job_to_send(ManagedLoad& load, const CommandContext& ctx) {
  using Out = OrExit<JobToSend>;
  ClusterInfo info;
  auto api = connect(ctx.env, load.managed.profile.cluster, &info);
  if (!api.ok()) return Out::exit(fail(ctx, api.status()));
  return JobToSend{load.loaded.spec, std::move(api).value(), std::move(info)};
}

OrExit<ClusterJobKey> resolve_job_key(const ManageArgs& args, const CommandContext& ctx) {
  auto managed = resolve_managed(args, ctx);
  if (!managed) return OrExit<ClusterJobKey>::exit(managed.exit_code);
  return managed->profile.key();
}

}  // namespace borealis::cli
