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

const CommandDoc kListDoc = {"list", "List updates of a cluster, role, environment or job",
                             "Newest first. STARTED and CHANGED are ages.\n\n"
                             "Examples:\n"
                             "  borealis update list devcluster --status active\n"
                             "  borealis update list devcluster/www-data/prod/web --output json\n"};

const CommandDoc kInfoDoc = {
    "info", "Show an update: its progress, each instance's step and its events",
    "Examples:\n"
    "  borealis update info devcluster/www-data/prod/web\n"
    "  borealis update info devcluster/www-data/prod/web 1b4e28ba-... --output "
    "json\n"};

const CommandDoc kWaitDoc = {
    "wait", "Wait until an update ends; exit 1 unless it ends ROLLED_FORWARD",
    "Shows progress on stderr while waiting. Exit status: 0 ROLLED_FORWARD; 1 ROLLED_BACK,\n"
    "ABORTED, FAILED or ERROR (with the reason), or the wait failed.\n\n"
    "Example:\n"
    "  borealis update wait devcluster/www-data/prod/web\n"};

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
  return print_response(ctx, o.output, *list, [&](const UpdateList& l) {
    return format_update_list(l, filter->to_string(), ctx.env.clock->now_ms());
  });
}

// The job, a client for its cluster and the update meant, for `info` and `wait`.
struct UpdateTarget {
  Connected<ClusterJobKey> job;
  std::string id;
};

OrExit<UpdateTarget> find_update(const ViewOptions& o, const CommandContext& ctx,
                                 const CLI::App* sub) {
  auto c = connect_job_key(o.key, ctx, sub);
  if (!c) return OrExit<UpdateTarget>::exit(c.exit_code);
  auto id = resolve_update_id(*c->api, c->key, o.id);
  if (!id.ok()) return OrExit<UpdateTarget>::exit(fail(ctx, id.status()));
  return UpdateTarget{std::move(*c), *id};
}

int run_info(const ViewOptions& o, const CommandContext& ctx, const CLI::App* sub) {
  auto t = find_update(o, ctx, sub);
  if (!t) return t.exit_code;
  auto detail = t->job.api->get_update(t->job.key.job, t->id);
  if (!detail.ok()) return fail(ctx, detail.status());
  return print_response(ctx, o.output, *detail, [&](const UpdateDetail& d) {
    return format_update_info(d, ctx.env.clock->now_ms());
  });
}

int run_wait(const ViewOptions& o, const CommandContext& ctx, const CLI::App* sub) {
  auto t = find_update(o, ctx, sub);
  if (!t) return t.exit_code;
  return wait_and_report(*t->job.api, t->job.key, t->id, ctx, o.output == "json",
                         o.wait_timeout_secs * 1000);
}

// `info` or `wait`: the update named by KEY [ID], --output.
std::pair<CLI::App*, ViewOptions*> add_update_view(CLI::App& update, CommandContext& ctx,
                                                   const CommandDoc& doc,
                                                   CommandAction<ViewOptions> run) {
  auto [sub, o] = add_command(update, ctx, doc, run);
  add_output_option(sub, &o->output);
  sub->add_option("key", o->key, "The job: CLUSTER/ROLE/ENVIRONMENT/NAME")->required();
  sub->add_option("id", o->id, "The update's id; default: the job's newest update");
  return {sub, o};
}

}  // namespace

void register_update_view(CLI::App& update, CommandContext& ctx) {
  auto [list, lo] = add_command(update, ctx, kListDoc, run_list);
  add_output_option(list, &lo->output);
  list->add_option("scope", lo->key, "CLUSTER[/ROLE[/ENVIRONMENT[/NAME]]]")->required();
  list->add_option("--status", lo->statuses,
                   "Only updates in this status or group (active, paused, blocked, failed, "
                   "succeeded, inactive, all); repeatable");

  add_update_view(update, ctx, kInfoDoc, run_info);

  auto [wait, wo] = add_update_view(update, ctx, kWaitDoc, run_wait);
  add_wait_timeout_option(wait, &wo->wait_timeout_secs,
                          "Seconds to wait before failing (the update goes on); 0 waits forever");
}

}  // namespace borealis::cli
