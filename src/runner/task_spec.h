// What the runner runs: the task contract's LaunchSpec (src/taskcontract/task_spec.h),
// read from <sandbox>/.runner/task.json.
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "common/result.h"
#include "taskcontract/task_spec.h"

namespace borealis::runner {

using taskcontract::LaunchSpec;
using taskcontract::ProcessSpec;
using taskcontract::TaskSpec;

// Reads and parses `path` (at most taskcontract::kMaxTaskJsonBytes) and validates the task.
Result<LaunchSpec> load_launch_spec(const std::string& path);

}  // namespace borealis::runner
