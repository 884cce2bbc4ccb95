// Loading the job a command names from a job file, on the client, so a bad job is refused
// before anything is sent.
//
// Every file goes through the Aurora loader (config/aurora/aurora_loader.h), so .aurora
// and .json files have the same semantics (Aurora's defaults, {{}} templating, --bind,
// Aurora's rules):
//   *.json           Aurora's JSON job form: one job object or {"jobs": [...]}
//   *.yaml, *.yml    refused: stage files are not read by these commands
//   anything else    an Aurora config (Python), as Aurora's client reads any file name
//
// Only loading a file starts the embedded Python interpreter; commands that take no file
// never pay for it.
//
// Errors name the file: "hello.aurora:12: NameError: ...", "hello.aurora: job 'hello':
// task.resources.cpu: expected Float, got str 'lots'", "cannot read job file 'x.json': ...".
//
// Threading: any thread (the loader serialises interpreter use).
#pragma once

#include <string>
#include <vector>

#include "cli/api_types.h"
#include "common/job_key.h"
#include "common/result.h"
#include "config/aurora/aurora_loader.h"
#include "jobspec/job_spec.h"

namespace borealis::cli {

// Aurora's --bind NAME=VALUE pairs in command-line order (a later one wins).
using Binds = config::Bindings;

// Parses --bind flags; errors say which flag is wrong and why.
Result<Binds> parse_binds(const std::vector<std::string>& flags);

// Every job the file defines, broken ones included (each LoadedJob has its status).
// Fails when the file as a whole cannot be used: unreadable, unsupported type, a syntax
// error or exception ("FILE:LINE: message"), malformed JSON, no jobs. `manage_context`:
// see config::load_aurora_text (.aurora files only).
Result<std::vector<config::LoadedJob>> load_config_jobs(
    const std::string& path, const Binds& binds, const json::value& manage_context = json::value());

// Reads `path`, picks the job whose key is `key` and returns it, validated. Errors: those
// of load_config_jobs; a job key that does not match (naming both values); a file with
// several jobs none of which is `key` (listing the keys it has); the chosen job's own error.
Result<jobspec::JobSpec> load_job_spec(const std::string& path, const ClusterJobKey& key,
                                       const Binds& binds);

// Picks `key` out of the jobs a file defines. With one job it must match `key` in all four
// parts (a mismatch names both values); with several, the job whose key is `key`.
Result<config::LoadedJob> select_job(const std::vector<config::LoadedJob>& jobs,
                                     const ClusterJobKey& key, const std::string& path);

// "cluster/role/env/name", with {MISSING} for a part the config does not resolve.
std::string display_job_key(const ClusterJobKey& key);

// FAILED_PRECONDITION when `job` needs a container image and the cluster (as its
// scheduler describes itself) cannot run images.
Status check_cluster_can_run(const jobspec::JobSpec& job, const ClusterInfo& cluster);

}  // namespace borealis::cli
