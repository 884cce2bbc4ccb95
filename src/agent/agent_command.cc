#include "agent/agent_command.h"

#include <signal.h>
#include <sys/resource.h>

#include <cstdio>
#include <memory>

#include "agent/agent.h"
#include "agent/agent_options.h"
#include "common/log.h"

namespace borealis::agent {

void register_agent_command(CLI::App& app) {
  static SystemHostProbe probe;
  register_agent_command(app, run_agent_until_signal, probe);
}

void register_agent_command(CLI::App& app, std::function<int(const AgentConfig&)> run,
                            const HostProbe& probe) {
  CLI::App* sub = app.add_subcommand(
      "agent",
      "Run the agent on this host: register with the scheduler, run its tasks' runners, "
      "serve their logs and files");
  auto options = std::make_shared<AgentOptions>();
  for (const auto& spec : agent_option_specs()) {
    CLI::Option* opt =
        sub->add_option(std::string(spec.flag), (*options).*spec.field, std::string(spec.help));
    opt->type_name(std::string(spec.value_name));
    if (spec.required) opt->required();
    if (!spec.default_text.empty()) opt->default_str(std::string(spec.default_text));
  }
  sub->callback([options, run = std::move(run), &probe] {
    auto config = resolve_agent_options(*options, probe);
    if (!config.ok()) {
      std::fprintf(stderr, "borealis agent: %s\n", config.status().message().c_str());
      throw CLI::RuntimeError(2);
    }
    int code = run(*config);
    if (code != 0) throw CLI::RuntimeError(code);
  });
}

int run_agent_until_signal(const AgentConfig& config) {
  init_logging("agent", config.log_level);
  // Block the stop signals before any thread starts, so every thread inherits the mask
  // and only sigwait below sees them. Runners get a clean mask (runner_process.cc).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
  // A pidfd per live task, plus sockets: use every descriptor we are allowed.
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &lim);
  }

  auto agent = Agent::start(config);
  if (!agent.ok()) {
    spdlog::error("agent not started: {}", agent.status().message());
    std::fprintf(stderr, "borealis agent: %s\n", agent.status().message().c_str());
    return 1;
  }
  int sig = 0;
  sigwait(&stop_signals, &sig);
  spdlog::info("got {}; stopping the agent (tasks keep running)",
               sig == SIGINT ? "SIGINT" : "SIGTERM");
  agent->reset();
  return 0;
}

}  // namespace borealis::agent
