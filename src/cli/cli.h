// The `borealis` command as a function: parses arguments, runs the chosen command and
// returns its exit code (0 ok, 1 failed, 2 usage error, 30 refused: see command.h). main() and the
// tests both call run_cli, so the tests see exactly what a user sees.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/command.h"

namespace borealis::cli {

// Adds more subcommands (the daemons: see daemon_commands.h).
using RegisterCommands = std::function<void(CLI::App&, CommandTable&)>;

// `args` excludes the program name. Normal output goes to `out`, errors and progress to
// `err`. Blocking; runs on the calling thread.
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
            const CliEnv& env, const RegisterCommands& extra = nullptr);

// The real environment: clusters.json from $BOREALIS_CONFIG_DIR (else /etc/borealis) and
// $HOME/.borealis, tokens from $BOREALIS_TOKEN and $HOME/.borealis/credentials, the
// system clock, real sleeping, progress when stderr is a terminal.
CliEnv default_cli_env();

// "0.1.0"
const char* borealis_version();

}  // namespace borealis::cli
