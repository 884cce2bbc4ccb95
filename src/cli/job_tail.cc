// borealis job logs CLUSTER/ROLE/ENV/NAME[/INSTANCES] [--process P] [--stderr] [--tail N] [-f]
// borealis job tail CLUSTER/ROLE/ENV/NAME [--instances 0-3] [--process P] [--stream S]
//                   [--lines N] [--no-follow]   (the older spelling of `job logs -f`)
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <set>

#include "cli/agent_client.h"
#include "cli/commands.h"
#include "cli/history_commands.h"
#include "cli/job_args.h"
#include "cli/log_tail.h"
#include "common/instance_ranges.h"
#include "common/strings.h"

namespace borealis::cli {

namespace {

const CommandDoc kLogsDoc = {
    "logs", "Show (and with -f follow) the output of every instance of a job at once",
    "Prints the last --tail lines of each active instance's process output, each line\n"
    "prefixed with its instance id ([3] ...); with -f it then follows them all until Ctrl-C\n"
    "(or SIGTERM), like 'tail -f' over every instance. The process is --process, else the\n"
    "last process of the task (in the config's order) that has logs. When an instance's task\n"
    "is replaced (restart, update, reschedule) the new task is followed, said on stderr.\n"
    "Logs are read from each task's agent; reading them needs a grant for the job's role.\n"
    "Lines longer than 16 KiB are cut and marked; control characters show as ^X.\n\n"
    "Examples:\n"
    "  borealis job logs devcluster/www-data/prod/hello -f\n"
    "  borealis job logs devcluster/www-data/prod/hello/0-3 --stderr --tail 50\n"};

const CommandDoc kTailDoc = {
    "tail", "Follow the output of every instance of a job at once (as 'job logs -f')",
    "Prints the last --lines lines of each active instance's process output, each line\n"
    "prefixed with its instance id ([3] ...), then follows them all until Ctrl-C (or\n"
    "SIGTERM), like 'tail -f' over every instance. The process is --process, else the last\n"
    "process of the task (in the config's order) that has logs. When an instance's task is\n"
    "replaced (restart, update, reschedule) the new task is followed, said on stderr.\n"
    "Logs are read from each task's agent; reading them needs a grant for the job's role.\n"
    "Lines longer than 16 KiB are cut and marked; control characters show as ^X.\n\n"
    "Examples:\n"
    "  borealis job tail devcluster/www-data/prod/hello\n"
    "  borealis job tail devcluster/www-data/prod/hello --instances 0-3 --stream stderr\n"
    "  borealis job tail devcluster/www-data/prod/hello --no-follow --lines 50\n"};

// Polls: quickly while output flows, backing off to this while every instance is idle (a
// line written after a quiet spell shows within about this long).
constexpr TimeMs kPollMs = 250;
constexpr TimeMs kIdlePollMaxMs = 500;
// How often the tasks are looked up again (replaced tasks, new instances).
constexpr TimeMs kRefreshMs = 2000;

bool is_refusal(const Status& st) {
  return st.code() == StatusCode::kUnauthenticated || st.code() == StatusCode::kPermissionDenied;
}

volatile std::sig_atomic_t g_stop = 0;
void on_stop_signal(int) { g_stop = 1; }

// SIGINT and SIGTERM end the follow loop (between requests) while this lives.
class StopOnSignals {
 public:
  StopOnSignals() {
    g_stop = 0;
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
  }
  ~StopOnSignals() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  StopOnSignals(const StopOnSignals&) = delete;
  StopOnSignals& operator=(const StopOnSignals&) = delete;
  bool stopped() const { return g_stop != 0; }

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

// The cluster as the tail sees it: tasks from the scheduler, logs from their agents.
class ClusterTailSource : public TailSource {
 public:
  ClusterTailSource(ApiClient& api, JobKey key, std::optional<std::vector<int32_t>> instances,
                    AgentAccess access)
      : api_(api),
        key_(std::move(key)),
        instances_(std::move(instances)),
        access_(std::move(access)) {}

  Result<std::vector<TailTarget>> targets() override {
    TaskQuery query;
    query.instances = instances_;
    query.active_only = true;
    BOREALIS_ASSIGN_OR_RETURN(TaskList tasks, api_.tasks(key_, query));
    std::vector<TailTarget> out;
    std::set<int32_t> seen;
    for (const TaskInfo& t : tasks.tasks) {
      if (is_terminal_status(t.status) || !seen.insert(t.instance_id).second) continue;
      TailTarget target{t.instance_id, t.task_id, ""};
      if (!t.agent_id.empty()) {
        if (!addresses_.count(t.agent_id)) {  // an agent registered since the last look
          BOREALIS_ASSIGN_OR_RETURN(addresses_, agent_addresses(api_));
        }
        auto it = addresses_.find(t.agent_id);
        if (it != addresses_.end()) target.agent_address = it->second;
      }
      out.push_back(std::move(target));
    }
    return out;
  }

