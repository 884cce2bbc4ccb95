// borealis job create CLUSTER/ROLE/ENV/NAME FILE [--wait-until STATE] [--wait-timeout SECS]
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/job_args.h"
#include "cli/job_file.h"
#include "cli/wait.h"
#include "spec/job_spec_json.h"

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
  Binds binds;
  for (const std::string& b : o.binds) {
    size_t eq = b.find('=');
    if (eq == std::string::npos || eq == 0)
      return usage_error(ctx, sub, "--bind '" + b + "' must have the form NAME=VALUE");
    binds[b.substr(0, eq)] = b.substr(eq + 1);
  }
  WaitTarget target = parse_wait_target(o.wait_until).value_or(WaitTarget::kPending);

  // The job is checked here, before anything is sent.
  auto job = load_job_spec(o.file, *key, binds);
  if (!job.ok()) return fail(ctx, job.status());

  auto api = connect(ctx.env, key->cluster);
  if (!api.ok()) return fail(ctx, api.status());
  auto created = (*api)->create_job(spec::job_spec_to_json(*job));
  if (!created.ok())
    return fail(ctx, created.status().with_context("creating job " + key->to_string()));
  int64_t instances = created->instances > 0 ? created->instances : job->instances;
  ctx.out << "Created job " << key->to_string() << " (" << instances
          << (instances == 1 ? " instance" : " instances") << ").\n";

  if (target == WaitTarget::kPending) return kExitOk;
  WaitOptions w;
  w.target = target;
  w.timeout_ms = o.wait_timeout_secs * 1000;
  w.poll_ms = ctx.env.poll_ms;
  w.clock = ctx.env.clock;
  w.sleep = ctx.env.sleep;
  w.progress = ctx.env.terminal ? &ctx.err : nullptr;
  Status st = wait_for_job(**api, *key, instances, w);
  if (!st.ok()) return fail(ctx, st);
  ctx.out << "All " << instances << (instances == 1 ? " instance" : " instances") << " of "
          << key->to_string() << (target == WaitTarget::kRunning ? " are RUNNING" : " FINISHED")
          << ".\n";
  return kExitOk;
}

}  // namespace

void register_job_create(CLI::App& job, CommandContext& ctx) {
  auto o = std::make_shared<CreateOptions>();
  CLI::App* sub = job.add_subcommand("create", "Create a job from a job file");
  sub->add_option("key", o->key, "The job: CLUSTER/ROLE/ENVIRONMENT/NAME")->required();
  sub->add_option("file", o->file,
                  "Job file: .json with one job, or {\"jobs\": [...]} (the key picks one)")
      ->required();
  sub->add_option("--wait-until", o->wait_until,
                  "Return once every instance is PENDING (accepted), RUNNING, or FINISHED")
      ->check(CLI::IsMember({"PENDING", "RUNNING", "FINISHED"}))
      ->capture_default_str();
  sub->add_option("--wait-timeout", o->wait_timeout_secs,
                  "Seconds --wait-until waits before failing; 0 waits forever")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  sub->add_option("--bind", o->binds, "NAME=VALUE for a config's {{NAME}} (.aurora files)");
  sub->footer(
      "The job in FILE must have the key's cluster, role, environment and name; it is\n"
      "checked before anything is sent to the scheduler.\n\n"
      "Examples:\n"
      "  borealis job create devcluster/www-data/prod/hello hello.json\n"
      "  borealis job create devcluster/www-data/prod/hello jobs.json --wait-until RUNNING\n");
  ctx.table.on_run(sub, [o, &ctx, sub] { return run_create(*o, ctx, sub); });
}

}  // namespace borealis::cli
