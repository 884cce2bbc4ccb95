// borealis job history CLUSTER/ROLE/ENV/NAME [--output json] [--limit N]
#include <CLI/CLI.hpp>
#include <map>

#include "cli/commands.h"
#include "cli/history_commands.h"
#include "cli/history_format.h"
#include "cli/job_args.h"

namespace borealis::cli {

namespace {

const CommandDoc kHistoryDoc = {
    "history", "Show a job's deploy history: its create and every update, newest first",
    "Each row is a version the job ran: the create, then each update or rolling restart\n"
    "(the scheduler keeps a job's last 10 updates), with its status, when it started and\n"
    "ended (UTC), who started it (with authentication), its instance count (and the change from "
    "the row below), and the\n"
    "borealis.githash and borealis.buildname metadata of its version ('-' without).\n"
    "The last line compares the job's size now with its create.\n\n"
    "Examples:\n"
    "  borealis job history devcluster/www-data/prod/hello\n"
    "  borealis job history devcluster/www-data/prod/hello --output json --limit 5\n"};

// Versions read once each: many updates may roll out the same one.
class VersionCache {
 public:
  VersionCache(ApiClient& api, JobKey key) : api_(api), key_(std::move(key)) {}

  // Fills the entry's instances and metadata from its version; a version the scheduler no
  // longer has leaves them unknown.
  Status describe(HistoryEntry& e) {
    if (e.config_id.empty()) return Status();
    auto it = specs_.find(e.config_id);
    if (it == specs_.end()) {
      auto version = api_.get_version(key_, e.config_id);
      if (!version.ok() && version.status().code() != StatusCode::kNotFound)
        return version.status();
      it = specs_.emplace(e.config_id, version.ok() ? version->spec : json::value()).first;
    }
    e.instances = spec_instances(it->second);
    e.githash = spec_metadata(it->second, kGithashMetadata);
    e.buildname = spec_metadata(it->second, kBuildnameMetadata);
    return Status();
  }

 private:
  ApiClient& api_;
  JobKey key_;
  std::map<std::string, json::value> specs_;
};

// The version the job was created with: the one its oldest kept update started from.
Result<std::string> created_version(ApiClient& api, const JobKey& key, const JobDetail& job,
                                    const UpdateList& updates) {
  if (updates.updates.empty()) return job.summary.config_id;
  BOREALIS_ASSIGN_OR_RETURN(UpdateDetail oldest,
                            api.get_update(key, updates.updates.back().update_id));
  for (const auto& step : oldest.forward)
    if (!step.from_config.empty()) return step.from_config;
  return std::string();
}

Result<JobHistory> read_history(ApiClient& api, const ClusterJobKey& key, size_t limit) {
  BOREALIS_ASSIGN_OR_RETURN(JobDetail job, api.get_job(key.job));
  BOREALIS_ASSIGN_OR_RETURN(UpdateList updates, api.job_updates(key.job));
  JobHistory h;
  h.job = key.to_string();
  h.current_config = job.summary.config_id;
  h.current_instances = job.summary.instances;
  VersionCache versions(api, key.job);
  for (const UpdateSummary& u : updates.updates) {
    if (h.entries.size() >= limit) return h;
    HistoryEntry e;
    e.kind = u.restart ? "restart" : "update";
    e.update_id = u.update_id;
    e.status = u.status;
    e.started_ms = u.created_ms;
    e.ended_ms = is_update_ended(u.status) ? u.updated_ms : 0;
    e.user = u.user;
    e.message = u.message;
    e.config_id = u.config_id;
    BOREALIS_RETURN_IF_ERROR(versions.describe(e));
    h.entries.push_back(std::move(e));
  }
  if (h.entries.size() >= limit) return h;
  HistoryEntry create;
  create.kind = "create";
  create.status = "CREATED";
  create.started_ms = job.summary.created_ms;
  create.user = job.summary.created_by;
  BOREALIS_ASSIGN_OR_RETURN(create.config_id, created_version(api, key.job, job, updates));
  BOREALIS_RETURN_IF_ERROR(versions.describe(create));
  h.entries.push_back(std::move(create));
  return h;
}

struct HistoryArgs {
  std::string key;
  HistoryOptions options;
};

int run_history_command(const HistoryArgs& a, const CommandContext& ctx, const CLI::App* sub) {
  auto key = parse_job_key_arg(a.key);
  if (!key.ok()) return usage_error(ctx, sub, key.status().message());
  return run_job_history(*key, a.options, ctx);
}

}  // namespace

int run_job_history(const ClusterJobKey& key, const HistoryOptions& o, const CommandContext& ctx) {
  auto api = connect(ctx.env, key.cluster);
  if (!api.ok()) return fail(ctx, api.status());
  auto history = read_history(**api, key, static_cast<size_t>(std::max<int64_t>(1, o.limit)));
  if (!history.ok()) return fail(ctx, history.status());
  if (o.output == "json")
    print_json(ctx.out, history_json(*history));
  else
    ctx.out << format_history(*history);
  return kExitOk;
}

void register_job_history(CLI::App& job, CommandContext& ctx) {
  auto [sub, a] = add_command<HistoryArgs>(job, ctx, kHistoryDoc, run_history_command);
  sub->add_option("key", a->key, "The job: CLUSTER/ROLE/ENVIRONMENT/NAME")->required();
  add_history_options(sub, &a->options);
}

void add_history_options(CLI::App* sub, HistoryOptions* options) {
  add_output_option(sub, &options->output);
  sub->add_option("--limit", options->limit, "Show at most this many versions, newest first")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
}

}  // namespace borealis::cli