  Result<std::vector<std::string>> logged_processes(const TailTarget& t) override {
    BOREALIS_ASSIGN_OR_RETURN(AgentClient * agent, agent_for(t));
    auto entries = agent->list(t.task_id, ".logs");
    if (!entries.ok() && entries.status().code() == StatusCode::kNotFound)
      return std::vector<std::string>{};
    if (!entries.ok()) return entries.status();
    std::vector<std::string> names;
    for (const SandboxEntry& e : *entries)
      if (e.type == "directory") names.push_back(e.name);
    return names;
  }

  Result<LogFileInfo> locate(const TailTarget& t, const std::string& process,
                             const std::string& stream) override {
    BOREALIS_ASSIGN_OR_RETURN(AgentClient * agent, agent_for(t));
    BOREALIS_ASSIGN_OR_RETURN(std::vector<SandboxEntry> runs,
                              agent->list(t.task_id, ".logs/" + process));
    int64_t run = -1;
    for (const SandboxEntry& e : runs)
      if (auto n = parse_int64(e.name); n && e.type == "directory") run = std::max(run, *n);
    if (run < 0) return not_found("process '" + process + "' has no runs yet");
    BOREALIS_ASSIGN_OR_RETURN(
        std::vector<SandboxEntry> files,
        agent->list(t.task_id, ".logs/" + process + "/" + std::to_string(run)));
    for (const SandboxEntry& e : files)
      if (e.name == stream && e.type == "file") return LogFileInfo{run, e.size};
    return not_found("process '" + process + "' has no " + stream + " yet");
  }

  Result<std::string> read(const TailTarget& t, const std::string& process,
                           const std::string& stream, int64_t run, int64_t offset,
                           int64_t length) override {
    BOREALIS_ASSIGN_OR_RETURN(AgentClient * agent, agent_for(t));
    return agent->read_log(t.task_id, process, stream, run, offset, length);
  }

 private:
  Result<AgentClient*> agent_for(const TailTarget& t) {
    auto& client = agents_[t.agent_address];
    if (!client) {
      BOREALIS_ASSIGN_OR_RETURN(client, AgentClient::create(access_, t.agent_address));
    }
    return client.get();
  }

