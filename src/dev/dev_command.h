// `borealis dev`: a whole cluster on this machine in one process — the scheduler (state in
// SQLite under the state directory) and one agent (its runners are their own processes).
// State survives restarts of `borealis dev`; tasks survive them too.
//
// DevOptions is composed of the standalone daemons' option structs, with the defaults a
// laptop wants; its flags are a few of theirs (dev_option_table()), and what a dev cluster
// fixes (the store and work dir under --state-dir, the agent's scheduler URL) is filled in
// by run_dev.
#pragma once

#include <string>

#include "agent/agent_options.h"
#include "common/option_table.h"
#include "scheduler/server/scheduler_options.h"

namespace borealis::dev {

// The standalone defaults, changed where a laptop differs: everything on 127.0.0.1, polls
// answered sooner, and the agent's API on a free port so that dev clusters can run side by
// side.
scheduler::SchedulerOptions dev_scheduler_defaults();
agent::AgentOptions dev_agent_defaults();

struct DevOptions {
  std::string state_dir;  // "" = ~/.borealis/dev (/var/lib/borealis/dev as root)
  scheduler::SchedulerOptions scheduler = dev_scheduler_defaults();
  agent::AgentOptions agent = dev_agent_defaults();  // log_level follows the scheduler's
};

const OptionTable<DevOptions>& dev_option_table();

// Runs the cluster until SIGINT or SIGTERM; returns the process's exit code. Prints
// "devcluster: scheduler URL agent URL state DIR" on stdout once both serve (scripts/dev
// reads it). Call from the main thread before any other thread starts.
int run_dev(DevOptions options);

}  // namespace borealis::dev
