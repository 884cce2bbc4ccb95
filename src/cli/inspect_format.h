// The text of `job inspect`: a readable summary of a JobSpec, as Aurora's `job inspect`
// gives one: the job's settings, its task's resources and ordering, and every process
// with its command line. (`--output json` prints jobspec::job_spec_to_json instead.)
//
// Pure function; any thread.
#pragma once

#include <string>
#include <vector>

#include "jobspec/job_spec.h"

namespace borealis::cli {

// `ports`: the named ports the scheduler allocates per instance (LoadedJob::ports).
std::string format_job_inspect(const jobspec::JobSpec& job, const std::vector<std::string>& ports);

}  // namespace borealis::cli
