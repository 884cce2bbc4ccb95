// What the job and update commands do once they know the job, callable by other command
// groups: `borealis manage` resolves JOB --stage STAGE to a key (and a JobSpec from its
// template), then calls these. Each prints as its `borealis job|update` command does and
// returns the exit code.
#pragma once

#include <cstdint>
#include <string>

#include "cli/command.h"
#include "cli/job_file_args.h"

namespace borealis::cli {

// `job create`: sends job.spec, then waits until every instance is `wait_until` (PENDING,
// RUNNING, FINISHED) or `wait_timeout_secs` pass.
struct CreateWait {
  std::string wait_until = "PENDING";
  int64_t wait_timeout_secs = 300;
};
int create_loaded_job(JobToSend& job, const ClusterJobKey& key, const CreateWait& wait,
                      const CommandContext& ctx);
// --wait-until, --wait-timeout
void add_create_wait_options(CLI::App* sub, CreateWait* wait);

// `update start`: a rolling update of `key` (its instances, or all) to job.spec.
struct UpdateStartArgs {
  std::string message;
  bool wait = false;
  int64_t wait_timeout_secs = 0;
  std::string output = "text";
};
int start_loaded_update(JobToSend& job, const InstanceKey& key, const UpdateStartArgs& args,
                        const CommandContext& ctx);
// --message, --wait, --wait-timeout, --output
void add_update_start_options(CLI::App* sub, UpdateStartArgs* args);

// `job diff`: the running job against `spec`, labelled `source`.
int diff_loaded_job(ApiClient& api, const ClusterJobKey& key, const jobspec::JobSpec& spec,
                    const std::string& source, const CommandContext& ctx);

// `job inspect`: `job` as text, or its JobSpec with output "json".
int print_loaded_job(const config::LoadedJob& job, const std::string& output,
                     const CommandContext& ctx);

// `job status KEY[/INSTANCES]` (ShowArgs.what is the key).
int show_job_status(const ShowArgs& args, const CommandContext& ctx, const CLI::App* sub);

// `job killall KEY`.
int kill_every_instance(const std::string& key, const CommandContext& ctx, const CLI::App* sub);

// `job restart KEY[/INSTANCES]`.
struct RestartArgs {
  std::string key;
  int64_t batch_size = 0;   // 0: the job's update_config
  int64_t watch_secs = -1;  // -1: the job's update_config
  bool no_wait = false;
  int64_t wait_timeout_secs = 0;
  std::string output = "text";
};
int restart_job(const RestartArgs& args, const CommandContext& ctx, const CLI::App* sub);
// Every option of `job restart` but the key.
void add_restart_options(CLI::App* sub, RestartArgs* args);

}  // namespace borealis::cli
