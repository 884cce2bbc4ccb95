// The agent as a daemon process: what `borealis agent` runs (and `borealis dev` for its
// agent). The flags are agent_option_table(); cli/daemon_commands.cc registers them.
//
// Thread-safety: call from the main thread, before other threads start.
#pragma once

#include "agent/agent_config.h"
#include "agent/agent_options.h"

namespace borealis::agent {

// Resolves `options` on this host and runs an agent until SIGINT or SIGTERM (its tasks
// keep running). A bad option is printed as "error: --flag: ..." on stderr and returns 2
// (a usage error); an agent that cannot start returns 1.
int run_agent(const AgentOptions& options);

// Readies this process to host an agent: stop signals blocked for every thread (taken by
// wait_for_stop_signal, common/stop_signals.h), SIGPIPE ignored, and the descriptor limit
// raised to its maximum (a pidfd per live task, plus sockets). It also becomes a child
// subreaper, so the processes of a task whose runner died come to it (orphan_reaper.h).
void prepare_agent_process();

}  // namespace borealis::agent
