// borealis job kill CLUSTER/ROLE/ENV/NAME/INSTANCES
// borealis job killall CLUSTER/ROLE/ENV/NAME
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/job_actions.h"
#include "cli/job_args.h"

namespace borealis::cli {

namespace {

const CommandDoc kKillDoc = {
    "kill", "Kill some instances of a job",
    "Killed instances are not restarted. To kill every instance and remove the job, use\n"
    "'borealis job killall'.\n\n"
    "Example:\n"
    "  borealis job kill devcluster/www-data/prod/hello/0-1,4\n"};

const CommandDoc kKillallDoc = {"killall", "Kill every instance of a job and remove it",
                                "Example:\n"
                                "  borealis job killall devcluster/www-data/prod/hello\n"};

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
  return kill_every_instance(o.key, ctx, sub);
}

}  // namespace

int kill_every_instance(const std::string& key, const CommandContext& ctx, const CLI::App* sub) {
  auto c = connect_job_key(key, ctx, sub);
  if (!c) return c.exit_code;
  auto r = c->api->kill(c->key.job, std::nullopt);
  if (!r.ok()) return fail(ctx, r.status().with_context("killing " + key));
  return report(ctx, *r, c->key.to_string() + " (every instance)");
}

void register_job_kill(CLI::App& job, CommandContext& ctx) {
  auto [kill, ko] = add_command<KillOptions>(job, ctx, kKillDoc, run_kill);
  kill->add_option("key", ko->key, "CLUSTER/ROLE/ENVIRONMENT/NAME/INSTANCES, e.g. .../0-1,4")
      ->required();

  auto [killall, ao] = add_command<KillOptions>(job, ctx, kKillallDoc, run_killall);
  killall->add_option("key", ao->key, "CLUSTER/ROLE/ENVIRONMENT/NAME")->required();
}

}  // namespace borealis::cli
