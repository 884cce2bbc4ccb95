// borealis job kill CLUSTER/ROLE/ENV/NAME/INSTANCES
// borealis job killall CLUSTER/ROLE/ENV/NAME
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/job_args.h"

namespace borealis::cli {

namespace {

struct KillOptions {
  std::string key;
};

int report(const CommandContext& ctx, const KillResult& r, const std::string& what) {
  if (r.killed.empty()) {
    ctx.out << "No active tasks in " << what << "; nothing to kill.\n";
    return kExitOk;
  }
  ctx.out << "Killing " << r.killed.size() << (r.killed.size() == 1 ? " task" : " tasks") << " of "
          << what << ":\n";
  for (const std::string& id : r.killed) ctx.out << "  " << id << "\n";
  return kExitOk;
}

int run_kill(const KillOptions& o, const CommandContext& ctx, const CLI::App* sub) {
  auto key = parse_instance_key(o.key);
  if (!key.ok()) return usage_error(ctx, sub, key.status().message());
  if (!key->instances) {
    return usage_error(ctx, sub,
                       "'" + o.key + "' names no instances; give them as KEY/INSTANCES (e.g. " +
                           o.key + "/0-1,4), or use 'borealis job killall " + o.key +
                           "' to kill every instance");
  }
  auto api = connect(ctx.env, key->key.cluster);
  if (!api.ok()) return fail(ctx, api.status());
  auto r = (*api)->kill(key->key.job, key->instances);
  if (!r.ok()) return fail(ctx, r.status().with_context("killing " + o.key));
  const auto& ids = *key->instances;
  return report(ctx, *r,
                key->key.to_string() + (ids.size() == 1 ? " instance " : " instances ") +
                    format_instance_ranges(ids));
}

int run_killall(const KillOptions& o, const CommandContext& ctx, const CLI::App* sub) {
  auto key = parse_job_key_arg(o.key);
  if (!key.ok()) return usage_error(ctx, sub, key.status().message());
  auto api = connect(ctx.env, key->cluster);
  if (!api.ok()) return fail(ctx, api.status());
  auto r = (*api)->kill(key->job, std::nullopt);
  if (!r.ok()) return fail(ctx, r.status().with_context("killing " + o.key));
  return report(ctx, *r, key->to_string() + " (every instance)");
}

}  // namespace

void register_job_kill(CLI::App& job, CommandContext& ctx) {
  auto ko = std::make_shared<KillOptions>();
  CLI::App* kill = job.add_subcommand("kill", "Kill some instances of a job");
  kill->add_option("key", ko->key, "CLUSTER/ROLE/ENVIRONMENT/NAME/INSTANCES, e.g. .../0-1,4")
      ->required();
  kill->footer(
      "Killed instances are not restarted. To kill every instance and remove the job, use\n"
      "'borealis job killall'.\n\n"
      "Example:\n"
      "  borealis job kill devcluster/www-data/prod/hello/0-1,4\n");
  ctx.table.on_run(kill, [ko, &ctx, kill] { return run_kill(*ko, ctx, kill); });

  auto ao = std::make_shared<KillOptions>();
  CLI::App* killall = job.add_subcommand("killall", "Kill every instance of a job and remove it");
  killall->add_option("key", ao->key, "CLUSTER/ROLE/ENVIRONMENT/NAME")->required();
  killall->footer(
      "Example:\n"
      "  borealis job killall devcluster/www-data/prod/hello\n");
  ctx.table.on_run(killall, [ao, &ctx, killall] { return run_killall(*ao, ctx, killall); });
}

}  // namespace borealis::cli
