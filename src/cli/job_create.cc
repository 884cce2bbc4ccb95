// borealis job create CLUSTER/ROLE/ENV/NAME FILE [--bind NAME=VALUE]... [--wait-until STATE]
//     [--wait-timeout SECS]
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/job_args.h"
#include "cli/job_file.h"
#include "cli/wait.h"
#include "jobspec/job_spec_json.h"

namespace borealis::cli {

namespace {

struct CreateOptions {
  std::string key;
  std::string file;
  std::string wait_until = "PENDING";
  int64_t wait_timeout_secs = 300;
  std::vector<std::string> binds;
};

int run_create(const CreateOptions& o, const CommandContext& ctx, const CLI::App* sub) {
  auto key = parse_job_key_arg(o.key);
  if (!key.ok()) return usage_error(ctx, sub, key.status().message());
  auto binds = parse_binds(o.binds);
  if (!binds.ok()) return usage_error(ctx, sub, binds.status().message());
  WaitTarget target = parse_wait_target(o.wait_until).value_or(WaitTarget::kPending);

  // The job is checked here, before anything is sent.
  auto job = load_job_spec(o.file, *key, *binds);
  if (!job.ok()) return fail(ctx, job.status());

  ClusterInfo info;
  auto api = connect(ctx.env, key->cluster, &info);
  if (!api.ok()) return fail(ctx, api.status());
  if (Status st = check_cluster_can_run(*job, info); !st.ok()) return fail(ctx, st);
  auto created = (*api)->create_job(jobspec::job_spec_to_json(*job));
  if (!created.ok())
    return fail(ctx, created.status().with_context("creating job " + key->to_string()));
  int64_t instances = created->instances > 0 ? created->instances : job->instances;
  ctx.out << "Created job " << key->to_string() << " (" << instances
          << (instances == 1 ? " instance" : " instances") << ").\n";

  if (target == WaitTarget::kPending) return kExitOk;
  WaitOptions w;
  w.target = target;
  w.timeout_ms = o.wait_timeout_secs * 1000;
  w.poll_initial_ms = ctx.env.poll_initial_ms;
  w.poll_ms = ctx.env.poll_ms;
  w.clock = ctx.env.clock;
  w.sleep = ctx.env.sleep;
  w.progress = ctx.env.terminal ? &ctx.err : nullptr;
  Status st = wait_for_job(**api, *key, instances, w);
  if (!st.ok()) return fail(ctx, st);
  const bool one = instances == 1;
  ctx.out << (one ? "The 1 instance of " : "All " + std::to_string(instances) + " instances of ")
          << key->to_string()
          << (target == WaitTarget::kRunning ? (one ? " is RUNNING" : " are RUNNING") : " FINISHED")
          << ".\n";
  return kExitOk;
}

}  // namespace

void register_job_create(CLI::App& job, CommandContext& ctx) {
  auto o = std::make_shared<CreateOptions>();
  CLI::App* sub = job.add_subcommand("create", "Create a job from a job file");
  sub->add_option("key", o->key, "The job: CLUSTER/ROLE/ENVIRONMENT/NAME")->required();
  sub->add_option("file", o->file,
                  "Aurora config (.aurora) or Aurora JSON job (.json); the key picks the job")
      ->required();
  sub->add_option("--wait-until", o->wait_until,
                  "Return once every instance is PENDING (accepted), RUNNING, or FINISHED")
      ->check(CLI::IsMember({"PENDING", "RUNNING", "FINISHED"}))
      ->capture_default_str();
  sub->add_option("--wait-timeout", o->wait_timeout_secs,
                  "Seconds --wait-until waits before failing; 0 waits forever")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  sub->add_option("--bind", o->binds, "NAME=VALUE: binds {{NAME}} in the config (repeatable)");
  sub->footer(
      "FILE may define many jobs (its `jobs` list); the key picks one. The job is checked\n"
      "before anything is sent to the scheduler.\n\n"
      "Examples:\n"
      "  borealis job create devcluster/www-data/devel/hello_world hello_world.aurora\n"
      "  borealis job create devcluster/www-data/prod/web web.aurora --bind version=42 \\\n"
      "      --wait-until RUNNING\n"
      "  borealis job create devcluster/www-data/prod/hello hello.json\n");
  ctx.table.on_run(sub, [o, &ctx, sub] { return run_create(*o, ctx, sub); });
}

}  // namespace borealis::cli
