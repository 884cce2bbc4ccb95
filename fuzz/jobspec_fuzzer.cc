// JobSpec JSON, as `POST /api/v1/jobs` and `borealis job create FILE.json` read it: decode,
// validate, and follow a valid job to the runner.
//
// Invariants:
// - a decoded job re-encodes to JSON that decodes to the same job, as a value and as text;
// - a job that validates becomes a task.json (the agent's writer) that the runner's reader
//   accepts, whose task passes the runner's own checks: what the scheduler accepts, the
//   runner runs.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "agent/launch_spec.h"
#include "fuzz_check.h"
#include "jobspec/job_spec_json.h"
#include "jobspec/validate.h"
#include "taskcontract/task_spec.h"

namespace borealis::fuzz {
namespace {

void check_round_trip(const jobspec::JobSpec& job) {
  json::value encoded = jobspec::job_spec_to_json(job);
  auto again = jobspec::job_spec_from_json(encoded);
  FUZZ_CHECK(again.ok(), "re-encoded job does not decode: " + again.status().message() + "\n" +
                             to_json(encoded));
  FUZZ_CHECK(*again == job, "re-encoded job decodes differently:\n" + to_json(encoded));
  std::string text = to_json(encoded);
  auto from_text = jobspec::job_specs_from_document(text);
  FUZZ_CHECK(from_text.ok(),
             "re-encoded job text does not decode: " + from_text.status().message() + "\n" + text);
  FUZZ_CHECK(from_text->size() == 1 && from_text->front() == job,
             "re-encoded job text decodes differently:\n" + text);
}

void check_runner_accepts(const jobspec::JobSpec& job) {
  protocol::LaunchCommand launch;
  launch.task_id = "fuzz-task-0";
  launch.config_id = "fuzz-config";
  std::string text = to_json(agent::task_json(launch, job, "fuzz-host"));
  auto spec = taskcontract::parse_launch_spec(text);
  FUZZ_CHECK(spec.ok(), "the runner refuses the task.json of a valid job: " +
                            spec.status().message() + "\n" + text);
  Status task_ok = taskcontract::validate_task(spec->task);
  FUZZ_CHECK(task_ok.ok(),
             "the runner refuses the task of a valid job: " + task_ok.message() + "\n" + text);
}

}  // namespace
}  // namespace borealis::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace borealis;
  auto jobs =
      jobspec::job_specs_from_document(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!jobs.ok()) return 0;
  for (const jobspec::JobSpec& job : *jobs) {
    fuzz::check_round_trip(job);
    if (jobspec::validate_job_spec(job).ok()) fuzz::check_runner_accepts(job);
  }
  return 0;
}
