#include "cli/daemon_commands.h"

#include <CLI/CLI.hpp>

namespace borealis::cli {

// Empty for now: the lead adds `scheduler`, `agent` and `dev` here.
void register_daemon_commands(CLI::App& /*app*/, CommandTable& /*table*/) {}

}  // namespace borealis::cli
