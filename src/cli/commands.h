// The CLI's command groups, Aurora's nouns and verbs. Each register function adds its
// subcommands to `app` (or to the noun) and binds them to actions in ctx.table.
#pragma once

#include "cli/command.h"

namespace borealis::cli {

// job create|status|list|kill|killall
void register_job_commands(CLI::App& app, CommandContext& ctx);
// cluster agents
void register_cluster_commands(CLI::App& app, CommandContext& ctx);

// The verbs of `job`, one file each (job_create.cc, job_status.cc, ...).
void register_job_create(CLI::App& job, CommandContext& ctx);
void register_job_status(CLI::App& job, CommandContext& ctx);
void register_job_list(CLI::App& job, CommandContext& ctx);
void register_job_kill(CLI::App& job, CommandContext& ctx);  // kill and killall

}  // namespace borealis::cli
