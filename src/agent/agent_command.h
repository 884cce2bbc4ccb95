// The `borealis agent` subcommand: flags from agent_option_specs(), resolved into an
// AgentConfig, then the agent runs until SIGINT or SIGTERM (its tasks keep running).
//
// Errors (a bad flag value, a work dir in use, a taken port) are printed to stderr naming
// the flag or the resource, and end the command by throwing CLI::RuntimeError(1), CLI11's
// way to return an exit code: main's usual `CLI11_PARSE(app, argc, argv)` (or a catch of
// CLI::ParseError and `app.exit(e)`) turns it into a non-zero exit.
//
// Thread-safety: call from main's thread, before other threads start.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "agent/agent_config.h"
#include "agent/host_probe.h"

namespace borealis::agent {

void register_agent_command(CLI::App& app);

// The same with the work replaced, for tests: `run` gets the resolved config and returns
// the exit code (non-zero becomes CLI::RuntimeError). `probe` must outlive `app`.
void register_agent_command(CLI::App& app, std::function<int(const AgentConfig&)> run,
                            const HostProbe& probe);

// Runs an agent with `config` until SIGINT or SIGTERM; returns the exit code.
int run_agent_until_signal(const AgentConfig& config);

}  // namespace borealis::agent
