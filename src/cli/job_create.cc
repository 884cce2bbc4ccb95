// borealis job create CLUSTER/ROLE/ENV/NAME FILE [--bind NAME=VALUE]... [--wait-until STATE]
//     [--wait-timeout SECS]
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/job_actions.h"
#include "cli/job_args.h"
#include "cli/job_file_args.h"
#include "cli/wait.h"
#include "jobspec/job_spec_json.h"

namespace borealis::cli {

namespace {

const CommandDoc kCreateDoc = {
    "create", "Create a job from a job file",
    "FILE may define many jobs (its `jobs` list); the key picks one. The job is checked\n"
    "before anything is sent to the scheduler.\n\n"
    "Examples:\n"
    "  borealis job create devcluster/www-data/devel/hello_world hello_world.aurora\n"
    "  borealis job create devcluster/www-data/prod/web web.aurora --bind version=42 \\\n"
    "      --wait-until RUNNING\n"
    "  borealis job create devcluster/www-data/prod/hello hello.json\n"};

struct CreateOptions : JobFileArgs, CreateWait {};

int run_create(const CreateOptions& o, const CommandContext& ctx, const CLI::App* sub) {
  auto key = parse_job_key_arg(o.key);
  if (!key.ok()) return usage_error(ctx, sub, key.status().message());
  auto job = load_job_to_send(o, *key, ctx, sub);
  if (!job) return job.exit_code;
  return create_loaded_job(*job, *key, o, ctx);
}

}  // namespace

int create_loaded_job(JobToSend& job, const ClusterJobKey& key, const CreateWait& wait,
                      const CommandContext& ctx) {
  WaitTarget target = parse_wait_target(wait.wait_until).value_or(WaitTarget::kPending);
  if (Status st = check_cluster_can_run(job.spec, job.cluster); !st.ok()) return fail(ctx, st);
  auto created = job.api->create_job(jobspec::job_spec_to_json(job.spec));
  if (!created.ok())
    return fail(ctx, created.status().with_context("creating job " + key.to_string()));
  int64_t instances = created->instances > 0 ? created->instances : job.spec.instances;
  ctx.out << "Created job " << key.to_string() << " (" << instances
          << (instances == 1 ? " instance" : " instances") << ").\n";

  if (target == WaitTarget::kPending) return kExitOk;
  WaitOptions w;
  w.target = target;
  w.timeout_ms = wait.wait_timeout_secs * 1000;
  w.poll_initial_ms = ctx.env.poll_initial_ms;
  w.poll_ms = ctx.env.poll_ms;
  w.clock = ctx.env.clock;
  w.sleep = ctx.env.sleep;
  w.progress = ctx.env.terminal ? &ctx.err : nullptr;
  Status st = wait_for_job(*job.api, key, instances, w);
  if (!st.ok()) return fail(ctx, st);
  const bool one = instances == 1;
  ctx.out << (one ? "The 1 instance of " : "All " + std::to_string(instances) + " instances of ")
          << key.to_string()
          << (target == WaitTarget::kRunning ? (one ? " is RUNNING" : " are RUNNING") : " FINISHED")
          << ".\n";
  return kExitOk;
}

void add_create_wait_options(CLI::App* sub, CreateWait* wait) {
  sub->add_option("--wait-until", wait->wait_until,
                  "Return once every instance is PENDING (accepted), RUNNING, or FINISHED")
      ->check(CLI::IsMember({"PENDING", "RUNNING", "FINISHED"}))
      ->capture_default_str();
  add_wait_timeout_option(sub, &wait->wait_timeout_secs,
                          "Seconds --wait-until waits before failing; 0 waits forever");
}

void register_job_create(CLI::App& job, CommandContext& ctx) {
  auto [sub, o] = add_command<CreateOptions>(job, ctx, kCreateDoc, run_create);
  add_job_key_arg(sub, &o->key);
  add_config_file_arg(sub, &o->file, "; the key picks the job");
  add_create_wait_options(sub, o);
  add_bind_option(sub, &o->binds);
}

}  // namespace borealis::cli
