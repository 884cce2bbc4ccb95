#include "cli/daemon_commands.h"

#include <CLI/CLI.hpp>
#include <cstdio>

#include "agent/agent_command.h"
#include "agent/agent_options.h"
#include "dev/dev_command.h"
#include "scheduler/server/scheduler_command.h"

namespace borealis::cli {

namespace {

// `borealis agent`, bound to the table so its exit code is the process's.
void register_agent(CLI::App& app, CommandTable& table) {
  static agent::AgentOptions options;
  CLI::App* sub = app.add_subcommand(
      "agent",
      "Run the agent on this host: register with the scheduler, run its tasks' runners, "
      "serve their logs and files");
  for (const auto& spec : agent::agent_option_specs()) {
    CLI::Option* opt =
        sub->add_option(std::string(spec.flag), options.*spec.field, std::string(spec.help));
    opt->type_name(std::string(spec.value_name));
    if (spec.required) opt->required();
    if (!spec.default_text.empty()) opt->default_str(std::string(spec.default_text));
  }
  table.on_run(sub, [] {
    static agent::SystemHostProbe probe;
    auto config = agent::resolve_agent_options(options, probe);
    if (!config.ok()) {
      std::fprintf(stderr, "error: %s\n", config.status().message().c_str());
      return 2;
    }
    return agent::run_agent_until_signal(*config);
  });
}

}  // namespace

void register_daemon_commands(CLI::App& app, CommandTable& table) {
  // Options live as long as the process: actions run after parsing.
  static scheduler::SchedulerOptions scheduler_options;
  CLI::App* sched = scheduler::add_scheduler_command(app, scheduler_options);
  table.on_run(sched, [] { return scheduler::run_scheduler(scheduler_options); });

  register_agent(app, table);

  static dev::DevOptions dev_options;
  CLI::App* dev = dev::add_dev_command(app, dev_options);
  table.on_run(dev, [] { return dev::run_dev(dev_options); });
}

}  // namespace borealis::cli