  ApiClient& api_;
  JobKey key_;
  std::optional<std::vector<int32_t>> instances_;
  AgentAccess access_;
  std::map<std::string, std::string> addresses_;  // agent id -> HOST:PORT
  std::map<std::string, std::unique_ptr<AgentClient>> agents_;
};

// The names of the job's processes, in its config's order.
std::vector<std::string> process_names(const json::value& spec) {
  std::vector<std::string> names;
  const json::value* task = spec.is_object() ? spec.as_object().if_contains("task") : nullptr;
  const json::value* procs =
      task && task->is_object() ? task->as_object().if_contains("processes") : nullptr;
  if (!procs || !procs->is_array()) return names;
  for (const json::value& p : procs->as_array()) {
    const json::value* name = p.is_object() ? p.as_object().if_contains("name") : nullptr;
    if (name && name->is_string()) names.emplace_back(name->get_string());
  }
  return names;
}

struct TailArgs {
  std::string key;
  TailFlags flags;
};

int run_tail_command(const TailArgs& a, const CommandContext& ctx, const CLI::App* sub) {
  auto key = parse_job_key_arg(a.key);
  if (!key.ok()) return usage_error(ctx, sub, key.status().message());
  auto o = tail_options(a.flags);
  if (!o.ok()) return usage_error(ctx, sub, o.status().message());
  return run_job_tail(*key, *o, ctx);
}

struct LogsArgs {
  std::string key;  // CLUSTER/ROLE/ENV/NAME[/INSTANCES]
  std::string process;
  bool stderr_stream = false;
  int64_t tail = 10;
  bool follow = false;
};

int run_logs_command(const LogsArgs& a, const CommandContext& ctx, const CLI::App* sub) {
  auto key = parse_instance_key(a.key);
  if (!key.ok()) return usage_error(ctx, sub, key.status().message());
  TailOptions o;
  o.instances = key->instances;
  o.process = a.process;
  o.stream = a.stderr_stream ? "stderr" : "stdout";
  o.lines = a.tail;
  o.follow = a.follow;
  o.colour = ::isatty(STDOUT_FILENO) == 1;
  return run_job_tail(key->key, o, ctx);
}

}  // namespace

int run_job_tail(const ClusterJobKey& key, const TailOptions& o, const CommandContext& ctx) {
  auto api = connect(ctx.env, key.cluster);
  if (!api.ok()) return fail(ctx, api.status());
  auto job = (*api)->get_job(key.job);
  if (!job.ok()) return fail(ctx, job.status());
  TailSettings settings;
  settings.processes = process_names(job->spec);
  settings.process = o.process;
  settings.stream = o.stream;
  settings.lines = static_cast<size_t>(std::max<int64_t>(0, o.lines));
  settings.colour = o.colour;
  if (!o.process.empty() && !settings.processes.empty() &&
      std::find(settings.processes.begin(), settings.processes.end(), o.process) ==
          settings.processes.end())
    return fail(ctx, invalid_argument("job " + key.to_string() + " has no process '" + o.process +
                                      "'; its processes: " + join(settings.processes, ", ")));
  auto access =
      agent_access(ctx.env.cluster_files, ctx.env.tokens, key.cluster, ctx.env.http_timeout);
  if (!access.ok()) return fail(ctx, access.status());
  ClusterTailSource source(**api, key.job, o.instances, std::move(*access));
  JobTail tail(source, settings, ctx.out, ctx.err);
  if (Status st = tail.refresh(); !st.ok()) return fail(ctx, st);
  if (!o.follow) {
    tail.finish();
    return kExitOk;
  }
  StopOnSignals signals;
  TimeMs wait = kPollMs;
  TimeMs last_refresh = ctx.env.clock->now_ms();
  std::string refresh_error;  // said once until it changes
  while (!signals.stopped()) {
    for (TimeMs slept = 0; slept < wait && !signals.stopped(); slept += kPollMs)
      ctx.env.sleep(std::min(kPollMs, wait - slept));
    if (signals.stopped()) break;
    if (ctx.env.clock->now_ms() - last_refresh >= kRefreshMs) {
      last_refresh = ctx.env.clock->now_ms();
      // A scheduler away for a while does not end the tail: the agents may still serve.
      Status st = tail.refresh();
      if (is_refusal(st)) return fail(ctx, st);
      if (!st.ok() && st.message() != refresh_error) ctx.err << "warning: " << st.message() << "\n";
      refresh_error = st.message();
    }
    auto got = tail.poll();
    if (!got.ok()) return fail(ctx, got.status());
    wait = *got ? kPollMs : std::min(wait * 2, kIdlePollMaxMs);
  }
  tail.finish();
  return kExitOk;
}

void register_job_logs(CLI::App& job, CommandContext& ctx) {
  auto [sub, a] = add_command<LogsArgs>(job, ctx, kLogsDoc, run_logs_command);
  sub->add_option("key", a->key, "The job and optionally instances: CLUSTER/ROLE/ENV/NAME[/0-3]")
      ->required();
  sub->add_option("--process", a->process,
                  "The process whose output to show; default: the task's last process "
                  "with logs");
  sub->add_flag("--stderr", a->stderr_stream, "Show stderr instead of stdout");
  sub->add_option("--tail,-n", a->tail, "Lines of each instance shown at the start")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  sub->add_flag("--follow,-f", a->follow,
                "Keep following new output (and replaced tasks) until Ctrl-C");
}

void register_job_tail(CLI::App& job, CommandContext& ctx) {
  auto [sub, a] = add_command<TailArgs>(job, ctx, kTailDoc, run_tail_command);
  sub->add_option("key", a->key, "The job: CLUSTER/ROLE/ENVIRONMENT/NAME")->required();
  add_tail_options(sub, &a->flags);
}

void add_tail_options(CLI::App* sub, TailFlags* flags) {
  sub->add_option("--instances", flags->instances, "Only these instances (0-3,7); default: all");
  sub->add_option("--process", flags->options.process,
                  "The process whose output to follow; default: the task's last process "
                  "with logs");
  sub->add_option("--stream", flags->options.stream, "stdout or stderr")
      ->check(CLI::IsMember({"stdout", "stderr"}))
      ->capture_default_str();
  sub->add_option("--lines,-n", flags->options.lines, "Lines of each instance shown at the start")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  sub->add_flag("--no-follow", flags->no_follow, "Print the last lines and end");
}

Result<TailOptions> tail_options(const TailFlags& flags) {
  TailOptions o = flags.options;
  if (!flags.instances.empty()) {
    auto ids = parse_instance_ranges(flags.instances);
    if (!ids.ok()) return invalid_argument("--instances: " + ids.status().message());
    o.instances = std::move(*ids);
  }
  o.follow = !flags.no_follow;
  o.colour = ::isatty(STDOUT_FILENO) == 1;
  return o;
}

}  // namespace borealis::cli
