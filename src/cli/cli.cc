#include "cli/cli.h"

#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "cli/cluster_config.h"
#include "cli/commands.h"
#include "common/strings.h"
#include "version/version.h"

namespace borealis::cli {

namespace {

constexpr const char* kDescription =
    "Borealis runs services, workers and cron jobs on a fleet of hosts.\n"
    "Jobs are named CLUSTER/ROLE/ENVIRONMENT/NAME; clusters come from clusters.json\n"
    "(/etc/borealis, ~/.borealis; 'devcluster' is http://127.0.0.1:8081).\n"
    "A token for the scheduler comes from BOREALIS_TOKEN or ~/.borealis/credentials.\n"
    "Exit codes: 0 ok, 1 the operation failed, 2 usage error, 30 not authenticated or\n"
    "not authorized.";

// `borealis help [COMMAND...]`: the help of the named (sub)command.
void register_help(CLI::App& app, CommandContext& ctx) {
  CLI::App* help = app.add_subcommand("help", "Show help for borealis or one of its commands");
  // The words after `help` name a command; they are not parsed as one.
  help->prefix_command();
  help->footer("Example:\n  borealis help job create");
  ctx.table.on_run(help, [&app, &ctx, help] {
    const CLI::App* target = &app;
    for (const std::string& w : help->remaining()) {
      auto found = target->get_subcommands([&](const CLI::App* a) { return a->get_name() == w; });
      if (found.empty()) {
        return usage_error(ctx, help, "no command '" + w + "' in '" + target->get_name() + "'");
      }
      target = found.front();
    }
    ctx.out << help_text(target);
    return kExitOk;
  });
}

// One line from standard input; on a terminal, after `prompt` and without echo.
Result<std::string> read_secret_line(const std::string& prompt) {
  termios saved{};
  bool tty = ::isatty(STDIN_FILENO) == 1 && ::tcgetattr(STDIN_FILENO, &saved) == 0;
  if (tty) {
    std::cerr << prompt << std::flush;
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string line;
  bool got = static_cast<bool>(std::getline(std::cin, line));
  if (tty) {
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    std::cerr << "\n";
  }
  if (!got) return invalid_argument("no token on standard input");
  return std::string(trim(line));
}

}  // namespace

const char* borealis_version() { return kVersion; }

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
            const CliEnv& env, const RegisterCommands& extra) {
  CLI::App app(kDescription, "borealis");
  // One command per invocation; this also keeps `help job` from parsing `job`.
  app.require_subcommand(0, 1);
  app.set_version_flag("--version", std::string("borealis ") + borealis_version());
  app.footer("Run 'borealis help COMMAND' or 'borealis COMMAND --help' for a command's options.");

  CommandTable table;
  CommandContext ctx{env, out, err, table};
  register_job_commands(app, ctx);
  register_task_commands(app, ctx);
  register_update_commands(app, ctx);
  register_config_commands(app, ctx);
  register_cluster_commands(app, ctx);
  register_admin_commands(app, ctx);
  register_manage_commands(app, ctx);
  register_cron_commands(app, ctx);
  register_login_command(app, ctx);
  register_help(app, ctx);
  if (extra) extra(app, table);

  app.failure_message([](const CLI::App* root, const CLI::Error& e) {
    return "error: " + std::string(e.what()) + "\nRun '" + command_path(selected_command(*root)) +
           " --help' for usage.\n";
  });

  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 pops from the back
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    return app.exit(e, out, err) == 0 ? kExitOk : kExitUsage;
  }
  const CommandTable::Action* action = table.selected(app);
  if (!action) {
    err << help_text(&app);
    return kExitUsage;
  }
  return (*action)();
}

CliEnv default_cli_env() {
  CliEnv env;
  const char* dir = std::getenv("BOREALIS_CONFIG_DIR");
  const char* home = std::getenv("HOME");
  env.cluster_files = cluster_files(dir ? dir : "", home ? home : "");
  if (const char* token = std::getenv(kTokenEnvVar)) env.tokens.env_token = token;
  if (const char* configs = std::getenv("BOREALIS_CONFIGS")) env.manage_configs = configs;
  if (const char* store = std::getenv("BOREALIS_ARTIFACTS")) env.manage_artifacts = store;
  env.tokens.default_file = default_credentials_file(home ? home : "");
  env.read_secret = read_secret_line;
  env.clock = &SystemClock::instance();
  env.sleep = [](TimeMs ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); };
  env.terminal = ::isatty(STDERR_FILENO) == 1;
  return env;
}

}  // namespace borealis::cli
