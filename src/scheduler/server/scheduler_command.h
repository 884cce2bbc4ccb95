// `borealis scheduler`: runs the scheduler daemon until SIGINT or SIGTERM. Its flags are
// scheduler_option_table(); cli/daemon_commands.cc registers them.
#pragma once

#include "scheduler/server/scheduler_options.h"

namespace borealis::scheduler {

// Runs the scheduler; returns the process's exit code. Call from the main thread before
// any other thread starts (it blocks the stop signals for every thread).
int run_scheduler(const SchedulerOptions& options);

}  // namespace borealis::scheduler
