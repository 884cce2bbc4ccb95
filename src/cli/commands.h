// The CLI's command groups, Aurora's nouns and verbs. Each register function adds its
// subcommands to `app` (or to the noun) and binds them to actions in ctx.table.
#pragma once

#include "cli/command.h"

namespace borealis::cli {

// job create|inspect|diff|status|list|kill|killall|restart|add|history|logs|tail|discover
void register_job_commands(CLI::App& app, CommandContext& ctx);
// cluster agents
void register_cluster_commands(CLI::App& app, CommandContext& ctx);
// config list
void register_config_commands(CLI::App& app, CommandContext& ctx);
// update start|pause|resume|abort|rollback|pulse|list|info|wait
void register_update_commands(CLI::App& app, CommandContext& ctx);
// admin token create
void register_admin_commands(CLI::App& app, CommandContext& ctx);
// `admin backup now|list|restore` under the `admin` noun (backup_commands.cc).
void register_backup_commands(CLI::App& admin, CommandContext& ctx);
// task ssh (task_ssh.cc)
void register_task_commands(CLI::App& app, CommandContext& ctx);
// login CLUSTER (login.cc)
void register_login_command(CLI::App& app, CommandContext& ctx);
// cron schedule|deschedule|start|show (cron_commands.cc)
void register_cron_commands(CLI::App& app, CommandContext& ctx);
// manage create|update|restart|kill|status|inspect|diff JOB --stage STAGE, manage list
void register_manage_commands(CLI::App& app, CommandContext& ctx);

// The verbs of `job`, one file each (job_create.cc, job_status.cc, ...).
void register_job_create(CLI::App& job, CommandContext& ctx);
void register_job_status(CLI::App& job, CommandContext& ctx);
void register_job_list(CLI::App& job, CommandContext& ctx);
void register_job_kill(CLI::App& job, CommandContext& ctx);  // kill and killall
void register_job_inspect(CLI::App& job, CommandContext& ctx);
void register_job_diff(CLI::App& job, CommandContext& ctx);
void register_job_restart(CLI::App& job, CommandContext& ctx);  // restart and add
void register_job_history(CLI::App& job, CommandContext& ctx);
void register_job_logs(CLI::App& job, CommandContext& ctx);
void register_job_tail(CLI::App& job, CommandContext& ctx);  // the older spelling of logs -f
void register_job_discover(CLI::App& job, CommandContext& ctx);
void register_task_run(CLI::App& task, CommandContext& ctx);
void register_task_ssh(CLI::App& task, CommandContext& ctx);

// The verbs of `manage` (manage_deploy.cc, manage_control.cc, manage_list.cc).
void register_manage_deploy(CLI::App& manage, CommandContext& ctx);   // create update diff inspect
void register_manage_control(CLI::App& manage, CommandContext& ctx);  // status kill restart
void register_manage_list(CLI::App& manage, CommandContext& ctx);
void register_manage_observe(CLI::App& manage, CommandContext& ctx);  // history tail ssh

// The verbs of `update` (update_start.cc, update_control.cc, update_view.cc).
void register_update_start(CLI::App& update, CommandContext& ctx);
void register_update_control(CLI::App& update, CommandContext& ctx);  // pause ... pulse
void register_update_view(CLI::App& update, CommandContext& ctx);     // list, info, wait

}  // namespace borealis::cli
