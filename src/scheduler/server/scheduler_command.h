// `borealis scheduler`: the scheduler daemon as a subcommand of the borealis binary.
#pragma once

#include "scheduler/server/scheduler_options.h"

namespace CLI {
class App;
}

namespace borealis::scheduler {

// Adds the `scheduler` subcommand to `app`; its flags fill `options` when parsed.
CLI::App* add_scheduler_command(CLI::App& app, SchedulerOptions& options);

// Runs the scheduler until SIGINT or SIGTERM; returns the process's exit code.
int run_scheduler(const SchedulerOptions& options);

// Blocks SIGINT and SIGTERM in the calling thread (do it before starting threads, which
// inherit the mask), then waits for one of them. Returns the signal.
void block_stop_signals();
int wait_for_stop_signal();

}  // namespace borealis::scheduler
