// borealis job restart CLUSTER/ROLE/ENV/NAME[/INSTANCES] [--batch-size N] [--watch-secs S]
//     [--no-wait | --wait-timeout SECS] [--output json]
// borealis job add CLUSTER/ROLE/ENV/NAME/INSTANCE COUNT [--output json]
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/job_actions.h"
#include "cli/job_args.h"
#include "cli/update_wait.h"

namespace borealis::cli {

namespace {

const CommandDoc kRestartDoc = {
    "restart", "Restart a job's instances in rolling batches, without changing its config",
    "The scheduler restarts the instances as an update to the same version (batches,\n"
    "watch, failure limits and rollback from the job's update_config). Like Aurora's, this\n"
    "command waits until the restart ends, showing progress; exit 1 unless it ends\n"
    "ROLLED_FORWARD. Steer it with 'borealis update pause|resume|abort KEY'.\n\n"
    "Examples:\n"
    "  borealis job restart devcluster/www-data/prod/web\n"
    "  borealis job restart devcluster/www-data/prod/web/0-3 --batch-size 2 --watch-secs 10\n"};

const CommandDoc kAddDoc = {
    "add", "Add instances to a job, copies of one instance",
    "The new instances get the next free ids and run the version INSTANCE runs.\n\n"
    "Example:\n"
    "  borealis job add devcluster/www-data/prod/web/0 2\n"};

struct AddOptions {
  std::string key;
  int32_t count = 0;
  std::string output = "text";
};

int run_add(const AddOptions& o, const CommandContext& ctx, const CLI::App* sub) {
  auto key = parse_instance_key(o.key);
  if (!key.ok()) return usage_error(ctx, sub, key.status().message());
  if (!key->instances || key->instances->size() != 1) {
    return usage_error(ctx, sub,
                       "'" + o.key +
                           "' must name one instance to copy: CLUSTER/ROLE/ENVIRONMENT/NAME/"
                           "INSTANCE (e.g. " +
                           key->key.to_string() + "/0)");
  }
  const int32_t from = key->instances->front();
  auto api = connect(ctx.env, key->key.cluster);
  if (!api.ok()) return fail(ctx, api.status());
  auto added = (*api)->add_instances(key->key.job, from, o.count);
  if (!added.ok())
    return fail(ctx, added.status().with_context("adding instances to " + key->key.to_string()));
  return print_response(ctx, o.output, *added, [&](const AddInstancesResult& r) {
    size_t n = r.added.size();
    return "Added " + std::to_string(n) + (n == 1 ? " instance" : " instances") + " to " +
           key->key.to_string() + ", running instance " + std::to_string(from) +
           "'s version: " + format_instance_ranges(r.added) + ".\n";
  });
}

}  // namespace

int restart_job(const RestartArgs& o, const CommandContext& ctx, const CLI::App* sub) {
  auto c = connect_instance_key(o.key, ctx, sub);
  if (!c) return c.exit_code;
  RestartRequest request{c->key.instances, o.batch_size, o.watch_secs};
  auto u = c->api->restart(c->key.key.job, request);
  if (!u.ok()) return fail(ctx, u.status().with_context("restarting " + o.key));
  return report_started_update(*c->api, c->key.key, *u, ctx, o.output == "json", !o.no_wait,
                               o.wait_timeout_secs * 1000);
}

void add_restart_options(CLI::App* restart, RestartArgs* ro) {
  restart
      ->add_option("--batch-size", ro->batch_size,
                   "Instances restarted at a time; default: the job's update_config")
      ->check(CLI::PositiveNumber);
  restart
      ->add_option("--watch-secs", ro->watch_secs,
                   "Seconds a restarted instance must stay RUNNING; default: the job's")
      ->check(CLI::NonNegativeNumber);
  restart->add_flag("--no-wait", ro->no_wait, "Return once the scheduler started the restart");
  add_wait_timeout_option(restart, &ro->wait_timeout_secs,
                          "Seconds to wait before failing (the restart goes on); 0 waits forever");
  add_output_option(restart, &ro->output);
}

void register_job_restart(CLI::App& job, CommandContext& ctx) {
  auto [restart, ro] = add_command<RestartArgs>(job, ctx, kRestartDoc, restart_job);
  restart
      ->add_option("key", ro->key,
                   "CLUSTER/ROLE/ENVIRONMENT/NAME, optionally /INSTANCES (0-2,5); default: "
                   "every instance")
      ->required();
  add_restart_options(restart, ro);

  auto [add, ao] = add_command<AddOptions>(job, ctx, kAddDoc, run_add);
  add->add_option("key", ao->key, "CLUSTER/ROLE/ENVIRONMENT/NAME/INSTANCE: the instance to copy")
      ->required();
  add->add_option("count", ao->count, "How many instances to add")
      ->required()
      ->check(CLI::PositiveNumber);
  add_output_option(add, &ao->output);
}

}  // namespace borealis::cli
