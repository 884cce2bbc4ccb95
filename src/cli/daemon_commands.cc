#include "cli/daemon_commands.h"

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <utility>

#include "agent/agent_daemon.h"
#include "scheduler/server/scheduler_command.h"

namespace borealis::cli {

namespace {

// One CLI11 option per spec of `table`, writing into `options`.
template <class Options>
void add_options(CLI::App* sub, const OptionTable<Options>& table, Options& options) {
  for (const auto& spec : table) {
    std::string flag(spec.flag), help(spec.help);
    CLI::Option* opt = std::visit(
        [&](auto* field) {
          if constexpr (std::is_same_v<decltype(field), bool*>) {
            return sub->add_flag(flag, *field, help);
          } else {
            return sub->add_option(flag, *field, help)->type_name(std::string(spec.value_name));
          }
        },
        spec.field(options));
    if (spec.required) opt->required();
    if (std::string text = option_default_text(spec); !text.empty() && !spec.required)
      opt->default_str(text);
    if (spec.range) opt->check(CLI::Range(spec.range->first, spec.range->second));
    if (!spec.choices.empty()) opt->check(CLI::IsMember(spec.choices));
  }
}

// `borealis NAME`: its flags from `table`; after parsing, `run` gets the options and
// its result is the exit code. The options live as long as the table's action.
template <class Options>
CLI::App* add_daemon(CLI::App& app, CommandTable& table, const char* name, const char* description,
                     const OptionTable<Options>& options_table,
                     std::function<int(const Options&)> run) {
  auto options = std::make_shared<Options>();
  CLI::App* sub = app.add_subcommand(name, description);
  add_options(sub, options_table, *options);
  table.on_run(sub, [options, run = std::move(run)] { return run(*options); });
  return sub;
}

}  // namespace

DaemonRunners real_daemons() {
  return {scheduler::run_scheduler, agent::run_agent,
          [](const dev::DevOptions& options) { return dev::run_dev(options); }, router::run_router};
}

void register_daemon_commands(CLI::App& app, CommandTable& table, DaemonRunners runners) {
  add_daemon(app, table, "scheduler", "Run the scheduler daemon",
             scheduler::scheduler_option_table(), std::move(runners.scheduler))
      ->footer(
          "Example:\n  borealis scheduler --cluster prod1 --store "
          "sqlite:///var/lib/borealis/state.db --auth-file /etc/borealis/auth.yaml");
  add_daemon(app, table, "agent",
             "Run the agent on this host: register with the scheduler, run its tasks' "
             "runners, serve their logs and files",
             agent::agent_option_table(), std::move(runners.agent));
  add_daemon(app, table, "dev",
             "Run a local cluster (scheduler + one agent) in this process, for development",
             dev::dev_option_table(), std::move(runners.dev))
      ->footer("Example:\n  borealis dev --state-dir /tmp/borealis-dev");
  add_daemon(app, table, "router",
             "Keep HAProxy in step with ServerSets in ZooKeeper (docs/router.md)",
             router::router_option_table(), std::move(runners.router))
      ->footer("Example:\n  borealis router --zk zk1:2181 --config /etc/borealis/router.yaml");
}

}  // namespace borealis::cli
