// What every `borealis manage` command starts with: JOB --stage STAGE [--configs DIR]
// [--artifacts DIR|URL], resolved through the configs dir (src/manage) to the job's key and,
// for the commands that deploy, to its JobSpec made by the job's template.
//
// A manage command is "resolve JOB + stage, then call what `borealis job|update` does"
// (job_actions.h).
#pragma once

#include <string>

#include "cli/command.h"
#include "cli/job_file_args.h"
#include "manage/managed_job.h"

namespace borealis::cli {

struct ManageArgs {
  std::string job;
  std::string stage;
  std::string configs;    // --configs
  std::string artifacts;  // --artifacts
};

// --configs DIR, --artifacts DIR|URL
void add_manage_locations(CLI::App* sub, ManageArgs* args);
// JOB, --stage (required: there is no default stage), and the locations.
void add_manage_args(CLI::App* sub, ManageArgs* args);

manage::Locations manage_locations(const ManageArgs& args, const CliEnv& env);

// The job JOB is at STAGE: its settings and Profile (Profile::key() is the job key).
OrExit<manage::ManagedJob> resolve_managed(const ManageArgs& args, const CommandContext& ctx);
// Only the job key JOB is at STAGE (for the verbs that act on the running job).
OrExit<ClusterJobKey> resolve_job_key(const ManageArgs& args, const CommandContext& ctx);

// A job ready to deploy: prod checks passed, its artifacts indexed, its template loaded with
// the manage context, the job the key names picked, and the manage Metadata added
// (borealis.githash, borealis.buildname, borealis.stage_file). Commands that only show the
// job (inspect, diff) pass Intent::kShow: a prod stage's githash need not be merged yet.
struct ManagedLoad {
  manage::ManagedJob managed;
  config::LoadedJob loaded;
};
enum class Intent { kDeploy, kShow };
OrExit<ManagedLoad> load_managed(const ManageArgs& args, const CommandContext& ctx, Intent intent);

// load_managed, then a client for the job's cluster.
OrExit<JobToSend> managed_job_to_send(ManagedLoad& load, const CommandContext& ctx);

}  // namespace borealis::cli
