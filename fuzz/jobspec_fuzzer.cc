// JobSpec JSON, as `POST /api/v1/jobs` and `borealis job create FILE.json` read it: decode,
// validate, and follow a valid job to the runner.
//
// Invariants:
// - a decoded job re-encodes to JSON that decodes to the same job, as a value and as text
//   (as text, numbers may move by one unit in the last place: see same_within_ulp);
// - a job that validates becomes a task.json (the agent's writer) that the runner's reader
//   accepts, whose task passes the runner's own checks: what the scheduler accepts, the
//   runner runs.
#include <cmath>
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

// Boost.JSON 1.81 does not read every double exactly: "10.033333333333333", which it writes
// itself for 0x1.4111111111111p+3, reads back as 0x1.411111111111p+3 (Boost 1.83 added
// precise parsing). Text round trips compare numbers within one unit in the last place.
bool same_within_ulp(const json::value& a, const json::value& b) {
  if (a.is_double() && b.is_double())
    return a.get_double() == b.get_double() ||
           std::nextafter(a.get_double(), b.get_double()) == b.get_double();
  if (a.is_array() && b.is_array()) {
    const auto &x = a.get_array(), &y = b.get_array();
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i)
      if (!same_within_ulp(x[i], y[i])) return false;
    return true;
  }
  if (a.is_object() && b.is_object()) {
    const auto &x = a.get_object(), &y = b.get_object();
    if (x.size() != y.size()) return false;
    for (const auto& m : x) {
      const json::value* other = y.if_contains(m.key());
      if (!other || !same_within_ulp(m.value(), *other)) return false;
    }
    return true;
  }
  return a == b;
}

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
  FUZZ_CHECK(from_text->size() == 1 &&
                 same_within_ulp(jobspec::job_spec_to_json(from_text->front()), encoded),
             "re-encoded job text decodes differently:\n" + text);
}

void check_runner_accepts(const jobspec::JobSpec& job) {
  protocol::LaunchCommand launch;
  launch.task_id = "fuzz-task-0";
  launch.config_id = "fuzz-config";
  // The user the agent would choose for the task: its own, else the role's.
  std::string text =
      to_json(agent::task_json(launch, job, "fuzz-host", job.task.user.value_or(job.role)));
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
