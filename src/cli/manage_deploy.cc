// The `manage` noun, and the verbs that run the job's template:
//   borealis manage create|update|diff|inspect JOB --stage STAGE [--configs DIR]
//       [--artifacts DIR|URL] [the options of job create / update start / job inspect]
#include <CLI/CLI.hpp>
#include <map>

#include "cli/commands.h"
#include "cli/job_actions.h"
#include "cli/manage_args.h"
#include "common/strings.h"
#include "config/aurora/library_templates.h"

namespace borealis::cli {

namespace {

const char kResolves[] =
    "JOB is <configs>/JOB.yaml; its envs.STAGE is merged over its top level, and its template\n"
    "(<configs>/<file>.aurora) makes the job CLUSTER/USER/STAGE/JOB. A stage listed in\n"
    "settings.yaml prod_stages (default: prod) deploys only a githash merged into the main\n"
    "branch, whose build is in the artifact store (docs/manage.md).\n\n";

const CommandDoc kCreateDoc = {
    "create", "Create a job from its stage file and template",
    "Examples:\n"
    "  borealis manage create eightball --stage devel\n"
    "  borealis manage create eightball --stage prod --wait-until RUNNING\n"};
const CommandDoc kUpdateDoc = {
    "update", "Roll the running job out to its stage file (a new githash, say)",
    "As 'borealis update start': only instances whose task changes are replaced.\n\n"
    "Example:\n"
    "  borealis manage update eightball --stage prod --wait\n"};
const CommandDoc kDiffDoc = {"diff", "Show what deploying would change in the running job",
                             "Like inspect, diff shows a prod stage even before its githash is\n"
                             "merged.\n\n"
                             "Example:\n"
                             "  borealis manage diff eightball --stage prod\n"};
const CommandDoc kInspectDoc = {
    "inspect", "Show the job a stage deploys, with the stage's overrides",
    "Reads only files (and the artifact store); nothing is sent to a scheduler. A prod\n"
    "stage is shown even when deploying it would be refused, with why.\n\n"
    "Examples:\n"
    "  borealis manage inspect eightball --stage prod\n"
    "  borealis manage inspect eightball --stage prod --output json\n"};

// `doc` with kResolves before its examples. The texts live as long as the program, as
// CommandDoc's pointers need.
CommandDoc with_resolving(const CommandDoc& doc) {
  static const std::map<std::string, std::string> footers = [] {
    std::map<std::string, std::string> m;
    for (const CommandDoc* d : {&kCreateDoc, &kUpdateDoc, &kDiffDoc, &kInspectDoc})
      m[d->name] = std::string(kResolves) + d->footer;
    return m;
  }();
  return {doc.name, doc.help, footers.at(doc.name).c_str()};
}

struct CreateOptions : ManageArgs, CreateWait {};
struct UpdateOptions : ManageArgs, UpdateStartArgs {};
struct InspectOptions : ManageArgs {
  std::string output = "text";
};

int run_create(const CreateOptions& o, const CommandContext& ctx, const CLI::App*) {
  auto load = load_managed(o, ctx, Intent::kDeploy);
  if (!load) return load.exit_code;
  auto job = managed_job_to_send(*load, ctx);
  if (!job) return job.exit_code;
  return create_loaded_job(*job, load->managed.profile.key(), o, ctx);
}

int run_update(const UpdateOptions& o, const CommandContext& ctx, const CLI::App*) {
  auto load = load_managed(o, ctx, Intent::kDeploy);
  if (!load) return load.exit_code;
  auto job = managed_job_to_send(*load, ctx);
  if (!job) return job.exit_code;
  return start_loaded_update(*job, InstanceKey{load->managed.profile.key(), std::nullopt}, o, ctx);
}

int run_diff(const ManageArgs& o, const CommandContext& ctx, const CLI::App*) {
  auto load = load_managed(o, ctx, Intent::kShow);
  if (!load) return load.exit_code;
  auto job = managed_job_to_send(*load, ctx);
  if (!job) return job.exit_code;
  const manage::Profile& p = load->managed.profile;
  return diff_loaded_job(*job->api, p.key(), job->spec, p.stage_file + " (" + p.stage + ")", ctx);
}

// Where the job comes from, before the job itself: what a reviewer checks first.
std::string format_origin(const manage::ManagedJob& m) {
  const manage::Profile& p = m.profile;
  std::string out = "stage file:  " + p.stage_file + ", stage " + p.stage + "\n";
  if (m.prod()) {
    Status deployable = manage::check_prod(m);
    out += "prod check:  " +
           (deployable.ok() ? "ok (merged into " + m.settings.main_ref() + ")"
                            : "would refuse: " + deployable.message()) +
           "\n";
  }
  out += "overrides:   " + (p.overrides.empty() ? "none" : join(p.overrides, ", ")) + "\n";
  out += "template:    " +
         (config::is_library_template(p.template_file) ? p.template_file + " (template library)"
                                                       : p.template_path) +
         "\n";
  if (!p.buildname.empty())
    out += "build:       " + p.buildname + " at " + (p.githash.empty() ? "-" : p.githash) +
           (m.artifacts ? " (" + std::to_string(m.artifacts->size()) + " files in " + m.store + ")"
                        : "") +
           "\n";
  std::string args;
  for (const auto& [k, v] : p.taskargs) args += (args.empty() ? "" : ", ") + k + "=" + v;
  out += "taskargs:    " + (args.empty() ? "none" : args) + "\n\n";
  return out;
}

int run_inspect(const InspectOptions& o, const CommandContext& ctx, const CLI::App*) {
  auto load = load_managed(o, ctx, Intent::kShow);
  if (!load) return load.exit_code;
  if (o.output != "json") ctx.out << format_origin(load->managed);
  return print_loaded_job(load->loaded, o.output, ctx);
}

}  // namespace

void register_manage_commands(CLI::App& app, CommandContext& ctx) {
  CLI::App* manage = app.add_subcommand(
      "manage", "Deploy jobs from their stage files (<job>.yaml) in a configs dir");
  require_verb(manage, ctx);
  register_manage_deploy(*manage, ctx);
  register_manage_control(*manage, ctx);
  register_manage_list(*manage, ctx);
  register_manage_observe(*manage, ctx);
}

void register_manage_deploy(CLI::App& manage, CommandContext& ctx) {
  auto [create, co] =
      add_command<CreateOptions>(manage, ctx, with_resolving(kCreateDoc), run_create);
  add_manage_args(create, co);
  add_create_wait_options(create, co);

  auto [update, uo] =
      add_command<UpdateOptions>(manage, ctx, with_resolving(kUpdateDoc), run_update);
  add_manage_args(update, uo);
  add_update_start_options(update, uo);

  auto [diff, d] = add_command<ManageArgs>(manage, ctx, with_resolving(kDiffDoc), run_diff);
  add_manage_args(diff, d);

  auto [inspect, io] =
      add_command<InspectOptions>(manage, ctx, with_resolving(kInspectDoc), run_inspect);
  add_manage_args(inspect, io);
  inspect
      ->add_option("--output,-o", io->output,
                   "Output format: text (where the job comes from, then a summary) or json (the "
                   "JobSpec that would be sent)")
      ->check(CLI::IsMember({"text", "json"}))
      ->default_val("text");
}

}  // namespace borealis::cli
