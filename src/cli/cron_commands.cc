// borealis cron schedule|deschedule|start|show, as Aurora's `aurora cron` (docs/cron.md):
//   cron schedule CLUSTER/ROLE/ENV/NAME FILE [--bind NAME=VALUE]... [--output json]
//   cron deschedule CLUSTER/ROLE/ENV/NAME
//   cron start CLUSTER/ROLE/ENV/NAME
//   cron show CLUSTER/ROLE/ENV/NAME [--output json]
#include <CLI/CLI.hpp>
#include <sstream>

#include "cli/commands.h"
#include "cli/history_format.h"
#include "cli/job_args.h"
#include "cli/job_file_args.h"
#include "jobspec/job_spec_json.h"

namespace borealis::cli {

namespace {

const CommandDoc kScheduleDoc = {
    "schedule", "Schedule a cron job from a job file, or replace its schedule",
    "The job must have a cron_schedule (five fields, read in the scheduler's\n"
    "--cron-timezone). Nothing runs until the schedule fires or `cron start` runs it.\n\n"
    "Examples:\n"
    "  borealis cron schedule devcluster/www-data/prod/nightly nightly.aurora\n"
    "  borealis cron schedule devcluster/www-data/prod/nightly nightly.aurora --bind day=mon\n"};
const CommandDoc kDescheduleDoc = {"deschedule", "Remove a cron job's schedule",
                                   "A run still active goes on; kill it with `job killall`.\n\n"
                                   "Example:\n"
                                   "  borealis cron deschedule devcluster/www-data/prod/nightly\n"};
const CommandDoc kStartDoc = {
    "start", "Run a cron job now",
    "Runs it once now under its cron_collision_policy, as if the schedule had fired.\n\n"
    "Example:\n"
    "  borealis cron start devcluster/www-data/prod/nightly\n"};
const CommandDoc kShowDoc = {
    "show", "Show a cron job's schedule, its next runs and its recent runs",
    "Recent runs are the last fires, newest first, with what became of each; the\n"
    "current run's tasks are in `job status`.\n\n"
    "Examples:\n"
    "  borealis cron show devcluster/www-data/prod/nightly\n"
    "  borealis cron show devcluster/www-data/prod/nightly --output json\n"};

struct ScheduleArgs : JobFileArgs {
  std::string output = "text";
};
struct KeyArgs {
  std::string key;
  std::string output = "text";
};

std::string format_cron(const api::CronJobInfo& c) {
  std::ostringstream out;
  out << "Cron job " << c.key << "\n"
      << "  schedule:  " << c.schedule << " (" << c.timezone << "), on collision "
      << c.collision_policy << "\n";
  if (!c.created_by.empty()) out << "  by:        " << c.created_by << "\n";
  if (c.launch_waiting) out << "  waiting:   a run starts once the previous run has ended\n";
  out << "  next runs:\n";
  for (const api::CronNextRun& n : c.next_runs) out << "    " << n.local << "\n";
  if (c.runs.empty()) {
    out << "  recent runs: none\n";
    return out.str();
  }
  out << "  recent runs (UTC, newest first):\n";
  for (const api::CronRunInfo& r : c.runs)
    out << "    " << format_utc(r.due_ms) << "  " << r.outcome << (r.manual ? " (cron start)" : "")
        << "  " << r.message << (r.result.empty() ? "" : "; ended: " + r.result) << "\n";
  return out.str();
}

int run_schedule(const ScheduleArgs& o, const CommandContext& ctx, const CLI::App* sub) {
  auto key = parse_job_key_arg(o.key);
  if (!key.ok()) return usage_error(ctx, sub, key.status().message());
  auto job = load_job_to_send(o, *key, ctx, sub);
  if (!job) return job.exit_code;
  if (!job->spec.cron_schedule)
    return fail(ctx, invalid_argument("job " + key->to_string() +
                                      " has no cron_schedule: start it with `job create`"));
  auto scheduled = job->api->schedule_cron(jobspec::job_spec_to_json(job->spec));
  if (!scheduled.ok())
    return fail(ctx, scheduled.status().with_context("scheduling cron job " + key->to_string()));
  return print_response(ctx, o.output, *scheduled, [](const api::CronJobInfo& c) {
    return "Scheduled cron job " + c.key + ".\n" + format_cron(c);
  });
}

int run_deschedule(const KeyArgs& o, const CommandContext& ctx, const CLI::App* sub) {
  auto c = connect_job_key(o.key, ctx, sub);
  if (!c) return c.exit_code;
  auto gone = c->api->deschedule_cron(c->key.job);
  if (!gone.ok()) return fail(ctx, gone.status());
  ctx.out << "Descheduled cron job " << gone->key << ".\n";
  return kExitOk;
}

int run_start(const KeyArgs& o, const CommandContext& ctx, const CLI::App* sub) {
  auto c = connect_job_key(o.key, ctx, sub);
  if (!c) return c.exit_code;
  auto started = c->api->start_cron(c->key.job);
  if (!started.ok()) return fail(ctx, started.status());
  ctx.out << "Cron job " << c->key.to_string() << ": " << started->run.outcome << ": "
          << started->run.message << ".\n";
  return kExitOk;
}

int run_show(const KeyArgs& o, const CommandContext& ctx, const CLI::App* sub) {
  auto c = connect_job_key(o.key, ctx, sub);
  if (!c) return c.exit_code;
  auto shown = c->api->get_cron(c->key.job);
  if (!shown.ok()) return fail(ctx, shown.status());
  return print_response(ctx, o.output, *shown, format_cron);
}

// A verb whose only argument is the job key (and, with `output`, --output).
void add_key_command(CLI::App& cron, CommandContext& ctx, const CommandDoc& doc,
                     CommandAction<KeyArgs> run, bool output) {
  auto [sub, o] = add_command<KeyArgs>(cron, ctx, doc, std::move(run));
  add_job_key_arg(sub, &o->key);
  if (output) add_output_option(sub, &o->output);
}

}  // namespace

void register_cron_commands(CLI::App& app, CommandContext& ctx) {
  CLI::App* cron = app.add_subcommand("cron", "Schedule, start and show cron jobs");
  require_verb(cron, ctx);
  auto [schedule, s] = add_command<ScheduleArgs>(*cron, ctx, kScheduleDoc, run_schedule);
  add_job_key_arg(schedule, &s->key);
  add_config_file_arg(schedule, &s->file, "; the key picks the job");
  add_bind_option(schedule, &s->binds);
  add_output_option(schedule, &s->output);
  add_key_command(*cron, ctx, kDescheduleDoc, run_deschedule, false);
  add_key_command(*cron, ctx, kStartDoc, run_start, false);
  add_key_command(*cron, ctx, kShowDoc, run_show, true);
}

}  // namespace borealis::cli
