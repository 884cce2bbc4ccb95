// The daemon subcommands of `borealis`: `scheduler`, `agent` and `dev`. Owned by the lead
// (this file, daemon_commands.cc, and the libraries they link in src/cli/CMakeLists.txt,
// BOREALIS_DAEMON_LIBS); the CLI library does not depend on them. main() passes this
// function to run_cli.
//
// A daemon command adds its CLI11 subcommand to `app` and binds it with
// table.on_run(sub, action); run_cli runs the action after parsing and returns its int
// as the exit code.
#pragma once

#include "cli/command.h"

namespace borealis::cli {

void register_daemon_commands(CLI::App& app, CommandTable& table);

}  // namespace borealis::cli
