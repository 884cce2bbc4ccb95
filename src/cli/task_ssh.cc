// borealis task ssh CLUSTER/ROLE/ENV/NAME/INSTANCE [--via-ssh] [--command CMD]
//                   [--ssh-command PROG] [--ssh-user USER] [--tunnel PORT:NAME]... [--print]
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "cli/agent_client.h"
#include "cli/commands.h"
#include "cli/history_commands.h"
#include "cli/shell_relay.h"
#include "cli/ssh_command.h"

namespace borealis::cli {

namespace {

const CommandDoc kSshDoc = {
    "ssh", "Open a shell in an instance's sandbox through its agent (or over ssh)",
    "Opens an interactive bash in the work dir of the instance's active task (the processes'\n"
    "cwd), through the task's agent, as the task's user, with the task's environment: no ssh\n"
    "account on the host is needed, only a token with a grant for the job's role (as a\n"
    "restart needs). The local terminal is in raw mode until the shell exits (^C goes to the\n"
    "shell); its size follows yours. The exit status is the shell's (128+N when signal N\n"
    "ended it); 1 when the task ended first, 30 when the agent refuses the token.\n\n"
    "With --via-ssh (or any of --command, --ssh-command, --ssh-user, --tunnel, --print):\n"
    "runs 'ssh -t ROLE@HOST' with 'cd WORK_DIR && exec $SHELL -l' (or the --command) on the\n"
    "task's host instead; the exit status is ssh's. --ssh-command (else $BOREALIS_SSH, else\n"
    "ssh) is split on spaces, so it may carry options. --tunnel PORT:NAME forwards local\n"
    "PORT to the task's port NAME (Aurora's -L).\n\n"
    "Examples:\n"
    "  borealis task ssh devcluster/www-data/prod/hello/0\n"
    "  borealis task ssh devcluster/www-data/prod/hello/0 --via-ssh\n"
    "  borealis task ssh devcluster/www-data/prod/hello/0 --command 'ls -l'\n"
    "  borealis task ssh devcluster/www-data/prod/hello/0 --tunnel 8080:http --print\n"};

struct SshArgs {
  std::string key;
  SshOptions options;
};

int run_ssh_command(const SshArgs& a, const CommandContext& ctx, const CLI::App* sub) {
  auto key = parse_instance_key(a.key);
  if (!key.ok()) return usage_error(ctx, sub, key.status().message());
  if (!key->instances || key->instances->size() != 1)
    return usage_error(ctx, sub,
                       "'" + a.key + "' must name one instance: CLUSTER/ROLE/ENV/NAME/INSTANCE");
  return run_task_ssh(key->key, key->instances->front(), a.options, ctx);
}

// The instance's active task, placed on a host.
Result<TaskInfo> placed_task(ApiClient& api, const ClusterJobKey& key, int32_t instance) {
  TaskQuery query;
  query.instances = std::vector<int32_t>{instance};
  query.active_only = true;
  BOREALIS_ASSIGN_OR_RETURN(TaskList tasks, api.tasks(key.job, query));
  for (const TaskInfo& t : tasks.tasks) {
    if (t.instance_id != instance || is_terminal_status(t.status)) continue;
    if (t.host.empty() || t.agent_id.empty())
      return failed_precondition("instance " + std::to_string(instance) + " of " + key.to_string() +
                                 " (task " + t.task_id + ") is " + t.status +
                                 ": not on a host yet");
    return t;
  }
  return not_found("instance " + std::to_string(instance) + " of " + key.to_string() +
                   " has no active task");
}

// A shell through the agent; its exit status.
int run_agent_shell(AgentClient& agent, const std::string& task_id, const CommandContext& ctx) {
  const char* term = std::getenv("TERM");
  std::string term_name = term && api::check_term(term).ok() ? term : "xterm";
  api::WindowSize size = terminal_size(STDOUT_FILENO).value_or(api::WindowSize{});
  auto shell = agent.open_shell(task_id, size, term_name);
  if (!shell.ok()) return fail(ctx, shell.status());
  ctx.out.flush();
  ctx.err.flush();
  Result<api::ShellExit> exit = unavailable("");
  {
    RawTerminal raw(STDIN_FILENO);
    exit = relay_shell(agent.io(), std::move(shell).value(), STDIN_FILENO, STDOUT_FILENO);
  }
  if (!exit.ok()) return fail(ctx, exit.status().with_context("shell in task " + task_id));
  return exit->status();
}

}  // namespace

int run_task_ssh(const ClusterJobKey& key, int32_t instance, const SshOptions& o,
                 const CommandContext& ctx) {
  auto api = connect(ctx.env, key.cluster);
  if (!api.ok()) return fail(ctx, api.status());
  auto task = placed_task(**api, key, instance);
  if (!task.ok()) return fail(ctx, task.status());
  auto addresses = agent_addresses(**api);
  if (!addresses.ok()) return fail(ctx, addresses.status());
  auto address = addresses->find(task->agent_id);
  if (address == addresses->end())
    return fail(ctx, not_found("the scheduler knows no agent " + task->agent_id + " (of task " +
                               task->task_id + ")"));
  auto access =
      agent_access(ctx.env.cluster_files, ctx.env.tokens, key.cluster, ctx.env.http_timeout);
  if (!access.ok()) return fail(ctx, access.status());
  auto agent = AgentClient::create(*access, address->second);
  if (!agent.ok()) return fail(ctx, agent.status());
  if (!o.uses_ssh()) return run_agent_shell(**agent, task->task_id, ctx);
  auto sandbox = (*agent)->task_sandbox(task->task_id);
  if (!sandbox.ok()) return fail(ctx, sandbox.status());

  SshTarget target;
  target.user = o.ssh_user.empty() ? key.job.role : o.ssh_user;
  target.host = task->host;
  target.work_dir = *sandbox + "/sandbox";
  target.ports = task->ports;
  const char* env_ssh = std::getenv("BOREALIS_SSH");
  std::string program = !o.ssh_command.empty() ? o.ssh_command : env_ssh ? env_ssh : "";
  auto argv = ssh_argv(target, program, o.command, o.tunnels);
  if (!argv.ok()) return fail(ctx, argv.status());
  if (o.print) {
    ctx.out << shell_join(*argv) << "\n";
    return kExitOk;
  }
  ctx.out.flush();
  ctx.err.flush();
  std::vector<char*> args;
  for (std::string& s : *argv) args.push_back(s.data());
  args.push_back(nullptr);
  ::execvp(args[0], args.data());
  return fail(ctx, unavailable("cannot run '" + (*argv)[0] + "': " + std::strerror(errno)));
}

void register_task_ssh(CLI::App& task, CommandContext& ctx) {
  auto [sub, a] = add_command<SshArgs>(task, ctx, kSshDoc, run_ssh_command);
  sub->add_option("key", a->key, "The instance: CLUSTER/ROLE/ENVIRONMENT/NAME/INSTANCE")
      ->required();
  add_ssh_options(sub, &a->options);
}

void add_ssh_options(CLI::App* sub, SshOptions* options) {
  sub->add_flag("--via-ssh", options->via_ssh,
                "ssh to the task's host instead of opening a shell through its agent");
  sub->add_option("--command,-c", options->command,
                  "Run this over ssh in the sandbox's work dir instead of a login shell");
  sub->add_option("--ssh-command", options->ssh_command,
                  "The ssh program and its options; default: $BOREALIS_SSH, else ssh");
  sub->add_option("--ssh-user,-l", options->ssh_user, "Log in as this user; default: the role");
  sub->add_option("--tunnel,-L", options->tunnels,
                  "LOCALPORT:NAME: forward a local port to the task's port NAME (repeatable)");
  sub->add_flag("--print", options->print, "Print the ssh command line instead of running it");
}

}  // namespace borealis::cli
