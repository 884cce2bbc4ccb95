// The one encoding of a job version: its canonical JSON (what the store keeps, what
// agents receive and what the API shows), the version id and the task hash, all from a
// single JobSpec -> JSON conversion and a single serialisation.
#pragma once

#include <string>
#include <string_view>

#include "jobspec/job_spec.h"

namespace borealis::scheduler {

struct EncodedJobVersion {
  std::string json;  // canonical JSON: to_json(jobspec::job_spec_to_json(spec)), byte for byte
  std::string id;    // content hash of `json`: the same spec always gets the same id
  // Hash of what a task runs (every field but instances and update_config): two versions
  // with the same task_hash need no restart of an instance to go between them.
  std::string task_hash;
};

EncodedJobVersion encode_job_version(const jobspec::JobSpec& spec);

// FNV-1a over `text`, as 16 hex digits.
std::string content_hash(std::string_view text);

}  // namespace borealis::scheduler
