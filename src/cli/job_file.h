// Loading the job a command names from a job file, on the client, so a bad job is refused
// before anything is sent.
//
// Supported today: `.json` (one job object, or {"jobs": [...]}). The `.aurora` loader
// (library borealis_config) plugs in here later: load_job_spec() is the one place that
// dispatches on the file type.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/job_key.h"
#include "common/result.h"
#include "spec/job_spec.h"

namespace borealis::cli {

// Aurora's --bind NAME=VALUE pairs, for config files that have {{}} variables.
using Binds = std::map<std::string, std::string>;

// Reads `path`, picks the job whose key is `key`, checks it (spec::validate_job_spec) and
// returns it. Errors name the file and say what: unreadable file, unsupported extension,
// malformed JSON, unknown field (with its path), a job key that does not match, a file
// with several jobs none of which is `key` (listing the keys it has).
Result<spec::JobSpec> load_job_spec(const std::string& path, const ClusterJobKey& key,
                                    const Binds& binds);

// Picks `key` out of the jobs a file defines. With one job it must match `key` in all four
// parts (a mismatch names both values); with several, the job whose key is `key`.
Result<spec::JobSpec> select_job(std::vector<spec::JobSpec> jobs, const ClusterJobKey& key,
                                 const std::string& path);

}  // namespace borealis::cli
