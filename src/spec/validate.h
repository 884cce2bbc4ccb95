// Validation of a JobSpec's values: what both the client and the scheduler refuse.
// Every error names the field path ("task.resources.cpu: must be greater than 0, got -1").
#pragma once

#include "spec/job_spec.h"

namespace borealis::spec {

struct ValidationLimits {
  int64_t max_instances = 10000;
  int64_t max_processes = 1000;
  size_t max_cmdline_bytes = 64 * 1024;
};

Status validate_job_spec(const JobSpec& job, const ValidationLimits& limits = {});

// True when `ref` (canonical text, e.g. "thermos.ports[http]") is one the runner binds.
bool is_runtime_reference(std::string_view ref);

}  // namespace borealis::spec
