// KEY FILE [--bind NAME=VALUE]...: the arguments of the commands that read a job from a
// config file (job create, diff, inspect; config list; update start), and the steps that
// turn them into a job.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/job_file.h"

namespace borealis::cli {

struct JobFileArgs {
  std::string key;
  std::string file;
  std::vector<std::string> binds;
};

// The positional KEY: "The job: CLUSTER/ROLE/ENVIRONMENT/NAME".
void add_job_key_arg(CLI::App* sub, std::string* key);
// The positional FILE, with `more` after its description.
void add_config_file_arg(CLI::App* sub, std::string* file, const std::string& more = "");
// --bind NAME=VALUE, repeatable.
void add_bind_option(CLI::App* sub, std::vector<std::string>* binds);
// KEY FILE [--bind NAME=VALUE]...
void add_job_file_args(CLI::App* sub, JobFileArgs* args);

// Every job args.file defines, with args.binds applied (bad --bind flags are a usage error).
OrExit<std::vector<config::LoadedJob>> load_file_jobs(const JobFileArgs& args,
                                                      const CommandContext& ctx,
                                                      const CLI::App* sub);

// The job args.file defines for `key`, checked, and a client for its cluster with the
// scheduler's description of that cluster.
struct JobToSend {
  jobspec::JobSpec spec;
  std::unique_ptr<ApiClient> api;
  ClusterInfo cluster;
};
OrExit<JobToSend> load_job_to_send(const JobFileArgs& args, const ClusterJobKey& key,
                                   const CommandContext& ctx, const CLI::App* sub);

}  // namespace borealis::cli
