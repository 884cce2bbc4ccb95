#include "agent/agent_daemon.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <cstdio>

#include "agent/agent.h"
#include "common/log.h"
#include "common/stop_signals.h"

namespace borealis::agent {

void prepare_agent_process() {
  // Before any thread starts, so every thread inherits the mask. Runners get a clean mask
  // (runner_process.cc).
  block_stop_signals();
  ::signal(SIGPIPE, SIG_IGN);
  // A runner killed with kill -9 leaves its task's processes to the agent rather than to
  // init, and the agent kills them (orphan_reaper.h).
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &lim);
  }
}

int run_agent(const AgentOptions& options) {
  SystemHostProbe probe;
  auto config = resolve_agent_options(options, probe);
  if (!config.ok()) {
    std::fprintf(stderr, "error: %s\n", config.status().message().c_str());
    return 2;
  }
  init_logging("agent", config->log_level);
  prepare_agent_process();
  auto agent = Agent::start(*config);
  if (!agent.ok()) {
    spdlog::error("agent not started: {}", agent.status().message());
    std::fprintf(stderr, "borealis agent: %s\n", agent.status().message().c_str());
    return 1;
  }
  int sig = wait_for_stop_signal();
  spdlog::info("got {}; stopping the agent (tasks keep running)",
               sig == SIGINT ? "SIGINT" : "SIGTERM");
  agent->reset();
  return 0;
}

}  // namespace borealis::agent
