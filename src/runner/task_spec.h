// What the runner runs: the task contract's LaunchSpec (src/taskcontract/task_spec.h),
// read from <task dir>/.runner/task.json beneath the task dir (common/beneath.h).
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

// Reads and parses `task_dir`/.runner/task.json (a regular file of at most
// taskcontract::kMaxTaskJsonBytes, reached through no symlink) and validates the task.
Result<LaunchSpec> load_launch_spec(const std::string& task_dir);

}  // namespace borealis::runner
