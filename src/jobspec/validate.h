// Validation of a JobSpec's values: the one authority on JobSpec rules. The scheduler's
// API, the CLI and the config loaders call it (the loaders add their file and job), and it
// refuses everything a component downstream would: the runner's process rules, runtime
// references and task.json ranges come from the task contract (src/taskcontract/).
// Every error names the field path ("task.resources.cpu: must be greater than 0, got -1").
#pragma once

#include "jobspec/job_spec.h"

namespace borealis::jobspec {

struct ValidationLimits {
  int64_t max_instances = 10000;
  int64_t max_processes = 1000;
  size_t max_cmdline_bytes = 64 * 1024;
};

Status validate_job_spec(const JobSpec& job, const ValidationLimits& limits = {});

}  // namespace borealis::jobspec
