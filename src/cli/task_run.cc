// borealis task run CLUSTER/ROLE/ENV/NAME[/INSTANCES] [--timeout SECS] [--threads N] -- CMD...
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <mutex>
#include <thread>

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
    "after the other (--threads N: N instances at a time, each instance's output printed\n"
    "whole once its command ended). The agent kills a command still running after --timeout\n"
    "seconds and keeps the first 1 MiB of its output. Exits 0 when every command exited 0; 1\n"
    "otherwise (each failure said on stderr); 30 when an agent refuses the token (it needs a\n"
    "grant for the job's role, as a restart does). Aurora's 'task run'.\n\n"
    "Examples:\n"
    "  borealis task run devcluster/www-data/prod/hello -- 'ls -l; df -h .'\n"
    "  borealis task run devcluster/www-data/prod/hello/0-2 --timeout 5 -- cat config.yaml\n"
    "  borealis task run devcluster/www-data/prod/hello --threads 8 -- 'du -sh .'\n"};

// Instances whose commands run at once with --threads.
constexpr int kMaxThreads = 64;

struct RunArgs {
  std::string key;
  std::vector<std::string> command;  // joined by spaces
  int64_t timeout_secs = api::kTaskRunDefaultTimeoutSecs;
  int threads = 1;
};

bool refused(const Status& st) {
  return st.code() == StatusCode::kUnauthenticated || st.code() == StatusCode::kPermissionDenied;
}

// One instance's command to run: its task on the agent at `address`.
struct RunTarget {
  int32_t instance = 0;
  const TaskInfo* task = nullptr;
  std::string address;
};

// Runs the targets' commands, `threads` at a time (each thread with agent clients of its
// own: they are blocking and not thread-safe), printing each instance's output whole as
// it comes. Stops starting new ones after an agent refused the token, and returns that
// refusal; else whether every command succeeded.
Result<bool> run_targets(const std::vector<RunTarget>& targets, const api::TaskRunRequest& request,
                         const AgentAccess& access, int threads, const CommandContext& ctx) {
  const bool colour = ::isatty(STDOUT_FILENO) == 1;
  std::mutex mu;  // guards ctx's streams, all_ok and refusal
  bool all_ok = true;
  std::optional<Status> refusal;
  std::atomic<size_t> next = 0;
  auto work = [&] {
    std::map<std::string, std::unique_ptr<AgentClient>> agents;  // by address
    for (size_t i = next++; i < targets.size(); i = next++) {
      const RunTarget& t = targets[i];
      {
        std::lock_guard<std::mutex> lock(mu);
        if (refusal) return;
      }
      auto& agent = agents[t.address];
      if (!agent) {
        auto made = AgentClient::create(access, t.address);
        if (!made.ok()) {
          std::lock_guard<std::mutex> lock(mu);
          ctx.err << "instance " << t.instance << ": " << made.status().message() << "\n";
          all_ok = false;
          continue;
        }
        agent = std::move(made).value();
      }
      auto result = agent->run(t.task->task_id, request);
      std::lock_guard<std::mutex> lock(mu);
      if (!result.ok()) {
        if (refused(result.status())) {
          if (!refusal) refusal = result.status();
          return;
        }
        ctx.err << "instance " << t.instance << ": " << result.status().message() << "\n";
        all_ok = false;
        continue;
      }
      ctx.out << task_run_output(t.instance, *result, colour);
      ctx.out.flush();
      std::string problems = task_run_problems(t.instance, request.command, *result);
      ctx.err << problems;
      all_ok = all_ok && problems.empty();
    }
  };
  std::vector<std::thread> pool;
  for (int i = 1; i < std::min<int>(threads, static_cast<int>(targets.size())); ++i)
    pool.emplace_back(work);
  work();  // in order on this thread when there is one
  for (std::thread& t : pool) t.join();
  if (refusal) return *refusal;
  return all_ok;
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
  bool all_ok = true;
  for (int32_t wanted : key->instances.value_or(std::vector<int32_t>{}))
    if (!by_instance.count(wanted)) {
      ctx.err << "instance " << wanted << ": no active task\n";
      all_ok = false;
    }
  std::vector<RunTarget> targets;
  for (const auto& [instance, task] : by_instance) {
    auto address = addresses->find(task->agent_id);
    if (task->agent_id.empty() || address == addresses->end()) {
      ctx.err << "instance " << instance << ": task " << task->task_id << " is " << task->status
              << ": not on a host yet\n";
      all_ok = false;
      continue;
    }
    targets.push_back({instance, task, address->second});
  }
  auto ran = run_targets(targets, request, *access, a.threads, ctx);
  if (!ran.ok()) return fail(ctx, ran.status());
  all_ok = all_ok && *ran;
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
  sub->add_option("--threads,-t", a->threads,
                  "Instances whose commands run at once (each instance's output is printed "
                  "whole)")
      ->check(CLI::Range(1, kMaxThreads))
      ->capture_default_str();
  sub->add_option("command", a->command,
                  "The command: the words after --, joined by spaces, run with /bin/bash -c")
      ->required();
}

}  // namespace borealis::cli
