// What the agent writes to <sandbox>/.runner/task.json for a launch (contract in
// docs/internals/runner-sandbox.md), and the rule for task ids, which name sandbox
// directories.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "agent/protocol.h"
#include "common/json.h"
#include "jobspec/job_spec.h"

namespace borealis::agent {

// A task id must be a safe directory name: 1-255 of [A-Za-z0-9._-], not "." or "..".
Status validate_task_id(std::string_view id);

// task.json for `launch` of `job` on `hostname`: the job key, the task's `user` (as
// TaskUsers chose it; "" = the runner keeps its own user), the instance, the ports and
// the JobSpec task with every default filled in. A process without a Logger gets
// `default_logger` (the agent's --runner-logger-* flags) when there is one, as the Thermos
// executor's flags apply to processes whose Logger is Empty.
json::object task_json(const LaunchCommand& launch, const jobspec::JobSpec& job,
                       const std::string& hostname, const std::string& user,
                       const std::optional<jobspec::Logger>& default_logger = std::nullopt);

// The task's finalization_wait in task.json (seconds), or `fallback` when unreadable.
int64_t finalization_wait_secs(const json::value& task_json, int64_t fallback = 30);

}  // namespace borealis::agent
