// JobSpec <-> JSON. The JSON is Aurora's shape (the --read-json form of a job).
#pragma once

#include <string_view>

#include "common/json.h"
#include "jobspec/job_spec.h"

namespace borealis::jobspec {

// Reads one job object. Absent fields take Aurora's defaults; unknown fields and wrong
// types are errors naming the field path ("task.resources.cpu: expected a number").
// Does not validate values: call validate_job_spec() for that.
Result<JobSpec> job_spec_from_json(const json::value& v);

// Reads a document holding one job object or {"jobs": [...]}.
Result<std::vector<JobSpec>> job_specs_from_document(std::string_view text);

// Emits every field that is set or has a default, in Aurora's names and nesting.
json::value job_spec_to_json(const JobSpec& job);
json::value task_to_json(const Task& task);
json::value resources_to_json(const Resources& r);
json::value update_config_to_json(const UpdateConfig& u);
// Reads an update_config object (defaults for absent fields); errors name the field.
Result<UpdateConfig> update_config_from_json(const json::value& v);

}  // namespace borealis::jobspec
