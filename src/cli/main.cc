// The borealis command: the CLI's job and cluster commands plus the daemons.
#include <iostream>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "cli/daemon_commands.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  using namespace borealis::cli;
  return run_cli(args, std::cout, std::cerr, default_cli_env(),
                 [](CLI::App& app, CommandTable& table) {
                   register_daemon_commands(app, table, real_daemons());
                 });
}
