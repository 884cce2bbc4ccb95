// borealis update list CLUSTER[/ROLE[/ENV[/NAME]]] [--status S]... [--output json]
// borealis update info CLUSTER/ROLE/ENV/NAME [ID] [--output json]
// borealis update wait CLUSTER/ROLE/ENV/NAME [ID] [--wait-timeout SECS] [--output json]
#include <CLI/CLI.hpp>
#include <algorithm>
#include <set>

#include "cli/commands.h"
#include "cli/job_args.h"
#include "cli/update_format.h"
#include "cli/update_wait.h"
#include "common/strings.h"

namespace borealis::cli {

namespace {

// Aurora's groups of statuses for `update list --status`.
const std::map<std::string, std::vector<std::string>>& status_groups() {
  static const std::map<std::string, std::vector<std::string>> kGroups = {
      {"active",
       {"ROLLING_FORWARD", "ROLLING_BACK", "ROLL_FORWARD_PAUSED", "ROLL_BACK_PAUSED",
        "ROLL_FORWARD_AWAITING_PULSE", "ROLL_BACK_AWAITING_PULSE"}},
      {"paused", {"ROLL_FORWARD_PAUSED", "ROLL_BACK_PAUSED"}},
      {"blocked", {"ROLL_FORWARD_AWAITING_PULSE", "ROLL_BACK_AWAITING_PULSE"}},
      {"failed", {"ROLLED_BACK", "ERROR", "FAILED"}},
      {"succeeded", {"ROLLED_FORWARD"}},
      {"inactive", {"ROLLED_FORWARD", "ROLLED_BACK", "ABORTED", "ERROR", "FAILED"}},
      {"all", {}},
  };
  return kGroups;
}

// The statuses --status values name, in the API's order; empty = any.
Result<std::vector<std::string>> statuses_of(const std::vector<std::string>& values) {
  std::set<std::string> wanted;
  for (const std::string& v : values) {
    auto group = status_groups().find(v);
    if (group != status_groups().end()) {
      if (v == "all") return std::vector<std::string>{};
      wanted.insert(group->second.begin(), group->second.end());
      continue;
    }
    const auto& names = update_status_names();
    if (std::find(names.begin(), names.end(), v) == names.end()) {
      std::vector<std::string> groups;
      for (const auto& [name, _] : status_groups()) groups.push_back(name);
      return invalid_argument("--status '" + v + "' is neither a group (" + join(groups, ", ") +
                              ") nor an update status (" + join(names, ", ") + ")");
    }
    wanted.insert(v);
  }
  std::vector<std::string> out;
  for (const std::string& name : update_status_names())
    if (wanted.count(name)) out.push_back(name);
  return out;
}

// The update the user means: `id`, or the job's newest one.
Result<std::string> resolve_update_id(ApiClient& api, const ClusterJobKey& key,
                                      const std::string& id) {
  if (!id.empty()) return id;
  BOREALIS_ASSIGN_OR_RETURN(UpdateList list, api.job_updates(key.job));
  if (list.updates.empty()) {
    return not_found("job " + key.to_string() + " has no updates; start one with 'borealis " +
                     "update start " + key.to_string() + " FILE'");
  }
  return list.updates.front().update_id;
}

struct ViewOptions {
  std::string key;  // or the scope of `list`
  std::string id;
  std::vector<std::string> statuses;
  int64_t wait_timeout_secs = 0;
  std::string output = "text";
};

int run_list(const ViewOptions& o, const CommandContext& ctx, const CLI::App* sub) {
  auto filter = parse_update_filter(o.key);
  if (!filter.ok()) return usage_error(ctx, sub, filter.status().message());
  auto statuses = statuses_of(o.statuses);
  if (!statuses.ok()) return usage_error(ctx, sub, statuses.status().message());
  auto api = connect(ctx.env, filter->cluster);
  if (!api.ok()) return fail(ctx, api.status());
  UpdateQuery q{filter->role, filter->environment, filter->name, *statuses};
  auto list = (*api)->list_updates(q);
  if (!list.ok()) return fail(ctx, list.status());
  if (o.output == "json") {
    print_json(ctx.out, list->raw);
  } else {
    ctx.out << format_update_list(*list, filter->to_string(), ctx.env.clock->now_ms());
  }
  return kExitOk;
}

// The job, a client for its cluster and the update meant, for `info` and `wait`; on error
// the exit code is in `exit_code`.
struct UpdateTarget {
  ClusterJobKey key;
  std::unique_ptr<ApiClient> api;
  std::string id;
  int exit_code = kExitOk;
};

UpdateTarget find_update(const ViewOptions& o, const CommandContext& ctx, const CLI::App* sub) {
  UpdateTarget t;
  auto key = parse_job_key_arg(o.key);
  if (!key.ok()) {
    t.exit_code = usage_error(ctx, sub, key.status().message());
    return t;
  }
  t.key = *key;
  auto api = connect(ctx.env, key->cluster);
  if (!api.ok()) {
    t.exit_code = fail(ctx, api.status());
    return t;
  }
  t.api = std::move(api).value();
  auto id = resolve_update_id(*t.api, t.key, o.id);
  if (!id.ok()) {
    t.exit_code = fail(ctx, id.status());
    return t;
  }
  t.id = *id;
  return t;
}

int run_info(const ViewOptions& o, const CommandContext& ctx, const CLI::App* sub) {
  UpdateTarget t = find_update(o, ctx, sub);
  if (t.exit_code != kExitOk) return t.exit_code;
  auto detail = t.api->get_update(t.key.job, t.id);
  if (!detail.ok()) return fail(ctx, detail.status());
  if (o.output == "json") {
    print_json(ctx.out, detail->raw);
  } else {
    ctx.out << format_update_info(*detail, ctx.env.clock->now_ms());
  }
  return kExitOk;
}

int run_wait(const ViewOptions& o, const CommandContext& ctx, const CLI::App* sub) {
  UpdateTarget t = find_update(o, ctx, sub);
  if (t.exit_code != kExitOk) return t.exit_code;
  return wait_and_report(*t.api, t.key, t.id, ctx, o.output == "json", o.wait_timeout_secs * 1000);
}

CLI::App* add_view(CLI::App& update, CommandContext& ctx, const char* name, const char* help,
                   int (*run)(const ViewOptions&, const CommandContext&, const CLI::App*),
                   std::shared_ptr<ViewOptions> o) {
  CLI::App* sub = update.add_subcommand(name, help);
  add_output_option(sub, &o->output);
  ctx.table.on_run(sub, [run, o, &ctx, sub] { return run(*o, ctx, sub); });
  return sub;
}

}  // namespace

void register_update_view(CLI::App& update, CommandContext& ctx) {
  auto lo = std::make_shared<ViewOptions>();
  CLI::App* list = add_view(update, ctx, "list",
                            "List updates of a cluster, role, environment or job", run_list, lo);
  list->add_option("scope", lo->key, "CLUSTER[/ROLE[/ENVIRONMENT[/NAME]]]")->required();
  list->add_option("--status", lo->statuses,
                   "Only updates in this status or group (active, paused, blocked, failed, "
                   "succeeded, inactive, all); repeatable");
  list->footer(
      "Newest first. STARTED and CHANGED are ages.\n\n"
      "Examples:\n"
      "  borealis update list devcluster --status active\n"
      "  borealis update list devcluster/www-data/prod/web --output json\n");

  auto io = std::make_shared<ViewOptions>();
  CLI::App* info =
      add_view(update, ctx, "info",
               "Show an update: its progress, each instance's step and its events", run_info, io);
  info->add_option("key", io->key, "The job: CLUSTER/ROLE/ENVIRONMENT/NAME")->required();
  info->add_option("id", io->id, "The update's id; default: the job's newest update");
  info->footer(
      "Examples:\n"
      "  borealis update info devcluster/www-data/prod/web\n"
      "  borealis update info devcluster/www-data/prod/web 1b4e28ba-... --output json\n");

  auto wo = std::make_shared<ViewOptions>();
  CLI::App* wait =
      add_view(update, ctx, "wait",
               "Wait until an update ends; exit 1 unless it ends ROLLED_FORWARD", run_wait, wo);
  wait->add_option("key", wo->key, "The job: CLUSTER/ROLE/ENVIRONMENT/NAME")->required();
  wait->add_option("id", wo->id, "The update's id; default: the job's newest update");
  wait->add_option("--wait-timeout", wo->wait_timeout_secs,
                   "Seconds to wait before failing (the update goes on); 0 waits forever")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  wait->footer(
      "Shows progress on stderr while waiting. Exit status: 0 ROLLED_FORWARD; 1 ROLLED_BACK,\n"
      "ABORTED, FAILED or ERROR (with the reason), or the wait failed.\n\n"
      "Example:\n"
      "  borealis update wait devcluster/www-data/prod/web\n");
}

}  // namespace borealis::cli
