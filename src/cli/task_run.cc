// borealis task run CLUSTER/ROLE/ENV/NAME[/INSTANCES] [--timeout SECS] -- CMD...
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "cli/agent_client.h"
#include "cli/commands.h"
#include "cli/job_args.h"
#include "cli/task_run_format.h"
#include "common/strings.h"

namespace borealis::cli {

namespace {

const CommandDoc kRunDoc = {
    "run", "Run a command in the sandbox of every (selected) instance, as the task's user",
    "Runs CMD with /bin/bash -c in the work dir of each active instance's task (the\n"
    "processes' cwd), through the task's agent, as the task's user; prints its output (stdout\n"
    "and stderr together) with each line prefixed by the instance ([3] ...), one instance\n"
    "after the other. The agent kills a command still running after --timeout seconds and\n"
    "keeps the first 1 MiB of its output. Exits 0 when every command exited 0; 1 otherwise\n"
    "(each failure said on stderr); 30 when an agent refuses the token (it needs a grant for\n"
    "the job's role, as a restart does). Aurora's 'task run'.\n\n"
    "Examples:\n"
    "  borealis task run devcluster/www-data/prod/hello -- 'ls -l; df -h .'\n"
    "  borealis task run devcluster/www-data/prod/hello/0-2 --timeout 5 -- cat config.yaml\n"};

struct RunArgs {
  std::string key;
  std::vector<std::string> command;  // joined by spaces
  int64_t timeout_secs = api::kTaskRunDefaultTimeoutSecs;
};

bool refused(const Status& st) {
  return st.code() == StatusCode::kUnauthenticated || st.code() == StatusCode::kPermissionDenied;
}

int run_task_run(const RunArgs& a, const CommandContext& ctx, const CLI::App* sub) {
  auto key = parse_instance_key(a.key);
  if (!key.ok()) return usage_error(ctx, sub, key.status().message());
  api::TaskRunRequest request{join(a.command, " "), a.timeout_secs};
  if (Status st = api::check_task_run_request(request); !st.ok())
    return usage_error(ctx, sub, st.message());

  auto api = connect(ctx.env, key->key.cluster);
  if (!api.ok()) return fail(ctx, api.status());
  TaskQuery query;
  query.instances = key->instances;
  query.active_only = true;
  auto tasks = (*api)->tasks(key->key.job, query);
  if (!tasks.ok()) return fail(ctx, tasks.status());
  auto addresses = agent_addresses(**api);
  if (!addresses.ok()) return fail(ctx, addresses.status());
  auto access =
      agent_access(ctx.env.cluster_files, ctx.env.tokens, key->key.cluster, ctx.env.http_timeout);
  if (!access.ok()) return fail(ctx, access.status());

  std::map<int32_t, const TaskInfo*> by_instance;  // one active task each, in order
  for (const TaskInfo& t : tasks->tasks)
    if (!is_terminal_status(t.status)) by_instance.emplace(t.instance_id, &t);
  if (by_instance.empty())
    return fail(ctx, not_found(key->key.to_string() + " has no active instance" +
                               (key->instances ? " among those named" : "")));
  const bool colour = ::isatty(STDOUT_FILENO) == 1;
  std::map<std::string, std::unique_ptr<AgentClient>> agents;  // by address
  bool all_ok = true;
  for (int32_t wanted : key->instances.value_or(std::vector<int32_t>{}))
    if (!by_instance.count(wanted)) {
      ctx.err << "instance " << wanted << ": no active task\n";
      all_ok = false;
    }
  for (const auto& [instance, task] : by_instance) {
    auto address = addresses->find(task->agent_id);
    if (task->agent_id.empty() || address == addresses->end()) {
      ctx.err << "instance " << instance << ": task " << task->task_id << " is " << task->status
              << ": not on a host yet\n";
      all_ok = false;
      continue;
    }
    auto& agent = agents[address->second];
    if (!agent) {
      auto made = AgentClient::create(*access, address->second);
      if (!made.ok()) return fail(ctx, made.status());
      agent = std::move(made).value();
    }
    auto result = agent->run(task->task_id, request);
    if (!result.ok()) {
      if (refused(result.status())) return fail(ctx, result.status());
      ctx.err << "instance " << instance << ": " << result.status().message() << "\n";
      all_ok = false;
      continue;
    }
    ctx.out << task_run_output(instance, *result, colour);
    ctx.out.flush();
    std::string problems = task_run_problems(instance, request.command, *result);
    ctx.err << problems;
    all_ok = all_ok && problems.empty();
  }
  return all_ok ? kExitOk : kExitFailed;
}

}  // namespace

void register_task_run(CLI::App& task, CommandContext& ctx) {
  auto [sub, a] = add_command<RunArgs>(task, ctx, kRunDoc, run_task_run);
  sub->add_option("key", a->key, "The job and optionally instances: CLUSTER/ROLE/ENV/NAME[/0-3]")
      ->required();
  sub->add_option("--timeout", a->timeout_secs, "Seconds the command may run on each instance")
      ->check(CLI::Range(int64_t{1}, api::kTaskRunMaxTimeoutSecs))
      ->capture_default_str();
  sub->add_option("command", a->command,
                  "The command: the words after --, joined by spaces, run with /bin/bash -c")
      ->required();
}

}  // namespace borealis::cli
