// The borealis command: the CLI's job and cluster commands plus the daemons.
#include <iostream>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "cli/daemon_commands.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return borealis::cli::run_cli(args, std::cout, std::cerr, borealis::cli::default_cli_env(),
                                borealis::cli::register_daemon_commands);
}
